/* test_profile_jobs.c - classes with `profile` + `steps` run through the platform: the
 * same job is faster on an H100 pool than on an L4 pool by the calibrated ratio (within
 * the confidence interval of the simulated means), the steps are drawn at arrival so a
 * job is the same job on either pool (common random numbers), a job preempted on one
 * pool resumes on another with the share of its work it had left, and the loader's
 * errors for profile classes name their place. */
#include <gsl/gsl_cdf.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "cluster.h"
#include "load.h"
#include "platform.h"
#include "scenario_load.h"
#include "test.h"

static char cal_h100[4200], cal_l4[4200], cal_l40s[4200], path[64], err[1024];

/* Writes text (printf-style) to a temporary scenario file and loads it with the
 * overrides. Returns scenario_load's code; err holds its message and `path` the file. */
static int load(scenario *sc, const sc_override *ov, int nov, const char *fmt, ...)
{
	snprintf(path, sizeof path, "/tmp/fgsim-prof-XXXXXX.cfg");
	int fd = mkstemps(path, 4);
	if (fd < 0)
		return -1;
	FILE *f = fdopen(fd, "w");
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	err[0] = 0;
	int rc = scenario_load(sc, path, ov, nov, err, sizeof err);
	unlink(path);
	return rc;
}

/* One job's row of jobs.csv. */
typedef struct row {
	long id;
	char cls[SC_NAME_MAX], pool[SC_NAME_MAX], outcome[16];
	double arrival, start, end, service;
} row;

/* Splits a jobs.csv line (empty fields kept) into r. Returns 0, or -1. */
static int parse_row(char *line, row *r)
{
	char *f[14];
	int n = 0;
	for (char *p = line; n < 14; n++) {
		f[n] = p;
		char *comma = strchr(p, ',');
		if (!comma) {
			p[strcspn(p, "\n")] = 0;
			n++;
			break;
		}
		*comma = 0;
		p = comma + 1;
	}
	if (n != 14)
		return -1;
	r->id = atol(f[2]);
	snprintf(r->cls, sizeof r->cls, "%s", f[3]);
	r->arrival = atof(f[5]);
	r->start = f[6][0] ? atof(f[6]) : -1;
	r->end = atof(f[7]);
	snprintf(r->pool, sizeof r->pool, "%s", f[8]);
	r->service = atof(f[11]);
	snprintf(r->outcome, sizeof r->outcome, "%s", f[13]);
	return 0;
}

/* Runs replication rep of policy 0 with a jobs.csv sink; returns the sink rewound (the
 * caller closes it) and the replication's figures in *m, or NULL. */
static FILE *run_jobs(platform *p, int rep, rep_metrics *m)
{
	FILE *jobs = tmpfile();
	platform_sinks sinks = {jobs, NULL, NULL};
	if (!jobs || platform_run(p, 0, rep, &sinks, m)) {
		TEST_FAIL_("replication %d did not run", rep);
		if (jobs)
			fclose(jobs);
		return NULL;
	}
	rewind(jobs);
	return jobs;
}

static double step_ratio(const scenario *sc, int k, int slow, int fast)
{
	const class_spec *c = &sc->classes[k];
	return service_step_time(&c->svc, c->pool_gpu[slow], 1) / service_step_time(&c->svc, c->pool_gpu[fast], 1);
}

/* Two classes alike but for their pool, one on H100s and one on L4s, drawing their
 * steps independently: the mean service of each is the calibrated expectation, and the
 * ratio of the two means is the calibrated step-time ratio, each within its 99.9%
 * confidence interval (normal: thousands of jobs; the ratio's standard error by the
 * delta method). Every job counts, finished or not: jobs.csv has a row for each. */
static void test_h100_vs_l4(void)
{
	scenario sc;
	if (load(&sc, NULL, 0,
		 "run = { horizon = \"10d\"; replications = 4; seed = 5; };\n"
		 "cluster = { pools = ( { name = \"h100\"; gpu = \"H100-SXM\"; nodes = 2; gpus_per_node = 8; },\n"
		 "                      { name = \"l4\"; gpu = \"L4\"; nodes = 8; gpus_per_node = 4; } ); };\n"
		 "calibration = [ \"%s\", \"%s\" ];\n"
		 "workload = { arrivals = { rate = \"200/h\"; };\n"
		 "  classes = ( { name = \"fast\"; share = 0.5; profile = \"llm-7b-decode\"; steps = \"lognormal(2000, 1.0)\";\n"
		 "                pools = [ \"h100\" ]; },\n"
		 "              { name = \"slow\"; share = 0.5; profile = \"llm-7b-decode\"; steps = \"lognormal(2000, 1.0)\";\n"
		 "                pools = [ \"l4\" ]; } ); };\n"
		 "policies = ( \"fcfs\" );\n",
		 cal_h100, cal_l4))
		return (void)TEST_FAIL_("scenario does not load: %s", err);
	platform *p = platform_new(&sc);
	rep_metrics *m = malloc(sizeof *m);
	double n[2] = {0}, sum[2] = {0}, sum2[2] = {0};
	char line[1024];
	for (int r = 0; p && m && r < sc.replications; r++) {
		FILE *jobs = run_jobs(p, r, m);
		while (jobs && fgets(line, sizeof line, jobs)) {
			row w;
			if (parse_row(line, &w))
				continue;
			int k = !strcmp(w.cls, "slow");
			CHECK_STR(w.pool[0] ? w.pool : (k ? "l4" : "h100"), k ? "l4" : "h100");
			n[k]++;
			sum[k] += w.service;
			sum2[k] += w.service * w.service;
		}
		if (jobs)
			fclose(jobs);
	}
	double z = gsl_cdf_ugaussian_Pinv(1 - 0.001 / 2), mean[2], se[2];
	for (int k = 0; k < 2; k++) {
		CHECK(n[k] > 10000);
		mean[k] = sum[k] / n[k];
		se[k] = sqrt((sum2[k] / n[k] - mean[k] * mean[k]) / (n[k] - 1));
		double want = scenario_expected_service(&sc, k, sc.classes[k].pools[0]);
		CHECK_IN_CI(want, mean[k], z * se[k]);
	}
	double calibrated = step_ratio(&sc, 0, 1, 0), ratio = mean[1] / mean[0];
	double ratio_se = ratio * sqrt(se[0] * se[0] / (mean[0] * mean[0]) + se[1] * se[1] / (mean[1] * mean[1]));
	CHECK_IN_CI(calibrated, ratio, z * ratio_se);
	fprintf(stderr, "  simulated L4 / H100 mean service: %.4f +- %.4f (calibrated %.4f)\n", ratio, z * ratio_se,
		calibrated);
	/* Decode streams weights: between the compute ratio and the bandwidth ratio. */
	const calib_table *h = &sc.calib[0], *l = &sc.calib[1];
	double bw = h->peaks.mem_gbs / l->peaks.mem_gbs, flops = h->peaks.tensor_tflops / l->peaks.tensor_tflops;
	CHECK(calibrated > fmin(bw, flops) && calibrated < fmax(bw, flops));
	free(m);
	platform_free(p);
	scenario_free(&sc);
}

/* The same scenario on an L40S pool and on an L4 pool: every job (same id, same
 * arrival) has the same steps, so its service differs by exactly the step ratio. Both
 * files are derived (no samples, so no jitter); a measured file's jitter would blur the
 * exact ratio this checks. */
static void test_common_random_numbers(void)
{
	static const char fmt[] =
		"run = { horizon = \"2d\"; replications = 1; seed = 9; };\n"
		"cluster = { pools = ( { name = \"p\"; gpu = \"%s\"; nodes = 4; gpus_per_node = 8; } ); };\n"
		"calibration = [ \"%s\", \"%s\" ];\n"
		"workload = { arrivals = { rate = \"60/h\"; };\n"
		"  classes = ( { name = \"c\"; profile = \"llm-7b-prefill\"; steps = \"gamma(500, 2.0)\"; } ); };\n"
		"policies = ( \"fcfs\" );\n";
	enum { MAXJ = 8192 };
	double *svc[2] = {calloc(MAXJ, sizeof(double)), calloc(MAXJ, sizeof(double))}, t[2] = {0};
	const char *gpu[2] = {"L40S", "L4"};
	rep_metrics *m = malloc(sizeof *m);
	char line[1024];
	for (int g = 0; g < 2 && m && svc[0] && svc[1]; g++) {
		scenario sc;
		if (load(&sc, NULL, 0, fmt, gpu[g], cal_l40s, cal_l4)) {
			TEST_FAIL_("scenario does not load: %s", err);
			continue;
		}
		t[g] = service_step_time(&sc.classes[0].svc, sc.classes[0].pool_gpu[0], 1);
		platform *p = platform_new(&sc);
		FILE *jobs = p ? run_jobs(p, 0, m) : NULL;
		while (jobs && fgets(line, sizeof line, jobs)) {
			row w;
			if (!parse_row(line, &w) && w.id >= 0 && w.id < MAXJ)
				svc[g][w.id] = w.service;
		}
		if (jobs)
			fclose(jobs);
		platform_free(p);
		scenario_free(&sc);
	}
	int same = 0;
	for (int i = 0; i < MAXJ && svc[0] && svc[1]; i++) {
		if (!(svc[0][i] > 0) && !(svc[1][i] > 0))
			continue;
		same++;
		double want = t[1] / t[0];
		if (!(fabs(svc[1][i] / svc[0][i] - want) <= 1e-9 * want)) {
			TEST_FAIL_("job %d: %.10g s on L4, %.10g s on L40S: ratio %.10g, not %.10g", i, svc[1][i], svc[0][i],
				   svc[1][i] / svc[0][i], want);
			break;
		}
	}
	CHECK(same > 2000);
	free(svc[0]);
	free(svc[1]);
	free(m);
}

/* Profile jobs of low priority on L4s and one H100 node, evicted by high-priority jobs
 * and resumed wherever there is room: a job resumed on the faster pool finishes sooner
 * than it would have on the slower one, and its slot's next job must not be ended by
 * the first run's stale departure. Every finished job ran at least its time on the
 * fastest pool it could use; the high-priority jobs, never evicted, exactly theirs. */
static void test_preempted_across_pools(void)
{
	scenario sc;
	if (load(&sc, NULL, 0,
		 "run = { horizon = \"3d\"; warmup = \"12h\"; replications = 2; seed = 7; };\n"
		 "cluster = { pools = ( { name = \"h100\"; gpu = \"H100-SXM\"; nodes = 1; gpus_per_node = 8; },\n"
		 "                      { name = \"l4\"; gpu = \"L4\"; nodes = 16; gpus_per_node = 4; } ); };\n"
		 "calibration = [ \"%s\", \"%s\" ];\n"
		 "workload = { arrivals = { rate = \"200/h\"; };\n"
		 "  classes = ( { name = \"inf\"; share = 0.98; priority = 1; profile = \"llm-7b-decode\";\n"
		 "                steps = \"lognormal(20000, 1.0)\"; pools = [ \"l4\", \"h100\" ]; },\n"
		 "              { name = \"train\"; share = 0.02; priority = 0; gpus = 4; service = \"lognormal(1h, 1.5)\";\n"
		 "                pools = [ \"l4\", \"h100\" ]; } ); };\n"
		 "policies = ( { name = \"priority-preemptive\"; preempted = \"resume\"; } );\n",
		 cal_h100, cal_l4))
		return (void)TEST_FAIL_("scenario does not load: %s", err);
	platform *p = platform_new(&sc);
	rep_metrics *m = malloc(sizeof *m);
	double ratio = step_ratio(&sc, 0, 1, 0), preemptions = 0;
	char line[1024];
	long bad = 0, done = 0;
	for (int r = 0; p && m && r < sc.replications; r++) {
		FILE *jobs = run_jobs(p, r, m);
		while (jobs && fgets(line, sizeof line, jobs)) {
			row w;
			if (parse_row(line, &w) || strcmp(w.outcome, "done"))
				continue;
			done++;
			/* j->service is its time on the pool it finished on */
			double least = !strcmp(w.cls, "inf") && !strcmp(w.pool, "l4") ? w.service / ratio : w.service;
			/* jobs.csv prints 10 significant digits: times near 2.6e5 s are good to 1e-4 s */
			if (!(w.end - w.start >= least * (1 - 1e-9) - 1e-9 * w.end) && bad++ < 3)
				TEST_FAIL_("%s job %ld on %s: ran %.6g s from its first start, its service is %.6g s", w.cls, w.id,
					   w.pool, w.end - w.start, w.service);
		}
		if (jobs)
			fclose(jobs);
		preemptions += m->v[scope_of_class(&sc, 0)][M_preemptions];
		const double *all = m->v[0];
		CHECK_INT((long long)all[M_arrivals], (long long)(all[M_jobs_done] + all[M_abandoned] + all[M_balked] + all[M_in_system_end]));
	}
	CHECK_INT(bad, 0);
	CHECK(done > 10000);
	CHECK(preemptions > 100); /* the case under test happened */
	free(m);
	platform_free(p);
	scenario_free(&sc);
}

/* Loading: expected service per pool, offered load, the fastest placement, --set. */
static const char good[] =
	"run = { horizon = \"2d\"; };\n"
	"cluster = { pools = ( { name = \"l4\"; gpu = \"L4\"; nodes = 4; gpus_per_node = 4; },\n"
	"                      { name = \"h100\"; gpu = \"H100-SXM\"; nodes = 2; gpus_per_node = 8; } ); };\n"
	"calibration = [ \"%s\", \"%s\" ];\n"
	"workload = { arrivals = { rate = \"10/h\"; };\n"
	"  classes = ( { name = \"inf\"; profile = \"llm-7b-decode\"; steps = \"exponential(1000)\"; } ); };\n"
	"policies = ( \"fcfs\" );\n"
	"placement = \"fastest\";\n";

static void test_load(void)
{
	scenario sc;
	if (load(&sc, NULL, 0, good, cal_h100, cal_l4))
		return (void)TEST_FAIL_("does not load: %s", err);
	const class_spec *c = &sc.classes[0];
	CHECK_INT(sc.ncalib, 2);
	CHECK_INT(c->has_steps, 1);
	CHECK_STR(c->svc.profile.name, "llm-7b-decode");
	CHECK_INT(c->pool_gpu[0], 1); /* l4 is the second calibration file */
	CHECK_INT(c->pool_gpu[1], 0);
	double l4 = scenario_expected_service(&sc, 0, 0), h100 = scenario_expected_service(&sc, 0, 1);
	CHECK_NEAR(h100, 1000 * service_step_time(&c->svc, 0, 1), 1e-9 * h100);
	CHECK(l4 > 5 * h100);
	/* 10 jobs/h spread over 16 + 16 GPUs in proportion to size: 5/h on each pool */
	CHECK_NEAR(scenario_offered_load(&sc, 0), 5.0 / 3600 * l4 / 16, 1e-12);
	CHECK_NEAR(scenario_offered_load(&sc, 1), 5.0 / 3600 * h100 / 16, 1e-12);
	cluster cl;
	if (cluster_init(&cl, &sc) == 0) {
		CHECK_INT(cl.order[0][0], 1); /* fastest: the H100 pool first though listed second */
		cluster_destroy(&cl);
	}
	scenario_free(&sc);
	sc_override o = {"workload.classes.[0].profile", "llm-7b-prefill", NULL};
	if (load(&sc, &o, 1, good, cal_h100, cal_l4) == 0) {
		CHECK_STR(sc.classes[0].svc.profile.name, "llm-7b-prefill");
		scenario_free(&sc);
	} else {
		TEST_FAIL_("--set profile: %s", err);
	}
}

/* scenario text with the calibration list and the class's keys given; must fail with a
 * message at `line` of the scenario containing `want`. */
static void bad(const char *calibration, const char *arrivals, const char *cls, int line, const char *want)
{
	scenario sc;
	char where[96];
	int rc = load(&sc, NULL, 0,
		      "run = { horizon = \"2d\"; };\n"
		      "cluster = { pools = ( { name = \"h100\"; gpu = \"H100-SXM\"; nodes = 2; gpus_per_node = 8; },\n"
		      "                      { name = \"l4\"; gpu = \"L4\"; nodes = 4; gpus_per_node = 4; } ); };\n"
		      "calibration = [ %s ];\n"           /* line 4 */
		      "workload = { arrivals = { %s };\n" /* line 5 */
		      "  classes = ( { name = \"inf\"; %s } ); };\n" /* line 6 */
		      "policies = ( \"fcfs\" );\n",
		      calibration, arrivals, cls);
	CHECK_INT(rc, 2);
	if (rc == 0)
		scenario_free(&sc);
	snprintf(where, sizeof where, "%s:%d: ", path, line);
	if (strncmp(err, where, strlen(where)))
		TEST_FAIL_("wanted the place %s, got: %s", where, err);
	if (!strstr(err, want))
		TEST_FAIL_("wanted \"%s\" in: %s", want, err);
}

static void test_errors(void)
{
	char both[8500], h100_only[4300], twice[8500], badcal[64];
	snprintf(both, sizeof both, "\"%s\", \"%s\"", cal_h100, cal_l4);
	snprintf(h100_only, sizeof h100_only, "\"%s\"", cal_h100);
	snprintf(twice, sizeof twice, "\"%s\", \"%s\"", cal_h100, cal_h100);
	const char *rate = "rate = \"10/h\";", *decode = "profile = \"llm-7b-decode\"; steps = \"constant(100)\";";
	bad(both, rate, "profile = \"llm-7b-decode\"; steps = \"constant(100)\"; service = \"exponential(1h)\";", 6,
	    "class \"inf\": give either \"service\" or \"profile\" + \"steps\", not both");
	bad(both, rate, "profile = \"llm-7b-decode\";", 6, "class \"inf\": a profile needs \"steps\"");
	bad(both, rate, "steps = \"constant(100)\";", 6, "class \"inf\": \"steps\" needs a \"profile\"");
	bad(both, rate, "gpus = 1;", 6, "missing key \"service\" (or \"profile\" + \"steps\")");
	bad(h100_only, rate, decode, 6, "class \"inf\": pool \"l4\" (gpu \"L4\") has no calibration file");
	bad(both, rate, "profile = \"llm-7b-decod\"; steps = \"constant(100)\";", 6,
	    "profile \"llm-7b-decod\" not found");
	bad(both, rate, "profile = \"llm-7b-decod\"; steps = \"constant(100)\";", 6, "(did you mean \"llm-7b-decode\"?)");
	bad("", rate, decode, 6, "the scenario lists none");
	bad("\"/nonexistent/h100.cfg\"", rate, decode, 4, "calibration file /nonexistent/h100.cfg: cannot read");
	bad(twice, rate, decode, 4, "both describe GPU \"H100-SXM\"");
	bad(both, rate, "profile = \"llm-7b-finetune\"; steps = \"constant(100)\";", 6,
	    "profile \"llm-7b-finetune\" needs at least 2 GPUs");
	bad(both, rate, "profile = \"llm-7b-decode\"; steps = \"uniform(-10, 100)\";", 6, "no negative values");
	bad(both, rate, "profile = \"llm-7b-decode\"; steps = \"lognormal(2h, 1.0)\";", 6, "lognormal(2h, 1.0)");
	bad(both, "process = \"trace\"; file = \"pods.csv\";", decode, 6,
	    "a replayed trace gives each job its duration: no \"profile\" here");
	/* A calibration file's own error: at its FILE:LINE, after the scenario's line. */
	snprintf(badcal, sizeof badcal, "/tmp/fgsim-cal-XXXXXX.cfg");
	int fd = mkstemps(badcal, 4);
	if (fd >= 0) {
		FILE *f = fdopen(fd, "w");
		fputs("format = 1;\ngpu = 5;\n", f);
		fclose(f);
		char list[128], want[96];
		snprintf(list, sizeof list, "\"%s\"", badcal);
		snprintf(want, sizeof want, "%s:", badcal);
		bad(list, rate, decode, 4, want);
		unlink(badcal);
	}
	/* --set names the override, with the suggestion. */
	scenario sc;
	sc_override o = {"workload.classes.[0].profile", "llm-7b-prefil", NULL};
	CHECK_INT(load(&sc, &o, 1, good, cal_h100, cal_l4), 2);
	CHECK(strncmp(err, "--set workload.classes.[0].profile: ", 36) == 0);
	CHECK(strstr(err, "did you mean \"llm-7b-prefill\"") != NULL);
}

int main(void)
{
	char root[4096];
	if (!getcwd(root, sizeof root - 64)) /* tests run from the repository's root */
		return 1;
	snprintf(cal_h100, sizeof cal_h100, "%s/models/calibration/h100-sxm.cfg", root);
	snprintf(cal_l4, sizeof cal_l4, "%s/models/calibration/l4.cfg", root);
	snprintf(cal_l40s, sizeof cal_l40s, "%s/models/calibration/l40s.cfg", root);
	test_load();
	test_errors();
	test_h100_vs_l4();
	test_common_random_numbers();
	test_preempted_across_pools();
	return test_report("test_profile_jobs");
}
