/* test_experiment.c - precision-driven runs (target met, or given up at the maximum;
 * the same figures as a fixed run with the final count), the automatic warm-up, and
 * Bonferroni half-widths in compare.csv. */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "output.h"
#include "ranking.h"
#include "results.h"
#include "test.h"

#define MMC                                                                                               \
	"name = \"t\"; run = { horizon = \"%s\"; warmup = \"%s\"; replications = %d; seed = 3; %s };\n"      \
	"cluster = { pools = ( { name = \"gpu\"; gpu = \"H100-SXM\"; nodes = 5; gpus_per_node = 1;\n"        \
	"  cost_per_gpu_hour = 2.1; price_per_gpu_hour = 3.5; } ); };\n"                                      \
	"workload = { arrivals = { process = \"poisson\"; rate = \"4.5/h\"; };\n"                             \
	"  classes = ( { name = \"jobs\"; share = 1.0; gpus = 1; service = \"exponential(1h)\"; } ); };\n"  \
	"policies = ( %s ); output = { plots = false; };\n"

/* The largest half-width over its target, recomputed from the replications. */
static double worst_ratio(const experiment *e, int m, double relative)
{
	double worst = 0;
	for (int pi = 0; pi < e->sc->npolicies; pi++) {
		double mean, hw;
		fx_ci(e, pi, 0, (metric_id)m, e->sc->confidence, &mean, &hw);
		worst = fmax(worst, hw / (relative * fabs(mean)));
	}
	return worst;
}

static int same_reps(const experiment *a, const experiment *b)
{
	if (a->sc->replications != b->sc->replications || a->sc->npolicies != b->sc->npolicies)
		return 0;
	for (int pi = 0; pi < a->sc->npolicies; pi++)
		for (int r = 0; r < a->sc->replications; r++)
			if (memcmp(experiment_rep(a, pi, r)->v, experiment_rep(b, pi, r)->v, sizeof experiment_rep(a, 0, 0)->v))
				return 0;
	return 1;
}

int main(void)
{
	scenario sc, fixed;
	experiment e, f;
	char extra[300];

	/* Met: every policy's wait_mean within 10% of its mean, and no more replications
	 * than that took; the figures are those of a fixed run with the final count. */
	snprintf(extra, sizeof extra, "precision = { metrics = [\"wait_mean\"]; relative = 0.10; max_replications = 80; };");
	if (fx_load(&sc, MMC, "60d", "1d", 3, extra, "\"fcfs\", \"sjf\""))
		return 1;
	CHECK_INT(fx_run(&e, &sc), 0);
	int n = e.sc->replications;
	CHECK_INT(e.precision.met, 1);
	CHECK(n > 3 && n < 80);
	CHECK(worst_ratio(&e, M_wait_mean, 0.10) <= 1);
	CHECK_NEAR(e.precision.worst, worst_ratio(&e, M_wait_mean, 0.10), 1e-12);
	CHECK_INT(sc.replications, 3); /* the caller's scenario is left as it was */
	if (fx_load(&fixed, MMC, "60d", "1d", n, "", "\"fcfs\", \"sjf\""))
		return 1;
	CHECK_INT(fx_run(&f, &fixed), 0);
	CHECK(same_reps(&e, &f));
	/* One replication fewer would not have met it (else the run stopped late): only
	 * checkable when the last batch added exactly one, so check the weaker claim that
	 * the first batch did not. */
	experiment_free(&f);
	scenario_free(&fixed);
	if (fx_load(&fixed, MMC, "60d", "1d", 3, "", "\"fcfs\", \"sjf\""))
		return 1;
	CHECK_INT(fx_run(&f, &fixed), 0);
	CHECK(worst_ratio(&f, M_wait_mean, 0.10) > 1);
	experiment_free(&f);
	scenario_free(&fixed);
	experiment_free(&e);
	scenario_free(&sc);

	/* Given up: an unreachable target stops at max_replications and says so. */
	snprintf(extra, sizeof extra, "precision = { metrics = [\"wait_p99\", \"wait_mean\"]; absolute = 1.0; max_replications = 7; };");
	if (fx_load(&sc, MMC, "20d", "1d", 2, extra, "\"fcfs\""))
		return 1;
	CHECK_INT(fx_run(&e, &sc), 0);
	CHECK_INT(e.sc->replications, 7);
	CHECK_INT(e.precision.met, 0);
	CHECK(e.precision.worst > 1);
	experiment_free(&e);
	scenario_free(&sc);

	/* warmup = "auto" from an empty start at load 0.9: the pilot's choice is what the
	 * run uses, in whole batches of five samples, within the first half. */
	if (fx_load(&sc, MMC, "20d", "auto", 2, "", "\"fcfs\""))
		return 1;
	CHECK_INT(sc.warmup_auto, 1);
	CHECK_INT(fx_run(&e, &sc), 0);
	CHECK_NEAR(e.sc->warmup, e.warmup.seconds, 0);
	CHECK_INT(e.warmup.samples, WARMUP_SAMPLES);
	CHECK_INT(e.warmup.deleted % 5, 0);
	CHECK(e.warmup.seconds <= sc.horizon / 2);
	CHECK_NEAR(e.warmup.step * WARMUP_SAMPLES, sc.horizon, 1e-6 * sc.horizon);
	experiment_free(&e);
	scenario_free(&sc);

	/* compare.csv with three policies: each half-width is the paired interval at the
	 * Bonferroni level 1 - (1 - confidence) / 2. */
	if (fx_load(&sc, MMC, "20d", "1d", 5, "", "\"fcfs\", \"sjf\", \"priority\""))
		return 1;
	CHECK_INT(fx_run(&e, &sc), 0);
	char dir[] = "/tmp/fgsim-test-exp-XXXXXX", err[600], *argv[] = {"test", NULL};
	CHECK(mkdtemp(dir) != NULL);
	CHECK_INT(output_write(&e, dir, 1, argv, err, sizeof err), 0);
	results res;
	CHECK_INT(results_load(&res, dir, err, sizeof err), 0);
	const results_row *row = results_compare(&res, "sjf", "all", "wait_mean");
	CHECK(row != NULL);
	double d[5], mean, hw, hw_plain;
	for (int r = 0; r < 5; r++)
		d[r] = experiment_rep(&e, 1, r)->v[0][M_wait_mean] - experiment_rep(&e, 0, r)->v[0][M_wait_mean];
	stat_ci(d, 5, ranking_level(0.95, 2), &mean, &hw);
	stat_ci(d, 5, 0.95, &mean, &hw_plain);
	if (row) {
		CHECK_NEAR(row->hw, hw, 1e-9 * hw);
		CHECK(row->hw > hw_plain);
	}
	/* run.json names the best policy on mean wait (sjf here, by far) */
	const json_t *keys = runjson_path(res.run, "best.metrics");
	CHECK(json_array_size(keys) > 0);
	if (json_array_size(keys) > 0) {
		CHECK_STR(runjson_str(json_object_get(json_array_get(keys, 0), "metric"), ""), "wait_mean");
		CHECK_STR(runjson_str(json_object_get(json_array_get(keys, 0), "best"), ""), "sjf");
	}
	results_free(&res);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0);
	experiment_free(&e);
	scenario_free(&sc);
	return test_report("test_experiment");
}
