/* policy.c - the registry of built-in queue policies: by kind, the operations, the
 * setup of an empty queue and the private hook (what they share is policy_common.c). */
#include "policy.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

/* Indexed by policy_kind: the operations, what sets up an empty queue of the kind, and
 * its private hook on starts and ends (NULL: none). */
static const struct {
	const fgp_policy *ops;
	policy_setup_fn setup;
	policy_watch_fn watch;
} registry[] = {
	[POLICY_FCFS] = {.ops = &policy_fcfs_ops, .setup = policy_fcfs_setup},
	[POLICY_PRIORITY] = {.ops = &policy_priority_ops, .setup = policy_priority_setup},
	[POLICY_SJF] = {.ops = &policy_sjf_ops, .setup = policy_keyed_setup},
	[POLICY_AGING] = {.ops = &policy_aging_ops, .setup = policy_keyed_setup},
	[POLICY_FAIR_SHARE] = {.ops = &policy_fair_share_ops, .setup = policy_fair_setup},
	[POLICY_PREEMPTIVE] = {.ops = &policy_preemptive_ops, .setup = policy_priority_setup},
	[POLICY_EASY_BACKFILL] = {.ops = &policy_backfill_ops, .setup = policy_backfill_setup,
				  .watch = policy_backfill_watch},
};

const fgp_policy *policy_lookup(policy_kind kind)
{
	return kind < POLICY_PLUGIN ? registry[kind].ops : NULL;
}

const fgp_policy *policy_ops_of(const policy_spec *spec)
{
	return spec->kind == POLICY_PLUGIN ? spec->plugin : registry[spec->kind].ops;
}

policy_watch_fn policy_watch_of(const policy_spec *spec)
{
	return spec->kind == POLICY_PLUGIN ? NULL : registry[spec->kind].watch;
}

int policy_init(policy *p, const policy_spec *spec, const scenario *sc)
{
	FG_ASSERT(spec->kind < POLICY_PLUGIN && registry[spec->kind].setup); /* built-ins only */
	policy_prepare(p, registry[spec->kind].ops);
	return registry[spec->kind].setup(p, spec, sc);
}

