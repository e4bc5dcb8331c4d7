/* report.c - writes report.html from a results folder read back by results.c, with the
 * plots' SVG inlined (ids prefixed per plot, since every gnuplot SVG defines the same
 * ids and one page may hold only one of each). Every number is the mean ± its
 * confidence half-width in numfmt's style (report_table.c, report_html.c). */
#include "report.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gnuplot.h"
#include "metrics.h"
#include "names.h"
#include "numfmt.h"
#include "outfile.h"
#include "report_html.h"
#include "report_summary.h"
#include "report_table.h"
#include "units.h"

static const rt_col key_cols[] = {
	{"wait_mean", "mean wait", -1},    {"wait_p50", "p50 wait", -1},      {"wait_p95", "p95 wait", -1},
	{"wait_p99", "p99 wait", -1},      {"abandon_rate", "abandoned", -1}, {"utilization", "utilisation", +1},
	{"revenue", "revenue", +1},        {"cost", "cost", -1},              {"profit", "profit", +1},
};

/* Every money and capacity figure the model has; a column of zeros is left out. */
static const rt_col capacity_cols[] = {
	{"lost_revenue", "lost revenue", -1},
	{"burst_cost", "burst cost", -1},
	{"burst_gpu_hours", "burst GPU-hours", 0},
	{"burst_idle_gpu_hours", "burst idle", -1},
	{"burst_nodes_peak", "burst nodes peak", 0},
	{"preemptions", "preemptions", -1},
	{"lost_gpu_hours", "work lost", -1},
	{"balked", "balked", -1},
	{"killed", "killed", -1},
	{"fragmentation_gpus", "fragmented", -1},
	{"hol_blocked_share", "head blocked", -1},
	{"hol_idle_gpu_hours", "idle behind head", -1},
};

static const rt_col class_cols[] = {
	{"jobs_done", "jobs done", 0},       {"wait_mean", "mean wait", -1},
	{"wait_p95", "p95 wait", -1},        {"wait_p99", "p99 wait", -1},
	{"abandon_rate", "abandoned", -1},   {"slowdown_mean", "mean slowdown", -1},
	{"balked", "balked", -1},            {"preemptions", "preemptions", -1},
	{"lost_gpu_hours", "work lost", -1}, {"killed", "killed", -1},
	{"lost_revenue", "lost revenue", -1},
};

static const rt_col pool_cols[] = {
	{"jobs_done", "jobs done", 0},
	/* jobs that outlast the horizon: the GPU-hours and revenue of a pool with none done */
	{"in_system_end", "running at the end", 0},
	{"wait_p95", "p95 wait", -1},
	{"utilization", "utilisation", +1},    {"gpu_hours", "GPU-hours", 0},
	{"revenue", "revenue", +1},            {"cost", "cost", -1},
	{"profit", "profit", +1},              {"burst_gpu_hours", "burst GPU-hours", 0},
	{"burst_idle_gpu_hours", "burst idle", -1}, {"burst_cost", "burst cost", -1},
	{"burst_nodes_peak", "burst nodes peak", 0}, {"lost_gpu_hours", "work lost", -1},
	{"killed", "killed", -1},
};

static const rt_col window_cols[] = {
	{"arrivals", "arrivals", 0},         {"wait_p50", "p50 wait", -1},
	{"wait_p95", "p95 wait", -1},        {"wait_p99", "p99 wait", -1},
	{"abandon_rate", "abandoned", -1},   {"utilization", "utilisation", +1},
	{"revenue", "revenue", +1},          {"profit", "profit", +1},
	{"lost_revenue", "lost revenue", -1}, {"burst_cost", "burst cost", -1},
	{"hol_blocked_share", "head blocked", -1},
};

/* The failure, spot and checkpoint figures (metrics.h's F metrics): the work kept and
 * what took the rest, then what broke. */
static const rt_col fault_cols[] = {
	{"gpu_hours", "run", 0},
	{"goodput_gpu_hours", "goodput", +1},
	{"checkpoint_gpu_hours", "checkpoints", -1},
	{"lost_gpu_hours", "work lost", -1},
	{"node_availability", "node availability", +1},
	{"failures", "failures", -1},
	{"reclaims", "reclaims", -1},
	{"interrupted", "interrupted", -1},
	{"failed", "failed", -1},
};

static const rt_col fault_class_cols[] = {
	{"gpu_hours", "run", 0},
	{"goodput_gpu_hours", "goodput", +1},
	{"checkpoint_gpu_hours", "checkpoints", -1},
	{"lost_gpu_hours", "work lost", -1},
	{"interrupted", "interrupted", -1},
	{"failed", "failed", -1},
};

/* per pool, what broke first: availability is the figure a pool's capacity plan needs */
static const rt_col fault_pool_cols[] = {
	{"node_availability", "node availability", +1},
	{"failures", "failures", -1},
	{"reclaims", "reclaims", -1},
	{"interrupted", "interrupted", -1},
	{"failed", "failed", -1},
	{"gpu_hours", "run", 0},
	{"goodput_gpu_hours", "goodput", +1},
	{"checkpoint_gpu_hours", "checkpoints", -1},
	{"lost_gpu_hours", "work lost", -1},
};

/* The run report's own rules, after report_html.c's shared ones: warnings, inline SVG
 * figures, and print. */
static const char css[] =
	".warn{background:#fff4e0;border-left:4px solid #e69f00;padding:6px 10px;margin:10px 0}\n"
	"figure{margin:22px 0;page-break-inside:avoid;break-inside:avoid}\n"
	"figure svg{width:100%;height:auto;display:block;border:1px solid #e3e3e6}\n"
	"@media print{body{max-width:none;padding:0;font-size:12px}nav{display:none}h2{break-after:avoid}"
	"table{font-size:11px}}\n";

/* ---- the scenario, from run.json ---------------------------------------------------- */

/* A JSON value in one line of text: long number lists (a daily profile) summarised. */
static void json_inline(FILE *f, const json_t *j)
{
	char b[96];
	const char *key;
	const json_t *v;
	switch (j ? json_typeof(j) : JSON_NULL) {
	case JSON_NULL: fputs("–", f); break;
	case JSON_TRUE: fputs("yes", f); break;
	case JSON_FALSE: fputs("no", f); break;
	case JSON_INTEGER:
	case JSON_REAL:
		snprintf(b, sizeof b, "%.6g", json_number_value(j));
		rh_text(f, b);
		break;
	case JSON_STRING: rh_text(f, json_string_value(j)); break;
	case JSON_ARRAY: {
		size_t n = json_array_size(j), nums = 0;
		double lo = INFINITY, hi = -INFINITY, sum = 0;
		for (size_t i = 0; i < n; i++) {
			v = json_array_get(j, i); /* json_is_number evaluates its argument twice */
			if (json_is_number(v)) {
				double x = json_number_value(v);
				nums++;
				lo = fmin(lo, x);
				hi = fmax(hi, x);
				sum += x;
			}
		}
		if (n > 8 && nums == n) {
			snprintf(b, sizeof b, "%zu values, %.4g to %.4g, mean %.4g", n, lo, hi, sum / (double)n);
			rh_text(f, b);
			break;
		}
		for (size_t i = 0; i < n; i++) {
			fputs(i ? ", " : "", f);
			json_inline(f, json_array_get(j, i));
		}
		break;
	}
	case JSON_OBJECT: {
		runjson_iter k = runjson_each(j);
		for (int i = 0; (v = runjson_next(&k, &key)); i++) {
			fputs(i ? "; " : "", f);
			rh_text(f, key);
			fputs(" ", f);
			json_inline(f, v);
		}
		break;
	}
	}
}

/* A list of groups (pools, classes, promotions) as a table, one column per key that
 * any of them has, in the order they first appear. */
static void json_table(FILE *f, const json_t *list)
{
	const char *key[32], *name, *unused;
	const json_t *g, *v;
	int nk = 0;
	runjson_iter gi = runjson_each(list);
	while ((g = runjson_next(&gi, &unused))) {
		runjson_iter mi = runjson_each(json_is_object(g) ? g : NULL);
		while (runjson_next(&mi, &name)) {
			int seen = 0;
			for (int k = 0; k < nk && !seen; k++)
				seen = !strcmp(key[k], name);
			if (!seen && nk < 32)
				key[nk++] = name; /* the tree's own key: lives as long as r->run */
		}
	}
	if (!nk) {
		fputs("<p>", f);
		json_inline(f, list);
		fputs("</p>\n", f);
		return;
	}
	/* the keys whose values carry no unit of their own in the scenario */
	static const char *const unit[][2] = {{"memory", "MiB"},        {"memory_per_node", "MiB"},
					      {"cpus", "cores"},        {"cpus_per_node", "cores"}};
	fputs("<table><thead><tr>", f);
	for (int k = 0; k < nk; k++) {
		fputs("<th class=\"l\">", f);
		rh_text(f, key[k]);
		for (size_t u = 0; u < sizeof unit / sizeof *unit; u++)
			if (!strcmp(key[k], unit[u][0]))
				fprintf(f, " (%s)", unit[u][1]);
		fputs("</th>", f);
	}
	fputs("</tr></thead><tbody>\n", f);
	gi = runjson_each(list);
	while ((g = runjson_next(&gi, &unused))) {
		fputs("<tr>", f);
		for (int k = 0; k < nk; k++) {
			fputs("<td class=\"l\">", f);
			if ((v = json_object_get(g, key[k])))
				json_inline(f, v);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

static void kv(FILE *f, const char *k, const json_t *v)
{
	if (!v)
		return;
	fputs("<tr><td>", f);
	rh_text(f, k);
	fputs("</td><td>", f);
	json_inline(f, v);
	fputs("</td></tr>\n", f);
}

static void kv_text(FILE *f, const char *k, const char *v)
{
	fputs("<tr><td>", f);
	rh_text(f, k);
	fputs("</td><td>", f);
	rh_text(f, v);
	fputs("</td></tr>\n", f);
}

/* One list of groups from the scenario, under a heading, when the scenario has it. */
static void scenario_list(FILE *f, const json_t *sc, const char *path, const char *heading)
{
	const json_t *l = runjson_path(sc, path);
	if (!runjson_size(l))
		return;
	fputs("<h3>", f);
	rh_text(f, heading);
	fputs("</h3>\n", f);
	json_table(f, l);
}

/* The cluster's pools: the scenario's list, or for a cluster read from a node list
 * (cluster.nodes_file, whose pools the scenario does not list) the pools run.json says
 * it gave, with the group's cost and price; else the cluster group in a table of its
 * own (a row written after the scenario table closed stood loose on the page). */
static void write_pools(FILE *f, const results *r)
{
	const json_t *sc = r->scenario, *cl = json_object_get(sc, "cluster"), *nf, *pools, *g, *v;
	const char *unused;
	if (runjson_path(sc, "cluster.pools")) {
		scenario_list(f, sc, "cluster.pools", "Pools");
		return;
	}
	nf = json_object_get(r->run, "nodes_file");
	if (!runjson_size(pools = json_object_get(nf, "pool_list"))) {
		if (cl) {
			fputs("<h3>Cluster</h3>\n<table class=\"kv\"><tbody>\n", f);
			kv(f, "cluster", cl);
			fputs("</tbody></table>\n", f);
		}
		return;
	}
	fputs("<h3>Pools</h3>\n<table><thead><tr><th class=\"l\">pool</th><th class=\"l\">GPU</th>"
	      "<th>nodes</th><th>GPUs per node</th><th>GPUs</th><th>cost per GPU-hour</th>"
	      "<th>price per GPU-hour</th><th>minimum billing</th></tr></thead><tbody>\n", f);
	runjson_iter gi = runjson_each(pools);
	while ((g = runjson_next(&gi, &unused))) {
		fputs("<tr><td class=\"l\">", f);
		json_inline(f, json_object_get(g, "name"));
		fputs("</td><td class=\"l\">", f);
		json_inline(f, json_object_get(g, "gpu"));
		fputs("</td><td class=\"num\">", f);
		json_inline(f, json_object_get(g, "nodes"));
		fputs("</td><td class=\"num\">", f);
		/* [[nodes, GPUs each], ...], the largest first: "8" or "1 x 4 + 1 x 2" */
		const json_t *sizes = json_object_get(g, "sizes"), *pair;
		runjson_iter si = runjson_each(sizes);
		for (int i = 0; (pair = runjson_next(&si, &unused)); i++) {
			if (runjson_size(sizes) > 1) {
				fputs(i ? " + " : "", f);
				json_inline(f, json_array_get(pair, 0));
				fputs(" x ", f);
			}
			json_inline(f, json_array_get(pair, 1));
		}
		fputs("</td><td class=\"num\">", f);
		json_inline(f, json_object_get(g, "gpus"));
		static const char *const money[] = {"cost_per_gpu_hour", "price_per_gpu_hour",
						    "minimum_billing"};
		for (int k = 0; k < 3; k++) {
			fputs("</td><td class=\"num\">", f);
			if ((v = json_object_get(cl, money[k])))
				json_inline(f, v);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody></table>\n<p class=\"note\">Read from the node list ", f);
	json_inline(f, json_object_get(nf, "file"));
	fputs(" (", f);
	json_inline(f, json_object_get(nf, "rows"));
	fputs(" rows; ", f);
	json_inline(f, json_object_get(nf, "cpu_only_skipped"));
	fputs(" CPU-only nodes left out): one pool per GPU model, each with the cluster group's cost, "
	      "price and minimum billing.</p>\n", f);
}

static void write_scenario(FILE *f, const results *r)
{
	const json_t *sc = r->scenario, *run = r->run;
	char b[200];
	fputs("<section id=\"scenario\"><h2>Scenario</h2>\n<table class=\"kv\"><tbody>\n", f);
	kv_text(f, "name", r->name);
	kv(f, "scenario file", json_object_get(run, "scenario_file"));
	kv(f, "horizon", runjson_path(sc, "run.horizon"));
	kv(f, "warm-up (not measured)", runjson_path(sc, "run.warmup"));
	kv(f, "warm-up chosen by MSER-5 (s)", runjson_path(r->run, "warmup.seconds"));
	snprintf(b, sizeof b, "%d, confidence level %g%%", r->replications, 100 * r->confidence);
	kv_text(f, "replications", b);
	kv(f, "seed", json_object_get(run, "seed"));
	kv_text(f, "currency", r->currency);
	kv(f, "arrivals", runjson_path(sc, "workload.arrivals"));
	kv(f, "placement", json_object_get(sc, "placement"));
	fputs("<tr><td>policies</td><td>", f);
	for (int i = 0; i < r->npolicies; i++) {
		fputs(i ? ", " : "", f);
		rh_text(f, r->policy[i]);
	}
	fputs(r->npolicies > 1 ? " (the first is the baseline of the comparison)" : "", f);
	fputs("</td></tr>\n</tbody></table>\n", f);
	write_pools(f, r);
	scenario_list(f, sc, "workload.classes", "Classes");
	scenario_list(f, sc, "promotions", "Promotions");
	if (!r->run)
		fprintf(f, "<p class=\"warn\">No scenario details: %s.</p>\n", "run.json could not be read");
	fputs("</section>\n", f);
}

/* ---- plots ------------------------------------------------------------------------ */

/* Copies a gnuplot SVG into the page from its <svg> element on, with every id and
 * reference to one prefixed: gnuplot gives every plot the same ids (gpDot, gpPt0,
 * ...), and inlined side by side they would clash. Inlined rather than linked so that
 * report.html is one self-contained page. Returns 0, or -1 when the file holds no
 * <svg>. */
static int embed_svg(FILE *f, const char *text, const char *prefix, const char *label)
{
	const char *s = strstr(text, "<svg");
	if (!s)
		return -1;
	fputs("<svg role=\"img\" aria-label=\"", f);
	rh_text(f, label);
	fputc('"', f);
	s += 4;
	static const char *const refs[] = {"id='", "id=\"", "href='#", "href=\"#", "url(#"};
	while (*s) {
		size_t i, len = 0;
		for (i = 0; i < sizeof refs / sizeof *refs; i++) {
			len = strlen(refs[i]);
			/* an attribute only: id= after a space, not the end of another name */
			if (!strncmp(s, refs[i], len) && (refs[i][0] != 'i' || isspace((unsigned char)s[-1])))
				break;
		}
		if (i < sizeof refs / sizeof *refs) {
			fwrite(s, 1, len, f);
			fputs(prefix, f);
			s += len;
		} else {
			fputc(*s++, f);
		}
	}
	fputc('\n', f);
	return 0;
}

static void write_plots(FILE *f, const results *r, const plots_set *set)
{
	fputs("<section id=\"plots\"><h2>Plots</h2>\n", f);
	if (!set->gnuplot)
		fputs("<p class=\"warn\">gnuplot was not found, so the plots were not drawn. Install it "
		      "(<code>apt-get install gnuplot-nox</code>) and run <code>fgsim plot</code> on this folder; "
		      "their data and scripts are already in <code>plots/</code>.</p>\n",
		      f);
	fputs("<p class=\"note\">Each plot is also in <code>plots/</code> as PNG and SVG, with the data file "
	      "(<code>.dat</code>) and gnuplot script (<code>.gp</code>) that draw it: edit the script and run "
	      "<code>gnuplot NAME.gp</code> there to restyle it.</p>\n",
	      f);
	for (int i = 0; i < set->n; i++) {
		const plots_plot *p = &set->plot[i];
		char path[4400], prefix[48];
		if (!p->drawn)
			continue;
		snprintf(path, sizeof path, "%s/plots/%s.svg", r->dir, p->name);
		snprintf(prefix, sizeof prefix, "p%d-", i);
		char *svg = results_read_file(path, NULL);
		fprintf(f, "<figure id=\"plot-%s\">\n", p->name);
		if (!svg || embed_svg(f, svg, prefix, p->title))
			fprintf(f, "<p class=\"warn\">plots/%s.svg could not be read.</p>\n", p->name);
		free(svg);
		fputs("<figcaption><b>", f);
		rh_text(f, p->title);
		fputs(".</b> ", f);
		rh_text(f, p->caption);
		fprintf(f, " <span class=\"note\">(plots/%s.png, .svg, .gp, .dat)</span></figcaption>\n</figure>\n",
			p->name);
	}
	fputs("</section>\n", f);
}

/* ---- the page ----------------------------------------------------------------------- */

/* Per key metric, the best policy and those statistically indistinguishable from it,
 * as run.json's "best" records them (output.c, ranking.h). Nothing when it is absent. */
static void write_best(FILE *f, const results *r)
{
	const json_t *b = json_object_get(r->run, "best"), *list = json_object_get(b, "metrics");
	if (!json_is_array(list) || !json_array_size(list))
		return;
	char t[400];
	fputs("<h3>Best policy per key metric</h3>\n<table><thead><tr><th class=\"l\">metric (all jobs)</th>"
	      "<th class=\"l\">better</th><th class=\"l\">best</th><th class=\"l\">statistically indistinguishable "
	      "from the best</th></tr></thead><tbody>\n",
	      f);
	for (size_t i = 0; i < json_array_size(list); i++) {
		const json_t *m = json_array_get(list, i), *same = json_object_get(m, "indistinguishable");
		const char *best = runjson_str(json_object_get(m, "best"), "–");
		fputs("<tr><td class=\"l\">", f);
		rh_text(f, runjson_str(json_object_get(m, "metric"), "?"));
		fputs("</td><td class=\"l\">", f);
		rh_text(f, runjson_str(json_object_get(m, "better"), ""));
		fputs("</td><td class=\"l\">", f);
		rh_text(f, best);
		fputs("</td><td class=\"l\">", f);
		int others = 0;
		for (size_t k = 0; k < json_array_size(same); k++) { /* 0 for a non-array */
			const char *name = runjson_str(json_array_get(same, k), "");
			if (!strcmp(name, best))
				continue;
			fputs(others++ ? ", " : "", f);
			rh_text(f, name);
		}
		if (!others)
			rh_text(f, "none: the best is ahead of every other policy");
		fputs("</td></tr>\n", f);
	}
	snprintf(t, sizeof t,
		 "Each policy minus the best, paired replication by replication; %.0f simultaneous intervals "
		 "(Bonferroni: each at %.4g%%, so that all hold together at %g%%). A policy whose interval contains "
		 "zero cannot be told apart from the best. Source: run.json (\"best\").",
		 runjson_num(json_object_get(b, "comparisons"), 0), 100 * runjson_num(json_object_get(b, "level"), NAN), 100 * r->confidence);
	fputs("</tbody></table>\n<p class=\"note\">", f);
	rh_text(f, t);
	fputs("</p>\n", f);
}

/* Whether summary.csv has the failure metrics: the run wrote them because its scenario
 * has failures, spot pools, maintenance or checkpoints (metric_shown), and only then. */
static int has_faults(const results *r)
{
	for (int m = 0; m < M_COUNT; m++)
		if (strchr(metric_scopes[m], 'F') &&
		    results_summary(r, r->policy[0], "all", metric_names[m]))
			return 1;
	return 0;
}

/* The failures section, for a scenario that has them: per policy, per class and (where
 * the scopes exist: more than one pool) per pool. */
static void write_faults(FILE *f, const results *r, const rh_units *pu, rt_row *rows)
{
	rt_row *sr;
	int n, np = r->npolicies;
	fputs("<section id=\"failures\"><h2>Failures, spot and checkpoints</h2>\n", f);
	for (int i = 0; i < np; i++)
		rows[i] = (rt_row){NULL, r->policy[i], "all"};
	rt_metric_table(f, r, pu, NULL, rows, np, fault_cols, RT_NCOLS(fault_cols), 0);
	fputs("<p class=\"note\">Goodput: the GPU-hours of work kept, the GPU-hours run less "
	      "the work lost and the checkpoints' pauses. Work lost: runs since their last "
	      "checkpoint that a node failure, a spot reclamation or a preemptive maintenance "
	      "stopped, their reloading, and the restarts of preempted jobs. Node availability: "
	      "the share of the pools' own nodes' time in service (burst nodes left out). "
	      "Failures and reclaims count nodes; interrupted, the runs they stopped; failed, "
	      "the jobs that ended there (on_failure = \"fail\"). All in the measured time. "
	      "Source: summary.csv.</p>\n",
	      f);
	if ((n = rt_scope_rows(r, "class:", &sr)) > 0) {
		fputs("<h3>Per class</h3>\n", f);
		rt_metric_table(f, r, pu, "class", sr, n, fault_class_cols,
				RT_NCOLS(fault_class_cols), 0);
	}
	free(sr);
	if ((n = rt_scope_rows(r, "pool:", &sr)) > 0) {
		fputs("<h3>Per pool</h3>\n", f);
		rt_metric_table(f, r, pu, "pool", sr, n, fault_pool_cols,
				RT_NCOLS(fault_pool_cols), 0);
		fputs("<p class=\"note\">A pool's figures are those of the jobs that ran on "
		      "it: a training run interrupted on the spot pool counts there, wherever it "
		      "resumed.</p>\n",
		      f);
	}
	free(sr);
	fputs("</section>\n", f);
}

static void write_page(FILE *f, const results *r, const plots_set *set)
{
	int np = r->npolicies;
	FG_ASSERT(np > 0); /* results_load refuses a summary.csv without policies */
	rt_row *rows = malloc((size_t)(np > 0 ? np : 1) * sizeof *rows), *sr;
	int n, faults = has_faults(r);
	char b[300];
	rh_units pu;
	rh_units_of(r, &pu);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>fgsim report: ",
	      f);
	rh_text(f, r->name);
	fprintf(f, "</title>\n<style>\n%s%s</style>\n</head>\n<body>\n<header>\n<h1>", rh_css, css);
	rh_text(f, r->name);
	fputs("</h1>\n<p class=\"sub\">fgsim ", f);
	rh_text(f, runjson_str(json_object_get(r->run, "fgsim_version"), ""));
	fputs(" simulation report · ", f);
	if (r->replications > 1)
		snprintf(b, sizeof b, "%d replications per policy, every figure the mean ± its %g%% confidence half-width",
			 r->replications, 100 * r->confidence);
	else
		snprintf(b, sizeof b, "one replication per policy, so no confidence intervals");
	rh_text(f, b);
	fputs("</p>\n<nav><a href=\"#summary\">Summary</a><a href=\"#scenario\">Scenario</a><a href=\"#results\">Results</a>", f);
	if (faults)
		fputs("<a href=\"#failures\">Failures</a>", f);
	if (np > 1 && r->ncmp)
		fputs("<a href=\"#compare\">Comparison</a>", f);
	fputs("<a href=\"#classes\">Classes</a><a href=\"#pools\">Pools</a>", f);
	if (r->npromos)
		fputs("<a href=\"#windows\">Promotions</a>", f);
	fputs("<a href=\"#plots\">Plots</a></nav>\n</header>\n", f);
	if (r->run_problem[0]) {
		fputs("<p class=\"warn\">", f);
		rh_text(f, r->run_problem);
		fputs("</p>\n", f);
	}
	/* run.json's warnings: an offered load >= 1 means the figures describe a queue that
	 * was still growing when the run stopped, not a steady state. */
	const json_t *warnings = json_object_get(r->run, "warnings");
	if (json_array_size(warnings)) {
		fputs("<p class=\"warn\" id=\"unstable\"><b>Unstable scenario.</b> ", f);
		for (size_t i = 0; i < json_array_size(warnings); i++) {
			rh_text(f, runjson_str(json_array_get(warnings, i), ""));
			fputs(". ", f);
		}
		fputs("The queue grows for as long as the run lasts, so waits, queue lengths and their intervals depend "
		      "on the horizon and describe no steady state; add capacity or lower the load for figures that "
		      "do.</p>\n",
		      f);
	}

	/* a decision first, the evidence after */
	report_summary(f, r, &pu);
	write_scenario(f, r);

	fputs("<section id=\"results\"><h2>Results per policy</h2>\n", f);
	for (int i = 0; rows && i < np; i++)
		rows[i] = (rt_row){NULL, r->policy[i], "all"};
	if (rows)
		rt_metric_table(f, r, &pu, NULL, rows, np, key_cols, RT_NCOLS(key_cols), 0);
	snprintf(b, sizeof b,
		 "All jobs arriving after the warm-up. Waits are over jobs that started service; "
		 "money is in %s from warm-up to horizon.",
		 r->currency);
	fputs("<p class=\"note\">", f);
	rh_text(f, b);
	fputs(" Source: summary.csv.</p>\n", f);
	if (np > 1)
		write_best(f, r);
	if (rows) {
		fputs("<h3 id=\"capacity\">Money and capacity</h3>\n", f);
		rt_metric_table(f, r, &pu, NULL, rows, np, capacity_cols, RT_NCOLS(capacity_cols), 0);
		const char *how = runjson_str(runjson_path(r->run, "fragmentation"), "");
		fputs("<p class=\"note\">Burst idle: GPU-hours burst nodes stood powered with no "
		      "job. Work lost: GPU-hours of runs thrown away when a preempted job restarts, "
		      "or a node failure, reclamation or maintenance stops a run (since its last "
		      "checkpoint). Fragmented: ", f);
		fputs(!strcmp(how, "paper")
			  ? "GPUs free on average where the workload's typical tasks could not use "
			    "them (on a node short of CPU, all its free GPUs; else those with less "
			    "free than a task asks), the fragmentation of Weng et al. (USENIX ATC "
			    "2023). "
			  : "GPUs idle on average while the next job, which would fit in their "
			    "total, waited. ",
		      f);
		fputs("Head blocked: "
		      "share of the time the queue's head could not start while a smaller job behind it would have "
		      "fit; idle behind head: the GPU-hours idle meanwhile. Source: summary.csv.</p>\n",
		      f);
	}
	fputs("</section>\n", f);
	if (faults && rows)
		write_faults(f, r, &pu, rows);

	if (np > 1 && r->ncmp && rows) {
		fputs("<section id=\"compare\"><h2>Each policy against ", f);
		rh_text(f, r->policy[0]);
		fputs("</h2>\n", f);
		for (int i = 1; i < np; i++)
			rows[i - 1] = (rt_row){NULL, r->policy[i], "all"};
		rt_metric_table(f, r, &pu, NULL, rows, np - 1, key_cols, RT_NCOLS(key_cols), 1);
		fputs("<p class=\"note\">The difference (policy − ", f);
		rh_text(f, r->policy[0]);
		fputs(") paired replication by replication: every policy saw the same arrivals, sizes and patience "
		      "(common random numbers), so these intervals are much narrower than the separate ones above. ",
		      f);
		if (np > 2) /* output.c: the k - 1 intervals of each metric are simultaneous */
			fprintf(f, "The %d intervals in each column are simultaneous %g%% intervals (Bonferroni over the "
				   "%d comparisons with %s: each at %.4g%%). Shaded cells: the interval excludes zero — "
				   "green better, red worse ",
				np - 1, 100 * r->confidence, np - 1, r->policy[0], 100 * (1 - (1 - r->confidence) / (np - 1)));
		else
			fprintf(f, "Shaded cells: the %g%% interval excludes zero — green better, red worse ", 100 * r->confidence);
		fputs("(for waits, abandonment and cost lower is better; for utilisation, revenue and profit higher). "
		      "Unshaded: no difference distinguishable at this level. Source: compare.csv.",
		      f);
		fputs("</p>\n</section>\n", f);
	}

	fputs("<section id=\"classes\"><h2>Per class</h2>\n", f);
	if ((n = rt_scope_rows(r, "class:", &sr)) > 0)
		rt_metric_table(f, r, &pu, "class", sr, n, class_cols, RT_NCOLS(class_cols), 0);
	else
		fputs("<p>No per-class rows in summary.csv.</p>\n", f);
	free(sr);
	fputs("<p class=\"note\">Slowdown is response time over service time.</p>\n</section>\n", f);

	fputs("<section id=\"pools\"><h2>Per pool</h2>\n", f);
	if ((n = rt_scope_rows(r, "pool:", &sr)) > 0)
		rt_metric_table(f, r, &pu, "pool", sr, n, pool_cols, RT_NCOLS(pool_cols), 0);
	else
		fputs("<p>No per-pool rows in summary.csv.</p>\n", f);
	free(sr);
	fputs("</section>\n", f);

	if ((n = rt_scope_rows(r, "window:", &sr)) > 0) {
		fputs("<section id=\"windows\"><h2>During promotions</h2>\n", f);
		rt_metric_table(f, r, &pu, "promotion", sr, n, window_cols, RT_NCOLS(window_cols), 0);
		fputs("<p class=\"note\">Jobs that arrived during each promotion's window, and the GPU time and money "
		      "of the window itself.</p>\n",
		      f);
		for (int i = 0; i < r->npromos; i++) {
			char s0[64], s1[64];
			fputs("<p class=\"note\">", f);
			rh_text(f, r->promo[i].name);
			fprintf(f, ": from %s to %s after the start of the run",
				units_format_duration(r->promo[i].start, s0, sizeof s0),
				units_format_duration(r->promo[i].end, s1, sizeof s1));
			/* a repeating one: the line above is only its first occurrence, and the
			 * pooled row covers them all */
			if (r->promo[i].repeat > 0) {
				fprintf(f, ", then every %s, %ld times in the run (the row ",
					units_format_duration(r->promo[i].repeat, s0, sizeof s0),
					r->promo[i].count);
				rh_text(f, r->promo[i].name);
				fputs(" pools them; ", f);
				rh_text(f, r->promo[i].name);
				fputs("#k is the k-th)", f);
			}
			fputs(".</p>\n", f);
		}
		fputs("</section>\n", f);
	}
	free(sr);

	write_plots(f, r, set);

	fputs("<footer><h2>Run</h2>\n<table class=\"kv\"><tbody>\n", f);
	kv(f, "command", json_object_get(r->run, "command"));
	kv(f, "wall time (s)", json_object_get(r->run, "wall_seconds"));
	kv(f, "threads", json_object_get(r->run, "threads"));
	kv(f, "events", json_object_get(r->run, "events"));
	kv(f, "automatic warm-up", json_object_get(r->run, "warmup"));
	kv(f, "precision target", json_object_get(r->run, "precision"));
	kv(f, "random numbers", runjson_path(r->run, "rng.seeding"));
	kv_text(f, "files", "summary.csv, replications.csv, compare.csv (2+ policies), timeseries.csv and jobs.csv "
			    "(when asked for), run.json, plots/");
	fputs("</tbody></table>\n</footer>\n</body>\n</html>\n", f);
	free(rows);
}

int report_write(const results *r, const plots_set *set, char *err, size_t errlen)
{
	outfile o;
	if (outfile_open(&o, r->dir, "report.html"))
		goto fail;
	write_page(o.f, r, set);
	if (outfile_commit(&o))
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "%s/report.html: cannot write: %s", r->dir, strerror(errno));
	outfile_abort(&o);
	return -1;
}

int report_folder(const char *dir, FILE *warn, report_info *info, char *err, size_t errlen)
{
	results r;
	plots_set set;
	char perr[600];
	if (info)
		memset(info, 0, sizeof *info);
	int rc = results_load(&r, dir, err, errlen);
	if (rc)
		return rc;
	if (r.run_problem[0])
		fprintf(warn, "warning: %s; the report leaves out the scenario\n", r.run_problem);
	int missing = plots_write(&r, &set, warn, perr, sizeof perr);
	if (missing < 0) {
		fprintf(warn, "warning: %s; no plots\n", perr);
		memset(&set, 0, sizeof set);
		set.gnuplot = gnuplot_available();
		missing = 1;
	} else if (!set.gnuplot) {
		fprintf(warn, "warning: gnuplot not found: plots not drawn (install gnuplot-nox, then run `fgsim plot %s`)\n",
			dir);
	}
	if (info) {
		info->plots = set.n;
		info->drawn = set.drawn;
		info->gnuplot = set.gnuplot;
	}
	rc = report_write(&r, &set, err, errlen);
	results_free(&r);
	return rc ? -1 : missing ? 1 : 0;
}
