/* trace.h - job traces read as a stream: fgsim's own CSV (submit,class,tenant,gpus,duration)
 * and the Alibaba GPU cluster trace's pod list (cluster-trace-gpu-v2023, "openb"), one job at
 * a time in submit order, with memory that does not grow with the file; and that trace's
 * node list summarised as one pool per GPU model. */
#ifndef FGSIM_TRACE_H
#define FGSIM_TRACE_H
#include <stddef.h>
#include <stdint.h>

#define TRACE_NAME_MAX 64    /* class, tenant and model names, with the NUL (= SC_NAME_MAX) */
#define TRACE_SPEC_MAX 128   /* an Alibaba gpu_spec ("V100M16|V100M32"), with the NUL */
#define TRACE_LINE_MAX 65536 /* the longest line read; a longer one stops the reading there */
#define TRACE_POOL_SIZES 8   /* distinct node sizes one GPU model may have */
#define TRACE_POOL_RES 16    /* distinct (GPUs, CPU, memory) node kinds one GPU model may have */
#define TRACE_MAX_GPUS 65536 /* the most GPUs one job may have */
#define TRACE_MAX_CPU_MILLI 100000000 /* 100,000 cores: a node's or a job's most CPU */
#define TRACE_MAX_MEMORY_MIB 100000000 /* about 95 TiB: a node's or a job's most memory */
#define TRACE_MAX_NODE_GPUS 64 /* the most GPUs one node may have (a pool's gpus_per_node cap) */

typedef enum { TRACE_FGSIM, TRACE_ALIBABA } trace_format;

/* What to do with a bad row: stop there (the error names its line), or reject it, count
 * it, keep the first message and go on. A line longer than TRACE_LINE_MAX always stops:
 * nothing after it is read (an endless line would never end). */
enum { TRACE_STOP = 0, TRACE_SKIP_BAD = 1 };
/* Or'ed into on_bad: CPU-only pods (alibaba, num_gpu = 0) are jobs of 0 GPUs, not
 * skipped rows (they run on CPU and memory alone). */
enum { TRACE_CPU_PODS = 2 };

typedef struct trace_job {
	double submit;                   /* seconds from the trace's time 0 (alibaba: creation_time) */
	double duration;                 /* seconds of service, >= 0 (alibaba: deletion_time - scheduled_time) */
	double gpus;                     /* GPUs asked for: a fraction below 1, or a whole number */
	int gpus_milli;                  /* the same in thousandths, exact (alibaba: num_gpu x gpu_milli) */
	char class_name[TRACE_NAME_MAX]; /* fgsim: class; alibaba: qos */
	char tenant[TRACE_NAME_MAX];     /* fgsim: tenant, "" when the column is empty; alibaba: "" */
	char gpu_spec[TRACE_SPEC_MAX];   /* alibaba: GPU models allowed, '|'-separated; "" = any */
	int cpu_milli, memory_mib;       /* alibaba: CPU (thousandths of a core) and memory asked for; fgsim: 0 */
	long line;                       /* the row's line in the file (1 is the header) */
} trace_job;

/* Rows are the file's lines after the header, blank lines left out; every row is exactly
 * one of a job, a skipped row or a rejected (bad) row. */
typedef struct trace_stats {
	long rows, jobs, skipped, rejected;
	long skipped_no_gpu;      /* alibaba: num_gpu = 0 (CPU-only pods) */
	long skipped_unscheduled; /* alibaba: scheduled_time empty (never ran) */
	long cpu_pods;            /* alibaba with TRACE_CPU_PODS: jobs of num_gpu = 0 */
} trace_stats;

typedef struct trace trace;

/* Opens a job trace and reads up to its first job, so a missing file, a wrong header, an
 * empty trace (no bytes, only a header, or no row that is a job) and, when stopping at bad
 * rows, a bad row before the first job fail here. Returns NULL with "FILE:LINE: what" in
 * err (or "FILE: what" where no line applies). */
trace *trace_open(const char *path, trace_format fmt, int on_bad, char *err, size_t errlen);

/* The next job in submit order: 1 with *out set, 0 at the end, -1 on a bad row (when
 * stopping) or a read error, with "FILE:LINE: what" in err; after -1 every call returns
 * the same error. Rows must come in non-decreasing submit order: a row earlier than the
 * row before it is a bad row. */
int trace_next(trace *t, trace_job *out, char *err, size_t errlen);

/* Counts so far (after the last job: the whole file's). */
trace_stats trace_counts(const trace *t);

/* The message of the first rejected row ("FILE:LINE: what"), or "" when none was. */
const char *trace_first_rejection(const trace *t);

/* Back to the first job for the next replication: the file is opened again and read from
 * its start, the same jobs in the same order, the counts as they were after trace_open.
 * Returns 0, or -1 with the reason in err (not a regular file: a pipe cannot be read
 * twice; or, for a trace opened with trace_open_loaded, a change since the load). */
int trace_rewind(trace *t, char *err, size_t errlen);

/* What a trace was when the scenario loaded it: its size, modification time, device and
 * inode, and the FNV-1a hash of every byte as they were streamed then. */
typedef struct trace_fingerprint {
	int set;          /* 0: none taken (trace_open_loaded checks nothing) */
	int regular;      /* a regular file (else it cannot be replayed) */
	long long size, mtime_sec, mtime_nsec;
	unsigned long long dev, ino;
	uint64_t hash;
} trace_fingerprint;

/* After trace_next returned 0 (the whole file read): its fingerprint in *fp. Returns 0,
 * or -1 with "FILE: what" in err when t was not read to its end or the file changed while
 * it was read. */
int trace_fingerprint_of(trace *t, trace_fingerprint *fp, char *err, size_t errlen);

/* trace_open for a replay of a trace the scenario loaded, whose fingerprint is fp: the
 * file must still be what fp says, checked when it is opened (stat), at every rewind
 * (stat of the file opened again) and at the end of every pass (the bytes read and their
 * hash; a pass that stopped early is read on to the end by trace_finish). A difference,
 * or a row or open that fails where the load's did not, is an error "FILE: changed since
 * it was loaded (what); rerun" from here, trace_next, trace_finish or trace_rewind. */
trace *trace_open_loaded(const char *path, trace_format fmt, int on_bad, const trace_fingerprint *fp, char *err,
			 size_t errlen);

/* Ends the pass of a trace_open_loaded trace: reads what the pass left unread (unparsed)
 * and compares it with the fingerprint. Returns 0 (also without a fingerprint, or when the
 * pass already ended), or -1 with the message in err. */
int trace_finish(trace *t, char *err, size_t errlen);

/* Closes the file and frees t; trace_close(NULL) does nothing. */
void trace_close(trace *t);

/* "fgsim" / "alibaba" to the format: 0, or -1 for another name. */
int trace_format_parse(const char *name, trace_format *fmt);
const char *trace_format_name(trace_format fmt);

/* The expected header line of a format, for messages and documentation. */
const char *trace_header(trace_format fmt);

/* Node list (alibaba, sn,cpu_milli,memory_mib,gpu,model): one pool per GPU model, in the
 * order models first appear; nodes of one model may differ in size. */
typedef struct trace_node_size {
	int gpus, nodes; /* `nodes` nodes of `gpus` GPUs each */
} trace_node_size;

/* Nodes alike in GPUs, CPU (thousandths of a core) and memory (MiB). */
typedef struct trace_node_res {
	int gpus, nodes, cpu_milli, memory_mib;
} trace_node_res;

typedef struct trace_pool {
	char model[TRACE_NAME_MAX];
	int nodes, gpus_total;
	int nsizes;
	trace_node_size size[TRACE_POOL_SIZES]; /* distinct sizes, the most GPUs first */
	/* the kinds in node order: the most GPUs first, then as they first appear, so that
	 * a size's kinds follow each other and split size[] */
	int nres;
	trace_node_res res[TRACE_POOL_RES];
} trace_pool;

typedef struct trace_node_stats {
	long rows, nodes, cpu_only; /* cpu_only: rows with gpu = 0, skipped (no pool) */
	long last_line;             /* the line the reader stopped at */
} trace_node_stats;

/* One valid row of a node list, as trace_each_node hands it on: model is "" for a
 * CPU-only node (gpu 0), whose model is not looked at. */
typedef struct trace_node_row {
	const char *sn, *model;
	int gpus, cpu_milli, memory_mib;
} trace_node_row;
/* What a reader does with a row: 0, or non-zero with what is wrong in msg (reported as
 * FILE:LINE: msg). */
typedef int (*trace_node_fn)(void *ctx, const trace_node_row *row, char *msg, size_t len);

/* THE node-list reader: the header, then every row checked (fields, numbers, limits, a
 * GPU node's model) and handed to fn in file order; both trace_read_nodes (a run's pools)
 * and gs_read_nodes (the fill experiment's nodes) read through it. Returns 0, or -1 with
 * "FILE:LINE: what" in err at the first bad row or the first row fn refuses. stats (rows,
 * GPU nodes and CPU-only nodes fn took) may be NULL. */
int trace_each_node(const char *path, trace_node_fn fn, void *ctx, trace_node_stats *stats,
		    char *err, size_t errlen);

/* Reads a node list into pools[0..*npools). Every row must be valid (a cluster with a
 * node missing is not the cluster asked for). Returns 0, or -1 with "FILE:LINE: what" in
 * err on a bad row, more than max_pools models, more than TRACE_POOL_SIZES sizes in one
 * model, or no GPU node at all. stats may be NULL. */
int trace_read_nodes(const char *path, trace_pool *pools, int max_pools, int *npools, trace_node_stats *stats,
		     char *err, size_t errlen);
#endif
