/* service.c - profiles and the service model: a step is the sum over its kernels of
 * count x time at that shape on the GPU type, each time taken from the calibration
 * file exactly, interpolated between listed shapes, or from the file's fitted roofline,
 * and every number keeps the record of how it was obtained. */
#include "service.h"
#include "cfgfile.h"

#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "names.h"

/* ---- profiles --------------------------------------------------------------------- */

typedef cfgfile_reader reader;

/* `architecture` and `derivation` are for the reader: numbers behind the kernel list. */
static const char *const profile_keys[] = {"format", "name", "step", "architecture", "derivation", "min_gpus",
	"memory_gb", "scaling_efficiency", "flops_per_step", "bytes_per_step", "kernels", NULL};
static const char *const pkernel_keys[] = {"name", "like", "shape", "unit", "flops", "bytes", "count", "what", NULL};

static int get_number(reader *R, const config_setting_t *g, const char *key, double *out, int required)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	if (!s)
		return required ? cfgfile_fail(R, g, "missing key \"%s\"", key) : 0;
	int t = config_setting_type(s);
	if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
		*out = (double)config_setting_get_int64(s);
	else if (t == CONFIG_TYPE_FLOAT)
		*out = config_setting_get_float(s);
	else
		return cfgfile_fail(R, s, "\"%s\" must be a number", key);
	if (!isfinite(*out) || *out < 0)
		return cfgfile_fail(R, s, "\"%s\" must be a finite number >= 0", key);
	return 0;
}

static int same(double a, double b)
{
	return fabs(a - b) <= 1e-6 * fmax(fabs(a), fabs(b)) + 1e-9;
}

static int load_pkernel(reader *R, const config_setting_t *g, service_kernel *k)
{
	const char *syntax = NULL;
	memset(k, 0, sizeof *k);
	k->line = (int)config_setting_source_line(g);
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return cfgfile_fail(R, g, "a kernel must be a group { name = ...; shape = ...; count = ...; }");
	if (cfgfile_check_keys(R, g, pkernel_keys) || cfgfile_string(R, g, "name", k->name, sizeof k->name, 1) ||
	    cfgfile_string(R, g, "like", k->like, sizeof k->like, 0) ||
	    cfgfile_string(R, g, "shape", k->shape, sizeof k->shape, 0) ||
	    cfgfile_string(R, g, "what", k->what, sizeof k->what, 0) || get_number(R, g, "count", &k->count, 1))
		return 2;
	if (!(k->count > 0))
		return cfgfile_fail(R, config_setting_get_member(g, "count"), "count must be above 0");
	double flops = NAN, bytes = NAN;
	calib_unit unit = CALIB_UNIT_MEM;
	int known = 0;
	if (k->like[0]) {
		/* The kernel it is priced as must be one fgcal measures, and its unit is that
		 * kernel's whatever its shape: the entry's own FLOPs and bytes are placed on the
		 * like kernel's measured points by that unit's roofline, so attention priced by
		 * its bytes would put 2.5x the forward's FLOPs below the forward. */
		if (calib_kernel_unit(k->like, &unit)) {
			char hint[NAMES_HINT_MAX];
			const char *const *kernels = calib_kernel_names;
			return cfgfile_fail(R, config_setting_get_member(g, "like"),
					    "like = \"%s\" is not a kernel fgcal "
					    "measures%s", k->like,
					    names_hint(k->like, kernels, hint, sizeof hint));
		}
		double f0, b0;
		/* A shape names the like kernel's measured entry the work is scaled from. */
		if (k->shape[0] && calib_kernel_cost(k->like, k->shape, &f0, &b0, NULL, &syntax) == -2)
			return cfgfile_fail(R, config_setting_get_member(g, "shape"), "shape \"%s\" does not fit %s (expected %s)",
				    k->shape, k->like, syntax);
	} else {
		int rc = calib_kernel_cost(k->name, k->shape, &flops, &bytes, &unit, &syntax);
		if (rc == -2)
			return cfgfile_fail(R, g, "shape \"%s\" does not fit %s (expected %s)", k->shape, k->name, syntax);
		known = rc == 0;
	}
	char ustr[16] = "";
	if (cfgfile_string(R, g, "unit", ustr, sizeof ustr, !known && !k->like[0]))
		return 2;
	if (ustr[0]) {
		int u = calib_unit_parse(ustr);
		if (u < 0)
			return cfgfile_fail(R, config_setting_get_member(g, "unit"), "unknown unit \"%s\" (tensor, fp32, mem, pcie or launch)", ustr);
		if ((known || k->like[0]) && (calib_unit)u != unit)
			return cfgfile_fail(R, config_setting_get_member(g, "unit"), "%s runs on \"%s\", not \"%s\"",
				    k->like[0] ? k->like : k->name, calib_unit_name(unit), ustr);
		unit = (calib_unit)u;
	}
	k->unit = unit;
	k->flops = flops;
	k->bytes = bytes;
	if (get_number(R, g, "flops", &k->flops, !known) || get_number(R, g, "bytes", &k->bytes, !known))
		return 2;
	if (known && !same(k->flops, flops))
		return cfgfile_fail(R, config_setting_get_member(g, "flops"), "flops = %.10g does not match %s %s (expected %.10g)",
			    k->flops, k->name, k->shape, flops);
	if (known && !same(k->bytes, bytes))
		return cfgfile_fail(R, config_setting_get_member(g, "bytes"), "bytes = %.10g does not match %s %s (expected %.10g)",
			    k->bytes, k->name, k->shape, bytes);
	return 0;
}

static int load_profile(reader *R, config_t *cfg, service_profile *p)
{
	const config_setting_t *root = config_root_setting(cfg), *s;
	double v = 1;
	if (cfgfile_check_keys(R, root, profile_keys))
		return 2;
	if ((s = config_setting_get_member(root, "format"))) {
		if (get_number(R, root, "format", &v, 1))
			return 2;
		if (v != CALIB_PROFILE_FORMAT)
			return cfgfile_fail(R, s, "format = %g is not one this fgsim reads (%d)", v, CALIB_PROFILE_FORMAT);
	}
	if (cfgfile_string(R, root, "name", p->name, sizeof p->name, 1) ||
	    cfgfile_string(R, root, "step", p->step, sizeof p->step, 0))
		return 2;
	v = 1;
	if (get_number(R, root, "min_gpus", &v, 0))
		return 2;
	if (v < 1 || v != floor(v) || v > 4096)
		return cfgfile_fail(R, config_setting_get_member(root, "min_gpus"), "min_gpus must be a whole number >= 1");
	p->min_gpus = (int)v;
	p->scaling_efficiency = 1;
	if (get_number(R, root, "memory_gb", &p->memory_gb, 0) ||
	    get_number(R, root, "scaling_efficiency", &p->scaling_efficiency, 0))
		return 2;
	if (!(p->scaling_efficiency > 0 && p->scaling_efficiency <= 1))
		return cfgfile_fail(R, config_setting_get_member(root, "scaling_efficiency"),
			    "scaling_efficiency must lie in (0, 1], got %g", p->scaling_efficiency);
	const config_setting_t *list = config_setting_get_member(root, "kernels");
	if (!list || !config_setting_is_list(list) || config_setting_length(list) < 1)
		return cfgfile_fail(R, list ? list : root, "kernels must be a non-empty list ( { name = ...; count = ...; }, ... )");
	int n = config_setting_length(list);
	if (!(p->kernels = calloc((size_t)n, sizeof *p->kernels)))
		return cfgfile_fail(R, list, "out of memory");
	for (int i = 0; i < n; i++) {
		if (load_pkernel(R, config_setting_get_elem(list, (unsigned)i), &p->kernels[i]))
			return 2;
		p->nkernels = i + 1;
	}
	double f = 0, b = 0;
	for (int i = 0; i < n; i++) {
		f += p->kernels[i].count * p->kernels[i].flops;
		b += p->kernels[i].count * p->kernels[i].bytes;
	}
	/* The totals written beside the derivation must be what the kernels add up to. */
	p->flops_per_step = f;
	p->bytes_per_step = b;
	double want;
	if ((s = config_setting_get_member(root, "flops_per_step"))) {
		if (get_number(R, root, "flops_per_step", &want, 1))
			return 2;
		if (!same(want, f))
			return cfgfile_fail(R, s, "flops_per_step = %.10g but the kernels add up to %.10g", want, f);
	}
	if ((s = config_setting_get_member(root, "bytes_per_step"))) {
		if (get_number(R, root, "bytes_per_step", &want, 1))
			return 2;
		if (!same(want, b))
			return cfgfile_fail(R, s, "bytes_per_step = %.10g but the kernels add up to %.10g", want, b);
	}
	return 0;
}

int service_profile_load(service_profile *p, const char *path, char *err, size_t errlen)
{
	reader R = {path, err, errlen};
	config_t cfg;
	memset(p, 0, sizeof *p);
	snprintf(p->path, sizeof p->path, "%s", path);
	if (cfgfile_read(&cfg, path, err, errlen))
		return 2;
	int rc = load_profile(&R, &cfg, p);
	config_destroy(&cfg);
	if (rc)
		service_profile_free(p);
	return rc;
}

void service_profile_free(service_profile *p)
{
	if (!p)
		return;
	free(p->kernels);
	memset(p, 0, sizeof *p);
}

int service_profile_find(char *out, size_t len, const char *name, const char *base_dir)
{
	char tried[3][4096];
	int n = 0;
	size_t nl = strlen(name);
	const char *dir = base_dir && *base_dir ? base_dir : ".";
	if (strchr(name, '/') || (nl > 4 && !strcmp(name + nl - 4, ".cfg"))) {
		if (name[0] == '/')
			snprintf(out, len, "%s", name);
		else
			snprintf(out, len, "%s/%s", dir, name);
		if (!access(out, R_OK))
			return 0;
		snprintf(tried[0], sizeof tried[0], "%s", out);
		snprintf(out, len, "profile \"%s\" not found (tried %s)", name, tried[0]);
		return -1;
	}
	const char *env = getenv("FGSIM_PROFILES");
	if (env && *env)
		snprintf(tried[n++], sizeof tried[0], "%s/%s.cfg", env, name);
	snprintf(tried[n++], sizeof tried[0], "%s/../models/profiles/%s.cfg", dir, name);
	snprintf(tried[n++], sizeof tried[0], "models/profiles/%s.cfg", name);
	for (int i = 0; i < n; i++)
		if (!access(tried[i], R_OK)) {
			snprintf(out, len, "%s", tried[i]);
			return 0;
		}
	snprintf(out, len, "profile \"%s\" not found (tried %s%s%s%s%s)", name, tried[0], n > 1 ? ", " : "",
		 n > 1 ? tried[1] : "", n > 2 ? ", " : "", n > 2 ? tried[2] : "");
	return -1;
}

/* ---- pricing ---------------------------------------------------------------------- */

/* The roofline time of a kernel in microseconds: the work over the ceiling that binds
 * (Williams, Waterman and Patterson 2009). Infinite when a needed peak is unknown. */
static double roof_us(const double peak[CALIB_NUNITS], calib_unit u, double flops, double bytes)
{
	double mem = bytes > 0 ? bytes / peak[CALIB_UNIT_MEM] : 0;
	switch (u) {
	case CALIB_UNIT_TENSOR:
	case CALIB_UNIT_FP32: return 1e6 * fmax(flops > 0 ? flops / peak[u] : 0, mem);
	case CALIB_UNIT_MEM: return 1e6 * mem;
	case CALIB_UNIT_PCIE: return bytes > 0 ? 1e6 * bytes / peak[CALIB_UNIT_PCIE] : 0;
	default: return 0;
	}
}

int service_fit_roofline(const calib_table *t, double peak[CALIB_NUNITS], double *floor_us)
{
	double lo = INFINITY, launch = 0;
	for (int u = 0; u < CALIB_NUNITS; u++)
		peak[u] = 0;
	for (int i = 0; i < t->nkernels; i++) {
		const calib_kernel *k = &t->kernels[i];
		double s = k->median_us * 1e-6;
		lo = fmin(lo, k->median_us);
		if (k->unit == CALIB_UNIT_LAUNCH && !strcmp(k->name, "launch_empty"))
			launch = k->median_us;
		if ((k->unit == CALIB_UNIT_TENSOR || k->unit == CALIB_UNIT_FP32) && k->flops > 0)
			peak[k->unit] = fmax(peak[k->unit], k->flops / s);
		if (k->unit == CALIB_UNIT_PCIE && k->bytes > 0)
			peak[CALIB_UNIT_PCIE] = fmax(peak[CALIB_UNIT_PCIE], k->bytes / s);
		else if (k->unit != CALIB_UNIT_LAUNCH && k->bytes > 0)
			peak[CALIB_UNIT_MEM] = fmax(peak[CALIB_UNIT_MEM], k->bytes / s);
	}
	/* No kernel of a unit: the datasheet. A rate above the datasheet came from a cache,
	 * not from the ceiling the roofline means, so the datasheet caps the fit. */
	int missing = 0;
	for (int u = 0; u < CALIB_UNIT_LAUNCH; u++) {
		double sheet = calib_peak(t, (calib_unit)u);
		if (!(peak[u] > 0) || (sheet > 0 && peak[u] > sheet))
			peak[u] = sheet;
		missing |= !(peak[u] > 0);
	}
	*floor_us = launch > 0 ? launch : isfinite(lo) ? lo : 0;
	return missing ? -1 : 0;
}

/* A listed shape of the kernel being priced, placed on the roofline axis. */
typedef struct point {
	double r, t, cv2, ratio;
	int idx;
} point;

static int by_r(const void *a, const void *b)
{
	double x = ((const point *)a)->r, y = ((const point *)b)->r;
	return (x > y) - (x < y);
}

/* The relative spread of an entry's samples: (sd / median)^2 and mean / median, from
 * the summary the file keeps (the very mean and sd its samples give). */
static void spread(const calib_kernel *k, double *cv2, double *ratio)
{
	*cv2 = 0;
	*ratio = 1;
	if (k->nsamples < 2)
		return;
	*cv2 = k->sd_us * k->sd_us / (k->median_us * k->median_us);
	*ratio = k->mean_us / k->median_us;
}

service_cost service_kernel_time(const calib_table *t, const double peak[CALIB_NUNITS], double floor_us,
				 const service_kernel *k)
{
	service_cost c = {0, 1, 0, SERVICE_ROOFLINE, -1, -1};
	const char *look = k->like[0] ? k->like : k->name;
	int npts = 0;
	for (int i = 0; i < t->nkernels; i++)
		npts += !strcmp(t->kernels[i].name, look);
	if (k->shape[0]) {
		const calib_kernel *e = calib_find(t, look, k->shape);
		if (e && same(e->flops, k->flops) && same(e->bytes, k->bytes)) {
			c.us = e->median_us;
			spread(e, &c.cv2, &c.mean_ratio);
			c.method = SERVICE_EXACT;
			c.lo = c.hi = (int)(e - t->kernels);
			return c;
		}
	}
	/* Shapes are compared by roofline time, not by any one dimension: it is one axis
	 * on which every shape of a kernel lies, whatever its number of dimensions. */
	double rq = roof_us(peak, k->unit, k->flops, k->bytes);
	if (!npts || !isfinite(rq)) {
		c.us = fmax(floor_us, rq);
		return c;
	}
	point *p = malloc((size_t)npts * sizeof *p);
	if (!p) { /* no memory: the roofline alone, and the method says so */
		c.us = fmax(floor_us, rq);
		return c;
	}
	int n = 0;
	for (int i = 0; i < t->nkernels; i++) {
		const calib_kernel *e = &t->kernels[i];
		if (strcmp(e->name, look))
			continue;
		p[n].r = roof_us(peak, e->unit, e->flops, e->bytes);
		p[n].t = e->median_us;
		p[n].idx = i;
		spread(e, &p[n].cv2, &p[n].ratio);
		n++;
	}
	qsort(p, (size_t)n, sizeof *p, by_r);
	/* Shapes with the same roofline time are merged (geometric mean), so time is a
	 * function of roofline time and each segment between neighbours is a line in
	 * log-log: exact at the listed points and monotone between them. */
	int m = 0;
	for (int i = 0; i < n; i++) {
		if (m && p[m - 1].r == p[i].r) {
			int w = 1;
			for (int j = i - 1; j >= 0 && p[j].r == p[i].r; j--)
				w++;
			p[m - 1].t = exp(((w - 1) * log(p[m - 1].t) + log(p[i].t)) / w);
			continue;
		}
		p[m++] = p[i];
	}
	int j = 0;
	while (j < m && p[j].r < rq)
		j++;
	if (j < m && p[j].r == rq) {
		c.us = p[j].t;
		c.cv2 = p[j].cv2;
		c.mean_ratio = p[j].ratio;
		c.method = SERVICE_INTERPOLATED;
		c.lo = c.hi = p[j].idx;
	} else if (m == 1 || j == 0 || j == m || !(p[j - 1].r > 0)) {
		/* Beyond the listed shapes: the nearest one's efficiency, scaled by the roofline. */
		const point *q = j == 0 ? &p[0] : j == m ? &p[m - 1] : &p[j];
		c.us = q->r > 0 ? q->t * rq / q->r : q->t;
		c.us = fmax(c.us, floor_us);
		c.cv2 = q->cv2;
		c.mean_ratio = q->ratio;
		c.method = SERVICE_EXTRAPOLATED;
		c.lo = c.hi = q->idx;
	} else {
		const point *a = &p[j - 1], *b = &p[j];
		double w = (log(rq) - log(a->r)) / (log(b->r) - log(a->r));
		c.us = exp((1 - w) * log(a->t) + w * log(b->t));
		c.cv2 = (1 - w) * a->cv2 + w * b->cv2;
		c.mean_ratio = (1 - w) * a->ratio + w * b->ratio;
		c.method = SERVICE_INTERPOLATED;
		c.lo = a->idx;
		c.hi = b->idx;
	}
	free(p);
	return c;
}

static int price(service_model *m, int g, char *err, size_t errlen)
{
	service_gpu *G = &m->gpu[g];
	const service_profile *p = &m->profile;
	service_fit_roofline(G->table, G->peak, &G->floor_us);
	if (!(G->cost = calloc((size_t)p->nkernels, sizeof *G->cost))) {
		snprintf(err, errlen, "%s: out of memory", G->table->path);
		return 2;
	}
	G->step_us = G->step_var_us2 = 0;
	for (int i = 0; i < p->nkernels; i++) {
		const service_kernel *k = &p->kernels[i];
		if (k->unit != CALIB_UNIT_LAUNCH && !(G->peak[k->unit] > 0 && G->peak[CALIB_UNIT_MEM] > 0)) {
			snprintf(err, errlen, "%s: no kernel and no datasheet peak for unit \"%s\", which %s:%d (%s) needs",
				 G->table->path, calib_unit_name(k->unit), p->path, k->line, k->name);
			return 2;
		}
		service_cost *c = &G->cost[i];
		*c = service_kernel_time(G->table, G->peak, G->floor_us, k);
		G->step_us += k->count * c->us * c->mean_ratio;
		G->step_var_us2 += k->count * c->us * c->us * c->cv2;
	}
	for (int i = 0; i < p->nkernels; i++) {
		const service_cost *c = &G->cost[i];
		G->share[c->method] += p->kernels[i].count * c->us * c->mean_ratio / G->step_us;
	}
	return 0;
}

int service_init(service_model *m, const service_profile *p, const calib_table *const *tables, int n, char *err,
		 size_t errlen)
{
	memset(m, 0, sizeof *m);
	m->profile = *p;
	m->profile.kernels = NULL;
	m->scaling_efficiency = p->scaling_efficiency;
	if (n < 1) {
		snprintf(err, errlen, "%s: no calibration file to price it on", p->path);
		return 2;
	}
	if (!(m->profile.kernels = malloc((size_t)p->nkernels * sizeof *p->kernels)) ||
	    !(m->gpu = calloc((size_t)n, sizeof *m->gpu))) {
		snprintf(err, errlen, "%s: out of memory", p->path);
		service_free(m);
		return 2;
	}
	memcpy(m->profile.kernels, p->kernels, (size_t)p->nkernels * sizeof *p->kernels);
	m->ngpus = n;
	for (int g = 0; g < n; g++) {
		m->gpu[g].table = tables[g];
		if (price(m, g, err, errlen)) {
			service_free(m);
			return 2;
		}
	}
	return 0;
}

int service_load(service_model *m, const char *profile_path, const char *const *calibration_paths, int n, char *err,
		 size_t errlen)
{
	service_profile p;
	memset(m, 0, sizeof *m);
	if (n < 1) {
		snprintf(err, errlen, "%s: no calibration file to price it on", profile_path);
		return 2;
	}
	calib_table *tables = calloc((size_t)n, sizeof *tables);
	const calib_table **ptrs = calloc((size_t)n, sizeof *ptrs);
	int rc = 2, loaded = 0;
	if (!tables || !ptrs) {
		snprintf(err, errlen, "%s: out of memory", profile_path);
		goto out;
	}
	for (; loaded < n; loaded++) {
		if (calib_load(&tables[loaded], calibration_paths[loaded], err, errlen))
			goto out;
		ptrs[loaded] = &tables[loaded];
	}
	if (service_profile_load(&p, profile_path, err, errlen))
		goto out;
	rc = service_init(m, &p, ptrs, n, err, errlen);
	service_profile_free(&p);
	if (!rc) {
		m->owned = tables;
		m->nowned = n;
		tables = NULL;
	}
out:
	if (tables)
		for (int i = 0; i < loaded; i++)
			calib_free(&tables[i]);
	free(tables);
	free(ptrs);
	return rc;
}

void service_free(service_model *m)
{
	if (!m)
		return;
	for (int g = 0; g < m->ngpus; g++)
		free(m->gpu[g].cost);
	free(m->gpu);
	free(m->profile.kernels);
	for (int i = 0; i < m->nowned; i++)
		calib_free(&m->owned[i]);
	free(m->owned);
	memset(m, 0, sizeof *m);
}

int service_gpu_index(const service_model *m, const char *name)
{
	for (int g = 0; g < m->ngpus; g++)
		if (!strcasecmp(m->gpu[g].table->gpu, name))
			return g;
	return -1;
}

void service_set_scaling(service_model *m, double efficiency)
{
	if (efficiency > 0 && efficiency <= 1)
		m->scaling_efficiency = efficiency;
}

int service_fits(const service_model *m, int gpu, double ngpus)
{
	const calib_table *t = m->gpu[gpu].table;
	double mem = t->peaks.memory_gb > 0 ? t->peaks.memory_gb : t->memory_bytes / 1e9;
	if (ngpus < m->profile.min_gpus)
		return 0;
	return !(mem > 0) || ngpus * mem >= m->profile.memory_gb;
}

/* What n GPUs make of one GPU's time: n x efficiency for a spread job (communication
 * and imbalance are what the efficiency stands for), a slice for a fraction. */
static double speed_factor(const service_model *m, double ngpus)
{
	if (ngpus > 1)
		return 1 / (ngpus * m->scaling_efficiency);
	return ngpus > 0 ? 1 / ngpus : 1;
}

double service_step_time(const service_model *m, int gpu, double ngpus)
{
	return m->gpu[gpu].step_us * 1e-6 * speed_factor(m, ngpus);
}

double service_expected_time(const service_model *m, int gpu, double ngpus, double mean_steps)
{
	return mean_steps * service_step_time(m, gpu, ngpus);
}

double service_job_time(const service_model *m, int gpu, double ngpus, double steps, double z)
{
	const service_gpu *G = &m->gpu[gpu];
	double f = speed_factor(m, ngpus) * 1e-6;
	double mean = steps * G->step_us, sd = sqrt(steps * G->step_var_us2);
	return f * fmax(mean + sd * z, 0.5 * mean);
}

double service_step_sample(const service_model *m, int gpu, double ngpus, gsl_rng *r)
{
	const service_gpu *G = &m->gpu[gpu];
	const calib_table *t = G->table;
	double us = 0;
	for (int i = 0; i < m->profile.nkernels; i++) {
		const service_cost *c = &G->cost[i];
		double count = m->profile.kernels[i].count;
		/* a fractional count (a kernel run every other step) rounds up with the
		 * probability of its fraction: the mean count stays exact */
		long n = (long)floor(count);
		if (gsl_rng_uniform(r) < count - (double)n)
			n++;
		const calib_kernel *e = c->lo >= 0 ? &t->kernels[c->lo] : NULL;
		if (!e || e->nsamples < 1) {
			us += (double)n * c->us * c->mean_ratio;
			continue;
		}
		/* a draw from the entry's quantile sketch (inverse CDF, linear between its 21
		 * quantiles) as a ratio to its own median, applied to this shape's time: an
		 * interpolated shape borrows the listed one's spread, not its time */
		for (long j = 0; j < n; j++)
			us += c->us * calib_sketch_draw(e->q_us, gsl_rng_uniform(r)) / e->median_us;
	}
	return us * 1e-6 * speed_factor(m, ngpus);
}

service_method service_worst_method(const service_model *m, int gpu)
{
	service_method w = SERVICE_EXACT;
	for (int i = 0; i < m->profile.nkernels; i++)
		if (m->gpu[gpu].cost[i].method > w)
			w = m->gpu[gpu].cost[i].method;
	return w;
}

const char *service_method_name(service_method k)
{
	static const char *const names[] = {"exact", "interpolated", "extrapolated", "roofline"};
	return (unsigned)k < SERVICE_NMETHODS ? names[k] : "?";
}

const char *service_describe(const service_model *m, int gpu, char *buf, size_t len)
{
	const service_gpu *G = &m->gpu[gpu];
	const calib_table *t = G->table;
	size_t n = t->measured ? (size_t)snprintf(buf, len, "measured:")
			       : (size_t)snprintf(buf, len, "derived from %s:", t->derived_from);
	int first = 1;
	for (int k = 0; k < SERVICE_NMETHODS && n < len; k++) {
		if (!(G->share[k] > 0))
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s %s %.0f%%", first ? "" : ",", service_method_name((service_method)k),
				      100 * G->share[k]);
		first = 0;
	}
	return buf;
}

void service_explain(const service_model *m, int gpu, FILE *out)
{
	const service_gpu *G = &m->gpu[gpu];
	char line[256];
	fprintf(out, "%s on %s (%s): %.4g ms per step on one GPU, %s\n", m->profile.name, G->table->gpu,
		G->table->path, G->step_us / 1e3, service_describe(m, gpu, line, sizeof line));
	fprintf(out, "  %-22s %-28s %-20s %8s %11s %7s  %s\n", "kernel", "what", "shape", "count", "us each", "share",
		"method");
	for (int i = 0; i < m->profile.nkernels; i++) {
		const service_kernel *k = &m->profile.kernels[i];
		const service_cost *c = &G->cost[i];
		char name[CALIB_NAME_MAX * 2 + 8];
		snprintf(name, sizeof name, k->like[0] ? "%s~%s" : "%s", k->name, k->like);
		fprintf(out, "  %-22s %-28.28s %-20s %8.4g %11.4g %6.2f%%  %s\n", name, k->what, k->shape[0] ? k->shape : "-",
			k->count, c->us, 100 * k->count * c->us * c->mean_ratio / G->step_us,
			service_method_name(c->method));
	}
}
