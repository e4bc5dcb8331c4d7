/* pf_features.c - the one place where a run's feature and fast-path flags are decided
 * (pf_features.h). Each flag says why the path it enables or skips is safe; the platform's
 * hot paths test them and nothing else, and tests/test_features.c tabulates them. */
#include "pf_features.h"

#include "cluster.h"
#include "gpushare.h"

int pf_frag_paper_of(const scenario *sc)
{
	int limited = 0;
	if (!cluster_multi_of(sc))
		return 0;
	for (int q = 0; q < sc->npools; q++) {
		const pool_spec *ps = &sc->pools[q];
		if (ps->gpus_per_node > GS_MAX_GPUS)
			return 0;
		limited |= ps->cpu_milli > 0 || ps->memory_mib > 0;
		for (int r = 0; r < ps->nres; r++)
			limited |= ps->res[r].cpu_milli > 0 || ps->res[r].memory_mib > 0;
	}
	return limited;
}

void pf_features(pf_flags *f, const scenario *sc, int pi, int allow_hand_off)
{
	*f = (pf_flags){0};

	f->ntenant_scopes = tenant_scopes(sc);
	/* With one class, one pool, no promotion window and no tenant scope every figure
	 * goes to "all" alone (the class and pool scopes alias it, scenario.h), so the hot
	 * paths may skip building scope lists. */
	f->more_scopes =
	    sc->nclasses > 1 || sc->npools > 1 || sc->npromos > 0 || f->ntenant_scopes > 0;
	/* Burst requests and balking read the expected wait from the queued work; nothing
	 * else does, so without them nobody pays for keeping it. */
	f->track_work = sc->has_burst || sc->has_balking;
	/* A run's end looks up its pool's minimum bill only where some pool has one. */
	for (int q = 0; q < sc->npools; q++) {
		f->nburst += sc->pools[q].burst_max;
		f->min_billing |= sc->pools[q].minimum_billing > 0;
	}
	f->quota = sc->quota_milli;
	/* One test on the common path when the scenario uses none of these: the quota's
	 * hold and release, burst nodes' cooldown and the queued work are hooks that only
	 * run behind it (give_gpus, on_arrival's queued_extras). */
	f->extras = f->quota || f->nburst || f->track_work;
	/* Jobs of exactly one GPU fit wherever a GPU is free, so a queue's head waits only
	 * when its pools are full: no fragmentation to watch for, event after event. A
	 * trace's jobs may have any size. */
	f->frag_on = sc->trace;
	for (int k = 0; k < sc->nclasses; k++)
		f->frag_on |= sc->classes[k].gpus_milli != SC_MILLI;

	/* CPU and memory, or a trace's gpu_spec: each job carries its own needs (jobs.h),
	 * placed by the slower cluster_place_need; decided here once, so that a run
	 * without them pays one test where a job is placed, taken and given back. */
	f->multi = cluster_multi_of(sc);
	/* A GPU idle for want of CPU on its node is fragmentation that a sum of free GPUs
	 * behind the head cannot see: with CPU or memory limits, the paper's measure
	 * (gpushare_place.h) instead, where a node holds it (at most GS_MAX_GPUS GPUs). */
	f->frag_paper = pf_frag_paper_of(sc);
	f->place_slow = f->multi || sc->place_plugin.plugin;
	/* Failures, spot and checkpoints change how long a run takes (its pauses) and stop
	 * runs early; a scenario without them keeps every path as it was. */
	f->faults = sc->has_faults;
	for (int k = 0; k < sc->nclasses; k++)
		f->history |= sc->classes[k].estimate_history;
	/* One test at every arrival and departure for the hooks both features have there
	 * (an estimate learned or stretched by checkpoint pauses; checkpoints booked, a
	 * finished job's time learned), none in a run that has neither. */
	f->job_hooks = f->faults || f->history;

	if (pi < 0)
		return;
	const policy_spec *spec = &sc->policies[pi];
	const fgp_policy *ops = policy_ops_of(spec);
	f->preempts = (ops->flags & FGP_EVICT_FOR_HEAD) != 0;
	f->own_schedule = ops->schedule != NULL;
	/* A lone queued job normally needs no scheduling: the queue was settled after the
	 * last event, so it starts at its arrival or not at all. A policy that evicts for
	 * it, or decides by itself, must be asked all the same. */
	f->eager = f->preempts || f->own_schedule;
	/* Tested where a run's end is pushed: without it every run ends by departure. */
	f->kill_at_estimate = spec->kill_at_estimate;
	/* Fragmentation is measured behind the policy's next job: a policy that schedules
	 * by itself without naming one (easy-backfill, most plugins) gets no figure. */
	f->frag_live = f->frag_on && ops->head != NULL;
	/* Both measures behind one test after every event when neither is on, and one
	 * more when the head's alone is (the paper's has its own test). */
	f->frag_watch = f->frag_paper  ? FRAG_WATCH_PAPER
			: f->frag_live ? FRAG_WATCH_LIVE
				       : FRAG_WATCH_NONE;
	/* Where a run's end is pushed, one test for both reasons it may not be a departure
	 * at start + left: checkpoint pauses stretch it, or the estimate cuts it short. */
	f->end_odd = f->faults || f->kill_at_estimate;
	f->watch = policy_watch_of(spec);
	/* A departure hands its GPUs straight to the head (on_depart) only where that
	 * ends exactly as giving them back and scheduling would, event for event:
	 * - the head is pure (FGP_HEAD_PURE): asking it before the GPUs are back, and once
	 *   more if no hand-off follows, changes nothing;
	 * - the policy neither evicts nor schedules by itself (!eager): the usual path
	 *   would only place the head, which hands_off checks lands on the same GPUs;
	 * - no placement plugin: the built-in placement's choice is what hands_off
	 *   reasons about (a plugin might pick another node);
	 * - no quota, burst or balking (!extras): their hooks at a job's end (release held
	 *   jobs, start a burst node's cooldown) would run in between;
	 * - no policy watching every start and end (easy-backfill): it would see the end
	 *   and the start in another order;
	 * - no CPU or memory (!multi): hands_off reasons about GPUs alone;
	 * - no failures (!faults): a run's end there books its checkpoints first.
	 * hands_off (platform.c) adds the per-departure conditions; debug builds compute
	 * the slow way alongside and compare. */
	f->hand_off = (ops->flags & FGP_HEAD_PURE) && !f->eager && !sc->place_plugin.plugin &&
	              !f->extras && !f->watch && !f->multi && !f->faults && allow_hand_off;
}
