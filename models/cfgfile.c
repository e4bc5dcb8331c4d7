/* cfgfile.c - libconfig reading with FILE:LINE errors. */
#include "cfgfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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
