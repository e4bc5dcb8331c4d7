/* trace_nodes.c - the Alibaba node list (cluster.nodes_file) read into pools by GPU
 * model and node size; every bad row is reported as "FILE:LINE: what". */
#include "trace.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "trace_csv.h"

enum { N_SN, N_CPU, N_MEM, N_GPU, N_MODEL, N_N };

/* Counts a node of pool p in its (GPUs, CPU, memory) kind, kept in node order. */
static int add_res(trace_pool *p, int gpus, int cpu, int mem, char *msg, size_t len)
{
	int r = 0;
	while (r < p->nres && !(p->res[r].gpus == gpus && p->res[r].cpu_milli == cpu && p->res[r].memory_mib == mem))
		r++;
	if (r == p->nres) {
		if (p->nres == TRACE_POOL_RES)
			return tcsv_say(msg, len, "model \"%s\" has more than %d kinds of node (GPUs, CPU, memory)",
					p->model, TRACE_POOL_RES);
		/* after the kinds of as many GPUs or more, before those of fewer (stable) */
		while (r > 0 && p->res[r - 1].gpus < gpus) {
			p->res[r] = p->res[r - 1];
			r--;
		}
		p->res[r] = (trace_node_res){gpus, 0, cpu, mem};
		p->nres++;
	}
	p->res[r].nodes++;
	return 0;
}

static int add_node(trace_pool *pools, int max_pools, int *npools, const char *model, long gpus, int cpu, int mem,
		    char *msg, size_t len)
{
	trace_pool *p = NULL;
	for (int i = 0; i < *npools && !p; i++)
		if (!strcmp(pools[i].model, model))
			p = &pools[i];
	if (!p) {
		if (*npools >= max_pools)
			return tcsv_say(msg, len, "model \"%s\" would be pool %d; at most %d pools", model, *npools + 1,
				   max_pools);
		p = &pools[(*npools)++];
		memset(p, 0, sizeof *p);
		strcpy(p->model, model);
	}
	if (p->nodes == INT_MAX || p->gpus_total > INT_MAX - gpus)
		return tcsv_say(msg, len, "model \"%s\" has more GPUs than fgsim can count", model);
	int s = 0;
	while (s < p->nsizes && p->size[s].gpus != gpus)
		s++;
	if (s == p->nsizes) {
		if (p->nsizes == TRACE_POOL_SIZES)
			return tcsv_say(msg, len, "model \"%s\" has more than %d node sizes", model, TRACE_POOL_SIZES);
		/* Keep sizes sorted, the most GPUs first. */
		while (s > 0 && p->size[s - 1].gpus < gpus) {
			p->size[s] = p->size[s - 1];
			s--;
		}
		p->size[s].gpus = (int)gpus;
		p->size[s].nodes = 0;
		p->nsizes++;
	}
	if (add_res(p, (int)gpus, cpu, mem, msg, len))
		return -1;
	p->size[s].nodes++;
	p->nodes++;
	p->gpus_total += (int)gpus;
	return 0;
}

int trace_each_node(const char *path, trace_node_fn fn, void *ctx, trace_node_stats *stats,
		    char *err, size_t errlen)
{
	trace_node_stats st = {0, 0, 0, 0};
	char msg[MSG_MAX - 64];
	tcsv_reader r;
	int rc = -1;
	int e = tcsv_open(&r, path);
	if (e) {
		tcsv_say(err, errlen, "%s: cannot open: %s", path, strerror(e));
		goto out;
	}
	if (tcsv_header(&r, path, TCSV_HDR_NODES, err, errlen))
		goto out;
	for (;;) {
		int got = tcsv_next(&r);
		if (got < 0) {
			tcsv_say(err, errlen, "%s:%ld: read error: %s", path, r.lineno + 1, strerror(errno));
			goto out;
		}
		if (!got)
			break;
		if (!r.too_long && !r.has_nul && tcsv_blank(r.line))
			continue;
		st.rows++;
		char *f[MAX_FIELDS];
		const char *why = NULL;
		int nf = 0, bad = 0;
		double cpu, mem;
		long gpus = 0;
		if (r.too_long)
			bad = tcsv_say(msg, sizeof msg, "line longer than %d bytes", TRACE_LINE_MAX);
		else if (r.has_nul)
			bad = tcsv_say(msg, sizeof msg, "NUL byte in the line (not a text file?)");
		else if ((nf = tcsv_split(r.line, f, MAX_FIELDS, &why)) < 0)
			bad = tcsv_say(msg, sizeof msg, "%s", why);
		else if (nf != N_N)
			bad = tcsv_say(msg, sizeof msg, "expected %d fields (%s), found %d", N_N, TCSV_HDR_NODES, nf);
		else if (!*f[N_SN])
			bad = tcsv_say(msg, sizeof msg, "sn is empty");
		else if (tcsv_time(f[N_CPU], "cpu_milli", &cpu, msg, sizeof msg) ||
			 tcsv_time(f[N_MEM], "memory_mib", &mem, msg, sizeof msg) ||
			 tcsv_whole(f[N_GPU], "gpu", TRACE_MAX_NODE_GPUS, &gpus, msg, sizeof msg))
			bad = -1;
		else if (cpu > TRACE_MAX_CPU_MILLI || mem > TRACE_MAX_MEMORY_MIB)
			bad = tcsv_say(msg, sizeof msg, "cpu_milli %.15g or memory_mib %.15g is more than %d", cpu, mem,
				       TRACE_MAX_CPU_MILLI);
		else if (gpus > 0 && tcsv_missing(f[N_MODEL]))
			bad = tcsv_say(msg, sizeof msg, "gpu %ld but model is empty", gpus);
		else if (gpus > 0 && tcsv_check_name(f[N_MODEL], "model", 0, msg, sizeof msg))
			bad = -1;
		else {
			trace_node_row row = {f[N_SN], gpus > 0 ? f[N_MODEL] : "", (int)gpus,
					      (int)llround(cpu), (int)llround(mem)};
			bad = fn(ctx, &row, msg, sizeof msg);
			if (!bad && gpus == 0)
				st.cpu_only++;
			else if (!bad)
				st.nodes++;
		}
		if (bad) {
			tcsv_say(err, errlen, "%s:%ld: %s", path, r.lineno, msg);
			goto out;
		}
	}
	rc = 0;
out:
	st.last_line = r.lineno;
	if (stats)
		*stats = st;
	tcsv_close(&r);
	return rc;
}

typedef struct pools_ctx {
	trace_pool *pools;
	int max_pools, *npools;
} pools_ctx;

/* a CPU-only node (gpu = 0) has no GPU pool to go to: counted, left out */
static int pool_row(void *vctx, const trace_node_row *row, char *msg, size_t len)
{
	pools_ctx *x = vctx;
	if (row->gpus == 0)
		return 0;
	return add_node(x->pools, x->max_pools, x->npools, row->model, row->gpus, row->cpu_milli,
			row->memory_mib, msg, len);
}

int trace_read_nodes(const char *path, trace_pool *pools, int max_pools, int *npools, trace_node_stats *stats,
		     char *err, size_t errlen)
{
	trace_node_stats st = {0, 0, 0, 0};
	pools_ctx x = {pools, max_pools, npools};
	*npools = 0;
	int rc = trace_each_node(path, pool_row, &x, &st, err, errlen);
	if (!rc && !*npools) {
		tcsv_say(err, errlen, "%s:%ld: no GPU nodes in %ld rows (%ld CPU-only)", path,
			 st.last_line, st.rows, st.cpu_only);
		rc = -1;
	}
	if (rc)
		*npools = 0;
	if (stats)
		*stats = st;
	return rc;
}
