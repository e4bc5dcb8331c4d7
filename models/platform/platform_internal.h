/* platform_internal.h - internal to the platform (models/platform*.c), not part of its
 * interface, which is platform.h: the workspace one replication runs in, and the calls
 * the event loop (platform.c) and the plugin interface (platform_api.c) make of each
 * other. Nothing outside those files includes it; its names carry the prefix pf_. */
#ifndef FGSIM_PLATFORM_INTERNAL_H
#define FGSIM_PLATFORM_INTERNAL_H
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "arrivals.h"
#include "calendar.h"
#include "cluster.h"
#include "hist.h"
#include "jobs.h"
#include "platform.h"
#include "plugin_guard.h"
#include "policy.h"
#include "stats.h"

/* Calendar event kinds; a departure's, abandonment's, kill's or idle timer's kind
 * carries a generation above the low EV_KIND_BITS bits. */
enum { EV_DEPART, EV_ABANDON, EV_SAMPLE, EV_BURST_UP, EV_BURST_IDLE, EV_WAKE, EV_KILL, EV_KIND_BITS = 4 };
#define GEN_MASK 0x0fffffffu /* the part of a job's generation an abandonment event carries */

/* What a scope accumulates during a replication. */
typedef struct scope_acc {
	double arrivals, done, abandoned, waited;
	stat_sum wait, response, slowdown;
	stat_sum patience_used; /* time in queue of jobs that abandoned */
	double revenue, lost_revenue, in_system_end_count;
	/* Time integrals over [warm-up, horizon], summed job by job when a job leaves the
	 * queue or the GPUs: the same numbers as integrating the queue length and the busy
	 * GPUs over time, without an update at every change of either. */
	double queue_seconds, gpu_seconds;
	double billed_gpu_seconds; /* GPU-seconds run plus minimum-billing top-ups */
	double preemptions, lost_gpu_seconds; /* evictions, and work a restart threw away */
	double balked;                        /* arrivals that left at once (balking) */
	/* burst nodes: GPU-seconds paid for (request to stop) and powered (up to stop),
	 * and their money; fragmentation: idle GPUs x seconds (see frag_value) */
	double burst_gpu_seconds, burst_up_gpu_seconds, burst_cost, frag_seconds;
	double killed;                        /* jobs killed at their estimate */
	hist *waits;
} scope_acc;

/* A burst node's life: requested (paid from then), up (powered, takes jobs), off. */
enum { BURST_OFF, BURST_BOOTING, BURST_UP };
typedef struct burst_node {
	double requested, up_at;
	uint32_t gen; /* bumped each time it falls idle: an older idle timer is stale */
	int pool, node, state;
} burst_node;

struct platform {
	const scenario *sc;
	cal cal;
	job_table jobs;
	cluster cl;
	/* The policy of this run through its fgp_policy table (built-in or plugin), its
	 * state, and the context its calls get; the platform counts the waiting jobs. */
	const fgp_policy *pops;
	void *pself;
	fgp_job_id (*head)(void *self, fgp_ctx *cx); /* pops->head, checked for a plugin */
	fgp_ctx cx;
	uint32_t queued;
	int preempts; /* FGP_EVICT_FOR_HEAD */
	int own_schedule; /* the policy has a schedule call (else head) */
	int eager;        /* preempts or own_schedule: schedule even for a lone queued job */
	int kill_at_estimate; /* a job still running at its estimate ends there, killed */
	policy_watch_fn watch; /* a built-in's hook on every start and end (policy.h), or NULL */
	/* A placement plugin, NULL for the built-in placement. */
	const fgp_placement *placer;
	void *placer_self;
	fgp_ctx place_cx;
	gsl_rng *policy_rng; /* fgp_api.uniform */
	/* A plugin broke a rule: the run stops with err. Calls that see it return at once;
	 * the event loop looks at it with the stop flag, every 65536 events. */
	int failed;
	char err[1024];
	char who[SC_NAME_MAX + SC_PLUGIN_PATH + 32], place_who[SC_NAME_MAX + SC_PLUGIN_PATH + 32];
	arrivals arr;
	gsl_rng *service[SC_MAX_CLASSES], *patience[SC_MAX_CLASSES], *estimate[SC_MAX_CLASSES], *tenant[SC_MAX_CLASSES];
	gsl_ran_discrete_t *tenant_mix[SC_MAX_CLASSES]; /* Zipf weights, NULL for a one-tenant class */
	scope_acc acc[MAX_SCOPES];
	/* Scope index where class k / pool p accumulate: their own, or 0 ("all") when the
	 * scenario has a single class / pool and the figures would be the same. */
	int class_scope[SC_MAX_CLASSES], pool_scope[SC_MAX_POOLS];
	double now;
	uint64_t next_id, events, arrivals_in_step;
	long long running, busy_milli;      /* jobs and thousandths of GPUs in use */
	/* The one pending arrival lives beside the heap, not in it: every job would
	 * otherwise cost an extra push and pop. It keeps a calendar sequence number so
	 * ties still resolve in insertion order. */
	double arrival_t;
	uint64_t arrival_seq;
	arrival next;
	int policy, rep;
	const platform_sinks *sinks;
	_Atomic double *clock; /* progress: where the simulated time is published, or NULL */
	/* Under a policy that evicts for its head: per class, its running jobs that can be
	 * evicted (whole GPUs on one node), linked through job.prev/next, which a running
	 * job does not use; so make_room looks at candidates, not at every job slot. */
	job_list evictable[SC_MAX_CLASSES];
	/* preemption scratch: candidate victims, and their GPUs per node (node_base[q] + n) */
	uint32_t *victims, nvictims, victims_cap;
	int *freeable, node_base[SC_MAX_POOLS];
	int ntenant_scopes; /* tenant_scopes(sc), asked for at every job */
	/* Some job's figures go to scopes beyond "all" (classes, pools, tenants, windows).
	 * Without them the hot paths update "all" alone and skip building scope lists. */
	int more_scopes;
	double price_per_milli_second[SC_MAX_POOLS]; /* a thousandth of a GPU for a second */
	/* Features a scenario may leave off, each behind one flag on the hot path. */
	gsl_rng *balk[SC_MAX_CLASSES];       /* balking draws, a stream per class */
	int track_work;                      /* burst or balking: keep queued_work */
	double queued_work[SC_MAX_CLASSES];  /* GPU-seconds (by estimate) of the class's waiting jobs */
	uint32_t share_mask[SC_MAX_CLASSES]; /* classes that share a pool with class k */
	uint32_t pool_mask[SC_MAX_POOLS];    /* classes that may use pool q */
	burst_node *burst;                   /* every pool's burst nodes, pool by pool */
	int nburst, booting[SC_MAX_POOLS];
	int quota;                           /* tenants.quota_gpus in thousandths, 0: none */
	long long *tenant_use;               /* thousandths of GPUs each tenant holds */
	job_list *held;                      /* per tenant: jobs set aside at its quota */
	uint32_t nheld;
	int nomem;                           /* a push failed where no status could be returned */
	double frag_now, frag_t;             /* fragmented GPUs since frag_t */
	int frag_on;                         /* fragmentation is possible in this scenario */
	int frag_live;                       /* ... and measured under this run's policy */
	long long powered_milli;             /* thousandths of GPUs powered (burst nodes up included) */
	int extras;                          /* quota, burst or balking: the hooks they need run */
	int hand_off;                        /* a departure may pass its GPUs to the head (on_depart) */
	int min_billing;                     /* some pool bills a minimum time */
	int no_hand_off;                     /* tests: never (platform_hand_offs) */
	unsigned long long hand_offs;        /* ... and how many this run did */
	/* A plugin policy's own table, and the copy pops points to, whose calls mark the
	 * call in progress for plugin_guard.h (its free excepted: pf_plugins_free guards
	 * that). Last: the hot fields above keep their places. */
	const fgp_policy *plugin_ops;
	fgp_policy guard_ops;
	pg_slot *slot;                  /* the thread's, which runs the replication */
	pg_site psite[PG_NCALLS], lsite[PG_NCALLS]; /* the policy's calls, the placement's */
};

/* ---- steps of the event loop the plugin interface takes (platform.c) ------------- */
/* Out-of-line doors to the loop's inline steps (place, begin, over_quota), so that the
 * loop keeps them inline; what the plugin interface does with them is never hot. */

/* Would waiting job i take its tenant beyond the quota? 0 where there is none. */
int pf_over_quota(const platform *p, uint32_t i);
/* Waiting job i is over its tenant's quota: it leaves the policy's queue and is held
 * until the tenant has room. */
void pf_hold_over_quota(platform *p, uint32_t i);
/* Where job i runs now by the scenario's placement: 0 with *s set, -1 if it does not
 * fit (or a placement plugin broke a rule: p->failed). */
int pf_place(platform *p, uint32_t i, slot *s);
/* Waiting job i leaves the queue and starts at s. Returns 0, -1 on no memory. */
int pf_begin(platform *p, uint32_t i, const slot *s);
/* Evicts running job v back to the policy's queue (billed, its work kept or lost per
 * the policy's restart). Returns 0, -1 on no memory. */
int pf_preempt(platform *p, uint32_t v);

/* ---- calls into the policy and placement plugins (platform_api.c) ---------------- */

/* The policy and placement of run pi, replication rep, made afresh. Returns 0, -1
 * (p->err says why). */
int pf_plugins_reset(platform *p, int pi, int rep);
/* A placement plugin's choice for job i, checked: 0 with *s set, -1 if it leaves the
 * job waiting or broke a rule (p->failed). */
int pf_place_plugin(platform *p, uint32_t i, slot *s);
/* A policy's own schedule call. Returns 0, -1 when it ran out of memory. */
int pf_schedule_plugin(platform *p);
/* Frees the policy's and the placement's state (from the run that last reset them). */
void pf_plugins_free(platform *p);
#endif
