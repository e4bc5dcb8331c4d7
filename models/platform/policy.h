/* policy.h - the built-in queue policies: each one is an fgp_policy table (the public
 * plugin interface, fgsim_plugin.h), found by kind in a registry; adding a policy is one
 * file and one registry line. */
#ifndef FGSIM_POLICY_H
#define FGSIM_POLICY_H
#include "policy_common.h"

/* The operations of a built-in policy kind; for a plugin, the table it exports. */
const fgp_policy *policy_lookup(policy_kind kind);
const fgp_policy *policy_ops_of(const policy_spec *spec);
/* An empty queue for the built-in policy spec describes, in p from scratch
 * (policy_destroy an initialised one first). Returns 0, -1 on no memory. */
int policy_init(policy *p, const policy_spec *spec, const scenario *sc);

/* The hook of the built-in policy spec describes, NULL if it has none (or a plugin). */
policy_watch_fn policy_watch_of(const policy_spec *spec);
#endif
