/* gpushare.h - a GPU-sharing cluster (nodes with CPU, memory and GPUs of one model, each
 * GPU shared in milli-GPUs) and the six published placements of Weng et al., "Beware of
 * Fragmentation: Scheduling GPU-Sharing Workloads with Fragmentation Gradient Descent"
 * (USENIX ATC 2023), as its reference simulator (hkust-adsl/kubernetes-scheduler-simulator,
 * pkg/simulator/plugin/, one file per score) scores them. Used by the fill experiment. */
#ifndef FGSIM_GPUSHARE_H
#define FGSIM_GPUSHARE_H
#include <gsl/gsl_rng.h>
#include <stdint.h>

#define GS_MAX_GPUS 16   /* GPUs on one node (openb: 8) */
#define GS_MAX_MODELS 31 /* GPU models in one cluster; bit 31 of a spec means "none known" */
#define GS_MILLI 1000
#define GS_SPEC_NONE (1u << 31)

typedef struct gs_node {
	int cpu_cap, mem_cap;   /* milli-cores, MiB */
	int cpu_left, mem_left;
	int ngpu, model;        /* model: index into gs_cluster.models */
	int gpu_left[GS_MAX_GPUS]; /* free milli-GPU of each GPU */
	unsigned affinity;      /* gpu-clustering's tags of the pods placed: bit 0 shared, bit k k-GPU */
	double frag;            /* gs_node_frag of the node as it is (kept by gs_take) */
} gs_node;

/* A task: num_gpu GPUs of gpu_milli each (a share of one GPU when num_gpu = 1 and
 * gpu_milli < 1000; otherwise whole GPUs). spec: bit m set = may run on model m; 0 = any. */
typedef struct gs_pod {
	int cpu, mem, num_gpu, gpu_milli;
	uint32_t spec;
} gs_pod;

typedef struct gs_cluster {
	gs_node *nodes;
	int n, nmodels;
	char models[GS_MAX_MODELS][64];
	long long gpu_milli; /* capacity: GPUs x 1000 */
	struct gs_cache *cache; /* fgd's memo (gs_cache_attach), NULL = none */
	/* Tie order: among nodes with the best score the one of lowest rank[i] wins, as the
	 * reference's selectHost takes the smallest node name, names that start with a random
	 * permutation of the nodes. NULL: ties broken uniformly at random instead. */
	const int *rank;
	/* Nodes a pod may go to beside gs_fits (a run's pools the job may use, its CPU and
	 * memory where the cluster has no limit): allowed[i] non-zero. NULL: all. */
	const unsigned char *allowed;
} gs_cluster;

/* The workload's task-size distribution FGD measures fragmentation against. */
typedef struct gs_typical {
	gs_pod *pods;
	double *freq; /* sums to 1 */
	int n;
} gs_typical;

enum { GS_RANDOM, GS_DOT, GS_CLUSTERING, GS_PACKING, GS_BESTFIT, GS_FGD, GS_NPLACEMENTS };

const char *gs_placement_name(int p);
/* The placement called `name`, or -1. */
int gs_placement_by_name(const char *name);

/* 1 when the pod fits the node: CPU, memory, GPU model, and GPUs (a shared pod one GPU
 * with gpu_milli free, a whole-GPU pod num_gpu fully free GPUs). */
int gs_fits(const gs_node *nd, const gs_pod *p);

/* The node's fragmentation (the paper's section 3.2, the simulator's
 * NodeGpuShareFragAmountScore): the expected free milli-GPU that a task drawn from `t`
 * could not use. */
double gs_node_frag(const gs_node *nd, const gs_typical *t);

/* Chooses a node and its GPUs for `p` under placement `pl`; writes the GPUs' indices to
 * gpus[0..num_gpu) and returns the node, or -1 when no node fits. Ties go to the lowest
 * c->rank, or with no ranks uniformly through `rng`; `random` always chooses uniformly
 * through `rng`. `t` is needed by fgd only. */
int gs_choose(const gs_cluster *c, int pl, const gs_pod *p, const gs_typical *t, gsl_rng *rng,
	      int *gpus);

/* Places p on node `node`, GPUs gpus[] (from gs_choose), updating its fragmentation
 * against `t` (may be NULL). */
void gs_take(gs_cluster *c, int node, const gs_pod *p, const int *gpus, const gs_typical *t);

/* A task of gpus_milli thousandths of GPUs (a share of one GPU below 1000, else whole
 * GPUs: 2500 is taken as 2), cpu milli-cores and mem MiB, on the models of spec. */
gs_pod gs_pod_of(int gpus_milli, int cpu, int mem, uint32_t spec);

/* Node `node` changed (its free CPU, memory or GPUs written by the caller, not gs_take):
 * its memo state and fragmentation against t (may be NULL) follow. */
void gs_node_update(gs_cluster *c, int node, const gs_typical *t);

/* The typical pods of a pod list (the simulator's GetTypicalPods with the paper's
 * settings: CPU-only pods included, the most frequent shapes up to 95% of the pods, in
 * steps of 10 shapes). Returns 0, or -1 when out of memory. */
int gs_typical_build(gs_typical *t, const gs_pod *pods, long n);
/* The same from ns distinct shapes and their weights (counts or shares), both malloc'd:
 * t takes them (sorted, most frequent first; the weights become frequencies). */
void gs_typical_cut(gs_typical *t, gs_pod *shape, double *weight, int ns);
void gs_typical_free(gs_typical *t);

/* Memoises fragmentation and fgd's scores by node state (free CPU, GPU model, the
 * multiset of per-GPU free milli: what they depend on) for gs_choose and gs_take with
 * typical pods `t`, which must outlive it; sets every node's frag. Choices are the same
 * with or without it, only faster when many nodes share a state. Returns 0, or -1 when
 * out of memory (the cluster then without one). */
int gs_cache_attach(gs_cluster *c, const gs_typical *t);
/* Frees the cluster's memo, if any. */
void gs_cache_detach(gs_cluster *c);

/* The cluster's fragmentation: sum of gs_node_frag over its nodes. */
double gs_cluster_frag(const gs_cluster *c);
#endif
