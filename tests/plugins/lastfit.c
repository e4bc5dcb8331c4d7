/* lastfit.c - a test placement plugin: a whole-GPU job goes on the highest-numbered
 * node of the first pool with room (the mirror image of first-fit, so the test can
 * tell it was used); anything else is left to wait. */
#include <stdlib.h>

#include "fgsim_plugin.h"

typedef struct lastfit {
	const fgp_api *api;
} lastfit;

static int lastfit_init(void **self, const fgp_api *api, fgp_ctx *cx, const fgp_param *params, int nparams,
			char *err, size_t errlen)
{
	(void)cx, (void)params, (void)nparams, (void)err, (void)errlen;
	lastfit *l = malloc(sizeof *l);
	if (!l)
		return -1;
	l->api = api;
	*self = l;
	return 0;
}

static void lastfit_free(void *self)
{
	free(self);
}

static int lastfit_place(void *self, fgp_ctx *cx, fgp_job_id j, fgp_slot *out)
{
	const lastfit *l = self;
	fgp_job info;
	fgp_pool pool;
	l->api->job(cx, j, &info);
	l->api->pool(cx, 0, &pool);
	if (info.gpus_milli % 1000 || info.gpus_milli > pool.gpus_per_node * 1000)
		return 1;
	for (int n = pool.nodes - 1; n >= 0; n--)
		if (l->api->node_free_milli(cx, 0, n) >= info.gpus_milli) {
			*out = (fgp_slot){0, n, -1};
			return 0;
		}
	return 1;
}

/* lastfit_abi1.c builds this file as an ABI 1 plugin: it must still load and run */
#ifndef LASTFIT_ABI
#define LASTFIT_ABI FGP_ABI
#endif
const fgp_placement fgsim_placement = {LASTFIT_ABI, "lastfit", lastfit_init, lastfit_free, lastfit_place};
