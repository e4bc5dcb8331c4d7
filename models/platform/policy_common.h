/* policy_common.h - what the built-in queue policies share (policy_common.c): the
 * state a built-in keeps, its life on the heap, the job heap of the ordered ones, and
 * each family's setup and operations for the registry (policy.h). The files depend one
 * way: policy.c (the registry) -> policy_<family>.c -> policy_common.c. */
#ifndef FGSIM_POLICY_COMMON_H
#define FGSIM_POLICY_COMMON_H
#include "../fgsim_plugin.h"
#include "grow.h"
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
	/* per job, by its index: what only the policy that set it reads, so it is kept here
	 * and not in struct job - sjf/aging's sort key and heap slot, backfill's place in
	 * its class line. Grown to the highest job index pushed (policy_slot_room). */
	struct policy_slot {
		double key;
		uint32_t pos;
	} *slot;
	size_t nslot;
	/* sjf, aging: a binary min-heap of job indices by (slot key, job.id) */
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
	 * the reservation's scratch (policy_backfill.c), freed through bf_free, which its
	 * setup sets: the shared policy_destroy does not need to know backfill's state */
	struct bf_state *bf;
	void (*bf_free)(struct bf_state *b);
	/* what the platform offers a policy (the api its init was given), for a built-in
	 * that starts jobs itself; NULL after policy_init, which tests call without one */
	const fgp_api *api;
};

/* Frees what policy_init or a setup allocated; the policy may be initialised again. */
void policy_destroy(policy *p);
typedef int (*policy_setup_fn)(policy *p, const policy_spec *spec, const scenario *sc);
/* memset p, then the operations and the empty FIFO levels every kind starts from. */
void policy_prepare(policy *p, const fgp_policy *ops);
/* A policy on the heap into *self, prepared with ops and set up by setup; keeps api.
 * Returns 0, -1 on no memory (nothing allocated then). */
int policy_builtin_new(void **self, const fgp_api *api, fgp_ctx *cx, const fgp_policy *ops,
		       policy_setup_fn setup);
void policy_builtin_free(void *self);
/* Makes p->slot[i] exist. Returns 0, -1 on no memory. */
static inline int policy_slot_room(policy *p, uint32_t i) { return GROW(p->slot, p->nslot, (size_t)i + 1); }
/* POLICY_BUILTIN_INIT(name, ops, setup): defines `name`, the fgp_policy init of a
 * built-in (which takes no `params`: its parameters are keys of the policy group). */
#define POLICY_BUILTIN_INIT(name, ops, setup)                                                   \
	static int name(void **self, const fgp_api *api, fgp_ctx *cx, const fgp_param *params,   \
			int nparams, char *err, size_t errlen)                                     \
	{                                                                                        \
		(void)params, (void)nparams, (void)err, (void)errlen;                              \
		return policy_builtin_new(self, api, cx, &(ops), setup);                         \
	}
extern const fgp_policy policy_fcfs_ops, policy_priority_ops, policy_sjf_ops, policy_aging_ops,
	policy_fair_share_ops, policy_preemptive_ops, policy_backfill_ops;
int policy_fcfs_setup(policy *p, const policy_spec *spec, const scenario *sc);
int policy_priority_setup(policy *p, const policy_spec *spec, const scenario *sc);
int policy_keyed_setup(policy *p, const policy_spec *spec, const scenario *sc);
int policy_fair_setup(policy *p, const policy_spec *spec, const scenario *sc);
int policy_backfill_setup(policy *p, const policy_spec *spec, const scenario *sc);
int policy_heap_push(void *self, fgp_ctx *cx, fgp_job_id i);
void policy_heap_remove(void *self, fgp_ctx *cx, fgp_job_id i, int started);

/* A private hook, for built-ins only: the platform calls it when job i starts a run
 * (running = 1) and when the run ends (done, killed or preempted: running = 0), with
 * the job's pool, node and GPUs still set. It exists because the plugin interface does
 * not report these (a job that starts on arrival never reaches the policy), and
 * easy-backfill keeps its running jobs in order of estimated end from them. Returns 0,
 * -1 on no memory. */
typedef int (*policy_watch_fn)(void *self, fgp_ctx *cx, uint32_t i, int running);
int policy_backfill_watch(void *self, fgp_ctx *cx, uint32_t i, int running);
#endif
