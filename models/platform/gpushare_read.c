/* gpushare_read.c - reads an Alibaba node list into a gs_cluster and a pod list (the
 * 11-column lists of cluster-trace-gpu-v2023 or the 5-column ones) into gs_pods, rows in
 * file order. Errors name FILE:LINE. */
#include "gpushare_read.h"

#include "grow.h"
#include "trace_csv.h"

#include <stdlib.h>
#include <string.h>

#define HDR_PODS5 "name,cpu_milli,memory_mib,num_gpu,gpu_milli"

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

int gs_read_nodes(gs_cluster *c, const char *path, char *err, size_t errlen)
{
	tcsv_reader r;
	char norm[512];
	memset(c, 0, sizeof *c);
	if (tcsv_open(&r, path))
		return tcsv_say(err, errlen, "%s: cannot open: %s", path, strerror(errno));
	int rc = header_of(&r, path, norm, sizeof norm, err, errlen);
	if (!rc && strcasecmp(norm, TCSV_HDR_NODES))
		rc = tcsv_say(err, errlen, "%s:1: expected the header \"%s\"", path, TCSV_HDR_NODES);
	size_t cap = 0;
	int st = 0;
	while (!rc && (st = tcsv_next(&r)) == 1) {
		char *f[MAX_FIELDS];
		const char *why = NULL;
		if (tcsv_blank(r.line))
			continue;
		int nf = tcsv_split(r.line, f, MAX_FIELDS, &why);
		if (nf != 5) {
			rc = tcsv_say(err, errlen, "%s:%ld: expected 5 fields (%s), found %d", path,
				      r.lineno, TCSV_HDR_NODES, nf);
			break;
		}
		gs_node nd;
		memset(&nd, 0, sizeof nd);
		if ((rc = field_int(f[1], "cpu_milli", 1L << 30, &nd.cpu_cap, path, r.lineno, err,
				    errlen)) ||
		    (rc = field_int(f[2], "memory_mib", 1L << 30, &nd.mem_cap, path, r.lineno, err,
				    errlen)) ||
		    (rc = field_int(f[3], "gpu", GS_MAX_GPUS, &nd.ngpu, path, r.lineno, err, errlen)))
			break;
		int m = 0;
		while (m < c->nmodels && strcmp(c->models[m], f[4]))
			m++;
		if (m == c->nmodels) {
			if (m == GS_MAX_MODELS || strlen(f[4]) >= sizeof c->models[0]) {
				rc = tcsv_say(err, errlen, "%s:%ld: too many GPU models or too long a name",
					      path, r.lineno);
				break;
			}
			strcpy(c->models[c->nmodels++], f[4]);
		}
		nd.model = m;
		nd.cpu_left = nd.cpu_cap;
		nd.mem_left = nd.mem_cap;
		for (int g = 0; g < nd.ngpu; g++)
			nd.gpu_left[g] = GS_MILLI;
		if (GROW(c->nodes, cap, (size_t)c->n + 1)) {
			rc = tcsv_say(err, errlen, "%s: out of memory", path);
			break;
		}
		c->nodes[c->n++] = nd;
		c->gpu_milli += (long long)nd.ngpu * GS_MILLI;
	}
	if (!rc && st < 0)
		rc = tcsv_say(err, errlen, "%s: read error", path);
	if (!rc && c->n == 0)
		rc = tcsv_say(err, errlen, "%s:2: no nodes", path);
	tcsv_close(&r);
	if (rc) {
		free(c->nodes);
		c->nodes = NULL;
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
