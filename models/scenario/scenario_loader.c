/* scenario_loader.c - what every part of the scenario loader shares: the check of
 * every key against the key table (scenario_keys.c), errors placed at "FILE:LINE" (or
 * at the --set override that caused them) and typed getters. Kept apart so that each section's file (scenario*.c) reads only
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
#include "scenario_keys.h"
#include "units.h"

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
	const char *who = NULL;
	for (const config_setting_t *p = s; p && !who; p = config_setting_parent(p))
		who = config_setting_get_hook(p);
	if (who)
		snprintf(L->err, L->errlen, "%s: %s", who, msg);
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

/* The key-table path of a setting, list indices written "[]" as scenario_keys.h has
 * them ("cluster.pools.[]"); "" for the file's top. */
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
	snprintf(buf + n, len - n, "%s%s", n ? "." : "", name ? name : "[]");
}

/* Every key of a group must be one the key table knows (a group the table does not
 * check, such as a plugin's params, holds anything). */
int ld_check_keys(loader *L, const config_setting_t *group)
{
	char path[256];
	schema_path(group, path, sizeof path);
	if (!scenario_keys_is_group(path))
		return 0;
	for (int i = 0; i < config_setting_length(group); i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(s);
		if (!name || scenario_keys_allows(path, name))
			continue;
		const char *known[64 + 1];
		char hint[NAMES_HINT_MAX];
		scenario_keys_members(path, known, 64);
		return ld_fail(L, s, "unknown key \"%s\"%s", name,
			       names_hint(name, known, hint, sizeof hint));
	}
	return 0;
}

int ld_key_allowed(const config_setting_t *parent, const char *name)
{
	char path[256];
	schema_path(parent, path, sizeof path);
	return scenario_keys_is_group(path) && scenario_keys_allows(path, name);
}

int ld_schema_has_group(const char *path)
{
	return scenario_keys_is_group(path);
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

/* A name from a fixed list; a name not in it is an error with a suggestion for a near
 * miss and the list of valid names. */
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
	char hint[NAMES_HINT_MAX], valid[512];
	size_t used = 0;
	valid[0] = 0;
	/* every choice after the suggestion, so a user who guessed far off need not look */
	for (int i = 0; names[i] && used < sizeof valid; i++)
		used += (size_t)snprintf(valid + used, sizeof valid - used, "%s%s", i ? ", " : "",
					 names[i]);
	return ld_fail(L, s, "unknown %s \"%s\"%s; valid: %s", what, v,
		       names_hint(v, names, hint, sizeof hint), valid);
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
