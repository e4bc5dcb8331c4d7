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
/* Appends everything readable from `from` (rewound first) to o. Returns 0 or -1. */
int outfile_append(outfile *o, FILE *from);
#endif
