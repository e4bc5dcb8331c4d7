/* outfile.h - output files written atomically: rows go to a hidden temporary file in
 * the same folder, which replaces the real name only once it is complete and flushed,
 * so a reader never sees half a CSV and an interrupted run leaves the old one intact. */
#ifndef FGSIM_OUTFILE_H
#define FGSIM_OUTFILE_H
#include <stdio.h>

typedef struct outfile {
	FILE *f;
	char tmp[4096], path[4096];
} outfile;

/* Creates dir (and its parents) if needed. Returns 0, or -1 with errno set. */
int outfile_mkdirs(const char *dir);
/* Opens dir/name for writing through a temporary. Returns 0, or -1 with errno set. */
int outfile_open(outfile *o, const char *dir, const char *name);
/* Flushes, syncs and renames into place. Returns 0, or -1 with errno set (a full disk
 * is caught here, not left as a truncated file); the temporary is removed on failure.
 * The same as outfile_finish, then outfile_publish. */
int outfile_commit(outfile *o);
/* Flushes, syncs and closes the temporary, which stays under its temporary name, so
 * that a set of files can all be written before any of them replaces an old one.
 * Returns 0, or -1 with errno set and the temporary removed. */
int outfile_finish(outfile *o);
/* Renames a finished temporary into place. Returns 0, or -1 with errno set. */
int outfile_publish(outfile *o);
/* Drops the temporary, open or finished. Safe on an outfile that failed to open. */
void outfile_abort(outfile *o);
/* Appends everything written to `from` (flushed, then rewound) to o. Returns 0, or -1
 * with errno set: a write to `from` that failed earlier (a full disk) is caught here,
 * before the rewind would clear it; a pending SIGINT/SIGTERM stops the copy (EINTR). */
int outfile_append(outfile *o, FILE *from);

/* Scratch files (rows kept per thread until they are joined) live in `dir`, on the same
 * file system as the results, never in the system's temporary folder. NULL: the
 * current folder. */
void outfile_set_scratch_dir(const char *dir);
/* An anonymous read-write file in the scratch folder, gone when closed. NULL with errno
 * set on failure. */
FILE *outfile_scratch(void);
/* Copies the regular file `from` to the new file `to` (O_EXCL, synced). Returns 0, or
 * -1 with errno set and no `to` left behind. */
int outfile_copy(const char *from, const char *to);

/* Kill points for the crash tests: built with -DFGSIM_KILL_POINTS, the process sends
 * itself SIGKILL (or signal $FGSIM_KILL_SIGNAL) at the Nth point reached, N from
 * $FGSIM_KILL_AT; each completed file, rename and step of a folder swap is one point.
 * Otherwise it costs nothing. */
#ifdef FGSIM_KILL_POINTS
void outfile_killpoint(void);
#else
static inline void outfile_killpoint(void) {}
#endif
#endif
