/* test_promos.c - the calendar (promos.c): repeating promotions' arithmetic against a
 * brute-force walk, the window scopes' layout, the loader's checks; arrivals of a
 * recurring promotion and of a weekly profile against the rate's integral (Poisson
 * counts, 99.99% intervals), the weekday offset; burst nodes planned ahead (prewarm,
 * forecast) on timelines worked out by hand; estimate = "history" on a hand-worked
 * sequence. */
#include <math.h>
#include <string.h>

#include "fixture.h"
#include "forecast.h"
#include "platform.h"
#include "promos.h"
#include "test.h"

#define Z4 3.89 /* two-sided 99.99% normal quantile: a Poisson count's interval */

/* ---- arithmetic ------------------------------------------------------------------ */

static double brute_overlap(const promo_spec *p, double a, double b)
{
	double sum = 0;
	for (int k = 0; k < p->nocc; k++) {
		double s = p->start + k * p->repeat, e = s + p->duration;
		double lo = fmax(a, s), hi = fmin(b, e);
		sum += hi > lo ? hi - lo : 0;
	}
	return sum;
}

static void test_overlap_arithmetic(void)
{
	scenario *sc = calloc(1, sizeof *sc);
	sc->horizon = 30 * 86400.0;
	sc->npromos = 1;
	promo_spec *p = &sc->promos[0];
	*p = (promo_spec){.name = "w",
			  .start = 36000,
			  .duration = 6 * 3600.0,
			  .repeat = 86400,
			  .count = 10000};
	promos_layout(sc);
	CHECK_INT(p->nocc, 30); /* starts at 10:00 on days 0..29: all before the 30-day horizon */
	CHECK_INT(p->occ_scopes, 30);
	CHECK_INT(sc->nwindows, 31);
	unsigned x = 12345;
	for (int i = 0; i < 2000; i++) {
		x = x * 1103515245u + 12345u;
		double a = (x >> 8) % 2700000, len = ((x * 7u) >> 9) % 500000;
		CHECK_NEAR(promos_overlap(p, a, a + len), brute_overlap(p, a, a + len), 1e-6);
	}
	CHECK_INT(promos_occurrence(p, 36000), 0);
	CHECK_INT(promos_occurrence(p, 36000 + 6 * 3600.0), -1); /* its end is outside */
	CHECK_INT(promos_occurrence(p, 3 * 86400 + 40000), 3);
	CHECK_INT(promos_occurrence(p, 35999), -1);
	CHECK_NEAR(promos_next_start(p, 36001), 86400 + 36000, 0);
	CHECK_NEAR(promos_next_edge(p, 36001), 36000 + 6 * 3600, 0);
	/* a weekly sale against a daily one at another hour: clash found at the first
	 * day both are on */
	promo_spec q = {.name = "d",
			.start = 3 * 86400 + 12 * 3600,
			.duration = 3600,
			.repeat = 7 * 86400,
			.count = 4};
	sc->promos[1] = q;
	sc->npromos = 2;
	promos_layout(sc);
	CHECK_NEAR(promos_clash(&sc->promos[1], &sc->promos[0], sc->horizon), 3 * 86400 + 12 * 3600,
		   0);
	sc->promos[1].start = 3 * 86400 + 17 * 3600; /* 17:00, after the 10:00-16:00 window */
	promos_layout(sc);
	CHECK(promos_clash(&sc->promos[1], &sc->promos[0], sc->horizon) < 0);
	/* the occurrence scopes: 50 in all, shared round-robin (d has 4, w gets 46) */
	CHECK_INT(sc->promos[1].occ_scopes, 4);
	CHECK_INT(sc->promos[0].occ_scopes, 30);
	sc->horizon = 100 * 86400.0;
	promos_layout(sc);
	CHECK_INT(sc->promos[0].nocc, 100);
	CHECK_INT(sc->promos[0].occ_scopes, 46);
	CHECK_INT(sc->promos[1].occ_scopes, 4);
	CHECK_INT(sc->nwindows, 52);
	CHECK_INT(promos_weekday("SunDay"), 6);
	CHECK_INT(promos_weekday("sun"), -1);
	free(sc);
}

/* ---- the loader -------------------------------------------------------------------- */

static const char *base =
	"run = { horizon = \"%s\"; warmup = \"%s\"; replications = %d; seed = 7; %s };\n"
	"cluster = { pools = ( { name = \"gpu\"; nodes = 200; gpus_per_node = 8; cost_per_gpu_hour = 1.0;\n"
	"  price_per_gpu_hour = 2.0; } ); };\n"
	"workload = { arrivals = { process = \"poisson\"; rate = \"30/h\"; %s };\n"
	"  classes = ( { name = \"a\"; share = 1.0; gpus = 1; service = \"exponential(10m)\"; } ); };\n"
	"promotions = ( %s );\n"
	"policies = ( \"fcfs\" );\n";

/* Loads base with the pieces; returns the loader's message ("" when it loads). */
static const char *load_msg(scenario *sc, const char *run, const char *arr, const char *promos)
{
	static char err[1024];
	char path[] = "/tmp/fgsim-promo-XXXXXX.cfg";
	int fd = mkstemps(path, 4);
	FILE *f = fdopen(fd, "w");
	fprintf(f, base, "30d", "1d", 2, run, arr, promos);
	fclose(f);
	err[0] = 0;
	if (scenario_load(sc, path, NULL, 0, err, sizeof err) == 0)
		scenario_free(sc);
	unlink(path);
	return err;
}

static void test_loader(void)
{
	scenario sc;
	const char *sale =
		"{ name = \"s\"; start = \"10h\"; duration = \"6h\"; repeat = \"7d\"; count = 10000; }";
	CHECK_STR(load_msg(&sc, "start_weekday = \"Saturday\";", "", sale), "");
	CHECK(strstr(load_msg(&sc, "start_weekday = \"satruday\";", "", sale),
		     "did you mean \"saturday\"") != NULL);
	CHECK(strstr(load_msg(
			     &sc, "", "",
			     "{ name = \"s\"; start = \"1h\"; duration = \"2d\"; repeat = \"1d\"; }"),
		     "occurrences would overlap") != NULL);
	CHECK(strstr(load_msg(&sc, "", "",
			      "{ name = \"s\"; start = \"1h\"; duration = \"2h\"; count = 3; }"),
		     "count needs repeat") != NULL);
	CHECK(strstr(load_msg(&sc, "", "",
			      "{ name = \"s#1\"; start = \"1h\"; duration = \"2h\"; }"),
		     "'#'") != NULL);
	/* the weekly sale's third occurrence (day 14, 10:00) meets a one-off on day 14 */
	CHECK(strstr(load_msg(
			     &sc, "", "",
			     "{ name = \"s\"; start = \"10h\"; duration = \"6h\"; repeat = \"7d\"; },"
			     "{ name = \"o\"; start = \"14d 12:00\"; duration = \"1h\"; }"),
		     "overlaps \"s\" at 1.2528e+06 s") != NULL);
	CHECK(strstr(load_msg(&sc, "", "weekly_profile = [ 1.0, 1.0 ];", sale), "7 daily") != NULL);
}

/* ---- arrivals against the rate's integral ------------------------------------------ */

/* Expected counted arrivals of window scope w: the rate's integral over the window's
 * occurrences inside [warm-up, horizon]. */
static double window_integral(const scenario *sc, int w)
{
	const promo_spec *p = &sc->promos[sc->win_promo[w]];
	double sum = 0;
	for (int k = 0; k < p->nocc; k++) {
		if (sc->win_occ[w] >= 0 && sc->win_occ[w] != k)
			continue;
		double s = fmax(p->start + k * p->repeat, sc->warmup);
		double e = fmin(p->start + k * p->repeat + p->duration, sc->horizon);
		sum += e > s ? promos_rate_integral(sc, s, e, -1) : 0;
	}
	return sum;
}

/* Mean over replications of metric m in scope s, and the Poisson count's half-width. */
static void check_count(const experiment *e, int s, double expect)
{
	double got = 0;
	int n = e->sc->replications;
	for (int r = 0; r < n; r++)
		got += experiment_rep(e, 0, r)->v[s][M_arrivals] / n;
	CHECK_NEAR(got, expect, Z4 * sqrt(expect / n));
}

/* A daily 4-hour sale (demand 3) repeated 10,000 times on a 15-day run: 15 occurrences
 * happen, the first in the warm-up (its arrivals not counted); the pooled scope and
 * each occurrence's hold the integral's count. A weekly profile starting on a
 * saturday shapes the rest. */
static void test_recurring_arrivals(void)
{
	scenario sc;
	experiment e;
	if (fx_load(&sc, base, "15d", "1d", 20, "start_weekday = \"saturday\";",
		    "weekly_profile = [ 1.0, 1.0, 1.0, 1.0, 1.4, 0.5, 0.3 ];",
		    "{ name = \"s\"; start = \"10h\"; duration = \"4h\"; repeat = \"1d\"; count = 10000; demand = 3.0; }") ||
	    fx_run(&e, &sc))
		return (void)TEST_FAIL_("%s", "did not run");
	CHECK_INT(sc.promos[0].nocc, 15);
	CHECK_INT(sc.nwindows, 16);
	int w0 = scope_of_window(&sc, 0);
	char name[80];
	CHECK_STR(scope_name(&sc, w0 + 3, name, sizeof name), "window:s#3");
	check_count(&e, 0, promos_rate_integral(&sc, sc.warmup, sc.horizon, -1));
	check_count(&e, w0, window_integral(&sc, 0));
	for (int k = 2; k <= 15; k += 4)
		check_count(&e, w0 + k, window_integral(&sc, k));
	for (int r = 0; r < sc.replications; r++) /* occurrence 1 lies in the warm-up */
		CHECK_NEAR(experiment_rep(&e, 0, r)->v[w0 + 1][M_arrivals], 0, 0);
	/* saturday's sale: 4 h x 30/h x 3 x 0.5 */
	CHECK_NEAR(window_integral(&sc, 8), 4 * 30 * 3 * 0.5, 1e-9);
	experiment_free(&e);
	scenario_free(&sc);
}

/* Only sundays bring jobs: a run that starts on a sunday gets a day of them, one that
 * starts on a monday none at all. */
static void test_weekday_offset(void)
{
	const char *days[] = {"start_weekday = \"SUNDAY\";", "start_weekday = \"monday\";"};
	for (int i = 0; i < 2; i++) {
		scenario sc;
		experiment e;
		if (fx_load(&sc, base, "1d", "0s", 10, days[i],
			    "weekly_profile = [ 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 7.0 ];", "") ||
		    fx_run(&e, &sc))
			return (void)TEST_FAIL_("%s", "did not run");
		double expect = i == 0 ? 24 * 30 * 7 : 0;
		CHECK_NEAR(promos_rate_integral(&sc, 0, sc.horizon, -1), expect, 1e-6);
		if (i == 0)
			check_count(&e, 0, expect);
		else
			CHECK_NEAR(experiment_rep(&e, 0, 0)->v[0][M_arrivals], 0, 0);
		experiment_free(&e);
		scenario_free(&sc);
	}
}

/* ---- burst nodes planned ahead ------------------------------------------------------ */

static const char *burst_base =
	"run = { horizon = \"%s\"; warmup = \"%s\"; replications = 1; seed = 5; };\n"
	"cluster = { pools = ( { name = \"gpu\"; nodes = 4; gpus_per_node = 8; cost_per_gpu_hour = 1.0;\n"
	"  price_per_gpu_hour = 2.0; burst = { max_nodes = %d; startup = \"10m\"; cooldown = \"15m\";\n"
	"  cost_per_gpu_hour = 3.0; threshold = \"%s\"; %s }; } ); };\n"
	"workload = { arrivals = { process = \"poisson\"; rate = \"%s\"; %s };\n"
	"  classes = ( { name = \"a\"; share = 1.0; gpus = 1; service = \"%s\"; } ); };\n"
	"promotions = ( %s );\n"
	"policies = ( \"fcfs\" );\n";

/* The sizing rule by hand: 60 jobs/h of 1 h on one GPU offer 60 GPUs; the pool's 32
 * take 0.8 x 32 = 25.6 of them; 34.4 are left, 34.4 / 0.8 / 8 = 5.375: 6 nodes. */
static void test_sizing(void)
{
	scenario sc;
	if (fx_load(&sc, burst_base, "2d", "0s", 10, "100d", "", "60/h", "", "constant(1h)", ""))
		return (void)TEST_FAIL_("%s", "did not load");
	CHECK_INT(forecast_nodes(&sc, 0, 0, 3600), 6);
	sc.pools[0].burst_max = 4;
	CHECK_INT(forecast_nodes(&sc, 0, 0, 3600), 4); /* at most max_nodes */
	scenario_free(&sc);
}

/* Pre-warm, deterministic: almost no jobs (0.001/h; the run's seed gives none after
 * the warm-up, checked), a sale whose demand asks for every burst node. Its second
 * occurrence opens at 25 h and the run ends 10 minutes later. The 4 nodes are
 * requested 30 minutes before (24.5 h), up 10 minutes after that, so the window's
 * 10 minutes see all four powered: paid 4 x 8 GPUs x 40 min, powered 4 x 8 x 30 min
 * in the measured time, 4 x 8 x 10 min of it in the window. */
static void test_prewarm(void)
{
	scenario sc;
	rep_metrics *m = malloc(sizeof *m);
	if (fx_load(&sc, burst_base, "1d 01:10", "2h", 4, "100d", "prewarm = \"30m\";", "0.001/h",
		    "", "constant(1000h)",
		    "{ name = \"s\"; start = \"1h\"; duration = \"1h\"; repeat = \"1d\"; demand = 200.0; }"))
		return (void)TEST_FAIL_("%s", "did not load");
	platform *p = platform_new(&sc);
	if (!p || platform_run(p, 0, 0, NULL, m)) {
		platform_free(p);
		return (void)TEST_FAIL_("%s", "did not run");
	}
	platform_free(p);
	CHECK_NEAR(m->v[0][M_arrivals], 0, 0);
	CHECK_INT(forecast_nodes(&sc, 0, 25 * 3600.0, 26 * 3600.0), 4);
	double gpus = 4 * 8;
	CHECK_NEAR(m->v[0][M_burst_gpu_hours], gpus * 40 / 60, 1e-9);
	CHECK_NEAR(m->v[0][M_burst_cost], gpus * 40 / 60 * 3.0, 1e-9);
	CHECK_NEAR(m->v[0][M_burst_idle_gpu_hours], gpus * 30 / 60, 1e-9);
	int w2 = scope_of_window(&sc, 2);                                   /* window:s#2 */
	CHECK_NEAR(m->v[w2][M_burst_idle_gpu_hours], gpus * 10 / 60, 1e-9); /* up all through it */
	CHECK_NEAR(m->v[w2][M_burst_nodes_peak], 4, 0);
	free(m);
	scenario_free(&sc);
}

/* The forecast asks for nodes before a known step: the daily profile goes from 0.1 to
 * 1 at 10:00 and the run ends there. Every 5 minutes the forecast looks at the next
 * hour; replayed here with the same sizing, the nodes it requests and when give the
 * paid GPU-hours exactly. The queue trigger, on the same arrivals, requests none (six
 * GPUs busy of 32 before the step). */
static void test_forecast_step(void)
{
	const char *prof =
		"daily_profile = [ 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 1.0, 1.0, 1.0, "
		"1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0 ];";
	const char *trig[] = {"trigger = \"forecast\";", "trigger = \"queue\";"};
	for (int i = 0; i < 2; i++) {
		scenario sc;
		rep_metrics *m = malloc(sizeof *m);
		if (fx_load(&sc, burst_base, "10h", "0s", 10, "1m", trig[i], "60/h", prof,
			    "constant(1h)", ""))
			return (void)TEST_FAIL_("%s", "did not load");
		platform *p = platform_new(&sc);
		if (!p || platform_run(p, 0, 0, NULL, m)) {
			platform_free(p);
			return (void)TEST_FAIL_("%s", "did not run");
		}
		platform_free(p);
		double paid = 0, first = INFINITY;
		int have = 0;
		for (double t = 0; t < sc.horizon; t += 300) {
			int want = forecast_nodes(&sc, 0, t, t + 3600);
			if (want > have) {
				paid += (want - have) * 8 * (sc.horizon - t) / 3600;
				first = fmin(first, t);
				have = want;
			}
		}
		if (i == 0) {
			CHECK(first < 10 * 3600 - 600); /* up before the step */
			CHECK(paid > 0);
			CHECK_NEAR(m->v[0][M_burst_gpu_hours], paid, 1e-9);
			CHECK_NEAR(m->v[0][M_burst_cost], paid * 3.0, 1e-9);
			CHECK_NEAR(m->v[0][M_burst_nodes_peak], have, 0);
		} else {
			CHECK_NEAR(m->v[0][M_burst_gpu_hours], 0, 0);
		}
		free(m);
		scenario_free(&sc);
	}
}

/* ---- estimate = "history" ------------------------------------------------------------ */

/* One GPU, fcfs, a trace of one tenant's jobs that never overlap; estimate_fallback
 * constant(2). By hand: A (100 s) and B (300 s) have fewer than two finished jobs
 * behind them: 2 x their own, 200 and 600; C: (100 + 300) / 2 = 200; D: (300 + 50) / 2
 * = 175; E: (50 + 10) / 2 = 30. The other class's job keeps its exact estimate, and
 * does not enter the first class's history. */
static void test_history(void)
{
	char tpath[] = "/tmp/fgsim-hist-XXXXXX.csv";
	int fd = mkstemps(tpath, 4);
	FILE *f = fdopen(fd, "w");
	fputs("submit,class,tenant,gpus,duration\n0,a,u,1,100\n200,a,u,1,300\n550,b,u,1,7\n600,a,u,1,50\n"
	      "700,a,u,1,10\n800,a,u,1,20\n",
	      f);
	fclose(f);
	scenario sc;
	int rc = fx_load(
		&sc,
		"run = { horizon = \"2000s\"; replications = 1; };\n"
		"cluster = { pools = ( { name = \"p\"; nodes = 1; gpus_per_node = 1; cost_per_gpu_hour = 1.0;\n"
		"  price_per_gpu_hour = 2.0; } ); };\n"
		"workload = { arrivals = { process = \"trace\"; file = \"%s\"; };\n"
		"  classes = ( { name = \"a\"; estimate = \"history\"; estimate_fallback = \"constant(2)\"; },\n"
		"              { name = \"b\"; } ); };\n"
		"policies = ( \"sjf\" );\n",
		tpath);
	if (rc) {
		unlink(tpath);
		return (void)TEST_FAIL_("%s", "did not load");
	}
	platform *p = platform_new(&sc);
	FILE *jobs = tmpfile();
	platform_sinks sinks = {jobs, NULL, NULL};
	rep_metrics *m = malloc(sizeof *m);
	if (!p || platform_run(p, 0, 0, &sinks, m))
		TEST_FAIL_("%s", "did not run");
	platform_free(p);
	unlink(tpath);
	rewind(jobs);
	const double want[] = {200, 600, 7, 200, 175, 30};
	char line[512];
	int n = 0;
	while (fgets(line, sizeof line, jobs) && n < 6) {
		/* ...,gpus,service,estimate,outcome: the estimate is the third field from the end */
		char *c = strrchr(line, ',');
		*c = 0;
		c = strrchr(line, ',');
		CHECK_NEAR(atof(c + 1), want[n], 1e-9);
		n++;
	}
	CHECK_INT(n, 6);
	fclose(jobs);
	free(m);
	scenario_free(&sc);
}

/* History under easy-backfill's kill_at_estimate: the kill goes by what the user
 * announced (estimate_fallback, 1.5 x the run time), never by the prediction. After A
 * and B (100 s) the prediction is 100 s; C runs 140 s, past it, and must finish (its
 * user asked for 210 s), or else a tenant's jobs longer than their predecessors would
 * all be killed and never teach a longer prediction. D (1000 s, asked 1500 s) also
 * finishes; E is killed at its own 1.5 x only if it ran longer, which none does. */
static void test_history_kill(void)
{
	char tpath[] = "/tmp/fgsim-hist-XXXXXX.csv";
	int fd = mkstemps(tpath, 4);
	FILE *f = fdopen(fd, "w");
	fputs("submit,class,tenant,gpus,duration\n0,a,u,1,100\n200,a,u,1,100\n400,a,u,1,140\n"
	      "600,a,u,1,1000\n2000,a,u,1,30\n",
	      f);
	fclose(f);
	scenario sc;
	int rc = fx_load(
		&sc,
		"run = { horizon = \"5000s\"; replications = 1; };\n"
		"cluster = { pools = ( { name = \"p\"; nodes = 1; gpus_per_node = 1; } ); };\n"
		"workload = { arrivals = { process = \"trace\"; file = \"%s\"; };\n"
		"  classes = ( { name = \"a\"; estimate = \"history\";\n"
		"    estimate_fallback = \"constant(1.5)\"; } ); };\n"
		"policies = ( { name = \"easy-backfill\"; kill_at_estimate = true; } );\n",
		tpath);
	if (rc) {
		unlink(tpath);
		return (void)TEST_FAIL_("%s", "did not load");
	}
	platform *p = platform_new(&sc);
	FILE *jobs = tmpfile();
	platform_sinks sinks = {jobs, NULL, NULL};
	rep_metrics *m = malloc(sizeof *m);
	if (!p || platform_run(p, 0, 0, &sinks, m))
		TEST_FAIL_("%s", "did not run");
	platform_free(p);
	unlink(tpath); /* read as the run goes: not before */
	rewind(jobs);
	/* the predictions: 150 and 150 (fallback), then 100, (100 + 140) / 2, (140 + 1000) / 2 */
	const double want[] = {150, 150, 100, 120, 570};
	char line[512];
	int n = 0;
	while (fgets(line, sizeof line, jobs) && n < 5) {
		CHECK(strstr(line, ",done\n") != NULL);
		char *c = strrchr(line, ',');
		*c = 0;
		c = strrchr(line, ',');
		CHECK_NEAR(atof(c + 1), want[n], 1e-9);
		n++;
	}
	CHECK_INT(n, 5);
	CHECK_NEAR(m->v[0][M_killed], 0, 0);
	fclose(jobs);
	free(m);
	scenario_free(&sc);
}

int main(void)
{
	test_overlap_arithmetic();
	test_loader();
	test_recurring_arrivals();
	test_weekday_offset();
	test_sizing();
	test_prewarm();
	test_forecast_step();
	test_history();
	test_history_kill();
	return test_report("test_promos");
}
