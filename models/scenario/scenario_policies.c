/* scenario_policies.c - the scenario's queue policies and placement: built-ins chosen by
 * name with their options, and researchers' plugins opened from shared objects, their
 * tables checked and their params shown to their own init. Kept apart because it is
 * the one part of loading that runs code from outside fgsim. */
#include "scenario_internal.h"

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "gpushare.h"
#include "gpushare_place.h"
#include "plugin.h"
#include "plugin_guard.h"

/* Indexed by policy_kind, so that a name's index is its kind. A plugin is named by its
 * file, not here: its slot ends the list that ld_get_choice and suggestions read. */
static const char *const policy_names[] = {
	[POLICY_FCFS] = "fcfs",
	[POLICY_PRIORITY] = "priority",
	[POLICY_SJF] = "sjf",
	[POLICY_AGING] = "aging",
	[POLICY_FAIR_SHARE] = "fair-share",
	[POLICY_PREEMPTIVE] = "priority-preemptive",
	[POLICY_EASY_BACKFILL] = "easy-backfill",
	[POLICY_PLUGIN] = NULL,
};
/* Indexed by placement_kind. */
static const char *const placement_names[] = {
	[PLACE_FIRST_FIT] = "first-fit",
	[PLACE_BEST_FIT] = "best-fit",
	[PLACE_FASTEST] = "fastest",
	[PLACE_CHEAPEST] = "cheapest",
	/* then the GPU-sharing placements (gpushare_place.h), GS_* in order */
	[PLACE_CHEAPEST + 1 + GS_RANDOM] = "random",
	[PLACE_CHEAPEST + 1 + GS_DOT] = "dot-product",
	[PLACE_CHEAPEST + 1 + GS_CLUSTERING] = "gpu-clustering",
	[PLACE_CHEAPEST + 1 + GS_PACKING] = "gpu-packing",
	[PLACE_CHEAPEST + 1 + GS_BESTFIT] = "best-fit-multi",
	[PLACE_CHEAPEST + 1 + GS_FGD] = "fgd",
	[PLACE_CHEAPEST + 1 + GS_NPLACEMENTS] = NULL,
};

/* `params = { key = value; ... }` of a plugin: scalars only, in file order. */
static int load_params(loader *L, const config_setting_t *g, fgp_param *out, int *n)
{
	*n = 0;
	if (!g)
		return 0;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return ld_fail(L, g, "params must be a group { key = value; ... }");
	if (config_setting_length(g) > SC_MAX_PARAMS)
		return ld_fail(L, g, "at most %d params", SC_MAX_PARAMS);
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *e = config_setting_get_elem(g, (unsigned)i);
		FG_ASSERT(*n < SC_MAX_PARAMS); /* the count was checked above */
		fgp_param *p = &out[(*n)++];
		memset(p, 0, sizeof *p);
		p->key = config_setting_name(e);
		switch (config_setting_type(e)) {
		case CONFIG_TYPE_INT:
		case CONFIG_TYPE_INT64:
			p->type = FGP_INT;
			p->i = config_setting_get_int64(e);
			p->f = (double)p->i;
			break;
		case CONFIG_TYPE_FLOAT:
			p->type = FGP_FLOAT;
			p->f = config_setting_get_float(e);
			break;
		case CONFIG_TYPE_BOOL:
			p->type = FGP_BOOL;
			p->i = config_setting_get_bool(e);
			p->f = (double)p->i;
			break;
		case CONFIG_TYPE_STRING:
			p->type = FGP_STRING;
			p->s = config_setting_get_string(e);
			break;
		default:
			return ld_fail(L, e, "param \"%s\" must be a number, true/false or a string", p->key);
		}
	}
	return 0;
}

/* Where plugin setting s (its text as loaded) takes a relative path from, for the message
 * when the file is not there: the folder depends on who named it, and a user who sees
 * the wrong one looks in the wrong place. NULL for an absolute path typed as such. */
static const char *plugin_where(const loader *L, const config_setting_t *s, const char *text)
{
	if (text[0] == '/') { /* append_override made an appended one absolute from there */
		for (int i = 0; i < L->ncwd_plugin; i++)
			if (L->cwd_plugin[i] == s)
				return "a relative path in --policy-add or --set KEY.[+] "
				       "starts from the current folder";
		return NULL;
	}
	for (const config_setting_t *p = s; p; p = config_setting_parent(p))
		if (config_setting_get_hook(p))
			return "a relative path in --set starts from the scenario's folder, "
			       "as in the file";
	return "a relative path starts from the scenario's folder";
}

/* The plugin named by group g's `plugin` key (a path from the scenario's folder, or
 * absolute): opened, its table found and its ABI checked, its `params` read and shown
 * to its own init, which may refuse them. Returns 0 or 2 (message at g's place). */
static int load_plugin(loader *L, const config_setting_t *g, const char *symbol, char *shown, void **dl,
		       const void **table, fgp_param *params, int *nparams, const policy_spec *spec)
{
	const config_setting_t *s = ld_member(g, "plugin");
	const char *text = NULL;
	FG_ASSERT(s); /* callers come here only for a group with a plugin key */
	char path[8192], msg[1024];
	if (ld_get_string(L, s, &text) || load_params(L, ld_member(g, "params"), params, nparams))
		return 2;
	if (!text[0] || strlen(text) >= SC_PLUGIN_PATH)
		return ld_fail(L, s, "plugin must be a path of 1-%d characters", SC_PLUGIN_PATH - 1);
	snprintf(shown, SC_PLUGIN_PATH, "%s", text);
	if (text[0] == '/')
		snprintf(path, sizeof path, "%s", text);
	else
		snprintf(path, sizeof path, "%.4000s/%.4000s", L->sc->dir, text);
	if (plugin_open(path, symbol, plugin_where(L, s, text), dl, table, msg, sizeof msg))
		return ld_fail(L, s, "%s", msg);
	/* Every call fgsim makes must be there; a policy needs head or schedule. */
	int complete;
	if (spec) {
		const fgp_policy *o = *table;
		complete = o->init && o->free && o->push && o->remove && (o->head || o->schedule) &&
			   (!(o->flags & FGP_EVICT_FOR_HEAD) || o->requeue);
	} else {
		const fgp_placement *o = *table;
		complete = o->init && o->free && o->place;
	}
	if (!complete)
		return ld_fail(L, s, "plugin %s: its table lacks a required function (init, free, push, remove, and head or "
			       "schedule for a policy, and requeue with FGP_EVICT_FOR_HEAD; init, free and place for a "
			       "placement)", text);
	/* At load time a plugin sees the scenario only: no jobs, platform or cluster yet. */
	fgp_ctx cx = {.sc = L->sc, .spec = spec, .who = text};
	void *self = NULL;
	char why[512] = "", who[SC_NAME_MAX + SC_PLUGIN_PATH + 32];
	/* The check of its parameters is its first call: watched (plugin_guard.h) as every other. */
	const char *name = ld_member(g, "name") ? config_setting_get_string(ld_member(g, "name")) : NULL;
	snprintf(who, sizeof who, "%s \"%s\" (%s)", spec ? "policy" : "placement", name ? name : "?", text);
	pg_arm(L->sc->plugin_timeout);
	pg_site site = {.who = who, .call = PG_INIT}; /* no replication or clock while loading */
	pg_slot *gs = pg_thread_slot();
	const pg_site *outer = pg_enter(gs, &site);
	int rc = spec ? ((const fgp_policy *)*table)->init(&self, &platform_plugin_api, &cx, params, *nparams, why, sizeof why)
		      : ((const fgp_placement *)*table)->init(&self, &platform_plugin_api, &cx, params, *nparams, why, sizeof why);
	pg_leave(gs, outer);
	if (rc) {
		const config_setting_t *at = ld_member(g, "params") ? ld_member(g, "params") : g;
		return ld_fail(L, at, "plugin %s rejects its parameters: %s", text, why[0] ? why : "(no reason given)");
	}
	site.call = PG_FREE;
	outer = pg_enter(gs, &site);
	if (spec)
		((const fgp_policy *)*table)->free(self);
	else
		((const fgp_placement *)*table)->free(self);
	pg_leave(gs, outer);
	return 0;
}

int ld_load_policies(loader *L, const config_setting_t *list)
{
	scenario *sc = L->sc;
	if (!list)
		return ld_fail(L, config_root_setting(&sc->cfg), "missing key \"policies\" (e.g. policies = ( \"fcfs\" );)");
	if (!config_setting_is_aggregate(list) || config_setting_length(list) < 1)
		return ld_fail(L, list, "policies must be a non-empty list, e.g. ( \"fcfs\", \"priority\" )");
	if (config_setting_length(list) > SC_MAX_POLICIES)
		return ld_fail(L, list, "at most %d policies", SC_MAX_POLICIES);
	sc->npolicies = config_setting_length(list);
	for (int i = 0; i < sc->npolicies; i++) {
		const config_setting_t *e = config_setting_get_elem(list, (unsigned)i), *name = e, *s;
		policy_spec *p = &sc->policies[i];
		int kind;
		if (config_setting_type(e) == CONFIG_TYPE_GROUP && (ld_check_keys(L, e) || ld_need(L, e, "name", &name)))
			return 2;
		if (name != e && ld_member(e, "plugin")) { /* a researcher's own: any name, from its shared object */
			p->kind = POLICY_PLUGIN;
			if (ld_get_name(L, name, p->label))
				return 2;
			const void *table;
			if (load_plugin(L, e, "fgsim_policy", p->plugin_path, &p->dl, &table, p->params, &p->nparams, p))
				return 2;
			p->plugin = table;
			if ((s = ld_member(e, "step")) || (s = ld_member(e, "preempted")) || (s = ld_member(e, "kill_at_estimate")))
				return ld_fail(L, s, "\"%s\" applies to a built-in policy; give a plugin its params = { ... }",
					       config_setting_name(s));
		} else if (name != e && (s = ld_member(e, "params"))) {
			return ld_fail(L, s, "params are for a plugin policy (plugin = \"path.so\")");
		} else {
			if (ld_get_choice(L, name, "policy", policy_names, &kind))
				return 2;
			/* a built-in's name is its kind */
			FG_ASSERT(kind >= 0 && kind < POLICY_PLUGIN);
			p->kind = (policy_kind)kind;
			strcpy(p->label, policy_names[kind]);
		}
		p->aging_step = 3600;
		if (name != e && (s = ld_member(e, "step"))) {
			if (p->kind != POLICY_AGING)
				return ld_fail(L, s, "\"step\" applies to the aging policy only");
			if (ld_get_duration(L, s, 0, &p->aging_step))
				return 2;
		}
		p->restart = 0;
		if (name != e && (s = ld_member(e, "preempted"))) {
			static const char *const modes[] = {"resume", "restart", NULL};
			if (p->kind != POLICY_PREEMPTIVE)
				return ld_fail(L, s, "\"preempted\" applies to the priority-preemptive policy only");
			if (ld_get_choice(L, s, "preempted mode", modes, &p->restart))
				return 2;
		}
		p->kill_at_estimate = 0;
		if (name != e && (s = ld_member(e, "kill_at_estimate"))) {
			if (p->kind != POLICY_EASY_BACKFILL)
				return ld_fail(L, s, "\"kill_at_estimate\" applies to the easy-backfill policy only");
			if (ld_get_bool(L, s, &p->kill_at_estimate))
				return 2;
		}
		if (name != e && (s = ld_member(e, "label")) && ld_get_name(L, s, p->label))
			return 2;
		for (int j = 0; j < i; j++)
			if (!strcmp(p->label, sc->policies[j].label))
				return ld_fail(L, e, "policy \"%s\" is listed twice (give one a label = \"...\")", p->label);
	}
	return 0;
}

/* A GPU-sharing placement (gpushare_place.h): built in, but run through the placement
 * plugin interface, so it is the scenario's place_plugin with no file (plugin_path "").
 * Its init is called once here, as a plugin's is, to refuse a cluster it cannot take. */
static int load_gs_placement(loader *L, const config_setting_t *s, int pl)
{
	scenario *sc = L->sc;
	placement_spec *ps = &sc->place_plugin;
	const fgp_placement *t = gsp_table(pl);
	FG_ASSERT(t != NULL);
	snprintf(ps->name, sizeof ps->name, "%s", t->name);
	ps->plugin_path[0] = '\0';
	ps->nparams = 0;
	fgp_ctx cx = {.sc = sc, .who = t->name};
	void *self = NULL;
	char why[256] = "";
	if (t->init(&self, &platform_plugin_api, &cx, NULL, 0, why, sizeof why))
		return ld_fail(L, s, "placement \"%s\": %s", t->name, why[0] ? why : "out of memory");
	t->free(self);
	ps->plugin = t;
	return 0;
}

/* `placement`: a built-in strategy by name (first-fit when the key is absent) or a
 * group { name; plugin; params; } for a plugin. Returns 0 or 2 with the error written. */
int ld_load_placement(loader *L, const config_setting_t *s)
{
	scenario *sc = L->sc;
	sc->placement = PLACE_FIRST_FIT;
	if (s && config_setting_type(s) == CONFIG_TYPE_GROUP) {
		placement_spec *ps = &sc->place_plugin;
		const config_setting_t *name;
		const void *table;
		if (ld_check_keys(L, s) || ld_need(L, s, "name", &name) || ld_get_name(L, name, ps->name))
			return 2;
		if (!ld_member(s, "plugin"))
			return ld_fail(L, s, "a placement group names a plugin: { name = ...; plugin = \"x.so\"; } (or write "
				       "placement = \"best-fit\")");
		if (load_plugin(L, s, "fgsim_placement", ps->plugin_path, &ps->dl, &table, ps->params, &ps->nparams, NULL))
			return 2;
		ps->plugin = table;
	} else if (s) {
		int p;
		if (ld_get_choice(L, s, "placement", placement_names, &p))
			return 2;
		FG_ASSERT(p >= PLACE_FIRST_FIT && p <= PLACE_CHEAPEST + GS_NPLACEMENTS);
		if (p > PLACE_CHEAPEST)
			return load_gs_placement(L, s, p - PLACE_CHEAPEST - 1);
		sc->placement = (placement_kind)p;
	}
	return 0;
}
