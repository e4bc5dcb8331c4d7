/* gpushare.c - the GPU-sharing cluster and its six placements (gpushare.h). Scores are
 * the reference simulator's integers in [0, 100] (Kubernetes' MaxNodeScore), because its
 * truncation decides which nodes tie, and ties are broken uniformly at random as the
 * Kubernetes scheduler's selectHost does. */
#include "gpushare.h"

#include "gpushare_memo.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SCORE 100
#define SPEC_CPU 128000.0 /* the simulator's MaxSpecCpu, MaxSpecGpu: normalise scores */
#define SPEC_GPU 8000.0

static const char *const names[GS_NPLACEMENTS] = {
    "random", "dot-product", "gpu-clustering", "gpu-packing", "best-fit-multi", "fgd"};

const char *gs_placement_name(int p) { return p >= 0 && p < GS_NPLACEMENTS ? names[p] : "?"; }

int gs_placement_by_name(const char *name)
{
	for (int i = 0; i < GS_NPLACEMENTS; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

static int is_share(const gs_pod *p) { return p->num_gpu == 1 && p->gpu_milli < GS_MILLI; }

static int model_ok(const gs_node *nd, const gs_pod *p)
{
	return p->spec == 0 || (p->spec >> nd->model & 1u);
}

static int total_left(const gs_node *nd)
{
	int s = 0;
	for (int g = 0; g < nd->ngpu; g++)
		s += nd->gpu_left[g];
	return s;
}

static int fully_free(const gs_node *nd)
{
	int k = 0;
	for (int g = 0; g < nd->ngpu; g++)
		k += nd->gpu_left[g] == GS_MILLI;
	return k;
}

/* GPUs with at least gpu_milli free (the simulator's CanNodeHostPodOnGpuMemory) */
static int gpus_enough(const gs_node *nd, const gs_pod *p)
{
	int k = 0;
	for (int g = 0; g < nd->ngpu; g++)
		k += nd->gpu_left[g] >= p->gpu_milli;
	return k >= p->num_gpu;
}

int gs_fits(const gs_node *nd, const gs_pod *p)
{
	if (nd->cpu_left < p->cpu || nd->mem_left < p->mem)
		return 0;
	if (p->num_gpu == 0 || p->gpu_milli == 0)
		return 1;
	if (!model_ok(nd, p))
		return 0;
	if (is_share(p))
		return gpus_enough(nd, p);
	return fully_free(nd) >= p->num_gpu;
}

/* Fragmentation of a node for one task shape (the paper's Table 1 and section 3.2; the
 * simulator's NodeGpuShareFragAmount): when the task cannot run on the node (GPUs or
 * CPU short, wrong model), all of the node's free GPU is fragment for it; when it can,
 * the free GPU on GPUs with less than the task's gpu_milli is. Memory is not looked at,
 * as in the reference. A CPU-only task adds nothing: its case counts no fragment. */
static double frag_for(const gs_node *nd, int left_total, const gs_pod *p)
{
	if (p->gpu_milli == 0)
		return 0;
	if (!model_ok(nd, p) || nd->cpu_left < p->cpu || !gpus_enough(nd, p))
		return left_total;
	int f = 0;
	for (int g = 0; g < nd->ngpu; g++)
		if (nd->gpu_left[g] < p->gpu_milli)
			f += nd->gpu_left[g];
	return f;
}

/* fgd's memo: node states interned with their fragmentation, and (state, pod shape)
 * pairs with fgd's score; each node's current state id, -1 when not interned. */
struct gs_cache {
	const gs_typical *t;
	gsm *states, *scores;
	int *node_state;
};

/* A state key: what gs_node_frag and score_fgd read of a node, with the GPUs' free milli
 * sorted (fragmentation sums over them, so their order does not change it). */
#define STATE_KEY (3 + GS_MAX_GPUS)
#define SCORE_KEY 4

static void state_key(const gs_node *nd, int *key)
{
	key[0] = nd->cpu_left;
	key[1] = nd->model;
	key[2] = nd->ngpu;
	int *g = key + 3;
	for (int i = 0; i < GS_MAX_GPUS; i++)
		g[i] = i < nd->ngpu ? nd->gpu_left[i] : -1;
	for (int i = 1; i < nd->ngpu; i++)
		for (int j = i; j > 0 && g[j] < g[j - 1]; j--) {
			int x = g[j];
			g[j] = g[j - 1];
			g[j - 1] = x;
		}
}

/* The state's id in the memo, or -1 when out of memory. */
static int state_id(struct gs_cache *m, const gs_node *nd)
{
	int key[STATE_KEY];
	state_key(nd, key);
	return gsm_intern(m->states, key);
}

double gs_node_frag(const gs_node *nd, const gs_typical *t)
{
	int left = total_left(nd);
	double s = 0;
	if (left == 0)
		return 0;
	for (int i = 0; i < t->n; i++)
		s += t->freq[i] * frag_for(nd, left, &t->pods[i]);
	return s;
}

/* gs_node_frag through the cluster's memo when it has one for t */
static double frag_of(const gs_cluster *c, const gs_node *nd, const gs_typical *t)
{
	struct gs_cache *m = c->cache;
	int id;
	if (!m || m->t != t || (id = state_id(m, nd)) < 0)
		return gs_node_frag(nd, t);
	double *v = gsm_value(m->states, id);
	if (isnan(*v))
		*v = gs_node_frag(nd, t);
	return *v;
}

int gs_cache_attach(gs_cluster *c, const gs_typical *t)
{
	struct gs_cache *m = calloc(1, sizeof *m);
	gs_cache_detach(c);
	if (!m || !(m->states = gsm_new(STATE_KEY)) || !(m->scores = gsm_new(SCORE_KEY)) ||
	    !(m->node_state = malloc(sizeof(int) * (size_t)(c->n > 0 ? c->n : 1))))
		goto fail;
	m->t = t;
	c->cache = m;
	for (int i = 0; i < c->n; i++) {
		m->node_state[i] = state_id(m, &c->nodes[i]);
		c->nodes[i].frag = frag_of(c, &c->nodes[i], t);
	}
	return 0;
fail:
	if (m) {
		gsm_free(m->states);
		gsm_free(m->scores);
		free(m);
	}
	for (int i = 0; i < c->n; i++)
		c->nodes[i].frag = gs_node_frag(&c->nodes[i], t);
	return -1;
}

void gs_cache_detach(gs_cluster *c)
{
	struct gs_cache *m = c->cache;
	if (!m)
		return;
	gsm_free(m->states);
	gsm_free(m->scores);
	free(m->node_state);
	free(m);
	c->cache = NULL;
}

double gs_cluster_frag(const gs_cluster *c)
{
	double s = 0;
	for (int i = 0; i < c->n; i++)
		s += c->nodes[i].frag;
	return s;
}

/* The GPU with the least free milli that still holds the shared pod, lowest index on
 * ties (Open-Gpu-Share's "best" GPU selection, allocateGpuIdBasedOnBestFit). */
static int best_gpu(const gs_node *nd, const gs_pod *p)
{
	int b = -1;
	for (int g = 0; g < nd->ngpu; g++)
		if (nd->gpu_left[g] >= p->gpu_milli && (b < 0 || nd->gpu_left[g] < nd->gpu_left[b]))
			b = g;
	return b;
}

/* A whole-GPU pod takes the first num_gpu fully free GPUs (AllocateExclusiveGpuId). */
static void exclusive_gpus(const gs_node *nd, const gs_pod *p, int *gpus)
{
	int k = 0;
	for (int g = 0; g < nd->ngpu && k < p->num_gpu; g++)
		if (nd->gpu_left[g] == GS_MILLI)
			gpus[k++] = g;
}

/* gpu-clustering (GpuClusteringScore; the paper's "Clustering", after Gandiva's
 * affinity): GPU pods go first to nodes whose pods all share the pod's tag (shared, or
 * its number of whole GPUs), then to nodes that hold the tag among others, then empty
 * nodes, then the rest, each band of 25 ordered by GPU already allocated. */
static int score_clustering(const gs_node *nd, const gs_pod *p)
{
	if (p->num_gpu == 0 || p->gpu_milli == 0)
		return 0;
	unsigned tag = is_share(p) ? 1u : 1u << (p->num_gpu < 31 ? p->num_gpu : 31);
	int base = MAX_SCORE / 4 * ((int)SPEC_GPU - total_left(nd)) / (int)SPEC_GPU;
	if (nd->affinity & tag)
		return base + (nd->affinity == tag ? MAX_SCORE * 3 / 4 : MAX_SCORE * 2 / 4);
	return base + (nd->affinity == 0 ? MAX_SCORE / 4 : 0);
}

/* gpu-packing (GpuPackingScore; the paper's "Packing"): best, a shared pod on GPUs
 * already in use (less free on them is better); then fully free GPUs on a node already
 * in use (fewer is better); last, an idle node (fewer GPUs is better). */
static int score_packing(const gs_node *nd, const gs_pod *p)
{
	if (p->num_gpu == 0 || p->gpu_milli == 0)
		return 0;
	int ff = fully_free(nd);
	if (ff == nd->ngpu) {
		int s = MAX_SCORE / 3 - ff;
		return s > ff ? s : ff;
	}
	/* the pod's GPUs, least free first (SortedMilliGpuLeftIndexList, stable) */
	int idx[GS_MAX_GPUS], n = nd->ngpu;
	for (int i = 0; i < n; i++)
		idx[i] = i;
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && nd->gpu_left[idx[j]] < nd->gpu_left[idx[j - 1]]; j--) {
			int x = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = x;
		}
	int need = p->num_gpu, use_free = 0, ratio = 0;
	for (int i = 0; i < n && need > 0; i++) {
		int left = nd->gpu_left[idx[i]];
		if (p->gpu_milli <= left) {
			need--;
			use_free += left == GS_MILLI;
			ratio += left * 100 / GS_MILLI;
		}
	}
	if (use_free > 0) {
		int s = MAX_SCORE / 2 - use_free;
		return s > MAX_SCORE / 3 ? s : MAX_SCORE / 3;
	}
	int s = MAX_SCORE - ratio / 10;
	return s > MAX_SCORE / 2 ? s : MAX_SCORE / 2;
}

/* best-fit-multi (BestFitScore; the paper's "Best-fit", after Kubernetes' scoring): the
 * node with the least weighted remaining resource after placing,
 * 0.5 (cpu_left - cpu) / 128000 + 0.5 (gpu_left - gpu) / 8000, scaled to 100 - 100 x that. */
static int score_bestfit(const gs_node *nd, const gs_pod *p)
{
	double s = 0.5 * (nd->cpu_left - p->cpu) / SPEC_CPU +
		   0.5 * (total_left(nd) - (double)p->num_gpu * p->gpu_milli) / SPEC_GPU;
	return (int)((1.0 - s) * MAX_SCORE);
}

/* dot-product (DotProductScore, "merge" dimensions, "max" normalisation; Tetris,
 * Grandl et al., SIGCOMM 2014): the node whose free (CPU, GPU) vector has the smallest
 * dot product with the pod's request, both over (128000, 8000). */
static int score_dot(const gs_node *nd, const gs_pod *p)
{
	double d = nd->cpu_left / SPEC_CPU * (p->cpu / SPEC_CPU) +
		   total_left(nd) / SPEC_GPU * ((double)p->num_gpu * p->gpu_milli / SPEC_GPU);
	return (int)(MAX_SCORE * (1.0 - d / 2));
}

static double sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }

/* What a node would look like after the pod (NodeResource.Sub: a pod's GPUs taken from
 * the least free GPU that holds it upwards). */
static void sub_pod(gs_node *nd, const gs_pod *p)
{
	nd->cpu_left -= p->cpu;
	int need = p->num_gpu;
	while (need > 0) {
		int b = best_gpu(nd, p);
		if (b < 0)
			break;
		nd->gpu_left[b] -= p->gpu_milli;
		need--;
	}
}

/* fgd (FGDScore; the paper's section 4): the choice that grows the node's fragmentation
 * the least, scored sigmoid((frag_before - frag_after) / 1000) x 100; for a shared pod
 * each GPU that holds it is tried and the best kept (first on ties). */
static int score_fgd(const gs_cluster *c, const gs_node *nd, const gs_pod *p,
		     const gs_typical *t, int *gpu)
{
	gs_node x = *nd;
	if (is_share(p)) {
		int best = -1;
		for (int g = 0; g < nd->ngpu; g++) {
			if (nd->gpu_left[g] < p->gpu_milli)
				continue;
			x.cpu_left = nd->cpu_left - p->cpu;
			x.gpu_left[g] = nd->gpu_left[g] - p->gpu_milli;
			int s = (int)(sigmoid((nd->frag - frag_of(c, &x, t)) / 1000) * MAX_SCORE);
			x.gpu_left[g] = nd->gpu_left[g];
			if (best < 0 || s > best) {
				best = s;
				*gpu = g;
			}
		}
		return best;
	}
	sub_pod(&x, p);
	return (int)(sigmoid((nd->frag - frag_of(c, &x, t)) / 1000) * MAX_SCORE);
}

/* fgd's score of node i, memoised by (node state, pod shape): what score_fgd reads. The
 * GPU is chosen afterwards, for the winner only. */
static int fgd_node(const gs_cluster *c, int i, const gs_pod *p, const gs_typical *t)
{
	struct gs_cache *m = c->cache;
	int g, id = -1;
	if (m && m->t == t && m->node_state[i] >= 0) {
		int key[SCORE_KEY] = {m->node_state[i], p->cpu, p->num_gpu, p->gpu_milli};
		id = gsm_intern(m->scores, key);
	}
	if (id < 0)
		return score_fgd(c, &c->nodes[i], p, t, &g);
	double *v = gsm_value(m->scores, id);
	if (isnan(*v))
		*v = score_fgd(c, &c->nodes[i], p, t, &g);
	return (int)*v;
}

/* Min-max rescaling to [0, 100] over the feasible nodes (NormalizeScore, which only
 * best-fit-multi's plugin applies); integer division can merge neighbouring scores. */
static void normalise(int *score, int n)
{
	int hi = INT_MIN, lo = INT_MAX;
	for (int i = 0; i < n; i++) {
		if (score[i] > hi)
			hi = score[i];
		if (score[i] < lo)
			lo = score[i];
	}
	for (int i = 0; i < n; i++)
		score[i] = hi == lo ? 0 : (int)((long)(score[i] - lo) * MAX_SCORE / (hi - lo));
}

static void choose_gpus(const gs_node *nd, int pl, const gs_pod *p, gsl_rng *rng, int fgd_gpu,
			int *gpus)
{
	if (p->num_gpu == 0 || p->gpu_milli == 0)
		return;
	if (!is_share(p)) {
		exclusive_gpus(nd, p, gpus);
		return;
	}
	if (pl == GS_FGD) {
		gpus[0] = fgd_gpu;
	} else if (pl == GS_RANDOM) { /* Open-Gpu-Share's "random": any GPU that holds it */
		int k = 0;
		for (int g = 0; g < nd->ngpu; g++)
			if (nd->gpu_left[g] >= p->gpu_milli && gsl_rng_uniform_int(rng, ++k) == 0)
				gpus[0] = g;
	} else {
		gpus[0] = best_gpu(nd, p);
	}
}

int gs_choose(const gs_cluster *c, int pl, const gs_pod *p, const gs_typical *t, gsl_rng *rng,
	      int *gpus)
{
	int *cand = malloc(sizeof(int) * 2 * (size_t)(c->n > 0 ? c->n : 1)), nc = 0;
	if (!cand)
		return -1;
	int *score = cand + c->n;
	for (int i = 0; i < c->n; i++)
		if ((!c->allowed || c->allowed[i]) && gs_fits(&c->nodes[i], p))
			cand[nc++] = i;
	if (nc == 0) {
		free(cand);
		return -1;
	}
	for (int k = 0; k < nc; k++) {
		const gs_node *nd = &c->nodes[cand[k]];
		switch (pl) {
		case GS_RANDOM: score[k] = 0; break; /* any feasible node, uniformly */
		case GS_DOT: score[k] = score_dot(nd, p); break;
		case GS_CLUSTERING: score[k] = score_clustering(nd, p); break;
		case GS_PACKING: score[k] = score_packing(nd, p); break;
		case GS_BESTFIT: score[k] = score_bestfit(nd, p); break;
		default: score[k] = fgd_node(c, cand[k], p, t); break;
		}
	}
	if (pl == GS_BESTFIT)
		normalise(score, nc);
	/* the highest score; among ties the lowest rank (the reference's patched selectHost,
	 * "for reproducibility"), or one uniformly (Kubernetes' reservoir sampling); random's
	 * one node is uniform either way (RandomScore draws it in PreScore) */
	const int *rank = pl == GS_RANDOM ? NULL : c->rank;
	int best = 0, ties = 0;
	for (int k = 0; k < nc; k++) {
		if (score[k] > score[best]) {
			best = k;
			ties = 1;
		} else if (score[k] == score[best] && k > 0) {
			if (rank ? rank[cand[k]] < rank[cand[best]]
				 : ++ties > 1 && gsl_rng_uniform_int(rng, (unsigned long)ties) == 0)
				best = k;
		} else if (k == 0) {
			ties = 1;
		}
	}
	int node = cand[best], fgd_gpu = -1;
	if (pl == GS_FGD && is_share(p))
		(void)score_fgd(c, &c->nodes[node], p, t, &fgd_gpu);
	choose_gpus(&c->nodes[node], pl, p, rng, fgd_gpu, gpus);
	free(cand);
	return node;
}

void gs_take(gs_cluster *c, int node, const gs_pod *p, const int *gpus, const gs_typical *t)
{
	gs_node *nd = &c->nodes[node];
	nd->cpu_left -= p->cpu;
	nd->mem_left -= p->mem;
	if (p->num_gpu > 0 && p->gpu_milli > 0) {
		for (int k = 0; k < p->num_gpu; k++)
			nd->gpu_left[gpus[k]] -= p->gpu_milli;
		nd->affinity |= is_share(p) ? 1u : 1u << (p->num_gpu < 31 ? p->num_gpu : 31);
	}
	if (c->cache)
		c->cache->node_state[node] = state_id(c->cache, nd);
	if (t)
		nd->frag = frag_of(c, nd, t);
}

void gs_node_update(gs_cluster *c, int node, const gs_typical *t)
{
	gs_node *nd = &c->nodes[node];
	if (c->cache)
		c->cache->node_state[node] = state_id(c->cache, nd);
	if (t)
		nd->frag = frag_of(c, nd, t);
}

static int same_shape(const gs_pod *a, const gs_pod *b)
{
	return a->cpu == b->cpu && a->num_gpu == b->num_gpu && a->gpu_milli == b->gpu_milli &&
	       a->spec == b->spec;
}

gs_pod gs_pod_of(int gpus_milli, int cpu, int mem, uint32_t spec)
{
	gs_pod p = {cpu, mem, 0, 0, spec};
	if (gpus_milli > 0 && gpus_milli < GS_MILLI)
		p.num_gpu = 1, p.gpu_milli = gpus_milli;
	else if (gpus_milli > 0)
		p.num_gpu = gpus_milli / GS_MILLI, p.gpu_milli = GS_MILLI;
	return p;
}

int gs_typical_build(gs_typical *t, const gs_pod *pods, long n)
{
	memset(t, 0, sizeof *t);
	gs_pod *shape = malloc(sizeof *shape * (size_t)(n > 0 ? n : 1));
	double *cnt = calloc((size_t)(n > 0 ? n : 1), sizeof *cnt);
	int ns = 0;
	if (!shape || !cnt) {
		free(shape);
		free(cnt);
		return -1;
	}
	/* shapes as the simulator keys them (CPU, GPUs, milli, model list); memory is not
	 * part of its PodResource */
	for (long i = 0; i < n; i++) {
		int s = 0;
		while (s < ns && !same_shape(&shape[s], &pods[i]))
			s++;
		if (s == ns) {
			shape[ns] = pods[i];
			shape[ns].mem = 0;
			ns++;
		}
		cnt[s] += 1;
	}
	gs_typical_cut(t, shape, cnt, ns);
	return 0;
}

void gs_typical_cut(gs_typical *t, gs_pod *shape, double *cnt, int ns)
{
	double total = 0;
	for (int i = 0; i < ns; i++)
		total += cnt[i];
	/* most frequent first; first seen first among equals, so the order is fixed */
	for (int i = 1; i < ns; i++)
		for (int j = i; j > 0 && cnt[j] > cnt[j - 1]; j--) {
			gs_pod ps = shape[j];
			double pc = cnt[j];
			shape[j] = shape[j - 1];
			cnt[j] = cnt[j - 1];
			shape[j - 1] = ps;
			cnt[j - 1] = pc;
		}
	/* GetTypicalPods: add shapes ten at a time until they cover 95% of the pods */
	double cum = 0, want = 0.95 * total;
	int k = 0;
	while (cum < want && k < ns) {
		for (int stop = k + 10; k < stop && k < ns; k++)
			cum += cnt[k];
	}
	t->pods = shape;
	t->freq = cnt;
	t->n = k;
	for (int i = 0; i < k; i++)
		t->freq[i] /= cum;
}

void gs_typical_free(gs_typical *t)
{
	if (!t)
		return;
	free(t->pods);
	free(t->freq);
	memset(t, 0, sizeof *t);
}
