/* trace_csv.h - what the trace readers share (trace_csv.c): a bounded line reader that
 * fingerprints the bytes it reads, RFC 4180 field splitting, strict field parsers that
 * say what is wrong with a field, and the header check. Internal to models/platform:
 * trace.c (job traces) and trace_nodes.c (node lists) use it. */
#ifndef FGSIM_TRACE_CSV_H
#define FGSIM_TRACE_CSV_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#define MSG_MAX 1024  /* a whole error message, path included */
#define MAX_FIELDS 16 /* more than any format has; extra fields are only counted */
/* = trace.h's TRACE_LINE_MAX and TRACE_NAME_MAX (trace.c checks), here so that this
 * file needs nothing of the readers built on it */
#define TCSV_LINE_MAX 65536
#define TCSV_NAME_MAX 64

/* The header line of each file kind. */
#define TCSV_HDR_FGSIM "submit,class,tenant,gpus,duration"
#define TCSV_HDR_PODS                                                                              \
	"name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"      \
	"deletion_time,scheduled_time"
#define TCSV_HDR_NODES "sn,cpu_milli,memory_mib,gpu,model"

/* A line reader over a FILE (lines_get, so a line longer than TCSV_LINE_MAX stops the
 * reading there: /dev/zero fails at once) that hashes every byte it reads, for the
 * fingerprint a replayed trace is checked against. */
typedef struct tcsv_reader {
	FILE *fp;
	char *line;
	size_t cap, len;
	long lineno;
	long long nread; /* bytes read so far */
	uint64_t hash;   /* their FNV-1a */
	struct stat st;  /* the file as it was opened */
	int too_long, has_nul, at_end;
} tcsv_reader;

/* Each function's contract is written above its definition in trace_csv.c. A field
 * parser returns 0, or -1 with what is wrong in msg (the caller adds FILE:LINE). */
int tcsv_open(tcsv_reader *r, const char *path);
void tcsv_close(tcsv_reader *r);
int tcsv_next(tcsv_reader *r);
int tcsv_blank(const char *s);
int tcsv_split(char *line, char **f, int max, const char **why);
const char *tcsv_show(char *buf, size_t len, const char *s);
__attribute__((format(printf, 3, 4))) int tcsv_say(char *msg, size_t len, const char *fmt, ...);
int tcsv_missing(const char *s);
int tcsv_number(const char *s, double *v);
int tcsv_time(const char *s, const char *what, double *v, char *msg, size_t len);
int tcsv_whole(const char *s, const char *what, long max, long *out, char *msg, size_t len);
int tcsv_check_name(const char *s, const char *what, int may_be_empty, char *msg, size_t len);
int tcsv_name(const char *s, const char *what, int may_be_empty, char *dst, char *msg, size_t len);
int tcsv_header(tcsv_reader *r, const char *path, const char *expect, char *err, size_t errlen);
#endif
