/* incomplete.c - a test plugin whose table asks fgsim to evict for its head job
 * (FGP_EVICT_FOR_HEAD) but has no requeue to take evicted jobs back: refused at load
 * (exit 2), not a crash at the first eviction. */
#include "fgsim_plugin.h"

static int init(void **self, const fgp_api *api, fgp_ctx *cx, const fgp_param *params, int nparams, char *err,
		size_t errlen)
{
	(void)api, (void)cx, (void)params, (void)nparams, (void)err, (void)errlen;
	*self = 0;
	return 0;
}

static void done(void *self)
{
	(void)self;
}

static int push(void *self, fgp_ctx *cx, fgp_job_id j)
{
	(void)self, (void)cx, (void)j;
	return 0;
}

static fgp_job_id head(void *self, fgp_ctx *cx)
{
	(void)self, (void)cx;
	return FGP_NONE;
}

static void removed(void *self, fgp_ctx *cx, fgp_job_id j, int started)
{
	(void)self, (void)cx, (void)j, (void)started;
}

const fgp_policy fgsim_policy = {FGP_ABI, "incomplete", FGP_EVICT_FOR_HEAD, init, done, push, head, removed, NULL,
				 NULL};
