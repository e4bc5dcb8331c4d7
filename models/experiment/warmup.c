/* warmup.c - the pilot run behind run.warmup = "auto".
 *
 * The series is the number of jobs in the system (queued + running) sampled at fixed
 * times, not the jobs' waiting times: run.warmup is a time, and it cuts both the job
 * statistics and the time averages (utilisation, money, queue_mean). A series sampled at
 * fixed times maps a truncation point straight to a time; the waiting-time series is
 * indexed by job, in order of start rather than arrival, and its spacing in time
 * changes with the load, which is exactly what moves during the transient. A run starts
 * empty, and the number in system carries both parts of the transient: GPUs filling
 * with long jobs (which the utilisation and the money see) and the queue building up
 * (which the waits see); the queue alone misses the first where queues are short. */
#include "warmup.h"

#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "mser.h"
#include "outfile.h"
#include "platform.h"

int warmup_auto(const scenario *sc, _Atomic int *stop, warmup_choice *out)
{
	scenario *pilot = malloc(sizeof *pilot);
	rep_metrics *m = malloc(sizeof *m);
	double *x = malloc(WARMUP_SAMPLES * sizeof *x);
	FILE *ts = outfile_scratch();
	platform *p = NULL;
	int rc = -1;
	if (!pilot || !m || !x || !ts)
		goto done;
	/* A shallow copy read only by the platform: it shares sc's tables and frees nothing. */
	*pilot = *sc;
	pilot->warmup = 0;
	pilot->timeseries_step = sc->horizon / WARMUP_SAMPLES;
	if (!(p = platform_new(pilot)))
		goto done;
	platform_sinks sinks = {.jobs = NULL, .timeseries = ts, .stop = stop};
	if ((rc = platform_run(p, 0, 0, &sinks, m)) != 0)
		goto done;
	rewind(ts);
	char line[1024];
	size_t n = 0;
	/* rows: policy,replication,t,queued,running,... (labels hold no commas) */
	while (n < WARMUP_SAMPLES && fgets(line, sizeof line, ts)) {
		double t, queued, running;
		char *c = line;
		for (int commas = 0; *c && commas < 2; c++)
			commas += *c == ',';
		if (sscanf(c, "%lf,%lf,%lf", &t, &queued, &running) == 3)
			x[n++] = queued + running;
	}
	out->step = pilot->timeseries_step;
	out->samples = n;
	out->deleted = mser5(x, n, NULL);
	FG_ASSERT(out->deleted <= n); /* MSER truncates inside the series */
	out->seconds = (double)out->deleted * out->step;
	out->at_limit = n >= 10 && out->deleted / 5 >= (n / 5) / 2;
	rc = 0;
done:
	platform_free(p);
	if (ts)
		fclose(ts);
	free(x);
	free(m);
	free(pilot);
	return rc;
}
