/* outfile.c - temp file, fsync, rename. */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outfile_mkdirs(const char *dir)
{
	char buf[4096];
	if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			if (mkdir(buf, 0777) && errno != EEXIST)
				return -1;
			*p = '/';
		}
	if (mkdir(buf, 0777) && errno != EEXIST)
		return -1;
	struct stat st;
	if (stat(buf, &st))
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

int outfile_open(outfile *o, const char *dir, const char *name)
{
	o->f = NULL;
	o->tmp[0] = '\0';
	if (snprintf(o->path, sizeof o->path, "%s/%s", dir, name) >= (int)sizeof o->path ||
	    snprintf(o->tmp, sizeof o->tmp, "%s/.%s.tmp.%ld", dir, name, (long)getpid()) >= (int)sizeof o->tmp) {
		o->tmp[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	o->f = fopen(o->tmp, "w");
	if (!o->f)
		o->tmp[0] = '\0';
	return o->f ? 0 : -1;
}

int outfile_finish(outfile *o)
{
	/* errno from before would otherwise stand in for a failure that left none. */
	errno = 0;
	int bad = fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0;
	int saved = bad ? errno : 0;
	if (fclose(o->f) != 0 && !bad) {
		bad = 1;
		saved = errno;
	}
	o->f = NULL;
	if (!bad)
		return 0;
	unlink(o->tmp);
	o->tmp[0] = '\0';
	errno = saved ? saved : EIO;
	return -1;
}

int outfile_publish(outfile *o)
{
	if (rename(o->tmp, o->path) == 0) {
		o->tmp[0] = '\0';
		return 0;
	}
	int saved = errno;
	unlink(o->tmp);
	o->tmp[0] = '\0';
	errno = saved;
	return -1;
}

int outfile_commit(outfile *o)
{
	return outfile_finish(o) ? -1 : outfile_publish(o);
}

void outfile_abort(outfile *o)
{
	if (o->f) {
		fclose(o->f);
		o->f = NULL;
	}
	if (o->tmp[0]) {
		unlink(o->tmp);
		o->tmp[0] = '\0';
	}
}

int outfile_append(outfile *o, FILE *from)
{
	char buf[1 << 16];
	size_t n;
	rewind(from);
	while ((n = fread(buf, 1, sizeof buf, from)) > 0)
		if (fwrite(buf, 1, n, o->f) != n)
			return -1;
	return ferror(from) ? -1 : 0;
}
