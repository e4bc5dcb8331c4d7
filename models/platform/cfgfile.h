/* cfgfile.h - reading a libconfig file the way every fgsim input is read: errors as
 * "PATH: cannot read: why" or "PATH:LINE: what", and never a crash on odd input. */
#ifndef FGSIM_CFGFILE_H
#define FGSIM_CFGFILE_H
#include <libconfig.h>
#include <stddef.h>

/* Initialises cfg and reads path into it. Returns 0, or 2 with the message in err and
 * cfg destroyed. A folder is refused before libconfig sees it: its scanner would end
 * the process ("input in flex scanner failed"). */
int cfgfile_read(config_t *cfg, const char *path, char *err, size_t errlen);

/* The file to name for setting s of the file read from `top`: top itself, or the file
 * that an @include brought in, which libconfig records by the name the include gave,
 * relative to top's folder. Returns top or buf. */
const char *cfgfile_source(const config_setting_t *s, const char *top, char *buf, size_t len);

/* Where a reader's errors go: the file's name and the caller's message buffer. */
typedef struct cfgfile_reader {
	const char *path;
	char *err;
	size_t errlen;
} cfgfile_reader;

/* Writes "PATH:LINE: message" (the line of s, or "PATH: message" without one) into
 * R->err and returns 2, the status of bad input. */
int cfgfile_fail(const cfgfile_reader *R, const config_setting_t *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* How a message names setting s, in buf: "nodes" (quoted), or element 3 of
 * "daily_profile" for an element of a list, which has no name of its own. Returns buf. */
const char *cfgfile_label(const config_setting_t *s, char *buf, size_t len);
/* Every member of group g must be named in keys (NULL-ended); an unknown one is an
 * error with a "did you mean" for a near miss. Returns 0 or 2. */
int cfgfile_check_keys(const cfgfile_reader *R, const config_setting_t *g, const char *const *keys);
/* The string member key of g copied into out[len]; absent leaves out as it is, or is an
 * error when required. Returns 0 or 2. */
int cfgfile_string(const cfgfile_reader *R, const config_setting_t *g, const char *key, char *out, size_t len,
		   int required);
/* Copies setting `from` (a scalar, group, list or array, deeply) into a new member of
 * parent: `name` for a group's member, NULL for a list's or array's element. Returns the
 * copy, or NULL when libconfig refuses it (parent then holds what was copied so far). */
config_setting_t *cfgfile_copy(config_setting_t *parent, const char *name, const config_setting_t *from);
#endif
