/* burst_use.c - an experiment's use of burst nodes, summed up for the terminal
 * (burst_use.h). The peak is the largest over the replications, not their mean: the
 * provider must have that many nodes to rent at the worst moment the runs saw. */
#include "burst_use.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "numfmt.h"

void burst_use_of(const experiment *e, int pi, burst_use *u)
{
	const scenario *sc = e->sc;
	FG_ASSERT(pi >= 0 && pi < sc->npolicies && sc->replications >= 1);
	memset(u, 0, sizeof *u);
	for (int r = 0; r < sc->replications; r++) {
		const rep_metrics *m = experiment_rep(e, pi, r);
		u->gpu_hours += m->v[0][M_burst_gpu_hours] / sc->replications;
		u->cost += m->v[0][M_burst_cost] / sc->replications;
		/* one pool: its scope is "all" (the same figures) */
		for (int q = 0; q < sc->npools; q++) {
			int s = sc->npools > 1 ? scope_of_pool(sc, q) : 0;
			double p = m->v[s][M_burst_nodes_peak];
			u->peak[q] = isfinite(p) ? fmax(u->peak[q], p) : u->peak[q];
		}
	}
	for (int q = 0; q < sc->npools; q++)
		u->used |= u->peak[q] > 0;
}

const char *burst_use_format(const scenario *sc, const burst_use *u, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = 0;
	for (int q = 0; q < sc->npools; q++)
		if (u->peak[q] > 0 && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%.0f of %d (pool %s)",
					      n ? ", " : "peak ", u->peak[q],
					      sc->pools[q].burst_max, sc->pools[q].name);
	/* numfmt's four digits with separators, as the report shows them: "3,227", not "3227" */
	char h[64], c[64];
	numfmt(u->gpu_hours, numfmt_decimals(u->gpu_hours), h, sizeof h);
	numfmt(u->cost, numfmt_decimals(u->cost), c, sizeof c);
	if (n < len)
		snprintf(buf + n, len - n, "%s%s GPU-hours, %s %s", n ? ", " : "", h, c,
			 sc->currency);
	return buf;
}

const char *burst_use_without(const scenario *sc, const burst_use *u, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = 0;
	for (int q = 0; q < sc->npools; q++)
		if (u->peak[q] > 0 && n < len)
			n += (size_t)snprintf(buf + n, len - n,
					      "%s--set cluster.pools.[%d].burst.max_nodes=0",
					      n ? " " : "", q);
	return buf;
}
