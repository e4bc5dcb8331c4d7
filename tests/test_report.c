/* test_report.c - a results folder read back (results.c), the plot data and scripts
 * written from it (plots.c, without running gnuplot) and report.html (report.c), on a
 * small hand-made folder whose every number is known. */
#include <stdlib.h>
#include <unistd.h>

#include "plots.h"
#include "report.h"
#include "results.h"
#include "test.h"

static char dir[] = "/tmp/fgsim-test-report.XXXXXX";

static void put(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static char *get(const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return results_read_file(path, NULL);
}

static int contains(const char *text, const char *part)
{
	int ok = text && strstr(text, part);
	if (!ok)
		fprintf(stderr, "  (text lacks \"%s\")\n", part);
	return ok;
}

static const char summary[] =
	"policy,scope,metric,mean,half_width,n\n"
	"fcfs,all,wait_p95,1737.593177,566.2054559,10\n"
	"fcfs,all,wait_max,12200,4048,10\n"
	"fcfs,all,p_wait,0.2,0.05,10\n"
	"fcfs,all,utilization,0.4767721982,0.009494562497,10\n"
	"fcfs,all,revenue,50092.1197,1956.902968,10\n"
	"fcfs,all,cost,44236.8,0,10\n"
	"fcfs,all,profit,5855.319697,1956.902968,10\n"
	"fcfs,class:inference,wait_p95,1291,491,10\n"
	"fcfs,pool:l4,utilization,0.2276684196,0.02280765999,10\n"
	"fcfs,window:flash-sale,utilization,0.62,0.067,10\n"
	"\"pri,ority\",all,wait_p95,0,0,10\n"
	"\"pri,ority\",all,wait_max,3000,100,10\n"
	"\"pri,ority\",all,p_wait,0.01,0.001,10\n"
	"\"pri,ority\",all,utilization,0.5161,0.018,10\n"
	"\"pri,ority\",all,revenue,51211,2223,10\n"
	"\"pri,ority\",all,cost,44236.8,0,10\n"
	"\"pri,ority\",all,profit,6974,2223,10\n"
	"\"pri,ority\",class:inference,wait_p95,0,0,10\n"
	"\"pri,ority\",pool:l4,utilization,0.3062,0.0034,10\n"
	"\"pri,ority\",window:flash-sale,utilization,0.717,0.064,10\n";

static const char compare[] = "policy,scope,metric,diff_mean,half_width,n\n"
			      "\"pri,ority\",all,wait_p95,-1737.6,566.2,10\n"
			      "\"pri,ority\",all,profit,1119,333,10\n"
			      "\"pri,ority\",all,revenue,1119,2000,10\n";

static const char run_json[] =
	"{\"fgsim_version\": \"0.1.0\", \"name\": \"x&y\", \"replications\": 10, \"confidence\": 0.95,\n"
	" \"scenario\": {\"name\": \"x&y\", \"currency\": \"EUR\", \"run\": {\"horizon\": \"3d\", \"warmup\": \"12h\"},\n"
	"  \"cluster\": {\"pools\": [{\"name\": \"l4\", \"nodes\": 32}]},\n"
	"  \"promotions\": [{\"name\": \"flash-sale\", \"start\": \"1d 20:00\", \"duration\": \"4h\", \"discount\": 0.5}]}}\n";

/* Two samples, two replications of fcfs and one of the other policy. */
static const char timeseries[] = "policy,replication,t,queued,running,busy_gpus,utilization,arrivals_per_h,price_factor,"
				 "burst_nodes,busy_gpus:l4\n"
				 "fcfs,0,0,0,0,0,0,0,1,0,0\nfcfs,0,3600,4,1,1,0.5,10,0.5,0,1\n"
				 "fcfs,1,0,2,0,0,0.2,0,1,0,0\nfcfs,1,3600,6,1,1,0.7,10,0.5,0,1\n"
				 "\"pri,ority\",0,0,1,0,0,0,0,1,0,0\n\"pri,ority\",0,3600,3,1,1,0.25,10,0.5,0,1\n";

/* fcfs: 80% waited 0 (70% to 90% by replication), 15% about 1 s, the rest about 1000 s */
static const char wait_hist[] = "policy,scope,lower,upper,count,cdf,cdf_min,cdf_max\n"
				"fcfs,all,0,0,80,0.8,0.7,0.9\n"
				"fcfs,all,1,1.04,15,0.95,0.9,1\n"
				"fcfs,all,1000,1044,5,1,1,1\n"
				"\"pri,ority\",all,0,0,9,0.9,0.9,0.9\n"
				"\"pri,ority\",all,2,2.08,1,1,1,1\n";

int main(void)
{
	char err[512], *f[8], line[] = "a,\"b,\"\"c\"\"\",,d\n";
	CHECK_INT(results_csv_split(line, f, 8), 4);
	CHECK_STR(f[1], "b,\"c\"");
	CHECK_STR(f[2], "");
	CHECK_STR(f[3], "d");
	CHECK(isnan(results_csv_number("")));
	CHECK(isnan(results_csv_number("1x")));
	CHECK_NEAR(results_csv_number("2.5e3"), 2500, 0);

	CHECK(mkdtemp(dir) != NULL);
	results r;
	CHECK_INT(results_load(&r, dir, err, sizeof err), -2); /* no summary.csv */
	results_free(&r);
	put("summary.csv", "a,b\n1,2\n");
	CHECK_INT(results_load(&r, dir, err, sizeof err), -2);
	CHECK(contains(err, "no column \"policy\""));
	results_free(&r);

	put("summary.csv", summary);
	put("compare.csv", compare);
	put("run.json", run_json);
	put("timeseries.csv", timeseries);
	put("wait_hist.csv", wait_hist);
	CHECK_INT(results_load(&r, dir, err, sizeof err), 0);
	CHECK_INT(r.npolicies, 2);
	CHECK_STR(r.policy[0], "fcfs");
	CHECK_STR(r.policy[1], "pri,ority");
	CHECK_INT(r.nscopes, 3);
	CHECK_STR(r.scope[2], "window:flash-sale");
	CHECK_STR(r.name, "x&y");
	CHECK_STR(r.currency, "EUR");
	CHECK_NEAR(r.horizon, 3 * 86400, 0);
	CHECK_NEAR(r.warmup, 12 * 3600, 0);
	CHECK_INT(r.replications, 10);
	CHECK_INT(r.npromos, 1);
	CHECK_NEAR(r.promo[0].start, 86400 + 20 * 3600, 0);
	CHECK_NEAR(r.promo[0].end, 2 * 86400, 0);
	CHECK(r.has_timeseries && !r.has_jobs && r.has_wait_hist);
	const results_row *row = results_summary(&r, "pri,ority", "all", "profit");
	CHECK(row && row->mean == 6974 && row->hw == 2223 && row->n == 10);
	CHECK(results_compare(&r, "pri,ority", "all", "profit") != NULL);
	CHECK(results_summary(&r, "fcfs", "all", "nothing") == NULL);

	/* Without gnuplot on PATH: data and scripts, no images, every plot counted missing. */
	char *path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	setenv("PATH", "/nonexistent", 1);
	plots_set set;
	FILE *warn = tmpfile();
	CHECK_INT(plots_write(&r, &set, warn, err, sizeof err), 6);
	CHECK_INT(set.n, 6);
	CHECK_INT(set.drawn, 0);
	CHECK_INT(set.gnuplot, 0);
	char *ts = get("plots/queue_over_time.dat");
	/* fcfs at t = 1 h: queue (4 + 6) / 2 +- t(0.975, 1) sd / sqrt(2) = 12.706, price 0.5;
	 * the other policy from one replication, its interval the mean itself */
	CHECK(contains(ts, "0.04166666667 5 -7.706204736 17.70620474 0.5\n"));
	CHECK(contains(ts, "# policy pri,ority, 1 replications\n0 1 1 1 1\n0.04166666667 3 3 3 0.5\n"));
	free(ts);
	char *ut = get("plots/utilization_over_time.dat");
	CHECK(contains(ut, "0.04166666667 60 "));
	free(ut);
	/* the promotion lies past every sample: no zoom */
	char *zoom = get("plots/window_flash-sale.dat");
	CHECK(zoom == NULL);
	free(zoom);
	char *pool = get("plots/utilization_by_pool.dat");
	/* the value labels in the report's number style, the same decimals for every bar */
	CHECK(contains(pool, "\"l4\" \"\" 22.76684196 2.280765999 30.62 0.34 \"22.77\" \"30.62\"\n"));
	CHECK(contains(pool, "\"all, during flash-sale\" \"\" 62 6.7 71.7 6.4 \"62.00\" \"71.70\"\n"));
	free(pool);
	char *pgp = get("plots/utilization_by_pool.gp"); /* tics from the range, not 0, 20, 100 */
	CHECK(contains(pgp, "set yrange [0:87.472]\nset ytics 0, 20\nset format y \"%.0f\"\n"));
	free(pgp);
	char *money = get("plots/money_by_policy.dat");
	CHECK(contains(money, "\"fcfs\" \"\" 50.0921197 1.956902968 44.2368 0 5.855319697 1.956902968 "
			      "\"50.09\" \"44.24\" \"5.86\"\n"));
	free(money);
	char *cdf = get("plots/wait_cdf.gp");
	CHECK(contains(cdf, "CDF per policy (wait_hist.csv)"));
	CHECK(contains(cdf, "set yrange [0:1.001]"));
	CHECK(contains(cdf, "'pri,ority'"));
	free(cdf);
	char *wait = get("plots/wait_cdf.dat");
	/* fcfs from the left edge (1 s: the zeros' 80%, 70% to 90% by replication) to the
	 * decade above the longest wait, each point with its band */
	CHECK(contains(wait, "# policy fcfs, scope all\n1 0.8 0.7 0.9\n1.04 0.95 0.9 1\n1044 1 1 1\n10000 1 1 1\n"));
	CHECK(contains(wait, "# policy pri,ority, scope all\n1 0.9 0.9 0.9\n2.08 1 1 1\n"));
	free(wait);
	char *gp = get("plots/money_by_policy.gp");
	CHECK(contains(gp, "set ylabel 'thousand EUR over the measured 2.5 days'"));
	free(gp);
	if (path)
		setenv("PATH", path, 1);
	free(path);

	CHECK_INT(report_write(&r, &set, err, sizeof err), 0);
	char *html = get("report.html");
	CHECK(contains(html, "<title>fgsim report: x&amp;y</title>"));
	CHECK(contains(html, "<td class=\"num\">50,092 ± 1,957</td>"));
	CHECK(contains(html, "<td class=\"num\">5,855 ± 1,957</td>"));
	CHECK(contains(html, "p95 wait (min)</th>"));
	/* four significant digits of the column's largest, the same decimals down it */
	CHECK(contains(html, "<td class=\"num\">28.96 ± 9.44</td>"));
	CHECK(contains(html, "<td class=\"num\">0.00 ± 0.00</td>"));
	/* a column of zeros is left out and named */
	CHECK(!contains(html, "<th>p50 wait"));
	CHECK(contains(html, "Zero in every row (not shown): mean wait, p50 wait, p99 wait, abandoned.</p>"));
	/* the summary first, naming a policy */
	CHECK(strstr(html, "<section") == strstr(html, "<section id=\"summary\">"));
	CHECK(contains(html, "Recommended: <b class=\"policy\">"));
	CHECK(contains(html, "<h3 id=\"capacity\">Money and capacity</h3>"));
	CHECK(contains(html, "<td class=\"num\">47.68 ± 0.95</td>"));
	/* paired differences: shorter waits and more profit are better when significant,
	 * revenue's interval covers zero */
	CHECK(contains(html, "<td class=\"num better\">-28.96 ± 9.44</td>"));
	CHECK(contains(html, "<td class=\"num better\">+1,119 ± 333</td>"));
	CHECK(contains(html, "<td class=\"num\">+1,119 ± 2,000</td>"));
	CHECK(contains(html, "gnuplot was not found"));
	CHECK(contains(html, "flash-sale: from 1d 20h to 2d after the start"));
	CHECK(!strstr(html, "<script"));
	free(html);
	results_free(&r);
	fclose(warn);

	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0);
	return test_report("test_report");
}
