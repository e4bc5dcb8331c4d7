/* policy_common.c - what the built-in queue policies share: their life on the heap
 * (prepare, new, free) and the job heap of the ordered ones (sjf, aging). */
#include "policy_common.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "grow.h"

void policy_prepare(policy *p, const fgp_policy *ops)
{
	memset(p, 0, sizeof *p);
	p->ops = ops;
	for (int l = 0; l < SC_MAX_CLASSES; l++)
		jlist_init(&p->level[l]);
}

/* A built-in's init through the plugin interface's shape, so the platform treats
 * built-ins and plugins alike. Returns 0 with *self set, or -1 with nothing left
 * allocated (setup's own allocations are freed by policy_destroy). */
int policy_builtin_new(void **self, const fgp_api *api, fgp_ctx *cx, const fgp_policy *ops,
		       policy_setup_fn setup)
{
	policy *p = malloc(sizeof *p);
	if (!p)
		return -1;
	policy_prepare(p, ops);
	p->api = api;
	if (setup(p, cx->spec, cx->sc)) {
		policy_builtin_free(p);
		return -1;
	}
	*self = p;
	return 0;
}

void policy_builtin_free(void *self)
{
	if (!self)
		return;
	policy_destroy(self);
	free(self);
}

void policy_destroy(policy *p)
{
	free(p->heap);
	free(p->slot);
	free(p->tenant_queue);
	free(p->tenant_pass);
	free(p->tenant_heap);
	free(p->tenant_pos);
	free(p->tenant_stride);
	if (p->bf)
		p->bf_free(p->bf);
	memset(p, 0, sizeof *p);
}

/* ---- a binary min-heap of waiting jobs by (key, id); slot[i].pos is i's place ---- */

/* Ties on the key go to the earlier arrival (id): the order never depends on the
 * heap's shape, which depends on the history of pushes and removals. */
static int heap_before(const policy *p, const job *J, uint32_t a, uint32_t b)
{
	double ka = p->slot[a].key, kb = p->slot[b].key;
	return ka < kb || (ka == kb && J[a].id < J[b].id);
}

static void heap_place(policy *p, job *J, uint32_t at, uint32_t i)
{
	p->heap[at] = i;
	p->slot[i].pos = at;
}

/* Hole-based sifts: the moving job is written once, at its final place, and every
 * job passed over gets its new pos (slot[].pos) as it moves. */
static void heap_up(policy *p, job *J, uint32_t at)
{
	uint32_t i = p->heap[at];
	while (at > 0 && heap_before(p, J, i, p->heap[(at - 1) / 2])) {
		heap_place(p, J, at, p->heap[(at - 1) / 2]);
		at = (at - 1) / 2;
	}
	heap_place(p, J, at, i);
}

static void heap_down(policy *p, job *J, uint32_t at)
{
	uint32_t i = p->heap[at];
	for (;;) {
		uint32_t c = 2 * at + 1;
		if (c >= p->len)
			break;
		if (c + 1 < p->len && heap_before(p, J, p->heap[c + 1], p->heap[c]))
			c++;
		if (!heap_before(p, J, p->heap[c], i))
			break;
		heap_place(p, J, at, p->heap[c]);
		at = c;
	}
	heap_place(p, J, at, i);
}

/* Returns 0, or -1 when the heap cannot grow (nothing pushed). slot[i].key is set by
 * the caller before the push. */
int policy_heap_push(void *self, fgp_ctx *cx, fgp_job_id i)
{
	policy *p = self;
	job *J = cx->jobs->j;
	if (GROW(p->heap, p->heap_cap, (size_t)p->len + 1))
		return -1;
	p->heap[p->len++] = i;
	heap_up(p, J, p->len - 1);
	uint32_t at = p->slot[i].pos;
	FG_ASSERT(p->heap[at] == i && (at == 0 || !heap_before(p, J, i, p->heap[(at - 1) / 2])));
	return 0;
}

void policy_heap_remove(void *self, fgp_ctx *cx, fgp_job_id i, int started)
{
	(void)started;
	policy *p = self;
	job *J = cx->jobs->j;
	FG_ASSERT(p->len > 0 && p->slot[i].pos < p->len && p->heap[p->slot[i].pos] == i);
	uint32_t at = p->slot[i].pos, last = p->heap[--p->len];
	if (at == p->len)
		return;
	/* the last job fills the hole; it may belong above it or below, not both */
	heap_place(p, J, at, last);
	if (at > 0 && heap_before(p, J, last, p->heap[(at - 1) / 2]))
		heap_up(p, J, at);
	else
		heap_down(p, J, at);
}
