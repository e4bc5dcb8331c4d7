/* report_table.c - report.html's tables of metrics (report_table.h). A column of "0 ± 0"
 * says nothing and pushes the rest off the page, so such columns are only named. */
#include "report_table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "numfmt.h"

static const results_row *lookup(const results *r, const rt_row *w, const char *metric, int diff)
{
	return diff ? results_compare(r, w->policy, w->scope, metric) : results_summary(r, w->policy, w->scope, metric);
}

void rt_metric_table(FILE *f, const results *r, const rh_units *pu, const char *group_head,
		     const rt_row *rows, int nrows, const rt_col *cols, int ncols, int diff)
{
	double div[RT_MAX_COLS];
	const char *uname[RT_MAX_COLS];
	int dec[RT_MAX_COLS], show[RT_MAX_COLS], count[RT_MAX_COLS], nhidden = 0;
	FG_ASSERT(ncols <= RT_MAX_COLS);
	for (int c = 0; c < ncols; c++) {
		double top = 0;
		show[c] = 0;
		count[c] = rh_is_count(cols[c].metric);
		uname[c] = rh_scale(pu, cols[c].metric, &div[c]);
		for (int i = 0; i < nrows; i++) {
			const results_row *v = lookup(r, &rows[i], cols[c].metric, diff);
			if (v && isfinite(v->mean)) {
				top = fmax(top, fabs(v->mean));
				show[c] |= v->mean != 0 || (isfinite(v->hw) && v->hw != 0);
			}
		}
		/* a time column in the unit of its own largest value, as the terminal shows
		 * it: a page-wide unit set by the longest wait showed a short one as 0.0002 h */
		if (!strcmp(rh_metric_unit(cols[c].metric), "s"))
			div[c] = numfmt_time_unit(top, &uname[c]);
		top /= div[c];
		dec[c] = numfmt_decimals(top);
		nhidden += !show[c];
	}
	fputs("<table class=\"metrics\"><thead><tr>", f);
	if (group_head) {
		fputs("<th class=\"l\">", f);
		rh_text(f, group_head);
		fputs("</th>", f);
	}
	fputs("<th class=\"l\">policy</th>", f);
	for (int c = 0; c < ncols; c++) {
		if (!show[c])
			continue;
		fputs("<th>", f);
		rh_text(f, cols[c].label);
		if (uname[c]) {
			fputs(" (", f);
			rh_text(f, uname[c]);
			fputs(")", f);
		}
		fputs("</th>", f);
	}
	fputs("</tr></thead><tbody>\n", f);
	for (int i = 0; i < nrows; i++) {
		fputs("<tr>", f);
		if (group_head && (i == 0 || strcmp(rows[i].group, rows[i - 1].group))) {
			int span = 1;
			while (i + span < nrows && !strcmp(rows[i + span].group, rows[i].group))
				span++;
			fprintf(f, "<td class=\"l\" rowspan=\"%d\">", span);
			rh_text(f, rows[i].group);
			fputs("</td>", f);
		}
		fputs("<td class=\"l\">", f);
		rh_text(f, rows[i].policy);
		fputs("</td>", f);
		for (int c = 0; c < ncols; c++) {
			if (!show[c])
				continue;
			const results_row *v = lookup(r, &rows[i], cols[c].metric, diff);
			char cell[200], m[160];
			const char *cls = "";
			if (!v || !isfinite(v->mean)) {
				snprintf(cell, sizeof cell, "–");
			} else {
				int d = count[c] ? numfmt_count_decimals(v->mean, v->hw, dec[c])
						 : dec[c];
				numfmt(v->mean / div[c], d, m, sizeof m);
				/* a difference shows its sign both ways; "+0" would claim one */
				const char *plus = diff && v->mean > 0 && strspn(m, "0.,") != strlen(m) ? "+" : "";
				numfmt_ci_pm(v->mean / div[c], v->hw / div[c], d, m, sizeof m);
				snprintf(cell, sizeof cell, "%s%s", plus, m);
				/* significant: the interval for the difference excludes zero */
				if (diff && cols[c].better && isfinite(v->hw) && fabs(v->mean) > v->hw)
					cls = (v->mean > 0) == (cols[c].better > 0) ? " better" : " worse";
			}
			fprintf(f, "<td class=\"num%s\">", cls);
			rh_text(f, cell);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
	if (nhidden) {
		fputs(diff ? "<p class=\"note\">No difference in any row (not shown): "
			   : "<p class=\"note\">Zero in every row (not shown): ", f);
		for (int c = 0, k = 0; c < ncols; c++)
			if (!show[c]) {
				fputs(k++ ? ", " : "", f);
				rh_text(f, cols[c].label);
			}
		fputs(".</p>\n", f);
	}
}

int rt_scope_rows(const results *r, const char *prefix, rt_row **out)
{
	size_t len = strlen(prefix);
	int n = 0;
	*out = NULL;
	for (int s = 0; s < r->nscopes; s++)
		n += !strncmp(r->scope[s], prefix, len);
	if (!n || !(*out = malloc((size_t)n * (size_t)r->npolicies * sizeof **out)))
		return 0;
	int k = 0;
	for (int s = 0; s < r->nscopes; s++)
		if (!strncmp(r->scope[s], prefix, len))
			for (int p = 0; p < r->npolicies; p++)
				(*out)[k++] = (rt_row){r->scope[s] + len, r->policy[p], r->scope[s]};
	FG_ASSERT(k == n * r->npolicies); /* the two passes count the same scopes */
	return k;
}
