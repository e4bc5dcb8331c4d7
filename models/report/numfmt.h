/* numfmt.h - one number style for everything a person reads: the report's tables, the
 * plots' labels and the terminal's headline. Plain decimals, never 1.9e+03; about four
 * significant digits, the same decimals for every number of a column so that it reads as
 * one scale; thousands separated by commas; times in one unit per column, chosen from the
 * data. Files meant for programs (CSV, JSON) keep full precision and no separators. */
#ifndef FGSIM_NUMFMT_H
#define FGSIM_NUMFMT_H
#include <stddef.h>

/* The decimals that give a number of magnitude `top` (a column's largest) four
 * significant digits: 3 for 1.234, 0 from 1000 up, at most 6; 0 for 0, NaN or infinity. */
int numfmt_decimals(double top);
/* The decimals for one figure of a count of whole things (jobs, nodes, failures), the
 * mean of its replications +- hw, in a column otherwise shown with `decimals`: 0 when
 * the replications all agree (hw 0, or none: one replication), since the figure is then
 * a whole number ("16", not "16.00"), and 0 from 100 up where the half-width is half a
 * thing or more (a tenth of a job is noise there); else `decimals`. */
int numfmt_count_decimals(double mean, double hw, int decimals);
/* x with `decimals` decimals and commas between thousands ("12,859.4", "-0.0031");
 * "nan" or "inf" spelled out for those. Returns buf. */
const char *numfmt(double x, int decimals, char *buf, size_t len);
/* "mean +- hw" in numfmt's style, both with `decimals`; the mean alone when hw is not
 * finite. ASCII, for the terminal and text files. Returns buf. */
const char *numfmt_ci(double mean, double hw, int decimals, char *buf, size_t len);
/* The same with "±" (UTF-8), for the HTML pages, which all write it so. Returns buf. */
const char *numfmt_ci_pm(double mean, double hw, int decimals, char *buf, size_t len);
/* The unit for a column of durations whose largest is `top` seconds: "s" below 2 min,
 * "min" below 2 h, "h" below 2 days, else "d"; *name gets it. Returns its length in
 * seconds (divide by it). */
double numfmt_time_unit(double top, const char **name);
#endif
