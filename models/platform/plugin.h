/* plugin.h - loading policy and placement plugins (fgsim_plugin.h) from shared
 * objects: dlopen, the table the object exports, and its ABI number. */
#ifndef FGSIM_PLUGIN_LOAD_H
#define FGSIM_PLUGIN_LOAD_H
#include <stddef.h>

#include "../fgsim_plugin.h" /* the public plugin header stays at models/ */

struct scenario;
struct policy_spec;
struct job_table;
struct platform;
struct cluster;

/* What a policy or placement call is made in: the scenario and, during a run, the job
 * table, the platform and its pools (NULL while a scenario loads and a plugin checks
 * its parameters). The built-in policies read jobs straight from the table (they keep
 * their queue links in the job), and easy-backfill reads one figure fgp_api lacks from
 * the pools; a plugin sees only handles and fgp_api. */
struct fgp_ctx {
	const struct scenario *sc;
	const struct policy_spec *spec; /* the policy being run (NULL for a placement) */
	struct job_table *jobs;
	struct platform *pf;
	const char *who; /* for messages: policy "lottery" (plugins/lottery.so) */
	const struct cluster *cl;       /* the pools' state, during a run */
};

/* The calls fgsim offers policies and placement plugins (platform_api.c). */
extern const fgp_api platform_plugin_api;

/* Opens the shared object at path and finds `symbol` in it. Returns 0 with *dl and
 * *table set, or 2 with a message in msg (no such file, not a shared object, no such
 * symbol, an ABI number other than FGP_ABI) and nothing left open. The first member of
 * every exported table is its ABI number. `where` says, for a path that is not there,
 * where the caller took it from ("a relative path starts from ..."); NULL: nothing. */
int plugin_open(const char *path, const char *symbol, const char *where, void **dl,
		const void **table, char *msg, size_t len);
/* Closes what plugin_open opened; NULL is a no-op. */
void plugin_close(void *dl);
#endif
