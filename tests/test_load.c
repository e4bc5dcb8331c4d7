/* test_load.c - the offered load with packing (load.h), on cases worked by hand: 5-GPU
 * jobs on 8-GPU nodes (one a node), 1-GPU and 0.5-GPU jobs (nothing left over), 0.3-GPU
 * jobs (three a GPU), gangs of 16 on 8-GPU nodes, a mix of classes, nodes of mixed
 * sizes, a class that cannot use one of its pools; and the warning, which says when
 * abandonment bounds the queue (every class has patience) and only then. */
#include <string.h>

#include "fixture.h"
#include "footprint.h"
#include "load.h"
#include "test.h"

/* One pool of `nodes` x `gpn` GPUs; classes written by the caller; service 1 h. */
static int one_pool(scenario *sc, int nodes, int gpn, const char *rate, const char *classes)
{
	return fx_load(
		sc,
		"run = { horizon = \"10d\"; replications = 1; };\n"
		"cluster = { pools = ( { name = \"p\"; nodes = %d; gpus_per_node = %d; } ); };\n"
		"workload = { arrivals = { rate = \"%s\"; };\n  classes = ( %s ); };\n"
		"policies = ( \"fcfs\" );\n",
		nodes, gpn, rate, classes);
}

/* The case: 10 nodes x 8 GPUs, 5-GPU jobs of 1 h at 11.2/h. GPUs: 11.2 x 5 / 80
 * = 0.70; one job a node, so 10 at once: 11.2 / 10 = 1.12, unstable. */
static void test_five_on_eight(void)
{
	scenario sc;
	pool_load l;
	char buf[256];
	if (one_pool(&sc, 10, 8, "11.2/h",
		     "{ name = \"a\"; gpus = 5; service = \"exponential(1h)\"; }"))
		return;
	CHECK_INT(load_jobs_fit(&sc, 0, 5000), 10);
	load_pool(&sc, 0, &l);
	CHECK_NEAR(l.gpus, 0.70, 1e-9);
	CHECK_NEAR(l.packed, 1.12, 1e-9);
	CHECK_INT(l.classes, 1);
	CHECK(!l.all_patient && load_unbounded(&l));
	const char *w = load_warning(&sc, 0, buf, sizeof buf);
	CHECK(w != NULL);
	if (w)
		CHECK_STR(w, "pool p: offered load 0.700 of GPUs, 1.120 of what packing allows >= "
			     "1: the queue "
			     "grows without bound");
	footprint_estimate e; /* the memory estimate sees the growing queue too */
	footprint_estimate_run(&sc, 1, &e);
	CHECK(e.unstable);
	CHECK_INT(e.grows_pool, 0);
	scenario_free(&sc);
}

/* Sizes with nothing left over: the two loads agree. 1-GPU: 5 GPUs, 4.5/h -> 0.9. */
static void test_no_leftover(void)
{
	scenario sc;
	pool_load l;
	char buf[256];
	if (one_pool(&sc, 5, 1, "4.5/h", "{ name = \"a\"; service = \"exponential(1h)\"; }"))
		return;
	CHECK_INT(load_jobs_fit(&sc, 0, 1000), 5);
	load_pool(&sc, 0, &l);
	CHECK_NEAR(l.gpus, 0.9, 1e-9);
	CHECK_NEAR(l.packed, 0.9, 1e-9);
	CHECK(load_warning(&sc, 0, buf, sizeof buf) == NULL);
	CHECK(!load_unbounded(&l));
	scenario_free(&sc);
	/* 0.5-GPU jobs on 4 x 2 GPUs: two a GPU, 16 at once; 12/h -> 12 x 0.5 / 8 = 12 / 16 */
	if (one_pool(&sc, 4, 2, "12/h",
		     "{ name = \"a\"; gpus = 0.5; service = \"exponential(1h)\"; }"))
		return;
	CHECK_INT(load_jobs_fit(&sc, 0, 500), 16);
	load_pool(&sc, 0, &l);
	CHECK_NEAR(l.gpus, 0.75, 1e-9);
	CHECK_NEAR(l.packed, 0.75, 1e-9);
	scenario_free(&sc);
	/* 0.3-GPU jobs: floor(1000 / 300) = 3 a GPU, 24 at once; 20/h -> 0.75 of GPUs, 20/24 */
	if (one_pool(&sc, 4, 2, "20/h",
		     "{ name = \"a\"; gpus = 0.3; service = \"exponential(1h)\"; }"))
		return;
	CHECK_INT(load_jobs_fit(&sc, 0, 300), 24);
	load_pool(&sc, 0, &l);
	CHECK_NEAR(l.gpus, 0.75, 1e-9);
	CHECK_NEAR(l.packed, 20.0 / 24, 1e-9);
	scenario_free(&sc);
}

/* Gangs of 16 GPUs on 8-GPU nodes take two whole nodes: 5 nodes hold 2 gangs (one node
 * idle), 6 hold 3. 0.9/h of 1 h: 0.9 x 16 / 40 = 0.36 of GPUs, 0.9 / 2 = 0.45 packed. */
static void test_gangs(void)
{
	scenario sc;
	pool_load l;
	if (one_pool(&sc, 5, 8, "0.9/h",
		     "{ name = \"g\"; gpus = 16; service = \"exponential(1h)\"; }"))
		return;
	CHECK_INT(load_jobs_fit(&sc, 0, 16000), 2);
	CHECK_INT(load_jobs_fit(&sc, 0, 40000), 1);
	CHECK_INT(load_jobs_fit(&sc, 0, 48000), 0); /* six nodes: more than the pool has */
	CHECK_INT(load_jobs_fit(&sc, 0, 12000), 0); /* a node and a half: never placed */
	load_pool(&sc, 0, &l);
	CHECK_NEAR(l.gpus, 0.36, 1e-9);
	CHECK_NEAR(l.packed, 0.45, 1e-9);
	scenario_free(&sc);
	if (one_pool(&sc, 6, 8, "0.9/h",
		     "{ name = \"g\"; gpus = 16; service = \"exponential(1h)\"; }"))
		return;
	load_pool(&sc, 0, &l);
	CHECK_NEAR(l.gpus, 0.3, 1e-9);
	CHECK_NEAR(l.packed, 0.3, 1e-9);
	scenario_free(&sc);
}

/* Two classes on 4 x 8 GPUs, 8/h split evenly, 1 h each: 5-GPU jobs, 4 at once (4 / 4 =
 * 1.0), and 1-GPU jobs, 32 at once (4 / 32 = 0.125): 1.125 packed; GPUs (4 x 5 + 4) / 32. */
static void test_mixed_classes(void)
{
	scenario sc;
	pool_load l;
	char buf[256];
	if (one_pool(&sc, 4, 8, "8/h",
		     "{ name = \"five\"; share = 0.5; gpus = 5; service = \"exponential(1h)\"; },"
		     "{ name = \"one\"; share = 0.5; gpus = 1; service = \"exponential(1h)\"; }"))
		return;
	load_pool(&sc, 0, &l);
	CHECK_NEAR(l.gpus, 0.75, 1e-9);
	CHECK_NEAR(l.packed, 1.125, 1e-9);
	CHECK_INT(l.classes, 2);
	CHECK(load_warning(&sc, 0, buf, sizeof buf) != NULL);
	CHECK(strstr(buf, "0.750 of GPUs, 1.125 of what packing allows") != NULL);
	scenario_free(&sc);
}

/* Nodes of mixed sizes (a pool read from a node list): 2 nodes of 8 GPUs and 3 of 4. */
static void test_mixed_nodes(void)
{
	static scenario sc; /* large: off the stack */
	memset(&sc, 0, sizeof sc);
	sc.npools = 1;
	pool_spec *p = &sc.pools[0];
	p->nodes = 5;
	p->gpus_per_node = 8;
	p->nsizes = 2;
	p->size[0] = (struct pool_size){8, 2};
	p->size[1] = (struct pool_size){4, 3};
	CHECK_INT(load_jobs_fit(&sc, 0, 1000), 28);        /* one a GPU */
	CHECK_INT(load_jobs_fit(&sc, 0, 3000), 2 * 2 + 3); /* two on an 8, one on a 4 */
	CHECK_INT(load_jobs_fit(&sc, 0, 5000), 2);         /* only the 8-GPU nodes */
	CHECK_INT(load_jobs_fit(&sc, 0, 500), 56);         /* two a GPU */
	CHECK_INT(load_jobs_fit(&sc, 0, 16000), 1);        /* a gang: two nodes of 8 */
	CHECK_INT(load_jobs_fit(&sc, 0, 24000), 0);        /* three nodes of 8: not there */
}

/* A gang class that lists a pool of smaller nodes it can never use sends all its jobs
 * to the pool it fits: 16-GPU gangs, 1/h of 1 h, on [big: 4 x 8, small: 2 x 4]; small's
 * two 4-GPU nodes hold no gang of four, so big holds 2 at once and sees all of them. */
static void test_class_skips_pool(void)
{
	scenario sc;
	pool_load big, small;
	if (fx_load(&sc,
		    "run = { horizon = \"10d\"; replications = 1; };\n"
		    "cluster = { pools = ( { name = \"big\"; nodes = 4; gpus_per_node = 8; },\n"
		    "  { name = \"small\"; nodes = 2; gpus_per_node = 4; } ); };\n"
		    "workload = { arrivals = { rate = \"1/h\"; };\n"
		    "  classes = ( { name = \"g\"; gpus = 16; service = \"exponential(1h)\"; "
		    "pools = [ \"big\", \"small\" ]; } ); };\n"
		    "policies = ( \"fcfs\" );\n"))
		return;
	CHECK_INT(load_jobs_fit(&sc, 1, 16000), 0);
	load_pool(&sc, 0, &big);
	load_pool(&sc, 1, &small);
	CHECK_NEAR(big.packed, 0.5, 1e-9);
	CHECK_INT(small.classes, 0);
	CHECK_NEAR(small.packed, 0, 1e-12);
	scenario_free(&sc);
}

/* Offered load 2 on 5 one-GPU nodes: with patience on every class the queue stays
 * bounded (the message says so, the memory estimate does not call it growing); with
 * patience on one class of two it grows. */
static void test_patience(void)
{
	scenario sc;
	pool_load l;
	char buf[256];
	if (one_pool(&sc, 5, 1, "10/h",
		     "{ name = \"a\"; share = 0.5; service = \"exponential(1h)\"; patience = "
		     "\"exponential(30m)\"; },"
		     "{ name = \"b\"; share = 0.5; service = \"exponential(1h)\"; patience = "
		     "\"exponential(2h)\"; }"))
		return;
	load_pool(&sc, 0, &l);
	CHECK_NEAR(l.packed, 2, 1e-9);
	CHECK(l.all_patient && !load_unbounded(&l));
	CHECK(load_warning(&sc, 0, buf, sizeof buf) != NULL);
	CHECK_STR(buf, "pool p: offered load 2.000 >= 1: abandonment bounds the queue (every "
		       "class has patience); "
		       "expect many abandoned jobs");
	footprint_estimate e;
	footprint_estimate_run(&sc, 1, &e);
	CHECK(!e.unstable);
	CHECK_INT(e.grows_pool, -1);
	scenario_free(&sc);
	if (one_pool(&sc, 5, 1, "10/h",
		     "{ name = \"a\"; share = 0.5; service = \"exponential(1h)\"; patience = "
		     "\"exponential(30m)\"; },"
		     "{ name = \"b\"; share = 0.5; service = \"exponential(1h)\"; }"))
		return;
	load_pool(&sc, 0, &l);
	CHECK(!l.all_patient && load_unbounded(&l));
	CHECK(load_warning(&sc, 0, buf, sizeof buf) != NULL);
	CHECK_STR(buf, "pool p: offered load 2.000 >= 1: the queue grows without bound");
	footprint_estimate_run(&sc, 1, &e);
	CHECK(e.unstable);
	scenario_free(&sc);
}

/* A replayed trace on pools of 1 x 8 and 2 x 2 GPUs over 10 days (864,000 s): an 8-GPU
 * job of 1 d only the big pool holds (691,200 GPU-s), a 1-GPU job of 3 d (259,200 GPU-s)
 * spread 8:4 by GPUs. big: (691,200 + 172,800) / 864,000 / 8 = 0.125; small: 86,400 /
 * 864,000 / 4 = 0.025; not the cluster's 950,400 / 864,000 / 12 = 0.0917 on each. The
 * same with the 1-GPU job's class kept to the small pool: 0.1 and 0.075; and an Alibaba
 * pod list whose 1-GPU pod's gpu_spec names the small pool's model, twice (scale 2). */
static void test_trace_spread(void)
{
	static const char *const text[] = {
		"submit,class,tenant,gpus,duration\n0,a,,8,86400\n0,b,,1,259200\n",
		"name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
		"deletion_time,scheduled_time\np1,0,0,8,1000,,a,Running,0,86400,0\n"
		"p2,0,0,1,1000,S,b,Running,0,259200,0\n"};
	static const char *const arrivals[] = {
		"", "", "format = \"alibaba\"; pod_resources = true; scale = 2;"};
	static const char *const classes[] = {
		"",
		"classes = ( { name = \"a\"; },\n"
		"    { name = \"b\"; pools = ( \"small\" ); } );",
		""};
	static const char cfg[] =
		"run = { horizon = \"10d\"; replications = 1; };\n"
		"cluster = { pools = (\n"
		"  { name = \"big\"; gpu = \"B\"; nodes = 1; gpus_per_node = 8; },\n"
		"  { name = \"small\"; gpu = \"S\"; nodes = 2; gpus_per_node = 2; } ); };\n"
		"workload = { arrivals = { process = \"trace\"; file = \"%s\"; %s };\n"
		"  %s };\n"
		"policies = ( \"fcfs\" );\n";
	static const double big[] = {0.125, 0.1, 0.2}, small[] = {0.025, 0.075, 0.15};
	for (int v = 0; v < 3; v++) {
		char path[] = "/tmp/fgsim-test-XXXXXX.csv";
		int fd = mkstemps(path, 4);
		FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
		CHECK(f != NULL);
		if (!f)
			return;
		fputs(text[v == 2], f);
		fclose(f);
		scenario sc;
		int rc = fx_load(&sc, cfg, path, arrivals[v], classes[v]);
		unlink(path);
		CHECK_INT(rc, 0);
		if (rc)
			return;
		pool_load l;
		load_pool(&sc, 0, &l);
		CHECK_NEAR(l.gpus, big[v], 1e-12);
		CHECK_NEAR(l.packed, big[v], 1e-12);
		load_pool(&sc, 1, &l);
		CHECK_NEAR(l.gpus, small[v], 1e-12);
		CHECK_NEAR(scenario_offered_load(&sc, 1), small[v], 1e-12);
		scenario_free(&sc);
	}
}

/* GPU shares beside a few 8-GPU jobs, on pool A (1 node of 8 GPUs and 12 of 2: 32 GPUs)
 * and pool B (4 nodes of 8): the openb-flashsale case, where the estimate warned of many
 * abandoned jobs and 3.6% abandoned. 0.81-GPU shares, 32/h of 1 h, one a GPU: 64 at once
 * in all, 32 on each pool, 0.5 each. 8-GPU jobs, 2/h of 1 h: A holds 1 at once, B 4, so
 * the split by what each holds sends A 1/5 of them: 0.4 on each pool, 0.9 in all, no
 * warning. Split by GPUs instead, A took half, 1 a node: 1.5, "expect many abandoned
 * jobs". At 48/h of shares, 0.75 + 0.4 = 1.15 on each: then it warns, on both. */
static void test_shares_beside_big_jobs(void)
{
	char nodes[] = "/tmp/fgsim-test-XXXXXX.csv";
	int fd = mkstemps(nodes, 4);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	CHECK(f != NULL);
	if (!f)
		return;
	fputs("sn,cpu_milli,memory_mib,gpu,model\na0,0,0,8,A\n", f);
	for (int i = 1; i <= 12; i++)
		fprintf(f, "a%d,0,0,2,A\n", i);
	for (int i = 0; i < 4; i++)
		fprintf(f, "b%d,0,0,8,B\n", i);
	fclose(f);
	static const char *const rate[] = {"34/h", "50/h"};
	static const char *const shares[][2] = {{"0.9411764706", "0.0588235294"},
						{"0.96", "0.04"}};
	static const double packed[] = {0.9, 1.15};
	static const double gpus_a[] = {0.505, 0.7075}, gpus_b[] = {0.805, 1.0075};
	static const char cfg[] =
		"run = { horizon = \"10d\"; replications = 1; };\n"
		"cluster = { nodes_file = \"%s\"; format = \"alibaba\"; };\n"
		"workload = { arrivals = { rate = \"%s\"; };\n"
		"  classes = ( { name = \"share\"; share = %s; gpus = 0.81;\n"
		"      service = \"exponential(1h)\"; patience = \"exponential(2h)\"; },\n"
		"    { name = \"big\"; share = %s; gpus = 8;\n"
		"      service = \"exponential(1h)\"; patience = \"exponential(12h)\"; } );\n"
		"};\n"
		"policies = ( \"fcfs\" );\n";
	for (int v = 0; v < 2; v++) {
		scenario sc;
		int rc = fx_load(&sc, cfg, nodes, rate[v], shares[v][0], shares[v][1]);
		CHECK_INT(rc, 0);
		if (rc)
			break;
		CHECK_INT(load_jobs_fit(&sc, 0, 8000), 1);
		CHECK_INT(load_jobs_fit(&sc, 1, 8000), 4);
		char buf[256];
		for (int q = 0; q < 2; q++) {
			pool_load l;
			load_pool(&sc, q, &l);
			CHECK_NEAR(l.packed, packed[v], 1e-6);
			CHECK_NEAR(l.gpus, q ? gpus_b[v] : gpus_a[v], 1e-6);
			CHECK(l.all_patient && !load_unbounded(&l));
			const char *w = load_warning(&sc, q, buf, sizeof buf);
			CHECK(v ? w != NULL : w == NULL);
			static const char *const want =
				"of what packing allows >= 1: abandonment bounds the queue";
			if (v && w)
				CHECK(strstr(w, want) != NULL);
		}
		scenario_free(&sc);
	}
	unlink(nodes);
}

int main(void)
{
	test_shares_beside_big_jobs();
	test_trace_spread();
	test_five_on_eight();
	test_no_leftover();
	test_gangs();
	test_mixed_classes();
	test_mixed_nodes();
	test_class_skips_pool();
	test_patience();
	return test_report("test_load");
}
