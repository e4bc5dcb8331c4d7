/* report_html.c - HTML text and figures in the page's units (report_html.h). */
#include "report_html.h"

#include <math.h>
#include <string.h>

#include "metrics.h"
#include "names.h"
#include "numfmt.h"

/* The rules every fgsim HTML page shares (the run report and the sweep page), so that
 * they look alike and one edit restyles both; each page adds its own after them. */
const char rh_css[] =
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#1d1d1f;"
	"max-width:1100px;margin:0 auto;padding:24px 28px 60px;background:#fff}\n"
	"h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:34px 0 8px;padding-bottom:4px;"
	"border-bottom:2px solid #e3e3e6}h3{font-size:16px;margin:20px 0 6px}\n"
	".sub{color:#555;margin:0 0 8px}.note{color:#555;font-size:13.5px;margin:6px 0 0}\n"
	"nav{font-size:14px;margin:8px 0 0}nav a{margin-right:14px;color:#0b63a8;text-decoration:none}\n"
	"table{border-collapse:collapse;margin:6px 0;font-size:14px}\n"
	"th,td{padding:4px 10px;border-bottom:1px solid #e3e3e6;text-align:right;vertical-align:top}\n"
	"th{background:#f4f4f6;font-weight:600}td.l,th.l{text-align:left}\n"
	"table.kv td:first-child{font-weight:600;text-align:left;color:#444}table.kv td{text-align:left}\n"
	"td.better{background:#dff2e7;font-weight:600}td.worse{background:#fbe3da;font-weight:600}\n"
	"td.num{font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"figcaption{font-size:13.5px;color:#333;margin-top:6px}\n"
	"code{font-size:13px;background:#f4f4f6;padding:1px 4px;border-radius:3px}\n";

void rh_text(FILE *f, const char *s)
{
	/* Text from a results folder someone may have edited: broken UTF-8 becomes U+FFFD
	 * and a control character a space, so the page stays valid UTF-8 HTML. */
	while (s && *s) {
		unsigned cp = 0;
		size_t n = names_utf8_next(s, &cp);
		if (!n)
			fputs("\xEF\xBF\xBD", f), n = 1;
		else if (names_is_control(cp))
			fputc(' ', f);
		else if (cp == '&')
			fputs("&amp;", f);
		else if (cp == '<')
			fputs("&lt;", f);
		else if (cp == '>')
			fputs("&gt;", f);
		else if (cp == '"')
			fputs("&quot;", f);
		else if (cp == '\'')
			fputs("&#39;", f);
		else
			fwrite(s, 1, n, f);
		s += n;
	}
}

void rh_units_of(const results *r, rh_units *u)
{
	/* wait_max and response times are left out: one long outlier would put every
	 * p50 in days */
	static const char *const waits[] = {"wait_mean", "wait_p50", "wait_p95", "wait_p99"};
	double top = 0;
	for (size_t i = 0; i < r->nsum; i++)
		for (int k = 0; k < 4; k++)
			if (!strcmp(r->sum[i].metric, waits[k]) && isfinite(r->sum[i].mean))
				top = fmax(top, r->sum[i].mean);
	u->time_div = numfmt_time_unit(top, &u->time_name);
	u->currency = r->currency;
}

const char *rh_metric_unit(const char *metric)
{
	for (int m = 0; m < M_COUNT; m++)
		if (!strcmp(metric_names[m], metric))
			return metric_units[m];
	return "";
}

int rh_is_count(const char *metric)
{
	const char *unit = rh_metric_unit(metric);
	return (!strcmp(unit, "jobs") || !strcmp(unit, "nodes")) && strcmp(metric, "queue_mean");
}

const char *rh_scale(const rh_units *u, const char *metric, double *div)
{
	const char *unit = rh_metric_unit(metric);
	*div = 1;
	if (!strcmp(unit, "s")) {
		*div = u->time_div;
		return u->time_name;
	}
	if (!strcmp(unit, "fraction")) {
		*div = 0.01;
		return "%";
	}
	if (!strcmp(unit, "currency"))
		return u->currency;
	if (!strcmp(unit, "GPU-h") || !strcmp(unit, "GPUs") || !strcmp(unit, "nodes") ||
	    !strcmp(unit, "jobs/h"))
		return unit;
	return NULL; /* jobs, ratios: a bare number reads best */
}

const char *rh_figure(const rh_units *u, const char *metric, double mean, double hw, char *buf,
		      size_t len)
{
	double div;
	const char *name = rh_scale(u, metric, &div);
	/* A time in a sentence takes the unit that suits it, not the page's: "6.7 s", not
	 * "0.001865 h" (the tables keep one unit a column, so that they read down). */
	if (!strcmp(rh_metric_unit(metric), "s") && (isfinite(mean) || isfinite(hw)))
		div = numfmt_time_unit(isfinite(hw) ? fmax(fabs(mean), hw) : mean, &name);
	char m[160];
	const char *sep = name && strcmp(name, "%") ? " " : ""; /* 12.5%, 12.5 min */
	mean /= div;
	hw /= div;
	/* four significant digits of the larger: a half-width above the mean sets them */
	double top = isfinite(hw) ? fmax(fabs(mean), hw) : mean;
	int d = numfmt_decimals(top);
	if (rh_is_count(metric))
		d = numfmt_count_decimals(mean, hw, d);
	/* no "± 0": a figure without spread is shown alone */
	numfmt_ci_pm(mean, isfinite(hw) && hw > 0 ? hw : NAN, d, m, sizeof m);
	snprintf(buf, len, "%s%s%s", m, sep, name ? name : "");
	return buf;
}
