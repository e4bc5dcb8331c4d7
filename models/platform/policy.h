/* policy.h - the built-in queue policies: each one is an fgp_policy table (the public
 * plugin interface, fgsim_plugin.h), found by kind in a registry; adding a policy is one
 * file and one registry line. */
#ifndef FGSIM_POLICY_H
#define FGSIM_POLICY_H
#include "../fgsim_plugin.h"
#include "jobs.h"
#include "plugin.h"
#include "scenario.h"

/* A built-in policy's state: the waiting jobs, in whichever structure it keeps them. */
typedef struct policy policy;
struct policy {
	const fgp_policy *ops;
	uint32_t len;
	/* fcfs, priority: FIFO lists by level (0 first) */
	uint32_t nonempty;                 /* bit l set: level l has jobs */
	uint8_t level_of[SC_MAX_CLASSES];  /* class -> level */
	job_list level[SC_MAX_CLASSES];
	/* sjf, aging: a binary min-heap of job indices by (job.key, job.id) */
	uint32_t *heap;
	size_t heap_cap;
	double aging_step;                 /* seconds of waiting worth one priority level */
	/* fair-share: a FIFO per tenant, and a min-heap of tenants with queued work by pass */
	job_list *tenant_queue;
	double *tenant_pass;
	uint32_t *tenant_heap, *tenant_pos, ntenants, active;
	double pass_now;                   /* the pass of the last tenant served */
	double *tenant_stride;             /* 1 / weight per tenant; NULL: every weight is 1 */
	/* easy-backfill: the running jobs by estimated end, the waiting ones by class, and
	 * the reservation's scratch (policy_backfill.c) */
	struct bf_state *bf;
};

/* The operations of a built-in policy kind; for a plugin, the table it exports. */
const fgp_policy *policy_lookup(policy_kind kind);
const fgp_policy *policy_ops_of(const policy_spec *spec);
/* An empty queue for the built-in policy spec describes, in p from scratch
 * (policy_destroy an initialised one first). Returns 0, -1 on no memory. */
int policy_init(policy *p, const policy_spec *spec, const scenario *sc);
/* Frees what policy_init allocated; the policy may be initialised again. */
void policy_destroy(policy *p);

/* Shared by the built-in policies (policy_*.c), not by the platform: their fgp_policy
 * init and free (a policy on the heap, set up by its kind's setup function), and the
 * job heap of the ordered ones. */
int policy_builtin_init(void **self, const fgp_api *api, fgp_ctx *cx, const fgp_param *params, int nparams,
			char *err, size_t errlen);
void policy_builtin_free(void *self);
int policy_fcfs_setup(policy *p, const policy_spec *spec, const scenario *sc);
int policy_priority_setup(policy *p, const policy_spec *spec, const scenario *sc);
int policy_keyed_setup(policy *p, const policy_spec *spec, const scenario *sc);
int policy_fair_setup(policy *p, const policy_spec *spec, const scenario *sc);
int policy_backfill_setup(policy *p, const policy_spec *spec, const scenario *sc);
int policy_heap_push(void *self, fgp_ctx *cx, fgp_job_id i);
void policy_heap_remove(void *self, fgp_ctx *cx, fgp_job_id i, int started);
void policy_backfill_free(struct bf_state *b);

/* A private hook, for built-ins only: the platform calls it when job i starts a run
 * (running = 1) and when the run ends (done, killed or preempted: running = 0), with
 * the job's pool, node and GPUs still set. It exists because the plugin interface does
 * not report these (a job that starts on arrival never reaches the policy), and
 * easy-backfill keeps its running jobs in order of estimated end from them. Returns 0,
 * -1 on no memory. */
typedef int (*policy_watch_fn)(void *self, fgp_ctx *cx, uint32_t i, int running);
/* The hook of the built-in policy spec describes, NULL if it has none (or a plugin). */
policy_watch_fn policy_watch_of(const policy_spec *spec);
int policy_backfill_watch(void *self, fgp_ctx *cx, uint32_t i, int running);
#endif
