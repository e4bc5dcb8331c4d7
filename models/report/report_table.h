/* report_table.h - report.html's tables of metrics: a row per (group, policy), a column
 * per metric, every cell the mean ± half-width in numfmt's style, one unit and one number
 * of decimals a column so that it reads down as one scale. */
#ifndef FGSIM_REPORT_TABLE_H
#define FGSIM_REPORT_TABLE_H
#include <stdio.h>

#include "report_html.h"
#include "results.h"

/* A column: its metric (the unit comes from it, rh_scale) and heading. better: -1 lower
 * is better, +1 higher, 0 neither (it shades a significant difference). */
typedef struct rt_col {
	const char *metric, *label;
	int better;
} rt_col;

/* A row: the policy and scope it shows, and an optional group (the class, pool or
 * promotion) printed once for the rows that share it. */
typedef struct rt_row {
	const char *group, *policy, *scope;
} rt_row;

#define RT_NCOLS(a) ((int)(sizeof a / sizeof *a))
#define RT_MAX_COLS 16

/* Writes the table of cols (at most RT_MAX_COLS) for rows, from summary.csv or, with
 * diff, compare.csv's paired differences (shaded where significant). A time column takes
 * the unit of its largest value (numfmt_time_unit); a count, no decimals where they
 * would be noise (numfmt_count_decimals). A column that is zero or missing in every
 * row is left out and named in a note below the table. group_head: the group column's
 * heading, NULL for none. */
void rt_metric_table(FILE *f, const results *r, const rh_units *pu, const char *group_head,
		     const rt_row *rows, int nrows, const rt_col *cols, int ncols, int diff);

/* Rows for every scope of r with the prefix ("class:"), each with every policy, the
 * group the scope less its prefix. Returns the number of rows; *out is malloc'd (NULL
 * when there are none or memory ran out). */
int rt_scope_rows(const results *r, const char *prefix, rt_row **out);
#endif
