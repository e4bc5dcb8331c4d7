/* fixture.h - helpers for tests that run whole scenarios in-process: a scenario from a
 * printf-style text, an experiment over it, and confidence intervals of its metrics. */
#ifndef FGSIM_FIXTURE_H
#define FGSIM_FIXTURE_H
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "experiment.h"
#include "scenario_load.h"
#include "stats.h"

/* Loads the scenario text (formatted like printf). Returns 0, or prints the error. */
static inline int fx_load(scenario *sc, const char *fmt, ...)
{
	char path[] = "/tmp/fgsim-test-XXXXXX.cfg", err[1024];
	int fd = mkstemps(path, 4);
	if (fd < 0)
		return -1;
	FILE *f = fdopen(fd, "w");
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	int rc = scenario_load(sc, path, NULL, 0, err, sizeof err);
	unlink(path);
	if (rc)
		fprintf(stderr, "fixture scenario does not load: %s\n", err);
	return rc;
}

/* Runs every policy of sc on 2 threads, quietly. */
static inline int fx_run(experiment *e, const scenario *sc)
{
	int rc = experiment_run(e, sc, 2, 1, NULL);
	if (rc)
		fprintf(stderr, "experiment failed: %d\n", rc);
	return rc;
}

/* Mean and half-width of metric m in scope s for policy pi at the given confidence. */
static inline void fx_ci(const experiment *e, int pi, int s, metric_id m, double confidence, double *mean, double *hw)
{
	int n = e->sc->replications;
	double *x = malloc((size_t)n * sizeof *x);
	for (int r = 0; r < n; r++)
		x[r] = experiment_rep(e, pi, r)->v[s][m];
	stat_ci(x, (size_t)n, confidence, mean, hw);
	free(x);
}
#endif
