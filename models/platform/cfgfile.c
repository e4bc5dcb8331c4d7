/* cfgfile.c - libconfig reading with FILE:LINE errors. */
#include "cfgfile.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "names.h"

/* libconfig 1.5 leaks a string token (from its lexer or strbuf_append) when a syntax
 * error follows it, e.g. `v = 1 "a";`, `x"" = 1;` or `--set 'k=1"a'`: its grammar has no
 * destructor for discarded tokens, and the pointer never reaches us. The process exits with status 2
 * right after, so the leak is harmless; this tells LeakSanitizer so, in sanitizer builds
 * only (found by tests/fuzz/fuzz_scenario and fuzz_override). */
#if defined(__SANITIZE_ADDRESS__)
#define CFG_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CFG_ASAN 1
#endif
#endif
#ifdef CFG_ASAN
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\nleak:libconfig_yylex\n";
}
#endif

/* ---- @include --------------------------------------------------------------------- */

/* libconfig 1.5 (Debian bookworm's; config_set_include_func came in 1.7) opens
 * `@include "F"` as F against the current folder, so a scenario run from elsewhere
 * could not find its sibling file, or read another one of that name. With an include
 * folder it opens DIR "/" F for every F, the absolute ones and those in a nested file
 * of another folder included. So cfgfile_read sets DIR to the file's own folder, and
 * first walks the includes the way libconfig's scanner finds them (a line that starts
 * with @include, outside comments), refusing the two it would read from the wrong place. */
#define INCLUDE_DEPTH 10 /* libconfig's MAX_INCLUDE_DEPTH; past it libconfig says so */

/* An included file's name as libconfig keeps it (relative to top's folder), made a path. */
static const char *join_top(const char *top, const char *name, char *buf, size_t len)
{
	const char *slash = strrchr(top, '/');
	if (name[0] == '/' || !slash)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%.*s/%s", (int)(slash - top), top, name);
	return buf;
}

static int check_includes(const char *path, const char *dir, const char *dir_real, int depth, char *err,
			  size_t errlen);

/* One include, `name` at path:line: refused when libconfig would read it from another
 * place than the including file's folder; else its own includes are checked. */
static int check_include(const char *path, int line, const char *name, const char *dir, const char *dir_real,
			 int depth, char *err, size_t errlen)
{
	if (name[0] == '/') {
		snprintf(err, errlen,
			 "%s:%d: @include \"%s\": an included file is named relative to the folder of the file that "
			 "includes it, not by an absolute path",
			 path, line, name);
		return 2;
	}
	if (depth > 0) {
		/* A nested include is opened from the top file's folder: fine only when the file
		 * that holds it lies in that folder too. */
		char *copy = strdup(path), *here = copy ? realpath(dirname(copy), NULL) : NULL;
		int same = here && !strcmp(here, dir_real);
		free(here);
		free(copy);
		if (!same) {
			snprintf(err, errlen,
				 "%s:%d: @include \"%s\" in a file outside the folder of the file first read: libconfig 1.5 "
				 "would read it from %s, not beside this file; include it from that first file instead",
				 path, line, name, dir);
			return 2;
		}
	}
	size_t n = strlen(dir) + strlen(name) + 2;
	char *full = malloc(n);
	if (!full)
		return 0;
	snprintf(full, n, "%s/%s", dir, name);
	/* libconfig's own word for it is "cannot open include file", without the file. */
	struct stat st;
	int rc = 0;
	int e = access(full, R_OK) || stat(full, &st) ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
	if (e) {
		snprintf(err, errlen, "%s:%d: @include \"%s\": cannot read %s: %s", path, line, name, full, strerror(e));
		rc = 2;
	} else if (depth + 1 < INCLUDE_DEPTH) {
		rc = check_includes(full, dir, dir_real, depth + 1, err, errlen);
	}
	free(full);
	return rc;
}

/* Checks the includes of the file at path (an unreadable one is left to libconfig). */
static int check_includes(const char *path, const char *dir, const char *dir_real, int depth, char *err,
			  size_t errlen)
{
	char *text = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "r");
	struct stat st;
	if (!f || fstat(fileno(f), &st) || S_ISDIR(st.st_mode) || getdelim(&text, &cap, '\0', f) < 0) {
		if (f)
			fclose(f);
		free(text);
		return 0;
	}
	fclose(f);
	int line = 1, bol = 1, rc = 0;
	for (const char *p = text; *p && !rc;) {
		if (*p == '\n') {
			line++, bol = 1, p++;
		} else if (bol && (*p == ' ' || *p == '\t')) {
			p++;
		} else if (bol && !strncmp(p, "@include", 8) && (p[8] == ' ' || p[8] == '\t')) {
			for (p += 8; *p == ' ' || *p == '\t'; p++)
				;
			if (*p++ != '"')
				break; /* libconfig reports the syntax error */
			char name[4096];
			size_t k = 0;
			for (; *p && *p != '"' && *p != '\n'; p++) {
				if (*p == '\\' && p[1])
					p++;
				if (k + 1 < sizeof name)
					name[k++] = *p;
			}
			name[k] = 0;
			rc = check_include(path, line, name, dir, dir_real, depth, err, errlen);
			bol = 0;
		} else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
				line += *p == '\n';
			p += *p ? 2 : 0;
			bol = 0;
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				line += *p == '\n';
			}
			p += *p ? 1 : 0;
			bol = 0;
		} else {
			bol = 0, p++;
		}
	}
	free(text);
	return rc;
}

int cfgfile_read(config_t *cfg, const char *path, char *err, size_t errlen)
{
	config_init(cfg);
	FILE *f = fopen(path, "r");
	struct stat st;
	if (f && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		f = NULL;
		errno = EISDIR;
	}
	if (!f) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		config_destroy(cfg);
		return 2;
	}
	char *copy = strdup(path), *dir = copy ? dirname(copy) : NULL, *dir_real = dir ? realpath(dir, NULL) : NULL;
	int rc = dir_real ? check_includes(path, dir, dir_real, 0, err, errlen) : 0;
	if (!rc && dir)
		config_set_include_dir(cfg, dir); /* libconfig keeps a copy */
	int ok = !rc && config_read(cfg, f);
	fclose(f);
	free(dir_real);
	if (!rc && !ok) {
		/* An error in an included file is placed in that file. */
		char file[4096];
		const char *where = config_error_file(cfg) ? join_top(path, config_error_file(cfg), file, sizeof file) : path;
		snprintf(err, errlen, "%s:%d: %s", where, config_error_line(cfg), config_error_text(cfg));
		rc = 2;
	}
	free(copy);
	if (rc)
		config_destroy(cfg);
	return rc;
}

const char *cfgfile_source(const config_setting_t *s, const char *top, char *buf, size_t len)
{
	const char *file = s ? config_setting_source_file(s) : NULL;
	return file ? join_top(top, file, buf, len) : top;
}

int cfgfile_fail(const cfgfile_reader *R, const config_setting_t *s, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	int line = s ? (int)config_setting_source_line(s) : 0;
	char file[4096];
	if (line > 0)
		snprintf(R->err, R->errlen, "%s:%d: %s", cfgfile_source(s, R->path, file, sizeof file), line, msg);
	else
		snprintf(R->err, R->errlen, "%s: %s", R->path, msg);
	return 2;
}

/* A list's element has a NULL name: printed with %s it gave "(null)" must be finite. */
const char *cfgfile_label(const config_setting_t *s, char *buf, size_t len)
{
	const char *name = config_setting_name(s);
	const config_setting_t *parent = config_setting_parent(s);
	const char *pname = parent ? config_setting_name(parent) : NULL;
	if (name)
		snprintf(buf, len, "\"%s\"", name);
	else if (pname)
		snprintf(buf, len, "element %d of \"%s\"", config_setting_index(s), pname);
	else
		snprintf(buf, len, "element %d of a list", config_setting_index(s));
	return buf;
}

int cfgfile_check_keys(const cfgfile_reader *R, const config_setting_t *g, const char *const *keys)
{
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		int ok = 0;
		for (const char *const *k = keys; *k && !ok; k++)
			ok = !strcmp(*k, name);
		if (ok)
			continue;
		char hint[NAMES_HINT_MAX];
		return cfgfile_fail(R, s, "unknown key \"%s\"%s", name,
				    names_hint(name, keys, hint, sizeof hint));
	}
	return 0;
}

int cfgfile_string(const cfgfile_reader *R, const config_setting_t *g, const char *key, char *out, size_t len,
		   int required)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	if (!s)
		return required ? cfgfile_fail(R, g, "missing key \"%s\"", key) : 0;
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return cfgfile_fail(R, s, "\"%s\" must be a string", key);
	const char *v = config_setting_get_string(s);
	if (strlen(v) >= len)
		return cfgfile_fail(R, s, "\"%s\" is too long (at most %zu characters)", key, len - 1);
	strcpy(out, v);
	return 0;
}

config_setting_t *cfgfile_copy(config_setting_t *parent, const char *name, const config_setting_t *from)
{
	int type = config_setting_type(from);
	/* a group's members have names, a list's or array's elements none */
	FG_ASSERT(parent && from && (name != NULL) == (config_setting_is_group(parent) != 0));
	config_setting_t *to = config_setting_add(parent, name, type);
	if (!to)
		return NULL;
	switch (type) {
	case CONFIG_TYPE_INT: config_setting_set_int(to, config_setting_get_int(from)); break;
	case CONFIG_TYPE_INT64: config_setting_set_int64(to, config_setting_get_int64(from)); break;
	case CONFIG_TYPE_FLOAT: config_setting_set_float(to, config_setting_get_float(from)); break;
	case CONFIG_TYPE_BOOL: config_setting_set_bool(to, config_setting_get_bool(from)); break;
	case CONFIG_TYPE_STRING: config_setting_set_string(to, config_setting_get_string(from)); break;
	default:
		for (int i = 0; i < config_setting_length(from); i++) {
			const config_setting_t *e = config_setting_get_elem(from, (unsigned)i);
			if (!cfgfile_copy(to, config_setting_name(e), e))
				return NULL;
		}
	}
	return to;
}
