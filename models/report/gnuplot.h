/* gnuplot.h - runs gnuplot on a script in a plots folder, in the background, so that
 * several plots are drawn at once; the PNG and SVG it writes replace the old ones only
 * when it succeeded, so a plot is never half drawn. */
#ifndef FGSIM_GNUPLOT_H
#define FGSIM_GNUPLOT_H
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* A gnuplot run in flight. */
typedef struct gnuplot_job {
	pid_t pid;
	char name[32];
	char log[4400]; /* gnuplot's stderr, kept in a file */
} gnuplot_job;

/* Writes s as a gnuplot string literal that gnuplot takes as written: single-quoted
 * (no `command`, @macro or backslash processing), a quote doubled, control characters
 * dropped and invalid UTF-8 replaced (names are checked at load, but a user may edit
 * the CSVs a plot is redrawn from). */
void gnuplot_string(FILE *f, const char *s);

/* Whether a gnuplot executable is on PATH. */
int gnuplot_available(void);

/* Starts `gnuplot -e out='.NAME.tmp.PID' NAME.gp` in folder pdir: the script writes
 * out.png and out.svg (fgsim's plot scripts do; run by hand they write NAME.png and
 * NAME.svg). Returns 0, or -1 with the reason in msg and nothing started. */
int gnuplot_start(const char *pdir, const char *name, gnuplot_job *j, char *msg, size_t msglen);

/* Waits for a run started by gnuplot_start and renames its images to NAME.png and
 * NAME.svg. Returns 0, or -1 with gnuplot's last complaint (or what else went wrong) in
 * msg; then no temporary is left behind, and neither is an older NAME.png or NAME.svg,
 * which would pass for this run's. */
int gnuplot_finish(const char *pdir, gnuplot_job *j, char *msg, size_t msglen);
#endif
