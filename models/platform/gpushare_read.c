/* gpushare_read.c - reads an Alibaba node list into a gs_cluster (through the one
 * node-list reader, trace_each_node, that a run's pools are read with too) and a pod list
 * (the 11-column lists of cluster-trace-gpu-v2023 or the 5-column ones) into gs_pods,
 * rows in file order. Errors name FILE:LINE. */
#include "gpushare_read.h"

#include "grow.h"
#include "trace.h"
#include "trace_csv.h"

#include <stdlib.h>
#include <string.h>

#define HDR_PODS5 "name,cpu_milli,memory_mib,num_gpu,gpu_milli"

typedef struct gs_read_ctx {
	gs_cluster *c;
	size_t cap;
} gs_read_ctx;

/* The header, with a byte-order mark dropped, normalised to name,name,... */
static int header_of(tcsv_reader *r, const char *path, char *norm, size_t len, char *err,
		     size_t errlen)
{
	int rc = tcsv_next(r);
	if (rc <= 0)
		return tcsv_say(err, errlen, "%s:1: empty file; expected a CSV header", path);
	char *line = r->line, *f[MAX_FIELDS];
	const char *why = NULL;
	if (!strncmp(line, "\xEF\xBB\xBF", 3))
		line += 3;
	int nf = tcsv_split(line, f, MAX_FIELDS, &why);
	size_t at = 0;
	norm[0] = '\0';
	for (int i = 0; i < nf && i < MAX_FIELDS && at < len; i++)
		at += (size_t)snprintf(norm + at, len - at, "%s%s", i ? "," : "", f[i]);
	return 0;
}

static int field_int(const char *s, const char *what, long max, int *out, const char *path,
		     long line, char *err, size_t errlen)
{
	long v;
	char msg[MSG_MAX];
	if (tcsv_whole(s, what, max, &v, msg, sizeof msg))
		return tcsv_say(err, errlen, "%s:%ld: %s", path, line, msg);
	*out = (int)v;
	return 0;
}

/* A row of the node list as a gs_node, every GPU free; CPU-only nodes (gpu 0) too, as
 * the reference keeps them: fill's CPU-only pods take their CPU and memory. */
static int gs_row(void *vctx, const trace_node_row *row, char *msg, size_t len)
{
	gs_read_ctx *x = vctx;
	gs_cluster *c = x->c;
	if (row->gpus > GS_MAX_GPUS)
		return tcsv_say(msg, len, "a node of %d GPUs; the fill experiment takes at most %d",
				row->gpus, GS_MAX_GPUS);
	gs_node nd;
	memset(&nd, 0, sizeof nd);
	int m = 0;
	while (m < c->nmodels && strcmp(c->models[m], row->model))
		m++;
	if (m == c->nmodels && row->gpus > 0) {
		if (m == GS_MAX_MODELS || strlen(row->model) >= sizeof c->models[0])
			return tcsv_say(msg, len, "too many GPU models or too long a name");
		strcpy(c->models[c->nmodels++], row->model);
	}
	nd.model = m < c->nmodels ? m : 0; /* a CPU-only node's model is never looked at */
	nd.cpu_cap = nd.cpu_left = row->cpu_milli;
	nd.mem_cap = nd.mem_left = row->memory_mib;
	nd.ngpu = row->gpus;
	for (int g = 0; g < nd.ngpu; g++)
		nd.gpu_left[g] = GS_MILLI;
	if (GROW(c->nodes, x->cap, (size_t)c->n + 1))
		return tcsv_say(msg, len, "out of memory");
	c->nodes[c->n++] = nd;
	c->gpu_milli += (long long)nd.ngpu * GS_MILLI;
	return 0;
}

int gs_read_nodes(gs_cluster *c, const char *path, char *err, size_t errlen)
{
	gs_read_ctx x = {c, 0};
	memset(c, 0, sizeof *c);
	int rc = trace_each_node(path, gs_row, &x, NULL, err, errlen);
	if (!rc && c->n == 0)
		rc = tcsv_say(err, errlen, "%s:2: no nodes", path);
	if (rc) {
		free(c->nodes);
		c->nodes = NULL;
		c->n = 0;
	}
	return rc ? -1 : 0;
}

/* The spec's models as bits of the cluster's models; a list naming none of them gives
 * GS_SPEC_NONE (fits no node), an empty list 0 (any). */
static uint32_t spec_bits(const gs_cluster *c, char *s)
{
	uint32_t bits = 0;
	int named = 0;
	for (char *tok = strtok(s, "|"); tok; tok = strtok(NULL, "|")) {
		named = 1;
		for (int m = 0; m < c->nmodels; m++)
			if (!strcmp(c->models[m], tok))
				bits |= 1u << m;
	}
	return named && !bits ? GS_SPEC_NONE : bits;
}

int gs_read_pods(const gs_cluster *c, const char *path, gs_pod **out, long *n, char *err,
		 size_t errlen)
{
	tcsv_reader r;
	char norm[512];
	gs_pod *pods = NULL;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (tcsv_open(&r, path))
		return tcsv_say(err, errlen, "%s: cannot open: %s", path, strerror(errno));
	int rc = header_of(&r, path, norm, sizeof norm, err, errlen), cols = 0;
	if (!rc) {
		cols = !strcasecmp(norm, TCSV_HDR_PODS) ? 11 : !strcasecmp(norm, HDR_PODS5) ? 5 : 0;
		if (!cols)
			rc = tcsv_say(err, errlen, "%s:1: expected the header \"%s\" or \"%s\"", path,
				      TCSV_HDR_PODS, HDR_PODS5);
	}
	int st = 0;
	while (!rc && (st = tcsv_next(&r)) == 1) {
		char *f[MAX_FIELDS];
		const char *why = NULL;
		if (tcsv_blank(r.line))
			continue;
		int nf = tcsv_split(r.line, f, MAX_FIELDS, &why);
		if (nf != cols) {
			rc = tcsv_say(err, errlen, "%s:%ld: expected %d fields, found %d", path,
				      r.lineno, cols, nf);
			break;
		}
		gs_pod p;
		memset(&p, 0, sizeof p);
		if ((rc = field_int(f[1], "cpu_milli", 1L << 30, &p.cpu, path, r.lineno, err,
				    errlen)) ||
		    (rc = field_int(f[2], "memory_mib", 1L << 30, &p.mem, path, r.lineno, err,
				    errlen)) ||
		    (rc = field_int(f[3], "num_gpu", GS_MAX_GPUS, &p.num_gpu, path, r.lineno, err,
				    errlen)) ||
		    (rc = field_int(f[4], "gpu_milli", GS_MILLI, &p.gpu_milli, path, r.lineno, err,
				    errlen)))
			break;
		if (p.num_gpu > 1 && p.gpu_milli != GS_MILLI && p.gpu_milli != 0) {
			rc = tcsv_say(err, errlen,
				      "%s:%ld: a pod on %d GPUs must take whole GPUs (gpu_milli 1000), "
				      "not %d",
				      path, r.lineno, p.num_gpu, p.gpu_milli);
			break;
		}
		if (p.num_gpu == 0 || p.gpu_milli == 0)
			p.num_gpu = p.gpu_milli = 0;
		if (cols == 11)
			p.spec = spec_bits(c, f[5]);
		if (GROW(pods, cap, (size_t)*n + 1)) {
			rc = tcsv_say(err, errlen, "%s: out of memory", path);
			break;
		}
		pods[(*n)++] = p;
	}
	if (!rc && st < 0)
		rc = tcsv_say(err, errlen, "%s: read error", path);
	if (!rc && *n == 0)
		rc = tcsv_say(err, errlen, "%s:2: no pods", path);
	tcsv_close(&r);
	if (rc) {
		free(pods);
		*n = 0;
		return -1;
	}
	*out = pods;
	return 0;
}
