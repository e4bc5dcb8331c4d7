/* sweep_report.h - report.html of a sweep folder: what was swept, the best policy at
 * each point (with the policies the paired comparison cannot tell from it), the plots,
 * every chosen metric per point and policy with its interval, and each policy's paired
 * difference from the first. Read from the folder's files, so `fgsim plot DIR` redraws it. */
#ifndef FGSIM_SWEEP_REPORT_H
#define FGSIM_SWEEP_REPORT_H
#include <stddef.h>

/* Writes dir/report.html (atomically) from dir/sweep.csv, sweep_compare.csv (optional),
 * run.json and points/ (the replications, for the best-policy table), linking the
 * plots in dir/plots/ that are there. Returns 0, or -1 with a message in err. */
int sweep_report_write(const char *dir, char *err, size_t errlen);
#endif
