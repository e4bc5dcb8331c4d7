/* metrics.c - metric names, units, definitions and the scopes they apply to, all from
 * METRIC_LIST (metrics.h). */
#include "metrics.h"

#include <stdio.h>
#include <string.h>

#include "check.h"

#define METRIC_NAME_(name, scopes, unit, def) #name,
#define METRIC_SCOPES_(name, scopes, unit, def) scopes,
#define METRIC_UNIT_(name, scopes, unit, def) unit,
#define METRIC_DEF_(name, scopes, unit, def) def,
const char *const metric_names[M_COUNT] = {METRIC_LIST(METRIC_NAME_)};
const char *const metric_scopes[M_COUNT] = {METRIC_LIST(METRIC_SCOPES_)};
const char *const metric_units[M_COUNT] = {METRIC_LIST(METRIC_UNIT_)};
const char *const metric_definitions[M_COUNT] = {METRIC_LIST(METRIC_DEF_)};

const char *const scope_kind_names[SCOPE_TENANT + 1] = {
	[SCOPE_ALL] = "all",
	[SCOPE_CLASS] = "class:NAME",
	[SCOPE_POOL] = "pool:NAME",
	[SCOPE_WINDOW] = "window:NAME",
	[SCOPE_TENANT] = "tenant:NAME",
};
const char *const scope_kind_definitions[SCOPE_TENANT + 1] = {
	[SCOPE_ALL] = "every job and the whole platform",
	[SCOPE_CLASS] = "the jobs of one workload class",
	[SCOPE_POOL] = "the jobs that ran on one pool, and the pool's GPUs and money",
	[SCOPE_WINDOW] = "the jobs that arrived during one promotion, and the platform during it",
	[SCOPE_TENANT] = "the jobs of one of the five busiest Zipf tenants (t1 ... t5)",
};

scope_kind scope_kind_of(const scenario *sc, int scope)
{
	FG_ASSERT(scope >= 0); /* 0 is "all", then classes, pools, windows and tenants */
	return scope == 0 ? SCOPE_ALL
	       : scope < scope_of_pool(sc, 0) ? SCOPE_CLASS
	       : scope < scope_of_window(sc, 0) ? SCOPE_POOL
	       : scope < scope_of_tenant(sc, 0) ? SCOPE_WINDOW : SCOPE_TENANT;
}

const char *scope_name(const scenario *sc, int scope, char *buf, size_t len)
{
	switch (scope_kind_of(sc, scope)) {
	case SCOPE_ALL: snprintf(buf, len, "all"); break;
	case SCOPE_CLASS: snprintf(buf, len, "class:%s", sc->classes[scope - 1].name); break;
	case SCOPE_POOL: snprintf(buf, len, "pool:%s", sc->pools[scope - scope_of_pool(sc, 0)].name); break;
	case SCOPE_WINDOW: {
		int w = scope - scope_of_window(sc, 0);
		if (sc->win_occ[w] < 0)
			snprintf(buf, len, "window:%s", sc->promos[sc->win_promo[w]].name);
		else /* one occurrence of a repeating promotion, numbered from 1 */
			snprintf(buf, len, "window:%s#%d", sc->promos[sc->win_promo[w]].name, sc->win_occ[w] + 1);
		break;
	}
	case SCOPE_TENANT: {
		char name[SC_NAME_MAX + 8];
		snprintf(buf, len, "tenant:%s", scenario_tenant_name(sc, (uint32_t)(scope - scope_of_tenant(sc, 0)), name, sizeof name));
		break;
	}
	}
	return buf;
}

int metric_applies(metric_id m, scope_kind kind)
{
	FG_ASSERT((int)m >= 0 && m < M_COUNT && (int)kind >= 0 && kind <= SCOPE_TENANT);
	return strchr(metric_scopes[m], METRIC_SCOPE_LETTERS[kind]) != NULL;
}

int metric_shown(const scenario *sc, metric_id m, scope_kind kind)
{
	return metric_applies(m, kind) && (sc->has_faults || !strchr(metric_scopes[m], 'F'));
}

/* Appends ", word" (or word first) to the list in buf, holding *used bytes; once it
 * does not fit, the list ends with "..." and later words are dropped. */
static void add_choice(char *buf, size_t len, size_t *used, const char *word)
{
	if (*used >= len)
		return; /* already cut */
	int n = snprintf(buf + *used, len - *used, "%s%s", *used ? ", " : "", word);
	if (n >= 0 && (size_t)n < len - *used) {
		*used += (size_t)n;
		return;
	}
	/* cut: end with "..." where it fits */
	buf[*used] = 0;
	if (len - *used > 5)
		snprintf(buf + *used, len - *used, ", ...");
	else if (len > 4)
		snprintf(buf + len - 4, 4, "...");
	*used = len;
}

const char *metric_choices(int kind, char *buf, size_t len)
{
	size_t used = 0;
	FG_ASSERT(len > 0 && kind <= SCOPE_TENANT);
	buf[0] = 0;
	for (int m = 0; m < M_COUNT; m++)
		if (kind < 0 || metric_applies((metric_id)m, (scope_kind)kind))
			add_choice(buf, len, &used, metric_names[m]);
	return buf;
}

const char *metric_scope_kinds(metric_id m, char *buf, size_t len)
{
	size_t used = 0;
	FG_ASSERT(len > 0);
	buf[0] = 0;
	for (int k = SCOPE_ALL; k <= SCOPE_TENANT; k++)
		if (metric_applies(m, (scope_kind)k))
			add_choice(buf, len, &used, scope_kind_names[k]);
	return buf;
}

const char *scope_choices(const scenario *sc, char *buf, size_t len)
{
	size_t used = 0;
	char name[SC_NAME_MAX + 16];
	FG_ASSERT(len > 0);
	buf[0] = 0;
	for (int s = 0; s < scope_count(sc); s++)
		add_choice(buf, len, &used, scope_name(sc, s, name, sizeof name));
	return buf;
}
