/* fuzz_override.c - libFuzzer harness for --set overrides (scenario_load's sc_override
 * list): a fixed scenario with every section, and the input as up to 8 lines KEY=VALUE,
 * each split at its first '=' the way the command line splits `--set KEY=VALUE`. The
 * load must fail with a message that names an override (`--set KEY: ...`) or the file,
 * or succeed with a scenario that respects the loader's promises. */
#include "fuzz.h"
#include "scenario_load.h"
#include "scenario_check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_OV 8

static const char base[] =
	"name = \"base\";\n"
	"run = { horizon = \"7d\"; warmup = \"1d\"; replications = 3; seed = 42; confidence = 0.95; };\n"
	"cluster = { pools = (\n"
	"  { name = \"h100\"; gpu = \"H100-SXM\"; nodes = 16; gpus_per_node = 8;\n"
	"    cost_per_gpu_hour = 2.10; price_per_gpu_hour = 3.50; },\n"
	"  { name = \"l4\"; nodes = 32; gpus_per_node = 4; cost_per_gpu_hour = 0.30; price_per_gpu_hour = 0.80; } ); };\n"
	"workload = {\n"
	"  arrivals = { process = \"poisson\"; rate = \"120/h\";\n"
	"    daily_profile = [0.4,0.3,0.3,0.3,0.4,0.6,0.9,1.2,1.4,1.5,1.5,1.4,\n"
	"                     1.3,1.4,1.5,1.5,1.4,1.3,1.2,1.1,1.0,0.8,0.6,0.5]; };\n"
	"  classes = (\n"
	"    { name = \"inference\"; share = 0.95; priority = 0; gpus = 1; service = \"lognormal(20m, 1.0)\";\n"
	"      patience = \"exponential(30m)\"; pools = [ \"l4\", \"h100\" ];\n"
	"      estimate = \"uniform(0.5, 2)\"; tenant_mix = \"zipf(200, 1.1)\"; },\n"
	"    { name = \"training\"; share = 0.05; priority = 1; gpus = 8; service = \"empirical(samples.csv)\";\n"
	"      pools = [ \"h100\" ]; } ); };\n"
	"promotions = ( { name = \"flash-sale\"; start = \"3d 20:00\"; duration = \"4h\"; discount = 0.5;\n"
	"                 demand = 3.0; classes = [ \"inference\" ]; } );\n"
	"policies = ( \"fcfs\", { name = \"priority\"; label = \"prio\"; }, { name = \"aging\"; step = \"30m\"; } );\n"
	"output = { plots = true; jobs = false; timeseries_step = \"5m\"; };\n";

static scenario *sc;
static char path[128];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_setup();
	sc = malloc(sizeof *sc);
	FUZZ_ASSERT(sc);
	fuzz_write("scenario.cfg", base, sizeof base - 1);
	snprintf(path, sizeof path, "%s/scenario.cfg", fuzz_dir);
	/* The base must load, or every input only tests the error path. */
	char err[1024];
	if (scenario_load(sc, path, NULL, 0, err, sizeof err)) {
		fprintf(stderr, "fuzz_override: the base scenario does not load: %s\n", err);
		abort();
	}
	scenario_free(sc);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	sc_override ov[MAX_OV];
	int nov = 0;
	for (char *line = text, *next; line && nov < MAX_OV; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *eq = strchr(line, '=');
		if (!eq || eq == line)
			continue; /* the command line refuses these before loading */
		*eq = '\0';
		ov[nov++] = (sc_override){line, eq + 1, NULL};
	}
	char err[1024];
	memset(err, 0x7f, sizeof err);
	int rc = scenario_load(sc, path, ov, nov, err, sizeof err);
	if (rc) {
		FUZZ_ASSERT(rc == 2);
		fuzz_check_err(err, sizeof err);
		FUZZ_ASSERT(!strncmp(err, "--set ", 6) || (!strncmp(err, path, strlen(path)) && err[strlen(path)] == ':') ||
			    fuzz_err_in_named_file(err, data, size));
	} else {
		fuzz_check_scenario(sc);
		scenario_free(sc);
	}
	free(text);
	return 0;
}
