/* pf_features.h - which of the platform's features and fast paths a run switches on,
 * derived from the scenario and the policy in one place (pf_features), each flag with
 * the reason it is safe. The event loop tests these flags; it never re-derives them. */
#ifndef FGSIM_PF_FEATURES_H
#define FGSIM_PF_FEATURES_H
#include "metrics.h"
#include "policy.h"
#include "scenario.h"

typedef struct pf_flags {
	/* ---- from the scenario alone ---- */
	int ntenant_scopes; /* tenants with a scope of their own (the busiest), asked at every job */
	int more_scopes;    /* some figure goes to a scope beyond "all" */
	int track_work;     /* keep the queued work per class (burst or balking read it) */
	int nburst;         /* burst nodes over all pools */
	int quota;          /* tenants' quota in thousandths of a GPU, 0: none */
	int extras;         /* quota, burst or balking: their hooks run at queue and end */
	int min_billing;    /* some pool bills a minimum time */
	int frag_on;        /* fragmentation can happen */
	int multi;          /* jobs ask for CPU and memory too (cluster.multi) */
	int frag_paper;     /* multi, and nodes with CPU or memory limits: the paper's measure */
	int place_slow;     /* a placement plugin or multi: place() leaves cluster_place */
	int faults;         /* nodes fail or are reclaimed, or jobs checkpoint (failures.c) */
	int history;        /* some class learns its estimates from history (history.c) */
	int job_hooks;      /* faults or history: hooks at an arrival and at a run's end */
	/* ---- from the policy (and the scenario) ---- */
	int preempts;          /* the policy evicts for its head */
	int own_schedule;      /* the policy starts jobs by its own schedule call */
	int eager;             /* schedule even for a lone queued job */
	int kill_at_estimate;  /* a run still going at its estimate is killed there */
	int frag_live;         /* fragmentation is measured under this policy */
	int frag_watch;        /* FRAG_WATCH_*: the measure the loop updates after each event */
	int end_odd;           /* faults or kill_at_estimate: a run may not end at start + left */
	int hand_off;          /* a departure may hand its GPUs to the head (on_depart) */
	policy_watch_fn watch; /* a built-in's hook on every start and end, or NULL */
} pf_flags;

/* pf_flags.frag_watch: no measure; the head's alone (frag_live, not frag_paper); the
 * paper's (frag_paper), with or without the head's. */
enum { FRAG_WATCH_NONE, FRAG_WATCH_LIVE, FRAG_WATCH_PAPER };

/* Every flag for policy pi of sc (pi < 0: the scenario's alone, the policy's 0);
 * allow_hand_off 0 (tests) turns the hand-off fast path off. Depends on nothing but sc and the policy's table, so a test can tabulate it. */
void pf_features(pf_flags *f, const scenario *sc, int pi, int allow_hand_off);
/* Do sc's jobs ask for CPU or memory (cluster.multi), has some node a CPU or memory
 * limit, and none more GPUs than the paper's measure holds? (frag_paper) */
int pf_frag_paper_of(const scenario *sc);
#endif
