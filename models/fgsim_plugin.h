/* fgsim_plugin.h - the public, versioned interface of fgsim's scheduling policies and
 * placement strategies: what a policy sees (waiting and running jobs, pools, clock)
 * and what it may do (start, preempt, hold). The built-in policies are written against
 * it too; a researcher's own policy is a shared object loaded with dlopen that exports
 * `const fgp_policy fgsim_policy` (or `const fgp_placement fgsim_placement`).
 *
 * It lives in models/ because its words (jobs, GPUs, pools, tenants) are the
 * platform's; sim/ knows nothing of them. It includes only standard headers and shows
 * no fgsim struct: jobs and the platform are reached through handles and a table of
 * callbacks, so a plugin cannot corrupt them and needs no symbol from the binary (no
 * -rdynamic). See models/plugins/README.md for a walk-through. */
#ifndef FGSIM_PLUGIN_H
#define FGSIM_PLUGIN_H
#include <stddef.h>
#include <stdint.h>

/* Bumped whenever a struct or callback below changes; fgsim refuses a plugin built
 * against a number it does not speak (exit 2) rather than calling it with the wrong
 * layout. ABI 2 only added calls at the end of fgp_api (and the structs they fill), so
 * a plugin built for ABI 1 still loads and runs: fgsim speaks FGP_ABI_MIN..FGP_ABI. A
 * plugin that uses an ABI 2 call and should also run on an older fgsim checks
 * api->abi >= 2 first. */
#define FGP_ABI 2
#define FGP_ABI_MIN 1

/* One replication of one policy as seen by a plugin: opaque. */
typedef struct fgp_ctx fgp_ctx;

/* A job is named by a handle, valid from the moment it is pushed until it leaves the
 * system; handles are reused afterwards (small integers: index your own arrays). */
typedef uint32_t fgp_job_id;
#define FGP_NONE UINT32_MAX

/* A job's attributes, copied out by fgp_api.job(). Times in seconds of simulated time. */
typedef struct fgp_job {
	uint64_t seq;         /* arrival order within the replication (0, 1, ...) */
	double arrival;       /* when it arrived */
	double queued_since;  /* arrival, or when it was last preempted */
	double estimate;      /* the runtime its user announced (may be wrong) */
	double start;         /* while running: when this run started; else -1 */
	uint32_t tenant;      /* 0 .. ntenants - 1 */
	int cls;              /* its class, 0 .. nclasses - 1 */
	int priority;         /* its class's priority (0 is the highest) */
	int gpus_milli;       /* GPUs asked for, in thousandths (250 = a quarter GPU) */
	int running;          /* 1 while running, 0 while waiting */
	int runs;             /* starts so far (> 1 after preemption) */
	int pool;             /* while running: its pool; else -1 */
} fgp_job;

/* A pool and its capacity now, from fgp_api.pool(). */
typedef struct fgp_pool {
	const char *name, *gpu;
	int nodes, gpus_per_node;        /* during a run, nodes counts burst nodes (off: nothing free) */
	long long cap_milli, free_milli; /* GPUs in thousandths: powered, and not in use */
	int max_node_free_milli;         /* the most fully free GPUs on one node, x 1000 */
	double cost_per_gpu_hour, price_per_gpu_hour;
} fgp_pool;

/* Where a job runs: a pool, a node of it, and for a fraction of a GPU the GPU on that
 * node (else -1). A job of whole nodes (a gang) has node = -1: fgsim picks the nodes. */
typedef struct fgp_slot {
	int pool, node, gpu;
} fgp_slot;

/* ABI 2. What a job asks for beside its GPUs (fgp_api.job_need). */
typedef struct fgp_need {
	int cpu_milli, memory_mib; /* on its node, thousandths of a core and MiB; 0: none */
	uint32_t pools;            /* bit q set: it may run on pool q (its class's pools, and
				    * for a trace pod the GPU models of its gpu_spec) */
} fgp_need;

/* ABI 2. A node's size and its CPU and memory now (fgp_api.node); its GPUs' free share
 * one by one from gpu_free_milli. A pool's GPU model is fgp_pool.gpu. */
typedef struct fgp_node {
	int gpus;                 /* GPUs on this node (a node list's pool may mix sizes) */
	int cpu_milli, cpu_free_milli;   /* thousandths of a core; both -1: not limited */
	int memory_mib, memory_free_mib; /* MiB; both -1: not limited */
} fgp_node;

/* ABI 2. One task size of the workload and its share of the tasks (fgp_api.shape): what a
 * placement that weighs the cluster against the coming tasks (fgd) measures with. */
typedef struct fgp_shape {
	int gpus_milli, cpu_milli, memory_mib;
	uint32_t pools; /* as fgp_need.pools */
	double weight;  /* the shapes' weights sum to 1 */
} fgp_shape;

/* A scenario parameter: `params = { tickets = 3; t1 = 10; mode = "fast"; }`. */
enum { FGP_INT, FGP_FLOAT, FGP_BOOL, FGP_STRING };
typedef struct fgp_param {
	const char *key;
	int type;      /* FGP_INT, FGP_FLOAT, FGP_BOOL or FGP_STRING */
	long long i;   /* FGP_INT, FGP_BOOL (0 or 1) */
	double f;      /* every numeric type, converted */
	const char *s; /* FGP_STRING */
} fgp_param;

/* The calls fgsim offers a policy; a pointer to this table is passed to init. */
typedef struct fgp_api {
	int abi; /* FGP_ABI of the fgsim that runs the plugin */
	/* The scenario: valid in init already. */
	int (*nclasses)(const fgp_ctx *cx);
	const char *(*class_name)(const fgp_ctx *cx, int cls);
	uint32_t (*ntenants)(const fgp_ctx *cx);
	/* Tenant t's name ("t1".."tN", or a class's name) into buf; returns buf. */
	const char *(*tenant_name)(const fgp_ctx *cx, uint32_t t, char *buf, size_t len);
	int (*npools)(const fgp_ctx *cx);
	void (*pool)(const fgp_ctx *cx, int q, fgp_pool *out);
	/* Free capacity of one node now, x 1000: its fully free GPUs, and one GPU's free
	 * share (for fractions). 0 for a node or GPU that does not exist. */
	int (*node_free_milli)(const fgp_ctx *cx, int q, int node);
	int (*gpu_free_milli)(const fgp_ctx *cx, int q, int node, int gpu);
	/* The run: valid in push, head, remove, requeue, schedule and place. */
	double (*now)(const fgp_ctx *cx);
	void (*job)(const fgp_ctx *cx, fgp_job_id j, fgp_job *out); /* j must be in the system */
	/* Running jobs, one after another: pass FGP_NONE for the first; FGP_NONE at the end. */
	fgp_job_id (*next_running)(const fgp_ctx *cx, fgp_job_id after);
	/* 1 if waiting job j could start now (and *where, if not NULL, where the scenario's
	 * placement would put it), 0 if not. */
	int (*fits)(const fgp_ctx *cx, fgp_job_id j, fgp_slot *where);
	/* Starts waiting job j at *where (NULL: where the scenario's placement puts it).
	 * Your remove(j, 1) is called before it returns. Returns 0; non-zero when fgsim
	 * stops the run (j was not waiting or does not fit there: a plugin error, reported
	 * with the plugin's name and the time): return from schedule at once. */
	int (*start)(fgp_ctx *cx, fgp_job_id j, const fgp_slot *where);
	/* Evicts running job j; it comes back through your requeue (which must exist).
	 * Returns 0; non-zero as for start. */
	int (*preempt)(fgp_ctx *cx, fgp_job_id j);
	/* Holding is not starting: a waiting job stays until you start it. hold asks for
	 * one more schedule call at time t (a reservation, a time-based rule) even if
	 * nothing arrives or ends then. Returns 0; non-zero on no memory. */
	int (*hold)(fgp_ctx *cx, double t);
	/* A uniform draw in [0, 1) from the policy's own random stream, seeded from the
	 * scenario seed and the replication: the same for any -j. */
	double (*uniform)(fgp_ctx *cx);
	/* Stops the run with your message (exit 1); fgsim adds your name and the time. */
	void (*fail)(fgp_ctx *cx, const char *msg);
	/* ---- ABI 2 (api->abi >= 2): the calls below are absent from an ABI 1 fgsim. ---- */
	/* What job j asks for beside GPUs (valid where job is). */
	void (*job_need)(const fgp_ctx *cx, fgp_job_id j, fgp_need *out);
	/* Node n of pool q: its GPUs, CPU and memory (free: now; in init: all of it). */
	void (*node)(const fgp_ctx *cx, int q, int n, fgp_node *out);
	/* Where running job j runs: 0 with *out set, -1 if it is not running. A gang's
	 * node is -1. */
	int (*job_slot)(const fgp_ctx *cx, fgp_job_id j, fgp_slot *out);
	/* The workload's task sizes (valid in init already): how many, and shape i. A
	 * trace's: its pods' shapes, the most frequent covering 95% of its pods (as the
	 * fill experiment takes them); a synthetic workload's: its classes, by share. */
	int (*nshapes)(const fgp_ctx *cx);
	void (*shape)(const fgp_ctx *cx, int i, fgp_shape *out);
} fgp_api;

/* A queue policy. fgsim calls push when a job starts waiting, remove when it leaves the
 * queue (started = 1: it started; 0: it abandoned), requeue when a preempted job comes
 * back. Then either head (the job to start next, FGP_NONE for none: fgsim places it
 * with the scenario's placement and calls head again until a job does not fit) or, if
 * schedule is not NULL, schedule (you start jobs with api->start yourself: scan the
 * queue, backfill, draw lotteries). Per replication, init makes your state; free
 * frees it. Many replications run at once on threads: keep all state in *self. */
typedef struct fgp_policy {
	int abi;          /* FGP_ABI */
	const char *name; /* for messages */
	unsigned flags;   /* FGP_EVICT_FOR_HEAD, FGP_HEAD_PURE */
	/* Returns 0 with *self set; non-zero with a message in err (bad parameters: fgsim
	 * reports it at the scenario's FILE:LINE, exit 2). */
	int (*init)(void **self, const fgp_api *api, fgp_ctx *cx, const fgp_param *params, int nparams, char *err,
		    size_t errlen);
	void (*free)(void *self);
	int (*push)(void *self, fgp_ctx *cx, fgp_job_id j); /* 0, or -1 on no memory */
	fgp_job_id (*head)(void *self, fgp_ctx *cx);
	void (*remove)(void *self, fgp_ctx *cx, fgp_job_id j, int started);
	int (*requeue)(void *self, fgp_ctx *cx, fgp_job_id j); /* NULL if you never preempt */
	int (*schedule)(void *self, fgp_ctx *cx);              /* NULL: head is used */
} fgp_policy;

/* When the head job does not fit, fgsim evicts running jobs of a larger priority
 * number to make room (the built-in priority-preemptive). Needs head and requeue. */
#define FGP_EVICT_FOR_HEAD 1u

/* A promise: head has no side effects (no draws, no state it changes) and depends on
 * the waiting jobs alone, not on the GPUs or the clock. fgsim may then ask it at a
 * departure before the GPUs are given back, and hand them straight to the head when
 * that is where placing it would end: the same results, several times less work per
 * job under load. A head that breaks the promise gets wrong results, not an error. */
#define FGP_HEAD_PURE 2u

/* A placement strategy: where job j should run now. Returns 0 with *out set, 1 if it
 * should not start now. A slot where j does not fit stops the run (exit 1). */
typedef struct fgp_placement {
	int abi;
	const char *name;
	int (*init)(void **self, const fgp_api *api, fgp_ctx *cx, const fgp_param *params, int nparams, char *err,
		    size_t errlen);
	void (*free)(void *self);
	int (*place)(void *self, fgp_ctx *cx, fgp_job_id j, fgp_slot *out);
} fgp_placement;
#endif
