/* scenario_faults.c - the keys of a platform's harder days (docs/failures.md): a pool's
 * failures and repairs, its spot tier and reserved flag; a class's checkpoints, what
 * its jobs do when their node goes (on_failure) and whether they may use spot pools. */
#include <math.h>
#include <string.h>

#include "checkpoint.h"
#include "scenario_internal.h"
#include "units.h"

/* A time between events: a length of time ("90d": exponential with that mean) or any
 * distribution the dist parser reads ("weibull" is not one; "lognormal(6h, 1.0)"). */
static int get_gap(loader *L, const config_setting_t *s, dist *d, const char *what)
{
	const char *text = NULL;
	double mean;
	char msg[256];
	if (ld_get_string(L, s, &text))
		return 2;
	if (!units_duration(text, &mean, msg, sizeof msg)) {
		if (!(mean > 0))
			return ld_fail(L, s, "%s must be a positive length of time, got \"%s\"",
				       what, text);
		snprintf(msg, sizeof msg, "exponential(%.17g)", mean);
		return dist_parse(d, msg, 0, NULL, msg, sizeof msg) ? ld_fail(L, s, "%s", msg) : 0;
	}
	if (ld_get_dist(L, s, 1, d))
		return 2;
	if (!(d->mean > 0))
		return ld_fail(L, s, "%s must have a positive mean", what);
	return 0;
}

/* The time a window may keep its nodes out: a drained node leaves by start + duration at
 * the latest and is then out for duration. */
static double maint_span(const struct maint_spec *m)
{
	return m->drain ? 2 * m->duration : m->duration;
}

/* maintenance = ( { start = "2d"; duration = "4h"; nodes = 2; mode = "drain"; } ): the
 * pool's last `nodes` own nodes each time (first fit fills the lowest, so the last are
 * likeliest idle), so two windows of a pool may not overlap. */
static int load_maintenance(loader *L, const config_setting_t *list, pool_spec *p)
{
	static const char *const modes[] = {"preempt", "drain", NULL};
	const config_setting_t *s;
	p->nmaint = 0;
	if (!list)
		return 0;
	if (!config_setting_is_list(list))
		return ld_fail(L, list,
			       "maintenance must be a list ( { start = \"2d\"; duration = \"4h\"; "
			       "nodes = 2; } )");
	if (config_setting_length(list) > SC_MAX_MAINT)
		return ld_fail(L, list, "at most %d maintenance windows a pool", SC_MAX_MAINT);
	if (p->spot || p->nsizes)
		return ld_fail(L, list, "maintenance applies to pools of one node size, not spot");
	for (int i = 0; i < config_setting_length(list); i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		struct maint_spec *m = &p->maint[i];
		long long nodes = 1;
		m->drain = 1;
		if (config_setting_type(g) != CONFIG_TYPE_GROUP)
			return ld_fail(L, g, "a maintenance window must be a group { start = ...; }");
		if (ld_check_keys(L, g) || ld_need(L, g, "start", &s) ||
		    ld_get_duration(L, s, 1, &m->start) || ld_need(L, g, "duration", &s) ||
		    ld_get_duration(L, s, 0, &m->duration))
			return 2;
		if (m->start >= L->sc->horizon)
			return ld_fail(L, s, "maintenance starts at %g s, after the horizon (%g s)",
				       m->start, L->sc->horizon);
		if ((s = ld_member(g, "nodes")) && ld_get_int(L, s, 1, p->nodes, &nodes))
			return 2;
		if ((s = ld_member(g, "mode")) && ld_get_choice(L, s, "maintenance mode", modes,
								&m->drain))
			return 2;
		m->nodes = (int)nodes;
		for (int j = 0; j < i; j++) {
			const struct maint_spec *o = &p->maint[j];
			if (m->start < o->start + maint_span(o) && o->start < m->start + maint_span(m))
				return ld_fail(L, g,
					       "maintenance windows %d and %d of pool \"%s\" overlap "
					       "(a drain may keep its nodes out until start + 2 x "
					       "duration)",
					       j + 1, i + 1, p->name);
		}
		p->nmaint++;
	}
	return 0;
}

int ld_load_pool_faults(loader *L, const config_setting_t *pool, pool_spec *p)
{
	const config_setting_t *g, *s;
	p->has_failures = p->spot = p->reserved = 0;
	if ((s = ld_member(pool, "reserved")) && ld_get_bool(L, s, &p->reserved))
		return 2;
	if ((g = ld_member(pool, "failures"))) {
		if (config_setting_type(g) != CONFIG_TYPE_GROUP)
			return ld_fail(
				L, g,
				"failures must be a group { mtbf = \"90d\"; repair = \"6h\"; }");
		if (ld_check_keys(L, g) || ld_need(L, g, "mtbf", &s) ||
		    get_gap(L, s, &p->fail_gap, "mtbf") || ld_need(L, g, "repair", &s) ||
		    get_gap(L, s, &p->repair, "repair"))
			return 2;
		p->has_failures = 1;
	}
	if ((g = ld_member(pool, "spot"))) {
		if (config_setting_type(g) != CONFIG_TYPE_GROUP)
			return ld_fail(
				L, g,
				"spot must be a group { reclaim = \"exponential(8h)\"; notice = \"2m\"; }");
		if (ld_check_keys(L, g) || ld_need(L, g, "reclaim", &s) ||
		    get_gap(L, s, &p->reclaim, "reclaim"))
			return 2;
		p->notice = 120; /* the two minutes AWS and GCP warn a spot VM with */
		if ((s = ld_member(g, "notice")) && ld_get_duration(L, s, 1, &p->notice))
			return 2;
		char msg[64];
		if ((s = ld_member(g, "return")) ? get_gap(L, s, &p->spot_return, "return")
						 : dist_parse(&p->spot_return, "exponential(3600)",
							      0, NULL, msg, sizeof msg))
			return 2; /* the default: a reclaimed node is back after an hour on average */
		p->spot = 1;
		if (p->reserved)
			return ld_fail(L, g, "pool \"%s\" cannot be both spot and reserved",
				       p->name);
	}
	if ((p->has_failures || p->spot) && p->nsizes)
		return ld_fail(L, pool, "failures and spot apply to pools of one node size");
	if (load_maintenance(L, ld_member(pool, "maintenance"), p))
		return 2;
	L->sc->has_faults |= p->has_failures || p->spot || p->nmaint;
	return 0;
}

/* A spot pool is open to the classes that opt in alone: one that does not loses the
 * spot pools it would get by default, and may not name one. */
static int keep_off_spot(loader *L, const config_setting_t *g, class_spec *c)
{
	const scenario *sc = L->sc;
	int n = 0;
	for (int i = 0; i < c->npools; i++) {
		if (!sc->pools[c->pools[i]].spot || c->spot) {
			c->pools[n++] = c->pools[i];
			continue;
		}
		if (ld_member(g, "pools"))
			return ld_fail(L, ld_member(g, "pools"),
				       "class \"%s\" names spot pool \"%s\" without spot = true",
				       c->name, sc->pools[c->pools[i]].name);
	}
	if (n == 0)
		return ld_fail(L, g,
			       "class \"%s\" has only spot pools: set spot = true to run there",
			       c->name);
	c->npools = n;
	return 0;
}

/* The rate at which a node of pool q loses a job's work since its last checkpoint
 * (failures, and reclamations whose notice is too short to write one of `cost`: one that
 * fits loses notice - cost + restart whatever the interval), per second. */
static double loss_rate(const pool_spec *p, double cost)
{
	return (p->has_failures ? 1 / p->fail_gap.mean : 0) +
	       (p->spot && cost > p->notice ? 1 / p->reclaim.mean : 0);
}

static int load_checkpoint(loader *L, const config_setting_t *g, class_spec *c)
{
	const config_setting_t *s;
	c->ckpt_every = c->ckpt_cost = c->ckpt_restart = 0;
	c->ckpt_auto = 0;
	if (!g)
		return 0;
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return ld_fail(
			L, g,
			"checkpoint must be a group { every = \"1h\"; cost = \"2m\"; restart = \"5m\"; }");
	if (ld_check_keys(L, g) || ld_need(L, g, "every", &s))
		return 2;
	const char *every = NULL;
	if (config_setting_type(s) == CONFIG_TYPE_STRING &&
	    !strcmp((every = config_setting_get_string(s)), "auto"))
		c->ckpt_auto = 1;
	else if (ld_get_duration(L, s, 0, &c->ckpt_every))
		return 2;
	if ((s = ld_member(g, "cost")) && ld_get_duration(L, s, 1, &c->ckpt_cost))
		return 2;
	if ((s = ld_member(g, "restart")) && ld_get_duration(L, s, 1, &c->ckpt_restart))
		return 2;
	if (!c->ckpt_auto)
		return 0;
	/* Young's interval from the first pool the class prefers that loses nodes; a job
	 * spanning k nodes is lost when any of them is, so its MTBF is the node's over k */
	const scenario *sc = L->sc;
	if (!(c->ckpt_cost > 0))
		return ld_fail(L, g, "every = \"auto\" needs a positive checkpoint cost");
	for (int i = 0; i < c->npools; i++) {
		const pool_spec *p = &sc->pools[c->pools[i]];
		if (loss_rate(p, c->ckpt_cost) <= 0)
			continue;
		double gpus = (double)c->gpus_milli / SC_MILLI,
		       k = gpus > p->gpus_per_node ? ceil(gpus / p->gpus_per_node) : 1;
		c->ckpt_every = ckpt_young(c->ckpt_cost, 1 / loss_rate(p, c->ckpt_cost) / k);
		return 0;
	}
	return ld_fail(
		L, g,
		"every = \"auto\" needs one of class \"%s\"'s pools to have failures, or spot "
		"nodes reclaimed with a notice shorter than the checkpoint's cost",
		c->name);
}

int ld_load_class_faults(loader *L, const config_setting_t *g, class_spec *c)
{
	const config_setting_t *s;
	c->on_failure = ON_FAILURE_REQUEUE;
	c->spot = 0;
	if ((s = ld_member(g, "on_failure"))) {
		static const char *const modes[] = {"requeue", "fail", NULL};
		if (ld_get_choice(L, s, "on_failure", modes, &c->on_failure))
			return 2;
	}
	if ((s = ld_member(g, "spot")) && ld_get_bool(L, s, &c->spot))
		return 2;
	if (keep_off_spot(L, g, c) || load_checkpoint(L, ld_member(g, "checkpoint"), c))
		return 2;
	L->sc->has_faults |= c->ckpt_every > 0;
	return 0;
}
