/* fuzz_argv.c - libFuzzer harness for the command line: the input, split at NUL bytes,
 * is an argv handed to fgsim's own dispatch (models/cli/main.c, built in here as
 * fgsim_main), so every command's option parsing, --set and --vary, targets, the memory
 * gate and the scenario loader run as a user would drive them. Promises checked: the
 * exit status is 0, 1 or 2; 1 and 2 say why on stderr; exit 2 leaves no output behind
 * (docs/outputs.md); a run that succeeds wrote its results.
 * To stay deterministic and inside its scratch folder:
 *  - every output goes to the scratch folder: run, sweep and plan get `-o SCRATCH/out`
 *    first, and an input with its own -o is skipped; SCRATCH/out and what outdir.c
 *    keeps beside it (.out.fgsim-*) are removed after each input;
 *  - no argument may hold '/', so files are named only as `@NAME`, which becomes
 *    SCRATCH/NAME (the fixtures of fuzz.h and the scenarios below), or as a bare name
 *    relative to the working folder (read, never written); paths inside a scenario are
 *    relative to its folder, the scratch folder, so a plugin can only be a fixture;
 *  - `calibrate` (runs bin/fgcal in place of this process) and `plot` (redraws a folder
 *    the input names) are skipped, as is an argument naming plots (gnuplot children);
 *  - run and check get `--max-memory 256M` first, and inputs with their own
 *    --max-memory or --force are skipped, so the memory gate, not the fuzzer's RSS
 *    limit, refuses a big scenario;
 *  - simulations are bounded by their expected arrivals (experiment_run is wrapped,
 *    -Wl,--wrap in fuzz.mk): over a budget of jobs per input, or on more than 4
 *    threads, the experiment reports itself stopped (the path of a SIGINT before the
 *    first replication) instead of running, which depends on the input alone. */
#include <ctype.h>
#include <dirent.h>
#include <ftw.h>
#include <math.h>
#include <sanitizer/common_interface_defs.h>
#include <sys/stat.h>

#include "experiment.h"
#include "fuzz.h"

#define main fgsim_main
#include "main.c"
#undef main

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int __real_experiment_run(experiment *e, const scenario *sc, int threads, int quiet, _Atomic int *stop);
int __wrap_experiment_run(experiment *e, const scenario *sc, int threads, int quiet, _Atomic int *stop);

#define MAX_ARGS 24
#define MAX_ARG_LEN 512
#define JOB_BUDGET 20000.0 /* expected arrivals simulated per input, all experiments together */
#define MAX_THREADS 4

/* Scenarios the input can name as @mmc.cfg, @every.cfg, @trace.cfg, @nodes.cfg: small
 * enough to run within the budget as they are, and between them every section. */
static const char fx_mmc[] = "name = \"mmc\";\n"
			  "run = { horizon = \"10d\"; warmup = \"1d\"; replications = 3; seed = 1; };\n"
			  "cluster = { pools = ( { name = \"gpu\"; gpu = \"H100-SXM\"; nodes = 5; gpus_per_node = 1;\n"
			  "  cost_per_gpu_hour = 2.10; price_per_gpu_hour = 3.50; } ); };\n"
			  "workload = { arrivals = { process = \"poisson\"; rate = \"4.5/h\"; };\n"
			  "  classes = ( { name = \"jobs\"; share = 1.0; gpus = 1; service = \"exponential(1h)\"; } ); };\n"
			  "policies = ( \"fcfs\" );\n"
			  "output = { plots = false; };\n";
static const char fx_every[] =
	"name = \"every\";\n"
	"run = { horizon = \"2d\"; warmup = \"2h\"; replications = 2; seed = 42; confidence = 0.95; };\n"
	"cluster = { pools = (\n"
	"  { name = \"h100\"; gpu = \"H100-SXM\"; nodes = 4; gpus_per_node = 8; minimum_billing = \"1m\";\n"
	"    cost_per_gpu_hour = 2.10; price_per_gpu_hour = 3.50; },\n"
	"  { name = \"l4\"; nodes = 8; gpus_per_node = 4; cost_per_gpu_hour = 0.30; price_per_gpu_hour = 0.80;\n"
	"    burst = { max_nodes = 4; startup = \"10m\"; cost_per_gpu_hour = 0.60; threshold = \"1m\"; cooldown = \"15m\"; }; }\n"
	"  ); };\n"
	"workload = {\n"
	"  arrivals = { process = \"poisson\"; rate = \"12/h\";\n"
	"    daily_profile = [0.4,0.3,0.3,0.3,0.4,0.6,0.9,1.2,1.4,1.5,1.5,1.4,\n"
	"                     1.3,1.4,1.5,1.5,1.4,1.3,1.2,1.1,1.0,0.8,0.6,0.5]; };\n"
	"  classes = (\n"
	"    { name = \"inference\"; share = 0.9; priority = 0; gpus = 1; service = \"lognormal(20m, 1.0)\";\n"
	"      patience = \"exponential(30m)\"; pools = [ \"l4\", \"h100\" ];\n"
	"      estimate = \"uniform(0.5, 2)\"; tenant_mix = \"zipf(20, 1.1)\";\n"
	"      balking = { wait_scale = \"1h\"; price_elasticity = 1.5; }; },\n"
	"    { name = \"training\"; share = 0.1; priority = 1; gpus = 8; service = \"empirical(samples.csv)\";\n"
	"      pools = [ \"h100\" ]; } ); };\n"
	"tenants = { quota_gpus = 16; };\n"
	"promotions = ( { name = \"sale\"; start = \"1d 20:00\"; duration = \"4h\"; discount = 0.5;\n"
	"                 demand = 3.0; classes = [ \"inference\" ]; } );\n"
	"policies = ( \"fcfs\", { name = \"priority\"; label = \"prio\"; }, \"easy-backfill\" );\n"
	"output = { plots = false; jobs = true; timeseries_step = \"1h\"; };\n";
static const char fx_trace[] = "name = \"trace\";\n"
			    "run = { horizon = \"1d\"; warmup = \"0s\"; replications = 1; seed = 3; };\n"
			    "cluster = { pools = ( { name = \"gpu\"; nodes = 2; gpus_per_node = 8;\n"
			    "  cost_per_gpu_hour = 1.0; price_per_gpu_hour = 2.0; } ); };\n"
			    "workload = { arrivals = { process = \"trace\"; file = \"trace.csv\"; format = \"fgsim\"; };\n"
			    "  classes = ( { name = \"inference\"; share = 0.5; gpus = 1; },\n"
			    "              { name = \"training\"; share = 0.5; gpus = 8; priority = 1; } ); };\n"
			    "policies = ( \"fcfs\", \"sjf\" );\n"
			    "output = { plots = false; };\n";
static const char fx_nodes[] = "name = \"nodes\";\n"
			    "run = { horizon = \"1d\"; warmup = \"0s\"; replications = 2; seed = 5; };\n"
			    "cluster = { nodes_file = \"nodes.csv\"; };\n"
			    "workload = { arrivals = { rate = \"6/h\"; };\n"
			    "  classes = ( { name = \"a\"; share = 1.0; gpus = 1; service = \"exponential(1h)\"; } ); };\n"
			    "policies = ( \"fcfs\" );\n"
			    "output = { plots = false; };\n";

static char outdir[128];
static double budget; /* expected arrivals left to simulate for the current input */

/* Expected arrivals of one experiment: per replication horizon x rate at the busiest
 * hour and the strongest promotion (or a trace's jobs), times the replications it may
 * run (precision: its maximum; an automatic warm-up adds a pilot) and the policies. */
static double expected_jobs(const scenario *sc)
{
	double per_rep;
	if (sc->trace) {
		per_rep = (double)sc->trace_jobs * (floor(sc->scale) + 1);
	} else {
		double peak = 1, demand = 1;
		for (int h = 0; sc->has_profile && h < 24; h++)
			peak = fmax(peak, sc->daily_profile[h]);
		for (int i = 0; i < sc->npromos; i++)
			demand = fmax(demand, sc->promos[i].demand);
		per_rep = sc->horizon * sc->rate * peak * demand;
	}
	double reps = sc->precision.nmetrics ? sc->precision.max_replications : sc->replications;
	return per_rep * (reps * sc->npolicies + (sc->warmup_auto ? 1 : 0));
}

int __wrap_experiment_run(experiment *e, const scenario *sc, int threads, int quiet, _Atomic int *stop)
{
	double jobs = expected_jobs(sc);
	if (threads > MAX_THREADS || !(jobs <= budget)) { /* NaN too */
		budget = -1; /* and every later one in this input */
		memset(e, 0, sizeof *e);
		e->sc = sc;
		return 1;
	}
	budget -= jobs;
	return __real_experiment_run(e, sc, threads, quiet, stop);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* What a command left beside SCRATCH/out (models/report/outdir.h): its lock, staging and old
 * folders, a sweep's points, all named ".out.fgsim-*". Counts them, and removes them
 * when asked; `staged` counts only the folders that are output (not the lock). */
static int beside_outdir(int remove_them, int *staged)
{
	DIR *d = opendir(fuzz_dir);
	FUZZ_ASSERT(d);
	int n = 0;
	*staged = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (strncmp(e->d_name, ".out.fgsim-", 11))
			continue;
		n++;
		*staged += strcmp(e->d_name, ".out.fgsim-lock") != 0;
		if (remove_them) {
			char path[400];
			snprintf(path, sizeof path, "%s/%s", fuzz_dir, e->d_name);
			nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		}
	}
	closedir(d);
	return n;
}

/* Every input starts from a scratch folder without SCRATCH/out or anything beside it. */
static void remove_outdir(void)
{
	int staged;
	nftw(outdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	beside_outdir(1, &staged);
}

static void argv_cleanup(void)
{
	remove_outdir();
	static const char *const names[] = {"mmc.cfg", "every.cfg", "trace.cfg", "nodes.cfg", NULL};
	char path[160];
	for (int i = 0; names[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", fuzz_dir, names[i]);
		unlink(path);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup();
	atexit(argv_cleanup); /* runs before fuzz_cleanup, which removes the folder */
	fuzz_write("mmc.cfg", fx_mmc, sizeof fx_mmc - 1);
	fuzz_write("every.cfg", fx_every, sizeof fx_every - 1);
	fuzz_write("trace.cfg", fx_trace, sizeof fx_trace - 1);
	fuzz_write("nodes.cfg", fx_nodes, sizeof fx_nodes - 1);
	snprintf(outdir, sizeof outdir, "%s/out", fuzz_dir);
	/* Sanitizer reports go to the real stderr while the command's is captured. */
	int fd = dup(2);
	FUZZ_ASSERT(fd >= 0);
	__sanitizer_set_report_fd((void *)(intptr_t)fd);
	/* Every fixture scenario must run as it is, within the budget, or the fuzzer only
	 * sees refusals. */
	static const char *const names[] = {"mmc.cfg", "every.cfg", "trace.cfg", "nodes.cfg", NULL};
	for (int i = 0; names[i]; i++) {
		char path[160];
		snprintf(path, sizeof path, "%s/%s", fuzz_dir, names[i]);
		char *args[] = {"fgsim", "run", "-o", outdir, "--quiet", path, NULL};
		budget = JOB_BUDGET;
		FILE *out = stdout;
		stdout = fopen("/dev/null", "w");
		int rc = fgsim_main(6, args);
		fclose(stdout);
		stdout = out;
		remove_outdir();
		if (rc != 0 || budget < 0) {
			fprintf(stderr, "fuzz_argv: fixture %s exits %d (budget left %g)\n", names[i], rc, budget);
			abort();
		}
	}
	return 0;
}

/* Whether path exists (a file or folder). */
static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Whether every '/' in s is that of a rate ("4.5/h", "3/m"): after a digit or '.',
 * before a unit letter that ends a word. Any other '/' could make a path outside the
 * scratch folder. */
static int slashes_are_rates(const char *s)
{
	for (const char *p = s; (p = strchr(p, '/')); p++) {
		int before = p > s && ((p[-1] >= '0' && p[-1] <= '9') || p[-1] == '.');
		int unit = p[1] && strchr("smhd", p[1]);
		int after = unit && !(isalnum((unsigned char)p[2]) || strchr("/._-~", p[2]) && p[2]);
		if (!before || !after)
			return 0;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Split at NUL: up to MAX_ARGS arguments of up to MAX_ARG_LEN bytes. */
	char *text = fuzz_string(data, size);
	char *user[MAX_ARGS];
	int nuser = 0;
	for (size_t at = 0; at <= size; at += strlen(text + at) + 1) {
		if (nuser == MAX_ARGS || strlen(text + at) > MAX_ARG_LEN)
			goto skip;
		user[nuser++] = text + at;
	}
	if (nuser > 0 && size > 0 && data[size - 1] == '\0')
		nuser--; /* a trailing NUL ends the last argument, it does not add an empty one */
	const char *cmd = nuser > 0 ? user[0] : "";
	if (!strcmp(cmd, "calibrate") || !strcmp(cmd, "plot"))
		goto skip;
	for (int i = 0; i < nuser; i++)
		/* the output folder and the memory cap stay ours, however given: -o DIR, -oDIR,
		 * --max-memory N, --max-memory=N */
		if (!slashes_are_rates(user[i]) || strstr(user[i], "plots") || !strncmp(user[i], "-o", 2) ||
		    !strncmp(user[i], "--max-memory", 12) || !strcmp(user[i], "--force"))
			goto skip;

	/* fgsim CMD [our options] ARGS..., @NAME made SCRATCH/NAME. */
	char *argv[MAX_ARGS + 8], paths[MAX_ARGS][MAX_ARG_LEN + 80];
	int argc = 0;
	argv[argc++] = "fgsim";
	if (nuser > 0)
		argv[argc++] = user[0];
	int runs = !strcmp(cmd, "run") || !strcmp(cmd, "sweep") || !strcmp(cmd, "plan");
	if (runs) {
		argv[argc++] = "-o";
		argv[argc++] = outdir;
	}
	if (!strcmp(cmd, "run") || !strcmp(cmd, "check")) {
		argv[argc++] = "--max-memory";
		argv[argc++] = "256M";
	}
	for (int i = 1; i < nuser; i++) {
		if (user[i][0] == '@' && user[i][1] && !strstr(user[i], "..")) {
			snprintf(paths[i], sizeof paths[i], "%s/%s", fuzz_dir, user[i] + 1);
			argv[argc++] = paths[i];
		} else {
			argv[argc++] = user[i];
		}
	}
	argv[argc] = NULL;

	/* Run it with stdout and stderr captured (the FILE pointers only: libFuzzer and the
	 * sanitizers keep the real ones). */
	char *out = NULL, *err = NULL;
	size_t outlen = 0, errlen = 0;
	FILE *real_out = stdout, *real_err = stderr;
	stdout = open_memstream(&out, &outlen);
	stderr = open_memstream(&err, &errlen);
	FUZZ_ASSERT(stdout && stderr);
	budget = JOB_BUDGET;
	int rc = fgsim_main(argc, argv);
	fclose(stdout);
	fclose(stderr);
	stdout = real_out;
	stderr = real_err;
	int stopped = budget < 0; /* over the budget: reported as stopped, exit 128 */
	if (getenv("FUZZ_ARGV_VERBOSE")) { /* to read what one input did */
		for (int i = 0; i < argc; i++)
			fprintf(stderr, "%s'%s'", i ? " " : "", argv[i]);
		fprintf(stderr, "\nexit %d%s\n--- stdout:\n%s--- stderr:\n%s", rc, stopped ? " (over the budget)" : "",
			out, err);
	}

	if (!stopped) {
		if (!(rc == 0 || rc == 1 || rc == 2))
			fprintf(stderr, "exit %d; stderr: %.2000s\n", rc, err);
		FUZZ_ASSERT(rc == 0 || rc == 1 || rc == 2);
		if (rc != 0 && errlen == 0)
			fprintf(stderr, "exit %d with nothing on stderr; stdout: %.2000s\n", rc, out);
		/* plan's exit 1 (the target missed even at HI) is an answer on stdout */
		FUZZ_ASSERT(rc == 0 || errlen > 0 || (rc == 1 && !strcmp(cmd, "plan") && outlen > 0));
		int staged;
		beside_outdir(0, &staged);
		if (rc == 2 && (exists(outdir) || staged))
			fprintf(stderr, "exit 2 left %s (or %d folders beside it) behind; stderr: %.2000s\n", outdir, staged,
				err);
		FUZZ_ASSERT(rc != 2 || (!exists(outdir) && !staged));
		/* --help anywhere prints the help and runs nothing (exit 0, no results) */
		int help = 0;
		for (int i = 1; i < argc; i++)
			help |= !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h");
		if (rc == 0 && !strcmp(cmd, "run") && !help) {
			char path[200];
			snprintf(path, sizeof path, "%s/summary.csv", outdir);
			FUZZ_ASSERT(exists(path));
		}
	}
	free(out);
	free(err);
	remove_outdir();
skip:
	free(text);
	return 0;
}
