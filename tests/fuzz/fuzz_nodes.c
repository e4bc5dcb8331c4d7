/* fuzz_nodes.c - libFuzzer harness for the node-list reader (trace_read_nodes in
 * models/platform/trace.c) and what a scenario builds from it (cluster.nodes_file): the input is
 * an Alibaba node list. The reader either refuses it at FILE:LINE or gives pools whose
 * sizes add up; the scenario loads exactly when the reader accepts; and the cluster
 * built from it holds exactly the GPUs the file lists, every one of them usable. */
#include "cluster.h"
#include "fuzz.h"
#include "scenario_load.h"
#include "scenario_check.h"
#include "trace.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static scenario *sc; /* large: kept off the stack and allocated once */
static cluster *cl;
static char input[128], cfg[128];

static const char scenario_text[] =
	"name = \"nodes\";\n"
	"run = { horizon = \"1d\"; warmup = \"0s\"; replications = 1; seed = 1; };\n"
	"cluster = { nodes_file = \"input.csv\"; format = \"alibaba\"; cost_per_gpu_hour = 1.0;\n"
	"            price_per_gpu_hour = 2.0; minimum_billing = \"1m\"; };\n"
	"workload = { arrivals = { rate = \"1/h\"; };\n"
	"             classes = ( { name = \"a\"; share = 1.0; gpus = 1; service = \"exponential(1h)\"; } ); };\n"
	"policies = ( \"fcfs\" );\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup();
	sc = malloc(sizeof *sc);
	cl = malloc(sizeof *cl);
	FUZZ_ASSERT(sc && cl);
	snprintf(input, sizeof input, "%s/input.csv", fuzz_dir);
	snprintf(cfg, sizeof cfg, "%s/scenario.cfg", fuzz_dir);
	fuzz_write("scenario.cfg", scenario_text, sizeof scenario_text - 1);
	return 0;
}

/* A refusal: "FILE:LINE: what" or "FILE: what", and no pools. */
static void check_refusal(const char *err, size_t len, const char *path, int npools)
{
	fuzz_check_err(err, len);
	FUZZ_ASSERT(!strncmp(err, path, strlen(path)) && err[strlen(path)] == ':');
	FUZZ_ASSERT(npools == 0);
}

/* Pools as trace.h promises them: distinct non-empty models, sizes sorted from the most
 * GPUs down, each size with nodes, and totals that are the sums of the sizes. */
static void check_pools(const trace_pool *tp, int n, const trace_node_stats *st)
{
	long nodes = 0;
	for (int i = 0; i < n; i++) {
		const trace_pool *p = &tp[i];
		FUZZ_ASSERT(memchr(p->model, '\0', sizeof p->model) && p->model[0]);
		for (int j = 0; j < i; j++)
			FUZZ_ASSERT(strcmp(tp[j].model, p->model));
		FUZZ_ASSERT(p->nsizes >= 1 && p->nsizes <= TRACE_POOL_SIZES);
		long sum_nodes = 0, sum_gpus = 0;
		for (int k = 0; k < p->nsizes; k++) {
			const trace_node_size *z = &p->size[k];
			FUZZ_ASSERT(z->gpus >= 1 && z->gpus <= TRACE_MAX_NODE_GPUS && z->nodes >= 1);
			FUZZ_ASSERT(k == 0 || z->gpus < p->size[k - 1].gpus);
			sum_nodes += z->nodes;
			sum_gpus += (long)z->gpus * z->nodes;
		}
		FUZZ_ASSERT(sum_nodes == p->nodes && sum_gpus == p->gpus_total);
		nodes += p->nodes;
	}
	FUZZ_ASSERT(st->nodes == nodes && st->rows == st->nodes + st->cpu_only);
}

/* The scenario's pools are the reader's, and the cluster built from them holds exactly
 * their GPUs: one-GPU jobs fill every GPU (no more), and giving them back empties it. */
static void check_cluster(const trace_pool *tp, int n)
{
	long gpus = 0;
	FUZZ_ASSERT(sc->npools == n);
	for (int i = 0; i < n; i++) {
		const pool_spec *p = &sc->pools[i];
		FUZZ_ASSERT(!strcmp(p->name, tp[i].model) && p->nodes == tp[i].nodes);
		FUZZ_ASSERT(p->gpus_per_node == tp[i].size[0].gpus);
		FUZZ_ASSERT(p->nsizes == (tp[i].nsizes > 1 ? tp[i].nsizes : 0));
		gpus += tp[i].gpus_total;
	}
	if (cluster_init(cl, sc))
		return; /* no memory */
	for (int i = 0; i < n; i++)
		FUZZ_ASSERT(cl->pools[i].cap_milli == (long long)tp[i].gpus_total * SC_MILLI);
	static slot taken[TRACE_MAX_NODE_GPUS * 8192];
	long got = 0;
	slot s;
	while (got < gpus && got < (long)(sizeof taken / sizeof *taken) && cluster_place(cl, 0, SC_MILLI, &s) == 0) {
		cluster_take(cl, &s, SC_MILLI, NULL);
		taken[got++] = s;
	}
	if (got == gpus) {
		FUZZ_ASSERT(cluster_place(cl, 0, SC_MILLI, &s) != 0);
		FUZZ_ASSERT(cluster_place(cl, 0, SC_MILLI / 2, &s) != 0);
	} else {
		FUZZ_ASSERT(got == (long)(sizeof taken / sizeof *taken)); /* a free GPU was never offered */
	}
	while (got > 0)
		cluster_give(cl, &taken[--got], SC_MILLI, NULL);
	for (int i = 0; i < n; i++)
		FUZZ_ASSERT(cl->pools[i].busy_milli == 0);
	cluster_destroy(cl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static trace_pool tp[SC_MAX_POOLS], few[2];
	trace_node_stats st;
	char err[1024];
	int n = -1, nfew = -1;
	fuzz_write("input.csv", data, size);
	memset(err, 0x7f, sizeof err);
	int rc = trace_read_nodes(input, tp, SC_MAX_POOLS, &n, &st, err, sizeof err);
	if (rc) {
		FUZZ_ASSERT(rc == -1);
		check_refusal(err, sizeof err, input, n);
	} else {
		FUZZ_ASSERT(n >= 1 && n <= SC_MAX_POOLS);
		check_pools(tp, n, &st);
	}
	/* Room for fewer models: the same answer while they fit, a refusal once they do not. */
	int rcfew = trace_read_nodes(input, few, 2, &nfew, NULL, err, sizeof err);
	if (rc == 0 && n <= 2) {
		FUZZ_ASSERT(rcfew == 0 && nfew == n && !memcmp(few, tp, (size_t)n * sizeof *tp));
	} else {
		FUZZ_ASSERT(rcfew == -1);
		check_refusal(err, sizeof err, input, nfew);
	}

	/* The same file as a scenario's cluster. */
	int big = 0;
	for (int i = 0; rc == 0 && i < n; i++)
		big |= tp[i].nodes > 100000; /* the loader's cap on one pool */
	memset(err, 0x7f, sizeof err);
	int lrc = scenario_load(sc, cfg, NULL, 0, err, sizeof err);
	if (lrc) {
		FUZZ_ASSERT(lrc == 2 && (rc || big));
		fuzz_check_err(err, sizeof err);
		/* the node list's FILE:LINE, or the scenario's place for a pool too big */
		FUZZ_ASSERT(!strncmp(err, input, strlen(input)) || !strncmp(err, cfg, strlen(cfg)));
		return 0;
	}
	FUZZ_ASSERT(rc == 0 && !big);
	fuzz_check_scenario(sc);
	FUZZ_ASSERT(sc->nodes_rows == st.rows && sc->nodes_cpu_only == st.cpu_only);
	check_cluster(tp, n);
	scenario_free(sc);
	return 0;
}
