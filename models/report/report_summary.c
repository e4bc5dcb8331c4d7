/* report_summary.c - the summary section of report.html (report_summary.h): a
 * recommendation, its figures, its trade-offs and the mechanisms behind each policy's
 * result, every sentence built from summary.csv by the rules below. */
#include "report_summary.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "metrics.h"
#include "objective.h"
#include "runjson.h"

/* The rules' thresholds, each relative to the figure it qualifies. */
#define HOL_SHARE 0.02   /* the head blocked 2% of the measured time or more */
#define BURST_IDLE 0.25  /* a quarter or more of the burst GPU-hours idle */
#define LOST_SHARE 0.01  /* 1% or more of the arrivals abandoned or balked */
#define PAYS_RATIO 1.10  /* a class's wait 10% above its best under another policy */
#define DIFF_RATIO 0.10  /* two policies' figures 10% apart (of the larger) */

static double mean_of(const results *r, const char *pol, const char *scope, const char *metric)
{
	const results_row *v = results_summary(r, pol, scope, metric);
	return v ? v->mean : NAN;
}

/* "25.54 ± 3.1 min" for policy pol's metric in scope, "–" when summary.csv lacks it. */
static const char *fig(const results *r, const rh_units *u, const char *pol, const char *scope,
		       const char *metric, char *buf, size_t len)
{
	const results_row *v = results_summary(r, pol, scope, metric);
	if (!v || !isfinite(v->mean))
		return snprintf(buf, len, "–"), buf;
	return rh_figure(u, metric, v->mean, v->hw, buf, len);
}

/* A value alone (no interval), in the page's units. */
static const char *val(const rh_units *u, const char *metric, double x, char *buf, size_t len)
{
	return rh_figure(u, metric, x, NAN, buf, len);
}

/* Appends printf text to a sentence buffer. */
static void add(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;
	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

static int far_apart(double a, double b)
{
	return isfinite(a) && isfinite(b) && fabs(a - b) > DIFF_RATIO * fmax(fabs(a), fabs(b));
}

/* ---- the choice -------------------------------------------------------------------- */

typedef struct choice {
	int best, runner; /* policy indices; runner -1 when there is one policy */
	char why[1200];   /* why best, as HTML-safe text (escaped when written) */
} choice;

/* Is figure t of policy p on the right side of its bound? */
static int holds(const results *r, int p, const obj_term *t)
{
	double m = mean_of(r, r->policy[p], t->scope, metric_names[t->metric]);
	return isfinite(m) && (t->ge ? m >= t->value : m <= t->value);
}

/* The best and runner-up for objective o: among the policies that keep every bound,
 * the lowest (min) or highest (max) goal; where none keeps them all, among all. */
static void by_objective(const results *r, const objective *o, const char *text, const rh_units *u,
			 choice *c)
{
	int n = r->npolicies, nok = 0, *ok = calloc((size_t)n, sizeof *ok);
	char goal[OBJ_SCOPE_MAX + 64], a[96];
	for (int p = 0; ok && p < n; p++) {
		ok[p] = 1;
		for (int b = 0; b < o->nbounds; b++)
			ok[p] &= holds(r, p, &o->bound[b]);
		nok += ok[p];
	}
	const char *gm = metric_names[o->goal.metric];
	c->best = c->runner = -1;
	for (int p = 0; p < n; p++) {
		double x = mean_of(r, r->policy[p], o->goal.scope, gm);
		if ((nok && ok && !ok[p]) || !isfinite(x))
			continue;
		double sign = o->maximise ? -1 : 1;
		if (c->best < 0 || sign * x < sign * mean_of(r, r->policy[c->best], o->goal.scope, gm)) {
			c->runner = c->best;
			c->best = p;
		} else if (c->runner < 0 || sign * x < sign * mean_of(r, r->policy[c->runner], o->goal.scope, gm)) {
			c->runner = p;
		}
	}
	objective_term_name(&o->goal, goal, sizeof goal);
	c->why[0] = 0;
	if (c->best < 0) {
		add(c->why, sizeof c->why, "no policy has a figure for %s; ", goal);
		c->best = 0;
	} else {
		add(c->why, sizeof c->why, "the %s %s (%s)", o->maximise ? "highest" : "lowest", goal,
		    fig(r, u, r->policy[c->best], o->goal.scope, gm, a, sizeof a));
	}
	if (o->nbounds && nok)
		add(c->why, sizeof c->why, " of the %d policies that keep ", nok);
	else if (o->nbounds)
		add(c->why, sizeof c->why, ", although no policy keeps ");
	for (int b = 0; b < o->nbounds; b++) {
		objective_term_name(&o->bound[b], goal, sizeof goal);
		add(c->why, sizeof c->why, "%s%s %s %s", b ? " and " : "", goal, o->bound[b].ge ? "≥" : "≤",
		    val(u, metric_names[o->bound[b].metric], o->bound[b].value, a, sizeof a));
	}
	add(c->why, sizeof c->why, " — the objective \"%s\"", text);
	free(ok);
}

/* Without an objective: the policy best or statistically tied for best on the most key
 * metrics of run.json's verdicts, then on the most outright; then the first listed. */
static void by_verdicts(const results *r, choice *c)
{
	const json_t *list = runjson_path(r->run, "best.metrics");
	int n = r->npolicies, *tied = calloc((size_t)n, sizeof *tied), *won = calloc((size_t)n, sizeof *won);
	size_t nm = json_array_size(list);
	for (size_t i = 0; tied && won && i < nm; i++) {
		const json_t *m = json_array_get(list, i), *same = json_object_get(m, "indistinguishable");
		const char *best = runjson_str(json_object_get(m, "best"), "");
		for (int p = 0; p < n; p++) {
			int in = !strcmp(best, r->policy[p]);
			won[p] += in;
			for (size_t k = 0; k < json_array_size(same); k++)
				in |= !strcmp(runjson_str(json_array_get(same, k), ""), r->policy[p]);
			tied[p] += in;
		}
	}
	c->best = 0;
	c->runner = -1;
	for (int p = 1; tied && won && p < n; p++) {
		int better = tied[p] > tied[c->best] || (tied[p] == tied[c->best] && won[p] > won[c->best]);
		if (better) {
			c->runner = c->best;
			c->best = p;
		} else if (c->runner < 0 || tied[p] > tied[c->runner] ||
			   (tied[p] == tied[c->runner] && won[p] > won[c->runner])) {
			c->runner = p;
		}
	}
	if (n > 1 && c->runner < 0)
		c->runner = c->best == 0 ? 1 : 0;
	c->why[0] = 0;
	if (!nm || !tied || !won) {
		add(c->why, sizeof c->why, n > 1 ? "no verdicts in run.json: the first policy listed"
						 : "the only policy run");
	} else {
		add(c->why, sizeof c->why, "best or statistically tied for best on %d of the %zu key metrics (", tied[c->best],
		    nm);
		for (size_t i = 0, k = 0; i < nm; i++) {
			const json_t *m = json_array_get(list, i), *same = json_object_get(m, "indistinguishable");
			int in = !strcmp(runjson_str(json_object_get(m, "best"), ""), r->policy[c->best]);
			for (size_t j = 0; j < json_array_size(same); j++)
				in |= !strcmp(runjson_str(json_array_get(same, j), ""), r->policy[c->best]);
			if (in)
				add(c->why, sizeof c->why, "%s%s", k++ ? ", " : "",
				    runjson_str(json_object_get(m, "metric"), "?"));
		}
		add(c->why, sizeof c->why, "), the outright best on %d; no output.objective was stated", won[c->best]);
		if (c->runner >= 0 && tied[c->runner] == tied[c->best] && won[c->runner] == won[c->best])
			add(c->why, sizeof c->why, "; %s scores the same and comes second only by its place in the list",
			    r->policy[c->runner]);
	}
	free(tied);
	free(won);
}

/* ---- the sentences ------------------------------------------------------------------ */

/* The class scope (of r->scope) with the largest figure of metric under policy pol, or
 * NULL. */
static const char *top_class(const results *r, const char *pol, const char *metric)
{
	const char *top = NULL;
	double best = 0;
	for (int s = 0; s < r->nscopes; s++) {
		double x = mean_of(r, pol, r->scope[s], metric);
		if (!strncmp(r->scope[s], "class:", 6) && isfinite(x) && x > best)
			best = x, top = r->scope[s];
	}
	return top;
}

/* The mechanisms behind policy p's result, as one sentence into buf; *tags gets the
 * space-separated names of those found (the page's data-mechanisms, for tests and
 * readers' scripts). */
static void explain(const results *r, const rh_units *u, int p, char *buf, size_t len, char *tags,
		    size_t tlen)
{
	const char *pol = r->policy[p];
	char a[96], b[96], c[96];
	int parts = 0;
	buf[0] = tags[0] = 0;
	double hol = mean_of(r, pol, "all", "hol_blocked_share");
	if (isfinite(hol) && hol >= HOL_SHARE) {
		add(buf, len, "head-of-line blocking: the queue's head could not start for %s of the time while "
			      "smaller jobs behind it would have fit, leaving %s idle",
		    fig(r, u, pol, "all", "hol_blocked_share", a, sizeof a),
		    fig(r, u, pol, "all", "hol_idle_gpu_hours", b, sizeof b));
		add(tags, tlen, "%shol", parts++ ? " " : "");
	}
	double bg = mean_of(r, pol, "all", "burst_gpu_hours"), bi = mean_of(r, pol, "all", "burst_idle_gpu_hours");
	if (isfinite(bg) && bg > 0 && isfinite(bi)) {
		int idle = bi >= BURST_IDLE * bg;
		add(buf, len, "%sburst nodes cost %s for %s, %s of it idle%s", parts ? "; " : "",
		    fig(r, u, pol, "all", "burst_cost", a, sizeof a), fig(r, u, pol, "all", "burst_gpu_hours", b, sizeof b),
		    val(u, "utilization", bi / bg, c, sizeof c),
		    !idle ? "" : strstr(tags, "hol") ? ": the job blocking the queue could not use them"
						      : ": they stood powered after the queue had cleared");
		add(tags, tlen, "%s%s", parts++ ? " " : "", idle ? "burst-idle" : "burst-busy");
	}
	double pre = mean_of(r, pol, "all", "preemptions");
	if (isfinite(pre) && pre >= 0.5) {
		const char *cls = top_class(r, pol, "preemptions"), *who = cls ? cls + 6 : "running";
		double lost = mean_of(r, pol, "all", "lost_gpu_hours");
		add(buf, len, "%s%s preemptions, mostly of %s jobs", parts ? "; " : "",
		    fig(r, u, pol, "all", "preemptions", a, sizeof a), who);
		if (isfinite(lost) && lost > 0)
			add(buf, len, ", threw away %s of work", fig(r, u, pol, "all", "lost_gpu_hours", a, sizeof a));
		/* who pays: the evicted class's p95 wait against its best under another policy */
		int other = -1;
		double mine = cls ? mean_of(r, pol, cls, "wait_p95") : NAN, low = INFINITY;
		for (int q = 0; cls && q < r->npolicies; q++) {
			double x = mean_of(r, r->policy[q], cls, "wait_p95");
			if (q != p && isfinite(x) && x < low)
				low = x, other = q;
		}
		if (other >= 0 && isfinite(mine) && mine > PAYS_RATIO * low && mine > 0)
			add(buf, len, "; %s pays: its p95 wait is %s against %s under %s", who,
			    fig(r, u, pol, cls, "wait_p95", a, sizeof a),
			    fig(r, u, r->policy[other], cls, "wait_p95", b, sizeof b), r->policy[other]);
		add(tags, tlen, "%spreemption", parts++ ? " " : "");
	}
	double ab = mean_of(r, pol, "all", "abandoned"), bk = mean_of(r, pol, "all", "balked");
	double arr = mean_of(r, pol, "all", "arrivals");
	ab = isfinite(ab) ? ab : 0, bk = isfinite(bk) ? bk : 0;
	if (isfinite(arr) && arr > 0 && ab + bk >= LOST_SHARE * arr) {
		add(buf, len, "%s%s jobs abandoned", parts ? "; " : "", fig(r, u, pol, "all", "abandoned", a, sizeof a));
		if (bk > 0)
			add(buf, len, " and %s balked", fig(r, u, pol, "all", "balked", a, sizeof a));
		add(buf, len, " (%s of the arrivals), %s of revenue lost", val(u, "abandon_rate", (ab + bk) / arr, b, sizeof b),
		    fig(r, u, pol, "all", "lost_revenue", c, sizeof c));
		add(tags, tlen, "%slost-demand", parts++ ? " " : "");
	}
	double frag = mean_of(r, pol, "all", "fragmentation_gpus");
	/* run.json says which measure the run took (docs/outputs.md, fragmentation_gpus) */
	int paper = !strcmp(runjson_str(runjson_path(r->run, "fragmentation"), ""), "paper");
	if (isfinite(frag) && frag >= 1 && paper) {
		add(buf, len, "%s%s on average were free where the workload's typical tasks could "
			      "not use them (fragmentation as Weng et al. define it)",
		    parts ? "; " : "", fig(r, u, pol, "all", "fragmentation_gpus", a, sizeof a));
		add(tags, tlen, "%sfragmentation", parts++ ? " " : "");
	} else if (isfinite(frag) && frag >= 1) {
		add(buf, len, "%s%s stood idle on average while the head, which would fit in their total, waited for "
			      "a node with room (fragmentation)",
		    parts ? "; " : "", fig(r, u, pol, "all", "fragmentation_gpus", a, sizeof a));
		add(tags, tlen, "%sfragmentation", parts++ ? " " : "");
	}
	if (!parts) {
		add(buf, len, "no head-of-line blocking, idle burst nodes, preemption or lost demand measured: its "
			      "waits come from the load itself (utilisation %s)",
		    fig(r, u, pol, "all", "utilization", a, sizeof a));
		add(tags, tlen, "load");
	}
}

/* One trade-off line between a (the recommendation) and b on metric in scope, when
 * they are DIFF_RATIO apart: "label: X under a against Y under b". Returns 1 if written. */
static int tradeoff(FILE *f, const results *r, const rh_units *u, int a, int b, const char *scope,
		    const char *metric, const char *label)
{
	double x = mean_of(r, r->policy[a], scope, metric), y = mean_of(r, r->policy[b], scope, metric);
	char s[600], fa[96], fb[96];
	if (!far_apart(x, y))
		return 0;
	snprintf(s, sizeof s, "%s: %s under %s against %s under %s", label,
		 fig(r, u, r->policy[a], scope, metric, fa, sizeof fa), r->policy[a],
		 fig(r, u, r->policy[b], scope, metric, fb, sizeof fb), r->policy[b]);
	fputs("<li>", f);
	rh_text(f, s);
	fputs("</li>\n", f);
	return 1;
}

static void key_figure(FILE *f, const results *r, const rh_units *u, const char *pol, const char *scope,
		       const char *metric, const char *label, int nonzero_only)
{
	char a[96];
	double m = mean_of(r, pol, scope, metric);
	if (!isfinite(m) || (nonzero_only && m == 0))
		return;
	fputs("<tr><td>", f);
	rh_text(f, label);
	fputs("</td><td class=\"num\">", f);
	rh_text(f, fig(r, u, pol, scope, metric, a, sizeof a));
	fputs("</td></tr>\n", f);
}

void report_summary(FILE *f, const results *r, const rh_units *u)
{
	choice c;
	objective o;
	char err[1500], s[2400], tags[96];
	const char *text = runjson_str(runjson_path(r->scenario, "output.objective"), NULL);
	int have_obj = text && !objective_parse(text, &o, err, sizeof err);
	for (int b = -1; have_obj && b < o.nbounds; b++) { /* a scope the results do not have */
		const char *scope = (b < 0 ? &o.goal : &o.bound[b])->scope;
		int known = !strcmp(scope, "all");
		for (int k = 0; k < r->nscopes; k++)
			known |= !strcmp(scope, r->scope[k]);
		if (!known)
			snprintf(err, sizeof err, "no scope \"%s\" in summary.csv", scope), have_obj = 0;
	}
	if (have_obj)
		by_objective(r, &o, text, u, &c);
	else
		by_verdicts(r, &c);
	const char *best = r->policy[c.best];
	fputs("<section id=\"summary\"><h2>Summary</h2>\n", f);
	if (text && !have_obj) {
		fputs("<p class=\"warn\">The scenario's output.objective could not be used (", f);
		rh_text(f, err);
		fputs("); the recommendation follows the best-policy verdicts.</p>\n", f);
	}
	fputs("<p class=\"lead\" id=\"recommended\">Recommended: <b class=\"policy\">", f);
	rh_text(f, best);
	fputs("</b> — ", f);
	rh_text(f, c.why);
	fputs(".</p>\n<table class=\"kv\" id=\"key-figures\"><tbody>\n", f);
	if (have_obj) {
		char name[OBJ_SCOPE_MAX + 64];
		for (int b = -1; b < o.nbounds; b++) {
			const obj_term *t = b < 0 ? &o.goal : &o.bound[b];
			key_figure(f, r, u, best, t->scope, metric_names[t->metric], objective_term_name(t, name, sizeof name),
				   0);
		}
	}
	/* the usual figures, less those the objective already showed */
	if (!have_obj || strcmp(o.goal.scope, "all") || o.goal.metric != M_wait_p95)
		key_figure(f, r, u, best, "all", "wait_p95", "p95 wait, all jobs", 0);
	for (int k = 0; k < r->nscopes; k++)
		if (!strncmp(r->scope[k], "class:", 6)) {
			snprintf(s, sizeof s, "p95 wait, %s", r->scope[k] + 6);
			if (!have_obj || strcmp(o.goal.scope, r->scope[k]) || o.goal.metric != M_wait_p95)
				key_figure(f, r, u, best, r->scope[k], "wait_p95", s, 0);
		}
	key_figure(f, r, u, best, "all", "utilization", "utilisation", 0);
	int profit_shown = 0;
	for (int b = 0; have_obj && b < o.nbounds; b++)
		profit_shown |= o.bound[b].metric == M_profit && !strcmp(o.bound[b].scope, "all");
	if (!profit_shown)
		key_figure(f, r, u, best, "all", "profit", "profit", 0);
	key_figure(f, r, u, best, "all", "burst_cost", "burst nodes' cost", 1);
	key_figure(f, r, u, best, "all", "lost_revenue", "revenue lost (abandoned, balked)", 1);
	key_figure(f, r, u, best, "all", "preemptions", "preemptions", 1);
	/* with failures, spot or checkpoints (only then in summary.csv): the work kept and
	 * the capacity that was there, the figures a failures plan starts from */
	key_figure(f, r, u, best, "all", "goodput_gpu_hours", "goodput (work kept)", 1);
	key_figure(f, r, u, best, "all", "node_availability", "node availability", 1);
	fputs("</tbody></table>\n", f);

	if (c.runner >= 0) {
		int n = 0;
		fputs("<h3>Against the runner-up, ", f);
		rh_text(f, r->policy[c.runner]);
		fputs("</h3>\n<ul id=\"tradeoffs\">\n", f);
		for (int k = 0; k < r->nscopes; k++)
			if (!strncmp(r->scope[k], "class:", 6)) {
				snprintf(s, sizeof s, "%s jobs' p95 wait", r->scope[k] + 6);
				n += tradeoff(f, r, u, c.best, c.runner, r->scope[k], "wait_p95", s);
			}
		if (!n)
			n += tradeoff(f, r, u, c.best, c.runner, "all", "wait_p95", "p95 wait");
		n += tradeoff(f, r, u, c.best, c.runner, "all", "burst_cost", "burst nodes' cost");
		n += tradeoff(f, r, u, c.best, c.runner, "all", "lost_revenue", "revenue lost");
		n += tradeoff(f, r, u, c.best, c.runner, "all", "preemptions", "preemptions");
		n += tradeoff(f, r, u, c.best, c.runner, "all", "profit", "profit");
		if (!n) {
			snprintf(s, sizeof s, "%s and %s differ by less than %.0f%% on every figure above", best,
				 r->policy[c.runner], 100 * DIFF_RATIO);
			fputs("<li>", f);
			rh_text(f, s);
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}

	fputs("<h3>Why each policy did as it did</h3>\n<ul id=\"mechanisms\">\n", f);
	for (int p = 0; p < r->npolicies; p++) {
		char a[96], b[96];
		explain(r, u, p, s, sizeof s, tags, sizeof tags);
		fputs("<li data-policy=\"", f);
		rh_text(f, r->policy[p]);
		fputs("\" data-mechanisms=\"", f);
		rh_text(f, tags);
		fputs("\"><b>", f);
		rh_text(f, r->policy[p]);
		fputs("</b> (p95 wait ", f);
		rh_text(f, fig(r, u, r->policy[p], "all", "wait_p95", a, sizeof a));
		fputs(", profit ", f);
		rh_text(f, fig(r, u, r->policy[p], "all", "profit", b, sizeof b));
		fputs("): ", f);
		rh_text(f, s);
		fputs(".</li>\n", f);
	}
	snprintf(s, sizeof s,
		 "Written from summary.csv by fixed rules: head-of-line blocking is named from %.0f%% of the time, idle "
		 "burst nodes from %.0f%% of their GPU-hours, lost demand from %.0f%% of the arrivals, a trade-off "
		 "where two policies are %.0f%% apart. Figures are means ± %g%% half-widths.",
		 100 * HOL_SHARE, 100 * BURST_IDLE, 100 * LOST_SHARE, 100 * DIFF_RATIO, 100 * r->confidence);
	fputs("</ul>\n<p class=\"note\">", f);
	rh_text(f, s);
	fputs("</p>\n</section>\n", f);
}
