/* outdir.h - a results folder replaced as one unit, the way SQLite commits a
 * transaction: everything a command writes goes into a staging folder beside DIR, and
 * only when all of it is written and synced does the staging folder take DIR's place in
 * one rename (renameat2 RENAME_EXCHANGE); the old folder is removed afterwards. A crash
 * at any instant leaves DIR entirely old or entirely new. A lock beside DIR keeps a
 * second command off the same folder; leftovers of killed commands are removed by the
 * next one.
 *
 * Beside DIR = PARENT/NAME, in PARENT:
 *   .NAME.fgsim-lock        the lock (flock), kept: removing a lock file races
 *   .NAME.fgsim-new.PID     the staging folder of the command with that PID
 *   .NAME.fgsim-old.PID     the previous DIR, between the swap and its removal
 *   .NAME.fgsim-trash.PID   a staging folder a stuck command's watchdog moved aside
 *   .NAME.fgsim-points/     a sweep's finished points: they outlive an interrupted sweep
 *                           (not part of the transaction) and are carried into DIR */
#ifndef FGSIM_OUTDIR_H
#define FGSIM_OUTDIR_H
#include <stddef.h>
#include <sys/stat.h>

/* The file that makes a folder fgsim's to replace. */
#define OUTDIR_MARKER ".fgsim-results"

typedef struct outdir {
	char dir[4096];    /* DIR, as the user named it (for messages) */
	char real[4096];   /* DIR with a symbolic link at its end resolved: where it is replaced */
	char stage[4200];  /* where the command writes */
	char lock[4200];
	char points[4200]; /* the sweep's points folder (holds points/) */
	int lockfd;
	int staged;        /* the staging folder exists */
	int existed;       /* DIR existed when the lock was taken */
	struct stat was;   /* and was this folder: the swap replaces only it */
} outdir;

/* What outdir_begin carries from the old DIR into the staging folder (hard links, so
 * nothing is copied): for `fgsim plot`, every file but the plots and report it redraws. */
enum { OUTDIR_EMPTY = 0, OUTDIR_KEEP = 1 };

/* Takes DIR's lock (at once, or fails: another fgsim is writing it), removes what
 * killed commands left beside DIR, checks that DIR is absent, empty or an fgsim results
 * folder (never touching any other), and creates the staging folder with fgsim's marker
 * in it. Registers the staging folder's removal with signals_on_abort. Returns 0; 2
 * when DIR is refused (not fgsim's, locked, not a folder); 1 on an I/O error; both with
 * the message in err and nothing left behind but DIR's parent folders and lock file. */
int outdir_begin(outdir *o, const char *dir, int carry, char *err, size_t errlen);

/* Syncs the staging folder and swaps it in for DIR, then removes the old DIR and, for
 * a sweep, the points folder (its points are in DIR now). Refuses (as stopped, -1 and
 * errno EINTR) when a signal is pending. Returns 0, or -1 with the message in err and
 * DIR as it was (the staging folder is removed). */
int outdir_commit(outdir *o, char *err, size_t errlen);

/* Removes the staging folder (if any) and releases the lock. Safe after a failed
 * outdir_begin, after outdir_commit and twice. */
void outdir_abort(outdir *o);

/* A sweep: creates the points folder (beside DIR, surviving an interruption) and links
 * the points of DIR's previous sweep into it, so that they are reused. Returns 0, or -1
 * with the message in err. */
int outdir_points_begin(outdir *o, char *err, size_t errlen);
/* Links every point of the points folder into the staging folder's points/. Returns 0
 * or -1 with the message in err. */
int outdir_points_carry(outdir *o, char *err, size_t errlen);

/* Rewrites every `from` in msg as `to` (the staging folder's path as DIR's), so that
 * messages name the folder the user knows; stops where msg would not fit in len. */
void outdir_tidy_message(char *msg, size_t len, const char *from, const char *to);

/* Removes path and everything under it without following symbolic links. Returns 0 or
 * -1 with errno set (a missing path is not an error). */
int outdir_remove_tree(const char *path);
#endif
