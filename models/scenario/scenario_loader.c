/* scenario_loader.c - what every part of the scenario loader shares: the schema of
 * known keys, errors placed at "FILE:LINE" (or at the --set override that caused them)
 * and typed getters. Kept apart so that each section's file (scenario*.c) reads only
 * its own rules; scenario_internal.h declares these. */
#include "scenario_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfgfile.h"
#include "check.h"
#include "names.h"
#include "units.h"

/* The keys each group may hold; a group path with list indices written as [*]. */
typedef struct schema_group {
	const char *path;
	const char *const keys[24];
} schema_group;

static const schema_group schema[] = {
	{.path = "",
	 .keys = {"name", "currency", "run", "cluster", "calibration", "workload", "promotions",
		  "policies", "placement", "output", "tenants", NULL}},
	{.path = "run",
	 .keys = {"horizon", "warmup", "replications", "seed", "confidence", "precision",
		  "plugin_timeout", NULL}},
	{.path = "run.precision",
	 .keys = {"metrics", "relative", "absolute", "max_replications", "scope", NULL}},
	{.path = "cluster",
	 .keys = {"pools", "nodes_file", "format", "cost_per_gpu_hour", "price_per_gpu_hour",
		  "minimum_billing", NULL}},
	{.path = "cluster.pools.[*]",
	 .keys = {"name", "gpu", "nodes", "gpus_per_node", "cost_per_gpu_hour",
		  "price_per_gpu_hour", "minimum_billing", "burst", NULL}},
	{.path = "cluster.pools.[*].burst",
	 .keys = {"max_nodes", "startup", "cost_per_gpu_hour", "threshold", "cooldown", NULL}},
	{.path = "workload",
	 .keys = {"arrivals", "classes", NULL}},
	{.path = "workload.arrivals",
	 .keys = {"process", "rate", "daily_profile", "file", "format", "on_bad", "speedup",
		  "scale", NULL}},
	{.path = "workload.classes.[*]",
	 .keys = {"name", "share", "priority", "gpus", "service", "profile", "steps", "patience",
		  "pools", "estimate", "tenant_mix", "balking", NULL}},
	{.path = "workload.classes.[*].balking",
	 .keys = {"wait_scale", "price_elasticity", NULL}},
	{.path = "tenants",
	 .keys = {"weights", "quota_gpus", NULL}},
	{.path = "promotions.[*]",
	 .keys = {"name", "start", "duration", "discount", "demand", "elasticity", "classes",
		  NULL}},
	{.path = "policies.[*]",
	 .keys = {"name", "label", "step", "preempted", "kill_at_estimate", "plugin", "params",
		  NULL}},
	{.path = "placement",
	 .keys = {"name", "plugin", "params", NULL}},
	{.path = "output",
	 .keys = {"plots", "jobs", "timeseries_step", NULL}},
};

/* Writes "FILE:LINE: msg" (or "--set KEY: msg" for an overridden setting) into err. */
int ld_fail(loader *L, const config_setting_t *s, const char *fmt, ...)
{
	char raw[768], msg[768], file[4096];
	FG_ASSERT(L && L->sc && L->err && L->errlen > 0 && fmt);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	/* The message may quote what the user wrote: no raw control character may reach
	 * the terminal (an escape sequence could rewrite it). */
	names_show(raw, msg, sizeof msg);
	/* An element of a list that --set replaced carries no hook; its list does. */
	const char *key = NULL;
	for (const config_setting_t *p = s; p && !key; p = config_setting_parent(p))
		key = config_setting_get_hook(p);
	if (key)
		snprintf(L->err, L->errlen, "--set %s: %s", key, msg);
	else if (s && config_setting_source_line(s) > 0)
		snprintf(L->err, L->errlen, "%s:%d: %s", cfgfile_source(s, L->sc->path, file, sizeof file),
			 config_setting_source_line(s), msg);
	else
		snprintf(L->err, L->errlen, "%s: %s", L->sc->path, msg);
	return 2;
}

/* An error from a file the scenario names (a node list, a trace): "FILE:LINE: what" has
 * its place in that file and stays as it is; any other ("FILE: cannot open: ...") is
 * placed at the setting s that names the file, as for empirical(...) files. Returns 2. */
int ld_fail_in_file(loader *L, const config_setting_t *s, const char *path, const char *err)
{
	FG_ASSERT(path && err && err[0]); /* the reader said what went wrong */
	size_t n = strlen(path);
	if (!strncmp(err, path, n) && err[n] == ':' && isdigit((unsigned char)err[n + 1])) {
		names_show(err, L->err, L->errlen);
		return 2;
	}
	return ld_fail(L, s, "%s", err);
}

/* The schema path of a setting, with list indices generalised to [*]. */
static void schema_path(const config_setting_t *s, char *buf, size_t len)
{
	const config_setting_t *parent = config_setting_parent(s);
	if (!parent) {
		buf[0] = 0;
		return;
	}
	schema_path(parent, buf, len);
	size_t n = strlen(buf);
	const char *name = config_setting_name(s);
	snprintf(buf + n, len - n, "%s%s", n ? "." : "", name ? name : "[*]");
}

/* The schema group at a path such as "cluster.pools.[*]", or NULL. */
static const schema_group *schema_at(const char *path)
{
	for (size_t i = 0; i < sizeof schema / sizeof *schema; i++) {
		/* keys[] is a NULL-terminated list: its last slot must stay free for the NULL */
		size_t nkeys = sizeof schema[i].keys / sizeof *schema[i].keys;
		FG_ASSERT(schema[i].keys[nkeys - 1] == NULL);
		(void)nkeys;
		if (!strcmp(schema[i].path, path))
			return &schema[i];
	}
	return NULL;
}

static const schema_group *schema_for(const config_setting_t *group)
{
	char path[256];
	schema_path(group, path, sizeof path);
	return schema_at(path);
}

static int in_list(const char *word, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(word, *list))
			return 1;
	return 0;
}

/* Every key of a group must be one the schema knows. */
int ld_check_keys(loader *L, const config_setting_t *group)
{
	const schema_group *g = schema_for(group);
	if (!g)
		return 0;
	for (int i = 0; i < config_setting_length(group); i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(s);
		if (!name || in_list(name, g->keys))
			continue;
		char hint[NAMES_HINT_MAX];
		return ld_fail(L, s, "unknown key \"%s\"%s", name,
			       names_hint(name, g->keys, hint, sizeof hint));
	}
	return 0;
}

/* The known keys of the group at `parent`, if the schema has one. */
int ld_key_allowed(const config_setting_t *parent, const char *name)
{
	const schema_group *g = schema_for(parent);
	return g && in_list(name, g->keys);
}

int ld_schema_has_group(const char *path)
{
	return schema_at(path) != NULL;
}

/* ---- typed getters: each returns 0, or 2 with the error written ------------------- */

const config_setting_t *ld_member(const config_setting_t *group, const char *key)
{
	return group ? config_setting_get_member(group, key) : NULL;
}

int ld_need(loader *L, const config_setting_t *group, const char *key, const config_setting_t **out)
{
	FG_ASSERT(key && out);
	*out = ld_member(group, key);
	if (!*out)
		return ld_fail(L, group, "missing key \"%s\"", key);
	return 0;
}

int ld_get_string(loader *L, const config_setting_t *s, const char **out)
{
	char what[160];
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return ld_fail(L, s, "%s must be a string", cfgfile_label(s, what, sizeof what));
	*out = config_setting_get_string(s);
	return 0;
}

int ld_get_name(loader *L, const config_setting_t *s, char out[SC_NAME_MAX])
{
	const char *v = NULL;
	if (ld_get_string(L, s, &v))
		return 2;
	if (!*v || strlen(v) >= SC_NAME_MAX || strpbrk(v, ",\"\n\r"))
		return ld_fail(L, s, "name \"%s\" must be 1-%d characters without commas or quotes", v, SC_NAME_MAX - 1);
	char why[160];
	if (names_check(v, 0, why, sizeof why))
		return ld_fail(L, s, "name \"%s\" %s (names are printable UTF-8)", v, why);
	FG_ASSERT(strlen(v) < SC_NAME_MAX); /* checked above: the copy fits */
	strcpy(out, v);
	return 0;
}

int ld_get_number(loader *L, const config_setting_t *s, double *out)
{
	char what[160];
	int t = config_setting_type(s);
	if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
		*out = (double)config_setting_get_int64(s);
	else if (t == CONFIG_TYPE_FLOAT)
		*out = config_setting_get_float(s);
	else
		return ld_fail(L, s, "%s must be a number", cfgfile_label(s, what, sizeof what));
	if (!isfinite(*out))
		return ld_fail(L, s, "%s must be finite", cfgfile_label(s, what, sizeof what));
	return 0;
}

int ld_get_int(loader *L, const config_setting_t *s, long long lo, long long hi, long long *out)
{
	char what[160];
	FG_ASSERT(lo <= hi); /* the caller's range, not the user's */
	int t = config_setting_type(s);
	if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
		return ld_fail(L, s, "%s must be an integer", cfgfile_label(s, what, sizeof what));
	*out = config_setting_get_int64(s);
	if (*out < lo || *out > hi)
		return ld_fail(L, s, "%s = %lld is outside [%lld, %lld]", cfgfile_label(s, what, sizeof what), *out, lo, hi);
	return 0;
}

int ld_get_bool(loader *L, const config_setting_t *s, int *out)
{
	char what[160];
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return ld_fail(L, s, "%s must be true or false", cfgfile_label(s, what, sizeof what));
	*out = config_setting_get_bool(s);
	return 0;
}

/* A duration; positive unless zero_ok. */
int ld_get_duration(loader *L, const config_setting_t *s, int zero_ok, double *out)
{
	const char *text = NULL;
	char msg[256];
	if (ld_get_string(L, s, &text))
		return 2;
	if (units_duration(text, out, msg, sizeof msg))
		return ld_fail(L, s, "%s", msg);
	if (!zero_ok && !(*out > 0))
		return ld_fail(L, s, "%s must be a positive length of time, got \"%s\"", cfgfile_label(s, msg, sizeof msg), text);
	return 0;
}

int ld_get_dist(loader *L, const config_setting_t *s, int timed, dist *out)
{
	const char *text = NULL;
	char msg[512];
	if (ld_get_string(L, s, &text))
		return 2;
	if (dist_parse(out, text, timed, L->sc->dir, msg, sizeof msg))
		return ld_fail(L, s, "%s", msg);
	return 0;
}

/* A name from a fixed list, with a suggestion for a near miss. */
int ld_get_choice(loader *L, const config_setting_t *s, const char *what, const char *const *names, int *index)
{
	const char *v = NULL;
	FG_ASSERT(what && names && names[0] && index); /* a choice among at least one name */
	if (ld_get_string(L, s, &v))
		return 2;
	for (int i = 0; names[i]; i++)
		if (!strcmp(v, names[i])) {
			*index = i;
			return 0;
		}
	char hint[NAMES_HINT_MAX];
	return ld_fail(L, s, "unknown %s \"%s\"%s", what, v,
		       names_hint(v, names, hint, sizeof hint));
}

/* 1 when path names a file that can be read (a folder would make libconfig's scanner
 * exit the process, see scenario_load). */
int ld_readable_file(const char *path)
{
	struct stat st;
	return access(path, R_OK) == 0 && stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* A pool's money: cost and price per GPU-hour, minimum billing; from a pool group, or
 * from the cluster group for pools read from a node list. Here, with the helpers every
 * section uses, because both the cluster section (scenario_load.c) and the node list
 * (scenario_trace.c) read it. */
int ld_load_pool_money(loader *L, const config_setting_t *g, pool_spec *p)
{
	const config_setting_t *s;
	p->cost_per_gpu_hour = p->price_per_gpu_hour = 0;
	if ((s = ld_member(g, "cost_per_gpu_hour")) && ld_get_number(L, s, &p->cost_per_gpu_hour))
		return 2;
	if (p->cost_per_gpu_hour < 0)
		return ld_fail(L, s, "cost_per_gpu_hour must not be negative");
	if ((s = ld_member(g, "price_per_gpu_hour")) && ld_get_number(L, s, &p->price_per_gpu_hour))
		return 2;
	if (p->price_per_gpu_hour < 0)
		return ld_fail(L, s, "price_per_gpu_hour must not be negative");
	p->minimum_billing = 0;
	if ((s = ld_member(g, "minimum_billing")) && ld_get_duration(L, s, 1, &p->minimum_billing))
		return 2;
	return 0;
}
