/* outdir.c - staging folder, lock, swap. Every file system call that can fail is
 * checked; each failure leaves DIR as it was. */
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "signals.h"

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) && errno != ENOENT ? -1 : 0;
}

int outdir_remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	/* Twice: a child of a killed run (gnuplot, until its death signal lands) may still
	 * add a file while the first pass runs. */
	return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) && nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS)
		       ? -1
		       : 0;
}

/* The watchdog's clean-up when the program is stuck (after a signal, or in a plugin
 * call): it moves the staging folder out of the way in one rename, which either happens
 * before the swap (which then fails: DIR stays old) or after it (the name then holds the
 * old folder). It removes nothing itself: removing a tree takes memory (opendir), and
 * the stuck thread may hold the allocator's lock; the next command removes the trash.
 * One staging folder per process at a time, so the paths are kept here. */
static char abort_from[PATH_MAX], abort_to[PATH_MAX];

static void abort_stage(void)
{
	rename(abort_from, abort_to);
}

/* Splits path into parent folder and last name. Returns 0 or -1 (no name: "/", "."). */
static int split(const char *path, char *parent, size_t plen, char *name, size_t nlen)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return -1;
	if (!slash)
		snprintf(parent, plen, ".");
	else if (slash == path)
		snprintf(parent, plen, "/");
	else
		snprintf(parent, plen, "%.*s", (int)(slash - path), path);
	snprintf(name, nlen, "%s", base);
	return 0;
}

#define MARKER_TEXT "fgsim results folder: the next fgsim command writing here replaces it as a whole\n"

/* Whether dir/name is a regular file of this user's (not a link, not planted by another
 * user in a shared folder) whose text opens with head. */
static int own_file_opens_with(const char *dir, const char *name, const char *head)
{
	char path[PATH_MAX], buf[128] = "";
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	ssize_t n = fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ? -1 : read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n > 0)
		buf[n] = 0;
	return n > 0 && !strncmp(buf, head, strlen(head));
}

/* Whether an existing folder may be replaced: empty, fgsim's marker in it (a regular
 * file of this user's with the marker's text), or written by an fgsim from before the
 * marker (its run.json, of this user's, opens with fgsim_version). Returns 1, 0, or -1
 * with errno set. */
static int replaceable(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *e;
	int empty = 1;
	while ((e = readdir(d)))
		empty &= !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	return empty || own_file_opens_with(dir, OUTDIR_MARKER, MARKER_TEXT) ||
	       own_file_opens_with(dir, "run.json", "{\n  \"fgsim_version\"");
}

/* Links (or, where the file system refuses a link, copies) the tree at src to dst,
 * never following a symbolic link: a link is recreated as a link. Entries named in skip
 * (NULL-terminated) at the top level are left out. Returns 0 or -1 with errno set. */
static int carry_tree(const char *src, const char *dst, const char *const *skip)
{
	DIR *d = opendir(src);
	if (!d)
		return -1;
	struct dirent *e;
	int rc = 0;
	while (!rc && (e = readdir(d))) {
		char from[PATH_MAX], to[PATH_MAX];
		struct stat st;
		int skipped = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, OUTDIR_MARKER);
		for (int i = 0; skip && skip[i] && !skipped; i++)
			skipped = !strcmp(e->d_name, skip[i]);
		if (skipped)
			continue;
		if (snprintf(from, sizeof from, "%s/%s", src, e->d_name) >= (int)sizeof from ||
		    snprintf(to, sizeof to, "%s/%s", dst, e->d_name) >= (int)sizeof to) {
			errno = ENAMETOOLONG;
			rc = -1;
		} else if (lstat(from, &st)) {
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) { /* with its own mode: a private folder stays private */
			rc = (mkdir(to, 0700) && errno != EEXIST) || carry_tree(from, to, NULL) ||
					     chmod(to, st.st_mode & 07777)
				     ? -1
				     : 0;
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlink(from, target, sizeof target - 1);
			if (n >= 0)
				target[n] = 0;
			rc = n < 0 || symlink(target, to) ? -1 : 0;
		} else if (S_ISREG(st.st_mode)) {
			rc = link(from, to) && outfile_copy(from, to) ? -1 : 0;
		} else { /* a device, socket or fifo: not fgsim's, and not to be dropped silently */
			errno = EINVAL;
			rc = -1;
		}
	}
	int saved = errno;
	closedir(d);
	errno = saved;
	return rc;
}

/* The process's umask, read without changing it for good. */
static mode_t outdir_umask(void)
{
	mode_t m = umask(022);
	umask(m);
	return m;
}

static int fsync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

static int sync_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? fsync_path(path) : 0;
}

/* Removes what killed commands left beside DIR: their staging folders, old folders and
 * trash; we hold the lock, so no live command owns any of it. A swap cut between its two
 * renames (where RENAME_EXCHANGE is not supported) left DIR missing and the old folder
 * aside: that one is put back. What another user left (or planted) is not ours to
 * remove, and is left alone. */
static int clean_leftovers(const char *parent, const char *name, const char *real)
{
	static const char *const kind[3] = {"new", "old", "trash"};
	char prefix[3][NAME_MAX + 24], path[PATH_MAX];
	struct stat st;
	for (int k = 0; k < 3; k++)
		snprintf(prefix[k], sizeof prefix[k], ".%s.fgsim-%s.", name, kind[k]);
	DIR *d = opendir(parent);
	if (!d)
		return -1;
	struct dirent *e;
	int rc = 0, have = lstat(real, &st) == 0;
	while ((e = readdir(d))) {
		int k = 0;
		while (k < 3 && strncmp(e->d_name, prefix[k], strlen(prefix[k])))
			k++;
		const char *pid = k < 3 ? e->d_name + strlen(prefix[k]) : "";
		if (!*pid || pid[strspn(pid, "0123456789")])
			continue;
		snprintf(path, sizeof path, "%s/%s", parent, e->d_name);
		if (lstat(path, &st) || st.st_uid != geteuid())
			continue;
		if (k == 1 && !have && rename(path, real) == 0) {
			have = 1;
			continue;
		}
		if (outdir_remove_tree(path))
			rc = -1;
	}
	closedir(d);
	return rc;
}

/* The first existing path at or above dir must be a writable folder. Returns 0, or -1
 * with the message in err. */
static int reachable(const char *dir, char *err, size_t errlen)
{
	char buf[PATH_MAX];
	struct stat st;
	snprintf(buf, sizeof buf, "%s", dir);
	while (stat(buf, &st) != 0) {
		char *slash = strrchr(buf, '/');
		if (!slash)
			snprintf(buf, sizeof buf, ".");
		else if (slash == buf)
			buf[1] = 0;
		else
			*slash = 0;
	}
	if (!S_ISDIR(st.st_mode))
		snprintf(err, errlen, "%.500s: cannot create the output folder: %.400s is not a folder", dir, buf);
	else if (access(buf, W_OK | X_OK) != 0)
		snprintf(err, errlen, "%.500s: output folder is not writable (%.400s)", dir, buf);
	else
		return 0;
	return -1;
}

/* outdir_begin's status for a failure with errno: the disk (1) or the place (2). */
static int failure(void)
{
	return errno == ENOSPC || errno == EDQUOT || errno == EIO || errno == ENOMEM ? 1 : 2;
}

/* Why dir may not be replaced, into err: refused (2), or -1 on a read error (1). */
static int refuse(const char *dir, int ok, char *err, size_t errlen)
{
	if (ok < 0)
		snprintf(err, errlen, "%s: cannot read: %s", dir, strerror(errno));
	else
		snprintf(err, errlen, "%s: not empty and not an fgsim results folder (no %s of yours in it): refusing "
				      "to replace it; choose another folder with -o",
			 dir, OUTDIR_MARKER);
	return ok < 0 ? 1 : 2;
}

int outdir_begin(outdir *o, const char *dir, int carry, char *err, size_t errlen)
{
	char parent[PATH_MAX], name[NAME_MAX + 1], path[PATH_MAX];
	struct stat st, pst;
	memset(o, 0, sizeof *o);
	o->lockfd = -1;
	snprintf(o->dir, sizeof o->dir, "%s", dir);
	snprintf(o->real, sizeof o->real, "%s", dir);
	for (size_t n = strlen(o->real); n > 1 && o->real[n - 1] == '/'; n--)
		o->real[n - 1] = 0;
	int exists = lstat(o->real, &st) == 0;
	if (exists && S_ISLNK(st.st_mode)) { /* results -> /big/disk/results: replace the folder it names */
		if (!realpath(o->real, path) || stat(path, &st)) {
			snprintf(err, errlen, "%s: cannot follow the link: %s", dir, strerror(errno));
			return 2;
		}
		snprintf(o->real, sizeof o->real, "%s", path);
	}
	if (exists && !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a folder", dir);
		return 2;
	}
	/* "." and "x/..": the folder they name (fgsim plot . in a results folder) */
	if (split(o->real, parent, sizeof parent, name, sizeof name) && exists && realpath(o->real, path))
		snprintf(o->real, sizeof o->real, "%s", path);
	if (split(o->real, parent, sizeof parent, name, sizeof name)) {
		snprintf(err, errlen, "%s: name the results folder itself (fgsim replaces it as a whole)", dir);
		return 2;
	}
	if (exists && stat(parent, &pst) == 0 && pst.st_dev != st.st_dev) {
		snprintf(err, errlen, "%s: a mount point, which fgsim cannot replace as a whole: name a folder inside it",
			 dir);
		return 2;
	}
	/* Said before the lock is created (checked again under it). */
	int ok = exists ? replaceable(o->real) : 1;
	if (ok <= 0)
		return refuse(dir, ok, err, errlen);
	if (reachable(parent, err, errlen))
		return 2;
	if (outfile_mkdirs(parent)) {
		snprintf(err, errlen, "%s: cannot create the output folder: %s", dir, strerror(errno));
		return failure();
	}
	snprintf(o->lock, sizeof o->lock, "%s/.%s.fgsim-lock", parent, name);
	o->lockfd = open(o->lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (o->lockfd < 0) {
		snprintf(err, errlen, "%s: cannot create the lock %s: %s", dir, o->lock, strerror(errno));
		return failure();
	}
	if (flock(o->lockfd, LOCK_EX | LOCK_NB)) {
		int busy = errno == EWOULDBLOCK;
		snprintf(err, errlen, busy ? "%s: another fgsim command is writing this folder (it holds %s): wait for it "
					     "to finish or choose another folder with -o"
					   : "%s: cannot lock %s: %s",
			 dir, o->lock, strerror(errno));
		outdir_abort(o);
		return busy ? 2 : 1;
	}
	if (clean_leftovers(parent, name, o->real)) {
		snprintf(err, errlen, "%s: cannot remove what an interrupted run left beside it: %s", dir, strerror(errno));
		outdir_abort(o);
		return 1;
	}
	o->existed = lstat(o->real, &st) == 0;
	ok = !o->existed ? 1 : S_ISDIR(st.st_mode) ? replaceable(o->real) : 0;
	if (ok <= 0) {
		int rc = refuse(dir, ok, err, errlen);
		outdir_abort(o);
		return rc;
	}
	o->was = st;
	snprintf(o->stage, sizeof o->stage, "%s/.%s.fgsim-new.%ld", parent, name, (long)getpid());
	if (mkdir(o->stage, 0700)) {
		snprintf(err, errlen, "%s: cannot create %s: %s", dir, o->stage, strerror(errno));
		int rc = failure();
		o->stage[0] = 0;
		outdir_abort(o);
		return rc;
	}
	o->staged = 1;
	snprintf(abort_from, sizeof abort_from, "%s", o->stage);
	snprintf(abort_to, sizeof abort_to, "%s/.%s.fgsim-trash.%ld", parent, name, (long)getpid());
	signals_on_abort(abort_stage);
	outfile_set_scratch_dir(o->stage);
	static const char *const redrawn[] = {"plots", "report.html", NULL};
	outfile m;
	if (outfile_open(&m, o->stage, OUTDIR_MARKER) || fputs(MARKER_TEXT, m.f) < 0 || outfile_commit(&m) ||
	    (carry && o->existed && carry_tree(o->real, o->stage, redrawn))) {
		snprintf(err, errlen, "%s: cannot prepare the new results: %s", dir, strerror(errno));
		int rc = failure();
		outfile_abort(&m);
		outdir_abort(o);
		return rc;
	}
	outfile_killpoint();
	return 0;
}

/* Whether path is a folder (not a link) of this user's that no one else may write in:
 * points saved in it are reused as results. */
static int own_folder(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & 022);
}

int outdir_points_begin(outdir *o, char *err, size_t errlen)
{
	char parent[PATH_MAX], name[NAME_MAX + 1], sub[PATH_MAX], old[PATH_MAX];
	struct stat st;
	split(o->real, parent, sizeof parent, name, sizeof name);
	snprintf(o->points, sizeof o->points, "%s/.%s.fgsim-points", parent, name);
	snprintf(sub, sizeof sub, "%s/points", o->points);
	snprintf(old, sizeof old, "%s/points", o->real);
	int made = !(mkdir(o->points, 0700) && errno != EEXIST), own = made && own_folder(o->points);
	if (own) {
		made = !(mkdir(sub, 0700) && errno != EEXIST);
		own = made && own_folder(sub);
	}
	if (!own) {
		snprintf(err, errlen, "%s: %s", o->points,
			 !made ? strerror(errno)
			       : "not a folder of this user's only (another user may write in it): refusing to reuse "
				 "the sweep points in it; remove it to run them again");
		o->points[0] = 0;
		return -1;
	}
	/* The points of the sweep DIR holds now: kept beside it (link() refuses a name
	 * already there, which then holds the same point, saved since). */
	DIR *d = opendir(old);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char from[PATH_MAX], to[PATH_MAX];
		if (e->d_name[0] == '.')
			continue;
		snprintf(from, sizeof from, "%s/%s", old, e->d_name);
		snprintf(to, sizeof to, "%s/%s", sub, e->d_name);
		if (lstat(from, &st) == 0 && S_ISREG(st.st_mode) && link(from, to) && errno != EEXIST &&
		    outfile_copy(from, to)) {
			snprintf(err, errlen, "%s: cannot keep it for the new sweep: %s", from, strerror(errno));
			closedir(d);
			return -1;
		}
	}
	if (d)
		closedir(d);
	return 0;
}

int outdir_points_carry(outdir *o, char *err, size_t errlen)
{
	char from[PATH_MAX], to[PATH_MAX];
	snprintf(from, sizeof from, "%s/points", o->points);
	snprintf(to, sizeof to, "%s/points", o->stage);
	if ((mkdir(to, 0777) && errno != EEXIST) || carry_tree(from, to, NULL)) {
		snprintf(err, errlen, "%s: cannot carry the points into the results: %s", o->dir, strerror(errno));
		return -1;
	}
	return 0;
}

int outdir_commit(outdir *o, char *err, size_t errlen)
{
	char parent[PATH_MAX], name[NAME_MAX + 1];
	struct stat st;
	const char *step = "sync";
	split(o->real, parent, sizeof parent, name, sizeof name);
	if (signals_pending()) {
		errno = EINTR;
		goto fail;
	}
	/* The new folder takes the old one's mode (and, for root, owner): a private
	 * results folder stays private. mkdir made it 0700 until now. */
	mode_t mode = o->existed ? o->was.st_mode & 07777 : 0777 & ~outdir_umask();
	if (chmod(o->stage, mode) || (o->existed && geteuid() == 0 && chown(o->stage, o->was.st_uid, o->was.st_gid)))
		goto fail;
	if (nftw(o->stage, sync_entry, 16, FTW_DEPTH | FTW_PHYS))
		goto fail;
	outfile_killpoint();
	/* DIR must still be what was checked when the command began: a folder put there
	 * since (a user's, a file) is never swallowed. */
	step = "replace";
	int now = lstat(o->real, &st) == 0;
	if (now != o->existed || (now && (st.st_dev != o->was.st_dev || st.st_ino != o->was.st_ino))) {
		snprintf(err, errlen, "%s: %s while fgsim ran: left as it is, the new results not written", o->dir,
			 now ? "appeared or was replaced" : "was removed");
		outdir_abort(o);
		return -1;
	}
	if (now) {
		if (renameat2(AT_FDCWD, o->stage, AT_FDCWD, o->real, RENAME_EXCHANGE)) {
			if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
				goto fail;
			/* No atomic exchange on this file system: the old folder steps aside first,
			 * and clean_leftovers puts it back if we die between the renames. */
			char old[PATH_MAX];
			snprintf(old, sizeof old, "%s/.%s.fgsim-old.%ld", parent, name, (long)getpid());
			if (rename(o->real, old))
				goto fail;
			outfile_killpoint();
			if (rename(o->stage, o->real)) {
				int saved = errno;
				rename(old, o->real);
				errno = saved;
				goto fail;
			}
			rename(old, o->stage); /* where the old folder is removed from below */
		}
	} else if (renameat2(AT_FDCWD, o->stage, AT_FDCWD, o->real, RENAME_NOREPLACE)) {
		if (errno != EINVAL && errno != ENOSYS)
			goto fail;
		if (access(o->real, F_OK) == 0) { /* no RENAME_NOREPLACE here: checked, then renamed */
			errno = EEXIST;
			goto fail;
		}
		if (rename(o->stage, o->real))
			goto fail;
	}
	outfile_killpoint();
	/* From here DIR is the new folder: what follows only tidies up (a failed sync of
	 * the parent folder cannot undo the swap, and the next one syncs it again). */
	fsync_path(parent);
	outdir_remove_tree(o->stage);
	o->staged = 0;
	outfile_killpoint();
	if (o->points[0])
		outdir_remove_tree(o->points);
	outdir_abort(o);
	return 0;
fail:
	snprintf(err, errlen, errno == EINTR ? "%s: interrupted: left as it was" : "%s: cannot %s it: %s; left as it was",
		 o->dir, step, strerror(errno));
	outdir_abort(o);
	return -1;
}

void outdir_abort(outdir *o)
{
	if (o->staged) {
		outdir_remove_tree(o->stage);
		o->staged = 0;
	}
	signals_on_abort(NULL);
	outfile_set_scratch_dir(NULL);
	if (o->lockfd >= 0) {
		close(o->lockfd);
		o->lockfd = -1;
	}
}

void outdir_tidy_message(char *msg, size_t len, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to);
	char *p = msg;
	if (!fl)
		return;
	while ((p = strstr(p, from))) {
		size_t rest = strlen(p + fl);
		if ((size_t)(p - msg) + tl + rest + 1 > len)
			return;
		memmove(p + tl, p + fl, rest + 1);
		memcpy(p, to, tl);
		p += tl;
	}
}
