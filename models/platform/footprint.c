/* footprint.c - the memory estimate of a run and the cap it is held to. The estimate is
 * deliberately simple and says what it assumes (README, "Limits"):
 *  - jobs in service at once, per pool: Little's law, arrival rate x mean service (at the
 *    busiest hour of the daily profile and the largest promotion demand), plus four
 *    standard deviations of the Poisson count an infinite-server queue would hold
 *    (M/G/inf occupancy is Poisson), never more than the pool's GPUs can hold;
 *  - jobs waiting at once, per pool: with offered load rho < 1 at the peak (the load
 *    packing allows, load.h: what fits on a node, not GPUs alone), the queue
 *    length of a stable queue has a geometric tail ~ rho^q (M/M/c), so its maximum over n
 *    arrivals is about ln n / ln(1/rho); with rho >= 1 on average the queue grows at
 *    lambda (1 - 1/rho) for the whole horizon; with rho >= 1 only at the peak, for as long
 *    as the peak lasts (a day of the profile, or the longest promotion); when every class
 *    of the pool abandons, no more than the arrivals of one mean patience;
 *  - bytes: the sizes of the structures a job occupies (its slot in the job table, its
 *    departure and abandonment events, its queue entry), doubled for the tables' growth
 *    by doubling; per worker, the cluster index, one wait histogram per scope and the
 *    trace reader's buffers; the per-replication figures of every task. */
#include "footprint.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "calendar.h"
#include "check.h"
#include "hist.h"
#include "jobs.h"
#include "load.h"
#include "metrics.h"
#include "policy_common.h"

/* The program itself (binary, libc, GSL, libconfig, stdio) before it simulates anything:
 * measured as the peak RSS of a two-hour M/M/c run, 3.6 MB, rounded up. */
#define BASE_BYTES (4.0 * 1024 * 1024)
/* One calendar event in its node pool, and its bucket's share (calendar.c). */
#define EVENT_BYTES ((double)sizeof(cal_event) + 16)
#define READER_BYTES (2 * 65536.0 + 4096) /* trace.c: a block and a line buffer, the state */

/* How much above the daily mean the arrival rate gets: the busiest hour of the profile
 * times the largest promotion demand (the envelope arrivals.c thins from). */
static double peak_factor(const scenario *sc)
{
	double f = 1;
	if (sc->has_profile) {
		double max = 0, mean = 0;
		for (int h = 0; h < 24; h++) {
			max = fmax(max, sc->daily_profile[h]);
			mean += sc->daily_profile[h] / 24;
		}
		f = mean > 0 ? max / mean : 1;
	}
	if (sc->has_weekly) { /* the busiest weekday over the week's mean (scenario_class_rate) */
		double max = 0, mean = 0;
		for (int d = 0; d < 7; d++) {
			max = fmax(max, sc->weekly_profile[d]);
			mean += sc->weekly_profile[d] / 7;
		}
		f *= mean > 0 ? max / mean : 1;
	}
	double mix_max = 1;
	for (int i = 0; i < sc->npromos; i++) {
		double mix = 0;
		for (int k = 0; k < sc->nclasses; k++)
			mix += sc->classes[k].share * (sc->promos[i].classes >> k & 1 ? sc->promos[i].demand : 1);
		mix_max = fmax(mix_max, mix);
	}
	return f * mix_max;
}

/* Peak jobs in service and waiting on pool q in one replication; sets *grows when its
 * queue grows through the whole run. */
static void pool_jobs(const scenario *sc, int q, double f, double *running, double *queued, int *grows)
{
	double lambda = 0, busy_jobs = 0, patience = 0;
	int all_patient = 1, min_milli = INT32_MAX;
	for (int k = 0; k < sc->nclasses; k++) {
		const class_spec *c = &sc->classes[k];
		double gpus_k = 0, gpus_q = 0;
		for (int i = 0; i < c->npools; i++) {
			gpus_k += (double)scenario_pool_gpus(sc, c->pools[i]);
			if (c->pools[i] == q)
				gpus_q = (double)scenario_pool_gpus(sc, q);
		}
		if (!(gpus_q > 0))
			continue;
		double l = scenario_class_rate(sc, k) * gpus_q / gpus_k, s = scenario_expected_service(sc, k, q);
		lambda += l;
		busy_jobs += isfinite(s) ? l * s : 0;
		all_patient &= c->has_patience;
		patience = c->has_patience ? fmax(patience, c->patience.mean) : patience;
		min_milli = c->gpus_milli < min_milli ? c->gpus_milli : min_milli;
	}
	*running = *queued = 0;
	*grows = 0;
	if (!(lambda > 0))
		return;
	double slots = (double)scenario_pool_gpus(sc, q) * SC_MILLI / (min_milli > 0 ? min_milli : 1);
	double m = busy_jobs * f;
	*running = fmin(slots, m + 4 * sqrt(m) + 1);
	/* the load packing allows: 5-GPU jobs on 8-GPU nodes queue at a GPU load of 0.7 */
	pool_load load;
	load_pool(sc, q, &load);
	double rho = load.packed, peak = rho * f, n = lambda * sc->horizon;
	if (!isfinite(rho)) {
		*queued = n; /* no estimate of the service: assume the worst */
	} else if (rho >= 1) {
		*queued = lambda * (1 - 1 / rho) * sc->horizon;
		*grows = !(all_patient && patience > 0); /* else abandonment bounds it, below */
	} else if (peak >= 1) {
		double lasts = sc->has_profile ? 86400 : 0;
		for (int i = 0; i < sc->npromos; i++)
			lasts = fmax(lasts, sc->promos[i].duration);
		*queued = lambda * f * (1 - 1 / peak) * fmin(sc->horizon, lasts);
	} else {
		*queued = peak > 0 ? log(fmax(n, 2)) / -log(peak) : 1;
	}
	if (all_patient && patience > 0)
		*queued = fmin(*queued, lambda * f * patience + 1);
	*queued = fmin(*queued, n); /* never more than arrive */
	FG_ASSERT(!(*running < 0) && !(*queued < 0)); /* estimates of counts: a sign slip shows */
}

void footprint_estimate_run(const scenario *sc, int threads, footprint_estimate *e)
{
	memset(e, 0, sizeof *e);
	e->grows_pool = -1;
	double f = peak_factor(sc), worst = 0, per_worker = 0;
	for (int q = 0; q < sc->npools; q++) {
		double r, w;
		int grows;
		pool_jobs(sc, q, f, &r, &w, &grows);
		e->running += r;
		e->queued += w;
		if (grows) {
			e->unstable = 1;
			if (w > worst) {
				worst = w;
				e->grows_pool = q;
			}
		}
		/* the cluster index: per GPU its free share, whole flag, packing slots; per node
		 * its free GPUs, the tree, the preemption scratch */
		double nodes = sc->pools[q].nodes, gpus = nodes * sc->pools[q].gpus_per_node;
		per_worker += gpus * (3 * sizeof(int) + 1) + nodes * (3 * sizeof(int) + 1);
	}
	/* A job: its slot (the table doubles, so up to twice the peak), a departure and an
	 * abandonment event (the event pool doubles too), its queue entry (a heap slot) and
	 * what an ordering policy keeps of it (policy_common.h; doubling too). */
	e->bytes_per_job = 2 * (double)sizeof(job) + 2 * 2 * EVENT_BYTES + 2 * sizeof(uint32_t) +
			   2 * (double)sizeof(struct policy_slot);
	per_worker += scope_count(sc) * (double)sizeof(hist); /* a wait histogram per scope */
	per_worker += 1024 * ((double)sizeof(job) + EVENT_BYTES); /* the tables' first allocation */
	per_worker += sc->ntenants * 48.0;                        /* fair-share queues, Zipf tables */
	per_worker += sc->trace ? READER_BYTES : 0;
	e->per_worker = per_worker;
	int tasks = sc->npolicies * sc->replications;
	e->workers = threads < 1 ? 1 : threads > tasks ? tasks : threads;
	FG_ASSERT(e->workers >= 1); /* a loaded scenario runs at least one policy once */
	/* every task's figures, and a stdio buffer for each part file of jobs.csv / timeseries.csv */
	e->results = (double)tasks * ((double)sizeof(rep_metrics) + 4096.0 * (sc->jobs_csv + (sc->timeseries_step > 0)));
	e->base = BASE_BYTES + sizeof(scenario) + sc->ncalib * 8192.0;
	e->total = e->base + e->results +
		   e->workers * (e->per_worker + (e->running + e->queued) * e->bytes_per_job);
}

double footprint_default_cap(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
	return pages > 0 && size > 0 ? 0.5 * (double)pages * (double)size : 0;
}

int footprint_parse_size(const char *text, double *bytes)
{
	char *end;
	double v = strtod(text, &end);
	if (end == text || !isfinite(v) || !(v > 0))
		return -1;
	static const struct {
		const char *unit;
		double scale;
	} units[] = {{"", 1},         {"B", 1},          {"K", 1024.0},      {"KB", 1024.0},      {"KiB", 1024.0},
		     {"M", 1048576.0}, {"MB", 1048576.0}, {"MiB", 1048576.0}, {"G", 1073741824.0}, {"GB", 1073741824.0},
		     {"GiB", 1073741824.0}, {"T", 1099511627776.0}, {"TB", 1099511627776.0}, {"TiB", 1099511627776.0}};
	while (*end == ' ')
		end++;
	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (!strcasecmp(end, units[i].unit)) {
			*bytes = v * units[i].scale;
			return 0;
		}
	return -1;
}

const char *footprint_format(double bytes, char *buf, size_t len)
{
	static const char *const unit[] = {"bytes", "KB", "MB", "GB", "TB", "PB", "EB"};
	int u = 0;
	while (bytes >= 1024 && u < 6) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, len, u ? "%.3g %s" : "%.0f %s", bytes, unit[u]);
	return buf;
}

const char *footprint_culprit(const footprint_estimate *e)
{
	double jobs = e->workers * (e->running + e->queued) * e->bytes_per_job, fixed = e->workers * e->per_worker;
	if (e->results >= jobs && e->results >= fixed)
		return "run.replications";
	return jobs >= fixed ? "run.horizon" : "cluster";
}
