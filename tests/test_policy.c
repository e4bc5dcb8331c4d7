/* test_policy.c - the queue policies: fcfs serves in push order whatever the class;
 * priority serves the smallest priority number first, FIFO within a level, with equal
 * priorities of different classes sharing one level; removal from the middle keeps the
 * order; an empty policy's head is JOB_NONE. */
#include "fixture.h"
#include "policy.h"
#include "test.h"

/* Five classes: priorities 5, 1, 5, 3, 1 (a and c share a level, b and e another). */
static int load_classes(scenario *sc)
{
	return fx_load(sc,
		       "run = { horizon = \"1d\"; };\n"
		       "cluster = { pools = ( { name = \"gpu\"; nodes = 1; gpus_per_node = 1; } ); };\n"
		       "workload = { arrivals = { rate = \"1/h\"; };\n"
		       "  classes = ( { name = \"a\"; share = 0.2; priority = 5; service = \"exponential(1h)\"; },\n"
		       "              { name = \"b\"; share = 0.2; priority = 1; service = \"exponential(1h)\"; },\n"
		       "              { name = \"c\"; share = 0.2; priority = 5; service = \"exponential(1h)\"; },\n"
		       "              { name = \"d\"; share = 0.2; priority = 3; service = \"exponential(1h)\"; },\n"
		       "              { name = \"e\"; share = 0.2; priority = 1; service = \"exponential(1h)\"; } ); };\n"
		       "policies = ( \"fcfs\", \"priority\" );\n");
}

enum { NJOBS = 20 };
static job J[NJOBS];
/* The context the policies' calls get: only the job table matters to the built-ins. */
static job_table jt = {J, NJOBS, 0, JOB_NONE};
static fgp_ctx cx = {NULL, NULL, &jt, NULL, "test", NULL};
/* Job i's class: a mix in which no class's jobs are contiguous. */
static const uint16_t cls_of[NJOBS] = {0, 1, 2, 3, 4, 2, 0, 3, 1, 4, 0, 0, 2, 3, 4, 1, 2, 0, 4, 3};

/* Pops every job through head/remove and writes the order; returns how many. */
static int drain(policy *p, uint32_t *order)
{
	int n = 0;
	for (uint32_t i; (i = p->ops->head(p, &cx)) != JOB_NONE && n < NJOBS + 1;) {
		order[n++] = i;
		p->ops->remove(p, &cx, i, 1);
	}
	return n;
}

/* Pushes jobs in the order given (a permutation of job numbers). */
static void push_all(policy *p, const uint32_t *ids, int n)
{
	for (int k = 0; k < n; k++) {
		J[ids[k]].cls = cls_of[ids[k]];
		p->ops->push(p, &cx, ids[k]);
	}
}

/* policy_init for a built-in kind with default parameters. */
static void init_kind(policy *p, policy_kind kind, const scenario *sc)
{
	policy_spec spec = {.kind = kind, .aging_step = 3600};
	CHECK_INT(policy_init(p, &spec, sc), 0);
}

static void test_lookup(void)
{
	CHECK_STR(policy_lookup(POLICY_FCFS)->name, "fcfs");
	CHECK_STR(policy_lookup(POLICY_PRIORITY)->name, "priority");
}

static void test_empty(const scenario *sc)
{
	policy p;
	for (int kind = POLICY_FCFS; kind <= POLICY_PRIORITY; kind++) {
		init_kind(&p, (policy_kind)kind, sc);
		CHECK_INT(p.len, 0);
		CHECK_INT(p.ops->head(&p, &cx), JOB_NONE);
		J[3].cls = 2;
		p.ops->push(&p, &cx, 3);
		CHECK_INT(p.ops->head(&p, &cx), 3);
		p.ops->remove(&p, &cx, 3, 1);
		CHECK_INT(p.ops->head(&p, &cx), JOB_NONE);
		CHECK_INT(p.len, 0);
		CHECK_INT(p.nonempty, 0);
	}
}

/* fcfs: pushed in a scrambled order of ids and classes, served in push order. */
static void test_fcfs(const scenario *sc)
{
	static const uint32_t ids[NJOBS] = {7, 2, 19, 0, 11, 4, 15, 8, 1, 13, 6, 18, 3, 10, 16, 5, 12, 9, 17, 14};
	policy p;
	init_kind(&p, POLICY_FCFS, sc);
	push_all(&p, ids, NJOBS);
	CHECK_INT(p.len, NJOBS);
	uint32_t order[NJOBS + 1];
	CHECK_INT(drain(&p, order), NJOBS);
	int bad = 0;
	for (int k = 0; k < NJOBS; k++)
		bad += order[k] != ids[k];
	CHECK_INT(bad, 0);
	CHECK_INT(p.len, 0);
}

/* priority: levels are the ranks of the distinct priorities 1, 3, 5. */
static void test_priority_levels(const scenario *sc)
{
	policy p;
	init_kind(&p, POLICY_PRIORITY, sc);
	CHECK_INT(p.level_of[0], 2); /* a: 5 */
	CHECK_INT(p.level_of[1], 0); /* b: 1 */
	CHECK_INT(p.level_of[2], 2); /* c: 5 */
	CHECK_INT(p.level_of[3], 1); /* d: 3 */
	CHECK_INT(p.level_of[4], 0); /* e: 1 */
	init_kind(&p, POLICY_FCFS, sc);
	for (int k = 0; k < 5; k++)
		CHECK_INT(p.level_of[k], 0);
}

/* priority: every b and e job (priority 1) in push order, then every d (3), then a and
 * c (5) in push order. The expected order is written out by hand. */
static void test_priority_order(const scenario *sc)
{
	/* push order: jobs 0..19, classes as cls_of */
	uint32_t ids[NJOBS];
	for (uint32_t i = 0; i < NJOBS; i++)
		ids[i] = i;
	/* priority 1 (b = 1, e = 4): jobs 1, 4, 8, 9, 14, 15, 18
	 * priority 3 (d = 3):        jobs 3, 7, 13, 19
	 * priority 5 (a = 0, c = 2): jobs 0, 2, 5, 6, 10, 11, 12, 16, 17 */
	static const uint32_t want[NJOBS] = {1, 4, 8, 9, 14, 15, 18, 3, 7, 13, 19, 0, 2, 5, 6, 10, 11, 12, 16, 17};
	policy p;
	init_kind(&p, POLICY_PRIORITY, sc);
	push_all(&p, ids, NJOBS);
	uint32_t order[NJOBS + 1];
	CHECK_INT(drain(&p, order), NJOBS);
	int bad = 0;
	for (int k = 0; k < NJOBS; k++)
		bad += order[k] != want[k];
	CHECK_INT(bad, 0);
	if (bad) {
		fprintf(stderr, "  got:");
		for (int k = 0; k < NJOBS; k++)
			fprintf(stderr, " %u", order[k]);
		fprintf(stderr, "\n");
	}

	/* arrivals while serving: a priority-1 job pushed late still goes first */
	init_kind(&p, POLICY_PRIORITY, sc);
	uint32_t late[] = {0, 3, 2}; /* a, d, c */
	push_all(&p, late, 3);
	CHECK_INT(p.ops->head(&p, &cx), 3);
	uint32_t urgent[] = {9}; /* e */
	push_all(&p, urgent, 1);
	CHECK_INT(p.ops->head(&p, &cx), 9);
	p.ops->remove(&p, &cx, 9, 1);
	CHECK_INT(p.ops->head(&p, &cx), 3);
	p.ops->remove(&p, &cx, 3, 1);
	CHECK_INT(p.ops->head(&p, &cx), 0);
}

/* Removing jobs from the middle (abandonment) keeps everyone else's order, for both
 * policies: remove 5, then a level's first and last, then serve the rest. */
static void test_remove_middle(const scenario *sc)
{
	uint32_t ids[NJOBS];
	for (uint32_t i = 0; i < NJOBS; i++)
		ids[i] = i;
	static const uint32_t gone[] = {5, 10, 19, 1, 17};
	policy p;
	for (int kind = POLICY_FCFS; kind <= POLICY_PRIORITY; kind++) {
		init_kind(&p, (policy_kind)kind, sc);
		push_all(&p, ids, NJOBS);
		for (int g = 0; g < 5; g++)
			p.ops->remove(&p, &cx, gone[g], 1);
		CHECK_INT(p.len, NJOBS - 5);
		uint32_t order[NJOBS + 1];
		CHECK_INT(drain(&p, order), NJOBS - 5);
		/* expected: the full order (push order, or want[] for priority) minus the gone */
		static const uint32_t prio[NJOBS] = {1, 4, 8, 9, 14, 15, 18, 3, 7, 13, 19, 0, 2, 5, 6, 10, 11, 12, 16, 17};
		const uint32_t *full = kind == POLICY_FCFS ? ids : prio;
		int k = 0, bad = 0;
		for (int f = 0; f < NJOBS; f++) {
			int removed = 0;
			for (int g = 0; g < 5; g++)
				removed |= full[f] == gone[g];
			if (!removed)
				bad += k >= NJOBS - 5 || order[k++] != full[f];
		}
		CHECK_INT(bad, 0);
		CHECK_INT(p.nonempty, 0);
	}
}

/* Classes of 32 distinct priorities fill all 32 levels; the top bit still works. */
static void test_many_levels(void)
{
	scenario *sc = calloc(1, sizeof *sc); /* only nclasses and priorities matter here */
	sc->nclasses = SC_MAX_CLASSES;
	for (int k = 0; k < SC_MAX_CLASSES; k++)
		sc->classes[k].priority = 1000 - 7 * k; /* the last class is the most urgent */
	policy p;
	init_kind(&p, POLICY_PRIORITY, sc);
	CHECK_INT(p.level_of[0], 31);
	CHECK_INT(p.level_of[31], 0);
	J[0].cls = 0;
	J[1].cls = 31;
	J[2].cls = 16;
	p.ops->push(&p, &cx, 0);
	CHECK_INT(p.ops->head(&p, &cx), 0);
	p.ops->push(&p, &cx, 1);
	p.ops->push(&p, &cx, 2);
	CHECK_INT(p.ops->head(&p, &cx), 1);
	p.ops->remove(&p, &cx, 1, 1);
	CHECK_INT(p.ops->head(&p, &cx), 2);
	p.ops->remove(&p, &cx, 2, 1);
	CHECK_INT(p.ops->head(&p, &cx), 0);
	p.ops->remove(&p, &cx, 0, 1);
	CHECK_INT(p.ops->head(&p, &cx), JOB_NONE);
	free(sc);
}

int main(void)
{
	scenario sc;
	if (load_classes(&sc)) {
		TEST_FAIL_("%s", "the five-class scenario does not load");
		return test_report("test_policy");
	}
	CHECK_INT(sc.npolicies, 2);
	CHECK_INT(sc.policies[1].kind, POLICY_PRIORITY);
	test_lookup();
	test_empty(&sc);
	test_fcfs(&sc);
	test_priority_levels(&sc);
	test_priority_order(&sc);
	test_remove_middle(&sc);
	test_many_levels();
	scenario_free(&sc);
	return test_report("test_policy");
}
