/* scenario_keys.c - the table of every scenario key (scenario_keys.h) and the lookups
 * the loader's unknown-key check makes in it. A key's type, default and unit here must
 * say what scenario_*.c really do: tests/test_scenario.c loads every key's example and
 * compares the defaults it can parse with a scenario that leaves the key out. */
#include "scenario_keys.h"

#include <ctype.h>
#include <string.h>

#include "check.h"

/* Designated initialisers, so that a field in the wrong place does not compile silently
 * into another's column. Durations are written with a unit ("90s", "15m", "2h", "7d",
 * "3d 20:00") and loaded as seconds; money is in the scenario's currency. */
#define K(p, t, d, u, e, s) {.path = p, .type = t, .deflt = d, .unit = u, .example = e, .desc = s}

static const sc_key keys[] = {
	K("name", "string", "the file's name", "-", "\"fastgpu-promo\"",
	  "the scenario's name: names the results folder results/NAME"),
	K("currency", "string", "\"USD\"", "-", "\"EUR\"",
	  "the code money figures are reported in (a label only)"),

	K("run", "group", "required", "-", "{ horizon = \"7d\"; }",
	  "how long and how often the platform is simulated"),
	K("run.horizon", "duration", "required", "s", "\"7d\"",
	  "simulated time of one replication"),
	K("run.warmup", "duration or \"auto\"", "0", "s", "\"1d\"",
	  "jobs arriving before it are left out of the statistics; \"auto\" picks it by MSER-5"),
	K("run.replications", "integer", "10", "-", "20",
	  "independent replications (1-100000); with precision, the first batch"),
	K("run.seed", "integer", "1", "-", "42",
	  "seed every random stream is derived from (0 or more)"),
	K("run.confidence", "number", "0.95", "-", "0.9",
	  "level of every confidence interval, in (0.5, 1)"),
	K("run.plugin_timeout", "duration", "\"10s\"", "s", "\"30s\"",
	  "longest one call into a policy or placement plugin may take"),
	K("run.start_weekday", "string", "\"monday\"", "-", "\"saturday\"",
	  "the weekday of day 0 (English name, any case): where weekly_profile starts"),
	K("run.precision", "group", "none", "-", "{ metrics = [ \"wait_p95\" ]; relative = 0.05; }",
	  "add replications until every named metric is this precise (else a fixed count)"),
	K("run.precision.metrics", "list of metric names", "required", "-", "[ \"wait_p95\" ]",
	  "the metrics whose half-widths must reach the target (fgsim metrics lists them)"),
	K("run.precision.relative", "number", "none", "-", "0.05",
	  "target half-width as a fraction of the mean, in (0, 1); give it or absolute"),
	K("run.precision.absolute", "number", "none", "the metric's", "60",
	  "target half-width in the metric's own unit; give it or relative"),
	K("run.precision.max_replications", "integer", "200", "-", "500",
	  "stop adding replications here (2-100000, at least run.replications)"),
	K("run.precision.scope", "string", "\"all\"", "-", "\"class:inference\"",
	  "the scope the metrics are read in: all, class:NAME, pool:NAME, window:NAME, tenant:NAME"),

	K("cluster", "group", "required", "-", "{ pools = ( { name = \"h100\"; nodes = 4; "
	  "gpus_per_node = 8; } ); }",
	  "the GPU pools: listed under pools, or read from a node list (nodes_file)"),
	K("cluster.pools", "list of groups", "required", "-",
	  "( { name = \"h100\"; nodes = 4; gpus_per_node = 8; } )",
	  "the pools, 1 to 32 (not with nodes_file)"),
	K("cluster.pools.[].name", "string", "required", "-", "\"h100\"",
	  "the pool's name, unique; scopes pool:NAME and classes' pools use it"),
	K("cluster.pools.[].gpu", "string", "the pool's name", "-", "\"H100-SXM\"",
	  "the GPU type: matches a calibration file's gpu for profile classes"),
	K("cluster.pools.[].nodes", "integer", "required", "nodes", "16",
	  "nodes in the pool (1-100000)"),
	K("cluster.pools.[].gpus_per_node", "integer", "required", "GPUs", "8",
	  "GPUs on each node (1-64); a larger job takes whole nodes (a gang)"),
	K("cluster.pools.[].cpus_per_node", "number", "0 (no limit)", "cores", "96",
	  "CPU cores on each node (to a thousandth of a core); jobs' cpus must fit beside their GPUs"),
	K("cluster.pools.[].memory_per_node", "integer", "0 (no limit)", "MiB", "393216",
	  "memory on each node; jobs' memory must fit beside their GPUs"),
	K("cluster.pools.[].cost_per_gpu_hour", "number", "0", "currency/GPU-hour", "2.10",
	  "what a powered GPU costs the platform, busy or idle"),
	K("cluster.pools.[].price_per_gpu_hour", "number", "0", "currency/GPU-hour", "3.50",
	  "what a user pays per GPU-hour run (before promotion discounts)"),
	K("cluster.pools.[].minimum_billing", "duration", "0", "s", "\"1m\"",
	  "a shorter run is billed as if it ran this long"),
	K("cluster.pools.[].burst", "group", "none", "-", "{ max_nodes = 4; }",
	  "extra nodes rented on demand when the pool's expected wait is long"),
	K("cluster.pools.[].burst.max_nodes", "integer", "required", "nodes", "16",
	  "most burst nodes up at once (0-100000)"),
	K("cluster.pools.[].burst.startup", "duration", "\"10m\"", "s", "\"5m\"",
	  "from a node's request to its first job (paid meanwhile)"),
	K("cluster.pools.[].burst.cost_per_gpu_hour", "number", "the pool's cost",
	  "currency/GPU-hour", "0.60", "what a burst GPU costs from its request until it stops"),
	K("cluster.pools.[].burst.threshold", "duration", "\"5m\"", "s", "\"1m\"",
	  "a node is requested when the queued work per GPU exceeds this"),
	K("cluster.pools.[].burst.cooldown", "duration", "\"10m\"", "s", "\"15m\"",
	  "a burst node idle this long is given back"),
	K("cluster.pools.[].burst.trigger", "string", "\"queue\"", "-", "\"forecast\"",
	  "\"queue\": nodes on the queue's expected wait; \"forecast\": on the next hour's expected arrivals"),
	K("cluster.pools.[].burst.prewarm", "duration", "none", "s", "\"30m\"",
	  "request nodes this long before each promotion window its classes meet"),
	K("cluster.pools.[].burst.target", "number", "0.8", "-", "0.7",
	  "utilisation the forecast and prewarm size the pool for, in (0, 1]"),
	K("cluster.pools.[].failures", "group", "none", "-",
	  "{ mtbf = \"90d\"; repair = \"lognormal(6h, 1.0)\"; }",
	  "the pool's own nodes fail and are repaired (docs/failures.md)"),
	K("cluster.pools.[].failures.mtbf", "duration or distribution", "required", "s", "\"90d\"",
	  "a node's time in service between failures: a length (exponential, that mean) or a law"),
	K("cluster.pools.[].failures.repair", "duration or distribution", "required", "s",
	  "\"lognormal(6h, 1.0)\"", "how long a failed node is out of service"),
	K("cluster.pools.[].spot", "group", "none", "-", "{ reclaim = \"exponential(8h)\"; }",
	  "a spot tier: the provider reclaims nodes at random (classes opt in with spot)"),
	K("cluster.pools.[].spot.reclaim", "duration or distribution", "required", "s",
	  "\"exponential(8h)\"", "a spot node's time in service before the provider reclaims it"),
	K("cluster.pools.[].spot.notice", "duration", "\"2m\"", "s", "\"30s\"",
	  "warning before a reclamation: a checkpoint that fits in it saves the work"),
	K("cluster.pools.[].spot.return", "duration or distribution", "\"1h\"", "s", "\"2h\"",
	  "how long a reclaimed node stays away (a reclaimed node costs nothing meanwhile)"),
	K("cluster.pools.[].maintenance", "list of groups", "none", "-",
	  "( { start = \"2d\"; duration = \"4h\"; nodes = 2; mode = \"drain\"; } )",
	  "planned maintenance windows, at most 16, none overlapping (docs/failures.md)"),
	K("cluster.pools.[].maintenance.[].start", "duration", "required", "s", "\"2d 02:00\"",
	  "when the window opens, from time 0 (before the horizon)"),
	K("cluster.pools.[].maintenance.[].duration", "duration", "required", "s", "\"4h\"",
	  "how long each node is out of service"),
	K("cluster.pools.[].maintenance.[].nodes", "integer", "1", "-", "2",
	  "how many nodes: the pool's last ones"),
	K("cluster.pools.[].maintenance.[].mode", "string", "\"drain\"", "-", "\"preempt\"",
	  "drain: no new jobs from start, out when empty (by start + duration at the latest); "
	  "preempt: jobs interrupted at start"),
	K("cluster.pools.[].reserved", "boolean", "false", "-", "true",
	  "the reserved tier: its nodes are paid for the whole horizon (as every own node is)"),
	K("cluster.nodes_file", "string", "none", "-", "\"traces/nodes.csv\"",
	  "a node list (path from the scenario's folder): one pool per GPU model"),
	K("cluster.format", "string", "\"alibaba\"", "-", "\"alibaba\"",
	  "the node list's format: alibaba (with nodes_file only)"),
	K("cluster.cost_per_gpu_hour", "number", "0", "currency/GPU-hour", "2.10",
	  "every node list pool's cost per GPU-hour (with nodes_file only)"),
	K("cluster.price_per_gpu_hour", "number", "0", "currency/GPU-hour", "3.50",
	  "every node list pool's price per GPU-hour (with nodes_file only)"),
	K("cluster.minimum_billing", "duration", "0", "s", "\"1m\"",
	  "every node list pool's minimum billing (with nodes_file only)"),

	K("calibration", "list of strings", "none", "-", "[ \"../models/calibration/l4.cfg\" ]",
	  "calibration files (paths from the scenario's folder), one per GPU type, "
	  "that price profile classes"),

	K("workload", "group", "required", "-",
	  "{ arrivals = { rate = \"10/h\"; }; classes = ( { name = \"jobs\"; "
	  "service = \"exponential(1h)\"; } ); }",
	  "how jobs arrive and what they ask for"),
	K("workload.arrivals", "group", "required", "-", "{ rate = \"120/h\"; }",
	  "the arrival process"),
	K("workload.arrivals.process", "string", "\"poisson\"", "-", "\"poisson\"",
	  "poisson (sampled at rate) or trace (replayed from file)"),
	K("workload.arrivals.rate", "rate", "required", "jobs/s", "\"120/h\"",
	  "arrivals per unit of time before the daily profile and promotions multiply "
	  "it, written per s, m, h or d (poisson only)"),
	K("workload.arrivals.daily_profile", "list of 24 numbers", "none", "-",
	  "[ 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, "
	  "1.0, 1.0, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5 ]",
	  "the rate's factor for each hour of the day (poisson only; none: flat)"),
	K("workload.arrivals.weekly_profile", "list of 7 numbers", "none", "-",
	  "[ 1.0, 1.0, 1.0, 1.0, 1.1, 0.6, 0.5 ]",
	  "the rate's factor for each weekday, monday first, on top of daily_profile "
	  "(poisson only; none: flat)"),
	K("workload.arrivals.file", "string", "required for a trace", "-", "\"traces/jobs.csv\"",
	  "the job trace to replay (path from the scenario's folder; trace only)"),
	K("workload.arrivals.format", "string", "\"fgsim\"", "-", "\"alibaba\"",
	  "the trace's format: fgsim or alibaba (trace only)"),
	K("workload.arrivals.on_bad", "string", "\"stop\"", "-", "\"skip\"",
	  "a bad trace row stops the load (stop) or is counted and skipped (skip)"),
	K("workload.arrivals.speedup", "number", "1", "-", "2",
	  "submit times are divided by it, in (0, 1e6] (trace only)"),
	K("workload.arrivals.scale", "number", "1", "-", "1.5",
	  "each trace row is replayed scale times on average, in (0, 1000] (trace only)"),
	K("workload.arrivals.pod_resources", "boolean", "false", "-", "true",
	  "alibaba: pods take their cpu_milli and memory_mib on their node (a node list's "
	  "columns) and run only on their gpu_spec's models (trace only)"),
	K("workload.arrivals.cpu_pods", "boolean", "false", "-", "true",
	  "alibaba: pods of num_gpu 0 run on CPU and memory alone, not skipped; "
	  "implies pod_resources (trace only)"),
	K("workload.classes", "list of groups", "required", "-",
	  "( { name = \"jobs\"; service = \"exponential(1h)\"; } )",
	  "job classes, 1 to 32 (optional for a trace: it names its own)"),
	K("workload.classes.[].name", "string", "required", "-", "\"inference\"",
	  "the class's name, unique; scope class:NAME"),
	K("workload.classes.[].share", "number", "1", "-", "1.0",
	  "the class's fraction of arrivals, in (0, 1]; shares sum to 1"),
	K("workload.classes.[].priority", "integer", "0", "-", "1",
	  "0-1000; a smaller number is served first by the priority policies"),
	K("workload.classes.[].gpus", "number", "1", "GPUs", "8",
	  "GPUs a job asks for: a fraction in thousandths, a whole number up to a node, "
	  "or whole nodes"),
	K("workload.classes.[].cpus", "number", "0", "cores", "12",
	  "CPU cores a job takes on its node beside its GPUs (to a thousandth of a core; 0: none)"),
	K("workload.classes.[].memory", "integer", "0", "MiB", "16384",
	  "memory a job takes on its node beside its GPUs (0: none)"),
	K("workload.classes.[].service", "distribution", "required (or profile)", "s",
	  "\"lognormal(20m, 1.0)\"", "a job's service time (not with profile or a trace)"),
	K("workload.classes.[].profile", "string", "none", "-", "\"llm-7b-decode\"",
	  "a kernel profile (models/profiles/NAME.cfg) priced on the calibration files; "
	  "with steps"),
	K("workload.classes.[].steps", "distribution", "none", "steps", "\"lognormal(20000, 1.0)\"",
	  "steps of the profile a job runs (with profile)"),
	K("workload.classes.[].patience", "distribution", "none", "s", "\"exponential(30m)\"",
	  "how long a job waits before it abandons (none: it waits for ever)"),
	K("workload.classes.[].pools", "list of strings", "every pool", "-", "[ \"l4\", \"h100\" ]",
	  "the pools the class may use, in order of preference"),
	K("workload.classes.[].estimate", "distribution", "\"constant(1)\"", "factor",
	  "\"lognormal(1.5, 0.5)\"", "the user's runtime estimate is the service time times a draw; "
	  "\"history\": the mean of the tenant's last two finished jobs of the class"),
	K("workload.classes.[].estimate_fallback", "distribution", "\"constant(1)\"", "factor",
	  "\"lognormal(1.5, 0.5)\"",
	  "with estimate = \"history\": the factor used until a tenant has two finished jobs"),
	K("workload.classes.[].tenant_mix", "string", "one tenant", "-", "\"zipf(200, 1.1)\"",
	  "\"zipf(N, s)\": N tenants, tenant i submitting with weight i^-s"),
	K("workload.classes.[].on_failure", "string", "\"requeue\"", "-", "\"fail\"",
	  "a run stopped by a node failure or reclamation is requeued (from its last "
	  "checkpoint) or fails"),
	K("workload.classes.[].spot", "boolean", "false", "-", "true",
	  "its jobs may run on spot pools (a class that does not never sees them)"),
	K("workload.classes.[].checkpoint", "group", "none", "-",
	  "{ every = \"1h\"; cost = \"2m\"; restart = \"5m\"; }",
	  "jobs save their work periodically; a stopped run resumes from the last save"),
	K("workload.classes.[].checkpoint.every", "duration or \"auto\"", "required", "s", "\"1h\"",
	  "work between checkpoints; \"auto\": Young's sqrt(2 x cost x MTBF) (docs/failures.md)"),
	K("workload.classes.[].checkpoint.cost", "duration", "0", "s", "\"2m\"",
	  "the pause that writes one checkpoint (the job holds its GPUs)"),
	K("workload.classes.[].checkpoint.restart", "duration", "0", "s", "\"5m\"",
	  "reloading at the start of a run that resumes after a failure or reclamation"),
	K("workload.classes.[].balking", "group", "none", "-", "{ wait_scale = \"30m\"; }",
	  "arrivals that see a long posted wait (or a high price) leave at once"),
	K("workload.classes.[].balking.wait_scale", "duration", "required", "s", "\"30m\"",
	  "posted wait at which 63% of arrivals leave at the list price"),
	K("workload.classes.[].balking.price_elasticity", "number", "0", "-", "1.0",
	  "how much the price factor raises balking, in [0, 100]"),

	K("promotions", "list of groups", "none", "-",
	  "( { name = \"sale\"; start = \"1d\"; duration = \"4h\"; discount = 0.5; } )",
	  "price promotions, at most 16, none overlapping; each is a scope window:NAME, "
	  "a repeating one also window:NAME#k for its first occurrences"),
	K("promotions.[].name", "string", "required", "-", "\"flash-sale\"",
	  "the promotion's name, unique; scope window:NAME"),
	K("promotions.[].start", "duration", "required", "s", "\"3d 20:00\"",
	  "when it starts, from time 0"),
	K("promotions.[].duration", "duration", "required", "s", "\"4h\"",
	  "how long it lasts; it (its first occurrence) must end within the horizon"),
	K("promotions.[].repeat", "duration", "none", "s", "\"7d\"",
	  "it recurs this often (at least its duration); scopes window:NAME#1 ... for the first"),
	K("promotions.[].count", "integer", "until the horizon", "-", "52",
	  "how many times it recurs with repeat (1-1000000); those starting after the horizon never do"),
	K("promotions.[].discount", "number", "0", "-", "0.5",
	  "price cut during it, in [0, 1)"),
	K("promotions.[].demand", "number", "1", "-", "3.0",
	  "its classes' arrival-rate multiplier, in (0, 1000]; not with elasticity"),
	K("promotions.[].elasticity", "number", "none", "-", "1.5",
	  "demand = (1 - discount)^-elasticity instead of demand"),
	K("promotions.[].classes", "list of strings", "every class", "-", "[ \"inference\" ]",
	  "the classes the promotion applies to"),

	K("policies", "list of names or groups", "required", "-",
	  "( \"fcfs\", \"priority\" )",
	  "queue policies to compare (at most 16): fcfs, priority, sjf, aging, fair-share, "
	  "priority-preemptive, easy-backfill, or a group"),
	K("policies.[].name", "string", "required", "-", "\"aging\"",
	  "a built-in policy's name, or a plugin's name of choice"),
	K("policies.[].label", "string", "the name", "-", "\"aging-30m\"",
	  "the name results show, to list one policy twice"),
	K("policies.[].step", "duration", "\"1h\"", "s", "\"30m\"",
	  "aging: waiting this long is worth one priority level"),
	K("policies.[].preempted", "string", "\"resume\"", "-", "\"restart\"",
	  "priority-preemptive: an evicted job resumes or restarts"),
	K("policies.[].kill_at_estimate", "boolean", "false", "-", "true",
	  "easy-backfill: a job still running at its estimate is killed"),
	K("policies.[].plugin", "string", "none", "-", "\"../models/plugins/lottery.so\"",
	  "a policy plugin (shared object, path from the scenario's folder)"),
	K("policies.[].params", "group", "none", "-", "{ tickets = 3; }",
	  "a plugin's parameters: numbers, true/false or strings, given to its init"),

	K("placement", "string or group", "\"first-fit\"", "-", "\"best-fit\"",
	  "where a job is placed: first-fit, best-fit, fastest, cheapest, a GPU-sharing "
	  "placement (random, dot-product, gpu-clustering, gpu-packing, best-fit-multi, fgd), or a "
	  "plugin group"),
	K("placement.name", "string", "required", "-", "\"my-placement\"",
	  "a placement plugin's name of choice"),
	K("placement.plugin", "string", "required", "-", "\"placement.so\"",
	  "the placement plugin (shared object, path from the scenario's folder)"),
	K("placement.params", "group", "none", "-", "{ spread = true; }",
	  "the plugin's parameters, given to its init"),

	K("tenants", "group", "none", "-", "{ weights = \"zipf\"; quota_gpus = 16; }",
	  "fair-share weights and a per-tenant GPU quota"),
	K("tenants.weights", "string or list of numbers", "\"equal\"", "-", "\"zipf\"",
	  "equal, zipf (the tenant mix's weights) or [ w1, w2, ... ] for t1, t2, ..."),
	K("tenants.quota_gpus", "number", "none", "GPUs", "16",
	  "most GPUs one tenant may hold at once (none: no quota)"),

	K("output", "group", "none", "-", "{ jobs = true; }", "what a run writes besides the CSVs"),
	K("output.plots", "boolean", "true", "-", "false",
	  "draw plots/ and report.html after a run"),
	K("output.jobs", "boolean", "false", "-", "true", "write jobs.csv, one row per job"),
	K("output.timeseries_step", "duration", "0", "s", "\"5m\"",
	  "write timeseries.csv at this step (0: not written)"),
	K("output.objective", "string", "none", "-", "\"min wait_p95 of class:inference subject to profit >= 10000\"",
	  "what report.html recommends a policy for: min or max METRIC [of SCOPE] [subject to METRIC "
	  "[of SCOPE] >= or <= VALUE [and ...]] (none: the best-policy table's verdicts)"),
};

const sc_key *scenario_keys(size_t *n)
{
	*n = sizeof keys / sizeof *keys;
	return keys;
}

/* Copies path into out with every list index "[N]" written "[]". Returns 0, or -1
 * when it does not fit. */
static int generalise(const char *path, char *out, size_t len)
{
	size_t o = 0;
	for (const char *p = path; *p; p++) {
		if (o + 3 >= len)
			return -1;
		out[o++] = *p;
		if (*p == '[') {
			while (isdigit((unsigned char)p[1]) || p[1] == '*')
				p++;
		}
	}
	out[o] = 0;
	return 0;
}

/* The key whose path is group_path "." name (or name at the top), or NULL. */
static const sc_key *find(const char *group_path, const char *name, size_t name_len)
{
	char g[256];
	if (generalise(group_path, g, sizeof g))
		return NULL;
	size_t gl = strlen(g);
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		const char *p = keys[i].path;
		if (gl && (strncmp(p, g, gl) || p[gl] != '.'))
			continue;
		const char *leaf = gl ? p + gl + 1 : p;
		if (strlen(leaf) == name_len && !strncmp(leaf, name, name_len))
			return &keys[i];
	}
	return NULL;
}

int scenario_keys_is_group(const char *path)
{
	char g[256];
	if (!path[0])
		return 1;
	if (generalise(path, g, sizeof g))
		return 0;
	size_t gl = strlen(g);
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (!strncmp(keys[i].path, g, gl) && keys[i].path[gl] == '.')
			return 1;
	return 0;
}

int scenario_keys_allows(const char *group_path, const char *name)
{
	/* a leaf name holds no dot: "a.b" must not match a key two levels down */
	return !strchr(name, '.') && find(group_path, name, strlen(name)) != NULL;
}

size_t scenario_keys_members(const char *group_path, const char **list, size_t max)
{
	char g[256];
	size_t n = 0;
	if (generalise(group_path, g, sizeof g) == 0) {
		size_t gl = strlen(g);
		for (size_t i = 0; i < sizeof keys / sizeof *keys && n < max; i++) {
			const char *p = keys[i].path;
			if (gl && (strncmp(p, g, gl) || p[gl] != '.'))
				continue;
			const char *leaf = gl ? p + gl + 1 : p;
			if (!strchr(leaf, '.'))
				list[n++] = leaf;
		}
	}
	list[n] = NULL;
	FG_ASSERT(n <= max);
	return n;
}
