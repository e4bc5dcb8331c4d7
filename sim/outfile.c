/* outfile.c - temp file, fsync, rename. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "signals.h"

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
	/* O_EXCL | O_NOFOLLOW: a link planted under the temporary name is never followed;
	 * one left by a killed process of the same PID is replaced (unlink does not follow). */
	int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST && unlink(o->tmp) == 0)
		fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd >= 0 && !(o->f = fdopen(fd, "w"))) {
		int saved = errno;
		close(fd);
		unlink(o->tmp);
		errno = saved;
	}
	if (!o->f)
		o->tmp[0] = '\0';
	return o->f ? 0 : -1;
}

int outfile_finish(outfile *o)
{
	FG_ASSERT(o->f && o->tmp[0]); /* opened, not yet finished */
	/* errno from before would otherwise stand in for a failure that left none. */
	errno = 0;
	int bad = fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0;
	int saved = bad ? errno : 0;
	if (fclose(o->f) != 0 && !bad) {
		bad = 1;
		saved = errno;
	}
	o->f = NULL;
	if (!bad) {
		outfile_killpoint();
		return 0;
	}
	unlink(o->tmp);
	o->tmp[0] = '\0';
	errno = saved ? saved : EIO;
	return -1;
}

int outfile_publish(outfile *o)
{
	FG_ASSERT(!o->f && o->tmp[0]); /* finished: written and closed, not yet renamed */
	if (rename(o->tmp, o->path) == 0) {
		o->tmp[0] = '\0';
		outfile_killpoint();
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
	errno = 0;
	if (fflush(from) || ferror(from)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	rewind(from);
	while ((n = fread(buf, 1, sizeof buf, from)) > 0) {
		if (signals_pending()) {
			errno = EINTR;
			return -1;
		}
		if (fwrite(buf, 1, n, o->f) != n)
			return -1;
	}
	if (ferror(from)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}

static char scratch_dir[4096];

void outfile_set_scratch_dir(const char *dir)
{
	snprintf(scratch_dir, sizeof scratch_dir, "%s", dir ? dir : "");
}

FILE *outfile_scratch(void)
{
	const char *dir = scratch_dir[0] ? scratch_dir : ".";
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
		/* No O_TMPFILE here: a named file, unlinked at once. */
		char path[4200];
		snprintf(path, sizeof path, "%s/.fgsim-scratch.XXXXXX", dir);
		if ((fd = mkostemp(path, O_CLOEXEC)) >= 0)
			unlink(path);
	}
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w+");
	if (!f)
		close(fd);
	return f;
}

int outfile_copy(const char *from, const char *to)
{
	char buf[1 << 16];
	ssize_t n = 0;
	int in = open(from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int out = in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	int rc = in < 0 || out < 0 ? -1 : 0;
	while (!rc && (n = read(in, buf, sizeof buf)) > 0)
		for (ssize_t done = 0, w; !rc && done < n; done += w)
			if ((w = write(out, buf + done, (size_t)(n - done))) < 0)
				rc = -1;
	if (!rc && (n < 0 || fsync(out)))
		rc = -1;
	int saved = errno;
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) && !rc) {
		rc = -1;
		saved = errno;
	}
	if (rc && out >= 0)
		unlink(to);
	errno = saved;
	return rc;
}

#ifdef FGSIM_KILL_POINTS
void outfile_killpoint(void)
{
	static long left = -1;
	static int sig = SIGKILL;
	if (left < 0) {
		const char *s = getenv("FGSIM_KILL_AT"), *g = getenv("FGSIM_KILL_SIGNAL");
		left = s ? atol(s) : 0;
		sig = g ? atoi(g) : SIGKILL;
	}
	if (left > 0 && --left == 0)
		kill(getpid(), sig); /* the whole process, as a signal from outside would be */
}
#endif
