/* stale.c - a test plugin whose head keeps returning the first job it ever saw, long
 * after that job started: fgsim must stop it (exit 1), not run the job twice. */
#include <stdlib.h>

#include "fgsim_plugin.h"

typedef struct stale {
	fgp_job_id first;
	uint32_t len;
} stale;

static int stale_init(void **self, const fgp_api *api, fgp_ctx *cx, const fgp_param *params, int nparams, char *err,
		      size_t errlen)
{
	(void)api, (void)cx, (void)params, (void)nparams, (void)err, (void)errlen;
	stale *s = calloc(1, sizeof *s);
	if (!s)
		return -1;
	s->first = FGP_NONE;
	*self = s;
	return 0;
}

static int stale_push(void *self, fgp_ctx *cx, fgp_job_id j)
{
	(void)cx;
	stale *s = self;
	if (s->first == FGP_NONE)
		s->first = j;
	s->len++;
	return 0;
}

static fgp_job_id stale_head(void *self, fgp_ctx *cx)
{
	(void)cx;
	const stale *s = self;
	return s->len ? s->first : FGP_NONE;
}

static void stale_remove(void *self, fgp_ctx *cx, fgp_job_id j, int started)
{
	(void)cx, (void)j, (void)started;
	((stale *)self)->len--;
}

const fgp_policy fgsim_policy = {FGP_ABI, "stale", 0, stale_init, free, stale_push, stale_head, stale_remove, NULL,
				 NULL};
