/* cfgfile.c - libconfig reading with FILE:LINE errors. */
#include "cfgfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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
