/* platform_internal.h - internal to the platform's files, not part of its interface
 * (platform.h): the workspace one replication runs in, and each module's hooks. The
 * files depend on each other one way only, lowest first:
 *   pf_features.c  the run's feature and fast-path flags, from the scenario (pf_features.h)
 *   plugins.c   the platform's calls into policy and placement plugins, checked
 *   books.c     the figures: scopes, billing, windows, fragmentation, closing the books
 *   quota.c     tenants' quotas: jobs held at the quota, released as usage drops
 *   burst.c     burst nodes (requested on the expected wait) and balking
 *   forecast.c  burst nodes requested ahead: pre-warmed for a promotion, or forecast
 *   history.c   runtime estimates learned from a tenant's finished jobs
 *   preempt.c   evictions for a queue's head
 *   failures.c  node failures, spot reclamation, the runs they stop (ft.faults)
 *   platform_steps.h  the steps both the loop and the plugin interface take (start a
 *               job, place it, take and give back GPUs), inline: the hot path stays one
 *               function after inlining
 *   platform_api.c    what a plugin may ask of the platform (platform_plugin_api)
 *   pf_check.c  pf_check: the workspace's invariants, walked
 *   platform.c  the event loop and the workspace's life (new, reset, run, free)
 * A feature's hooks (quota_*, burst_*, preempt_*) are called only behind its flag in
 * pf_flags. Nothing outside models/platform includes this header. */
#ifndef FGSIM_PLATFORM_INTERNAL_H
#define FGSIM_PLATFORM_INTERNAL_H
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "arrivals.h"
#include "calendar.h"
#include "check.h"
#include "cluster.h"
#include "forecast.h"
#include "gpushare_place.h"
#include "grow.h"
#include "hist.h"
#include "jobs.h"
#include "platform.h"
#include "pf_features.h"
#include "plugin_guard.h"
#include "policy.h"
#include "promos.h"
#include "stats.h"

/* Calendar event kinds; a departure's, abandonment's, kill's or idle timer's kind
 * carries a generation above the low EV_KIND_BITS bits. */
enum { EV_DEPART, EV_ABANDON, EV_SAMPLE, EV_BURST_UP, EV_BURST_IDLE, EV_WAKE, EV_KILL, EV_FORECAST, EV_PREWARM,
       EV_NODE, EV_KIND_BITS = 4 };
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
	double burst_nodes_peak; /* most burst nodes paid for at once (asked for, not stopped) */
	double killed;                        /* jobs killed at their estimate */
	/* head-of-line blocking (books_frag_note): seconds the policy's head could not
	 * start while a smaller queued job would have fit, and the GPUs idle meanwhile x
	 * seconds; GPU-seconds jobs ran on burst nodes (burst_idle_gpu_hours is the
	 * powered rest) */
	double hol_seconds, hol_gpu_seconds, burst_busy_gpu_seconds;
	/* failures.c: node failures, node-seconds out of service (failed or reclaimed),
	 * and their GPU-seconds, jobs interrupted and failed, GPU-seconds spent writing
	 * checkpoints, and the cost not paid for spot nodes while reclaimed */
	double failures, reclaims, down_node_seconds, down_gpu_seconds, interrupted, failed;
	double ckpt_gpu_seconds, spot_unpaid;
	hist *waits;
} scope_acc;

/* A burst node's life: requested (paid from then), up (powered, takes jobs), off. */
enum { BURST_OFF, BURST_BOOTING, BURST_UP };
typedef struct burst_node {
	double requested, up_at;
	double hold; /* a pre-warmed node is kept, idle or not, until its window opens */
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
	pf_flags ft; /* the run's features and fast paths (pf_features.h), set at each reset */
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
	uint32_t *victims, nvictims;
	size_t victims_cap;
	int *freeable, node_base[SC_MAX_POOLS];
	double price_per_milli_second[SC_MAX_POOLS]; /* a thousandth of a GPU for a second */
	/* Features a scenario may leave off, each behind one flag on the hot path. */
	gsl_rng *balk[SC_MAX_CLASSES];       /* balking draws, a stream per class */
	double queued_work[SC_MAX_CLASSES];  /* GPU-seconds (by estimate) of the class's waiting jobs */
	uint32_t share_mask[SC_MAX_CLASSES]; /* classes that share a pool with class k */
	uint32_t pool_mask[SC_MAX_POOLS];    /* classes that may use pool q */
	burst_node *burst;                   /* every pool's burst nodes, pool by pool */
	int booting[SC_MAX_POOLS];           /* burst nodes booting per pool */
	/* burst nodes paid for now, per pool and in all, and since when (burst_nodes_peak) */
	int burst_paid[SC_MAX_POOLS], burst_paid_all;
	double burst_since[SC_MAX_POOLS], burst_since_all;
	long long *tenant_use;               /* thousandths of GPUs each tenant holds */
	job_list *held;                      /* per tenant: jobs set aside at its quota */
	uint32_t nheld;
	int nomem;                           /* a push failed where no status could be returned */
	double frag_now, frag_t;             /* fragmented GPUs since frag_t */
	double hol_now;                      /* GPUs idle behind a blocked head since frag_t, 0: none */
	/* jobs of each class waiting or held (joined the queue, not yet left it): whether
	 * a smaller job waits behind a blocked head (head-of-line blocking) */
	uint32_t queued_k[SC_MAX_CLASSES];
	long long powered_milli;             /* thousandths of GPUs powered (burst nodes up included) */
	int no_hand_off;                     /* tests: never (platform_hand_offs) */
	/* pf_check runs after each event whose count & check_mask is 0: every 65536th in
	 * debug builds, every one from tests (platform_check_every), none in release
	 * (all ones: the count is never 0 after its increment). The loop's periodic work
	 * runs when the count & tick_mask (0xffff & check_mask) is 0. */
	uint64_t check_mask, tick_mask;
	unsigned long long hand_offs;        /* ... and how many this run did */
	/* A plugin policy's own table, and the copy pops points to, whose calls mark the
	 * call in progress for plugin_guard.h (its free excepted: pf_plugins_free guards
	 * that). Last: the hot fields above keep their places. */
	const fgp_policy *plugin_ops;
	fgp_policy guard_ops;
	pg_slot *slot;                  /* the thread's, which runs the replication */
	pg_site psite[PG_NCALLS], lsite[PG_NCALLS]; /* the policy's calls, the placement's */
	/* estimate = "history" (history.c): per (tenant, class), the last two finished
	 * jobs' run times and how many there were (0-2); NULL when no class learns */
	double (*est_last)[2];
	uint8_t *est_n;
	/* burst nodes planned ahead (forecast.c): per pool, the nodes the forecast wants
	 * now (0 without one), and whether some pool pre-warms or forecasts */
	int burst_want[SC_MAX_POOLS];
	int plans_ahead;
	double prewarm_for[SC_MAX_PROMOS][SC_MAX_POOLS]; /* the window a pending pre-warm is for */
	struct pf_faults *faults; /* failures.c's state (ft.faults), else NULL */
	/* A cluster with CPU or memory limits: fragmentation is the paper's, measured node by
	 * node (gpushare_place.h); the steps that take or give back a node touch it. NULL:
	 * the GPU-only measure behind the policy's head (books.c, frag_value). */
	gsp *gsf;
};

/* ---- plugins.c: the platform's calls into the policy and placement plugins ------- */

/* The policy and placement of run pi, replication rep, made afresh; their init gets
 * api (platform_plugin_api, passed down so this file does not call up into the
 * interface's). Returns 0, -1 (p->err says why). */
int pf_plugins_reset(platform *p, int pi, int rep, const fgp_api *api);
/* A placement plugin's choice for job i, checked: 0 with *s set, -1 if it leaves the
 * job waiting or broke a rule (p->failed). */
int pf_place_plugin(platform *p, uint32_t i, slot *s);
/* A policy's own schedule call. Returns 0, -1 when it ran out of memory. */
int pf_schedule_plugin(platform *p);
/* Frees the policy's and the placement's state (from the run that last reset them). */
void pf_plugins_free(platform *p);
/* A plugin's breach of the rules (cx names it): the run stops with a message that
 * names it and the simulated time. Returns -2. */
int pf_stop_run(platform *p, const fgp_ctx *cx, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Is i a job that waits in the policy's queue? */
int pf_is_waiting(const platform *p, fgp_job_id i);

/* ---- books.c: the figures a replication accumulates ------------------------------ */

/* Writes job i's jobs.csv row, ending at `end` with `outcome`. */
void books_write_job(platform *p, uint32_t i, double end, const char *outcome);
/* What a job that left unserved would have paid. */
double books_lost_revenue(const platform *p, const job *j);
/* The figures of a job that abandoned, was killed at its estimate, balked, or was
 * preempted (restart: its work so far is lost). Only counted jobs are booked. */
void books_abandoned(platform *p, const job *j);
void books_killed(platform *p, const job *j);
void books_balked(platform *p, const job *j);
void books_preempted(platform *p, const job *j, int restart);
/* A job that ends before its pool's minimum billing pays for the rest (min_billing). */
void books_bill_minimum(platform *p, const job *j);
/* After an event under frag_live, or one that touched a node under gsf: the fragmented
 * GPUs and the head-of-line blocking now, booked if they changed. */
void books_frag_note(platform *p);
/* The fragmented GPUs change to f and the GPUs idle behind a blocked head to hol at
 * `until`: the old values' time goes to the books. */
void books_frag_change(platform *p, double f, double hol, double until);
/* At the horizon: jobs still present billed up to it and counted as in the system. */
void books_close(platform *p);
/* The replication's figures, every scope. */
void books_fill(const platform *p, rep_metrics *out);

/* ---- quota.c: tenants' quotas (ft.quota) ----------------------------------------- */

/* Waiting job i is over its tenant's quota: it leaves the policy's queue and is held
 * until the tenant has room. */
void quota_hold(platform *p, uint32_t i);
/* Job j gave back its GPUs: its tenant's usage drops and held jobs that now fit go back
 * to the policy. */
void quota_on_end(platform *p, const job *j);

/* ---- burst.c: burst nodes (ft.nburst) and balking (class has_balking) ------------- */

/* The burst nodes all off, at a replication's start. */
void burst_reset(platform *p);
/* A class-k job joined the queue: burst pools whose expected wait is over their
 * threshold request nodes. Returns 0, -1 on no memory. */
int burst_on_queue(platform *p, int k);
/* Job j gave back its GPUs: burst nodes it leaves idle start their cooldown. */
void burst_on_end(platform *p, const job *j);
/* Burst node b finished starting (EV_BURST_UP); the caller then schedules. */
void burst_on_up(platform *p, uint32_t b);
/* Burst node b's cooldown ran out (EV_BURST_IDLE with generation gen). */
void burst_on_idle(platform *p, uint32_t b, uint32_t gen);
/* At the horizon: what the nodes still requested cost goes to the books. */
void burst_close(platform *p);
/* Does arriving job i balk (leave at once)? If so it is booked and released: 1. */
int balk_try(platform *p, uint32_t i);
/* Burst node b of pool q is requested now, to be kept at least until `hold` (a
 * pre-warmed node's window; 0: no hold). Returns 0, -1 on no memory. */
int burst_request(platform *p, int b, double hold);
/* Pool q's burst nodes: the index of its first in p->burst. */
int burst_first(const platform *p, int q);

/* ---- forecast.c: burst nodes requested ahead (ft.nburst, p->plans_ahead) ------------ */

/* At a replication's start: the first forecast and pre-warm events. Returns 0, -1 on
 * no memory. Pushes nothing for a scenario that plans nothing ahead. */
int forecast_start(platform *p);
/* EV_FORECAST: forecast pools request the nodes the next hour needs. */
int forecast_on_tick(platform *p);
/* EV_PREWARM (argument promotion x SC_MAX_POOLS + pool): the pool requests the nodes
 * the promotion's next window needs. */
int forecast_on_prewarm(platform *p, uint32_t arg);

/* ---- history.c: estimate = "history" --------------------------------------------- */

/* Allocates the per (tenant, class) table when some class learns. Returns 0, -1. */
int history_init(platform *p);
void history_reset(platform *p);
/* Arriving job j of a learning class: its estimate from its tenant's history, when
 * there are two finished jobs; else it keeps the fallback set by the caller, which is
 * kept (job.asked) as what its user announced: kill_at_estimate kills at that, never at
 * a prediction (a job killed at a short prediction would never teach a longer one). */
void history_estimate(const platform *p, job *j);
/* What job j's user announced, the time kill_at_estimate goes by (job.asked). */
double history_asked(const platform *p, const job *j);
/* Job j finished: its run time joins its tenant's history. */
void history_note(platform *p, const job *j);

/* ---- failures.c: node failures, spot reclamation, checkpoints (ft.faults) -------- */

/* The state failures.c keeps (per node and per pool), made with the workspace and
 * freed with it; NULL-safe free. Returns NULL on no memory. */
struct pf_faults *faults_new(const scenario *sc);
void faults_free(struct pf_faults *f);
/* A replication's start: every node up, its first failure and reclamation pushed.
 * Returns 0, -1 on no memory. */
int faults_reset(platform *p);
/* An EV_NODE event (what: the generation bits, node: over all pools' own nodes).
 * Returns 0, -1 on no memory; the caller then schedules. */
int faults_on_event(platform *p, uint32_t node, uint32_t what);
/* The wall time job j's run takes for its work left, checkpoints and restart included. */
double faults_run_wall(const platform *p, const job *j);
/* Job j's run ends at `until` (done, killed, preempted, or the horizon): its checkpoint
 * pauses and the reloading it began with go to the books. */
void faults_run_end(platform *p, const job *j, double until);
/* Arriving job j's estimate (service x its factor: the work its user expects) becomes
 * the time a run of that work takes without failures, its class's checkpoint pauses
 * included, so that an exact estimate is not short of the run (kill_at_estimate). */
void faults_estimate(const platform *p, job *j);
/* The work job j has done in its run so far (its checkpoint pauses left out). */
double faults_work_done(const platform *p, const job *j);
/* At the horizon: nodes still out of service, and the pauses of runs going on, go to
 * the books (before books_close, which bills the runs). */
void faults_close(platform *p);

/* ---- pf_check.c ------------------------------------------------------------------- */

/* Walks the workspace (the counters against the jobs table, the held and evictable
 * lists, burst nodes, and the calendar's and cluster's own walks). Returns NULL, or
 * the first broken invariant as text (valid until the thread's next call). Between
 * events only: inside one the counters are legitimately half-updated. */
const char *pf_check(const platform *p);

/* ---- preempt.c: evictions for the head (ft.preempts) ----------------------------- */

/* Evicts running job v back to the policy's queue (billed, its work kept or lost per
 * the policy's restart). Returns 0, -1 on no memory. */
int preempt_evict(platform *p, uint32_t v);
/* Head job h does not fit: evicts lower-priority jobs on the first node where that
 * makes room. Returns 1 if it evicted, 0 if no node can make room, -1 on no memory. */
int preempt_make_room(platform *p, uint32_t h);
#endif
