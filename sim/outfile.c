/* outfile.c - temp file, fsync, rename.
 *
 * Why this dance: a results file is either the old one or the complete new one, never
 * half-written, whatever stops the program (a signal, a full disk, a crash). The data
 * goes to a hidden temporary beside the target (same folder, so rename is atomic on
 * the same file system), is fsynced before the rename (else a crash after it could
 * leave the new name on an empty file), and a failure at any step unlinks the
 * temporary. */
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

/* mkdir -p. Returns 0, or -1 with errno set (ENOTDIR when the path exists as a file);
 * folders made before a failure stay, empty, as mkdir -p leaves them. */
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

/* Opens dir/.name.tmp.PID for writing. The PID in the name keeps two fgsim processes
 * writing to one folder off each other's temporaries (the results folder's lock keeps
 * them off the targets). Returns 0, or -1 with errno set and nothing left on disk. */
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

/* Flushes, fsyncs and closes the temporary. Returns 0 (ready to publish), or -1 with
 * errno set and the temporary unlinked: a short write surfaces here, not silently. */
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

/* Renames the finished temporary onto its target. Returns 0, or -1 with errno set,
 * the temporary unlinked and the old target (if any) untouched. Separate from finish
 * so that a folder's files can all be finished before any is renamed. */
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

/* Copies scratch file `from` into o from its start. Returns 0, or -1 with errno set
 * (EINTR when a signal came: a long copy must not delay the unwinding); o is then to
 * be aborted by the caller. */
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

/* An anonymous file for the rows one task writes, joined in task order afterwards
 * (jobs.csv can be far larger than memory). O_TMPFILE leaves no name to clean up even after
 * SIGKILL; the fallback unlinks the name at once for the same reason. Returns NULL
 * with errno set on failure. */
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

/* Copies file `from` to a new file `to` (never over an existing one: O_EXCL), fsynced.
 * Returns 0, or -1 with errno set and `to` removed if it was created. O_NOFOLLOW on
 * both: a link planted in a results folder is neither read through nor written. */
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
