/* cfgfile.c - libconfig reading with FILE:LINE errors. */
#include "cfgfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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
	int ok = config_read(cfg, f);
	fclose(f);
	if (!ok) {
		snprintf(err, errlen, "%s:%d: %s", path, config_error_line(cfg), config_error_text(cfg));
		config_destroy(cfg);
		return 2;
	}
	return 0;
}

int cfgfile_fail(const cfgfile_reader *R, const config_setting_t *s, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	int line = s ? (int)config_setting_source_line(s) : 0;
	if (line > 0)
		snprintf(R->err, R->errlen, "%s:%d: %s", R->path, line, msg);
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
		const char *near = names_suggest(name, keys);
		return near ? cfgfile_fail(R, s, "unknown key \"%s\" (did you mean \"%s\"?)", name, near)
			    : cfgfile_fail(R, s, "unknown key \"%s\"", name);
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
