/* report_html.h - what the pieces of report.html share (report.c, report_summary.c,
 * report_table.c): text escaped for HTML, and figures in numfmt's style in the page's
 * units. A time takes the unit that suits it: a table's column that of its largest
 * value, a figure in a sentence its own (a page-wide unit set by the longest wait
 * showed the shortest as 0.0002 h). */
#ifndef FGSIM_REPORT_HTML_H
#define FGSIM_REPORT_HTML_H
#include <stdio.h>

#include "results.h"

/* The style sheet every fgsim page shares; a page writes its own rules after it. */
extern const char rh_css[];

/* Writes s as HTML text: & < > " ' escaped, broken UTF-8 as U+FFFD, a control
 * character as a space. */
void rh_text(FILE *f, const char *s);

/* The units a page shows its figures in. */
typedef struct rh_units {
	double time_div;       /* seconds per time unit */
	const char *time_name; /* "s", "min", "h" or "d" */
	const char *currency;
} rh_units;
/* The page's units from r: the currency, and a default time unit from the largest mean
 * wait, p50, p95 or p99 wait of any policy and scope (numfmt_time_unit), which tables
 * and figures replace with their own (above). */
void rh_units_of(const results *r, rh_units *u);

/* metric's unit as metrics.h names it ("s", "fraction", "currency", "GPU-h", "jobs",
 * ...), "" for a name it does not know. */
const char *rh_metric_unit(const char *metric);
/* Whether metric counts whole things (jobs, nodes, failures): its figures take
 * numfmt_count_decimals. Not queue_mean, a time-average of jobs. */
int rh_is_count(const char *metric);
/* How one value of metric is shown: divided by *div, with the unit's label ("min",
 * "%", "USD", "GPU-h"; NULL for a bare count). */
const char *rh_scale(const rh_units *u, const char *metric, double *div);
/* "25.54 min", "31.9%", "41,919 USD", with " ± hw" when hw is finite and nonzero; the
 * mean's four significant digits. Returns buf. */
const char *rh_figure(const rh_units *u, const char *metric, double mean, double hw, char *buf,
		      size_t len);
#endif
