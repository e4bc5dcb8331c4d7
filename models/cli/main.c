/* main.c - the fgsim command line: dispatches to one function per command (cmd.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#ifndef FGSIM_VERSION
#define FGSIM_VERSION "0.1.0"
#endif

static const char help[] =
	"fgsim " FGSIM_VERSION " - discrete-event simulator of a cloud GPU rental platform\n"
	"\n"
	"usage:\n"
	"  fgsim run SCENARIO.cfg [-o DIR] [--set KEY=VALUE]... [-j N] [--seed S] [--quiet]\n"
	"  fgsim check SCENARIO.cfg [--set KEY=VALUE]...\n"
	"  fgsim sweep SCENARIO.cfg --vary KEY=A:B[:STEP] | --vary KEY=v1,v2,... [--vary ...]\n"
	"              [OPTIONS] [--metrics M1,M2,...] [--scope SCOPE]\n"
	"  fgsim plan SCENARIO.cfg --vary KEY=LO:HI --target 'METRIC<=VALUE' [--scope SCOPE]\n"
	"             [--policy NAME] [OPTIONS]\n"
	"     run, check: --max-memory SIZE caps the estimated memory (default: half of the\n"
	"     physical memory; over it, exit 2), --force runs over it anyway\n"
	"  fgsim analytic mmc|mg1|prio|erlang-a|min-servers ARGS...\n"
	"  fgsim plot DIR          redraw DIR/plots/ and DIR/report.html from DIR's CSVs\n"
	"  fgsim keys [--tsv] [PREFIX]   every scenario key: type, default, unit, meaning\n"
	"  fgsim metrics [--tsv]   every metric: unit, scopes, definition\n"
	"  fgsim calibrate --gpu NAME [-o FILE]   time the kernels on this GPU (runs bin/fgcal;\n"
	"                          needs a GPU; default FILE models/calibration/NAME.cfg)\n"
	"  fgsim --version | --help | COMMAND --help\n"
	"\n"
	"OPTIONS (run, sweep, plan): -o DIR  --set KEY=VALUE  -j N  --seed S  --quiet\n"
	"\n"
	"sweep runs every point of the --vary keys' cartesian product (the first --vary\n"
	"slowest) and writes sweep.csv, run.json and plots of --metrics (default wait_p95,\n"
	"utilization, profit, abandon_rate) against the first key to DIR (default\n"
	"results/<name>-sweep); finished points are kept in DIR/points/, so a sweep that was\n"
	"stopped resumes when run again. plan finds the smallest integer KEY in LO:HI at which\n"
	"the target (METRIC<=VALUE or METRIC>=VALUE, VALUE a number or a duration) holds at\n"
	"its one-sided confidence bound (level run.confidence) for the first policy or\n"
	"--policy, by bisection under common random numbers: it assumes the metric is\n"
	"monotone in KEY. Its first line on stdout is KEY=N; it writes DIR/plan.csv (default\n"
	"results/<name>-plan) and exits 1 when even HI misses the target.\n"
	"\n"
	"run writes summary.csv, replications.csv, compare.csv and run.json to DIR\n"
	"(default results/<scenario name>). Exit status: 0 ok, 2 bad usage or input, 1 other.\n";

typedef struct command {
	const char *name;
	int (*fn)(int, char **);
} command;

static const command commands[] = {
	{.name = "run", .fn = cmd_run},
	{.name = "check", .fn = cmd_check},
	{.name = "analytic", .fn = cmd_analytic},
	{.name = "plot", .fn = cmd_plot},
	{.name = "calibrate", .fn = cmd_calibrate},
	{.name = "sweep", .fn = cmd_sweep},
	{.name = "plan", .fn = cmd_plan},
	{.name = "keys", .fn = cmd_keys},
	{.name = "metrics", .fn = cmd_metrics},
};

/* Commands planned (docs name them) that this version does not have yet. */
static const char *const later[] = {NULL};

/* Output that could not be written is an error, not a silent success
 * (`fgsim check x.cfg > /dev/full`). */
static int finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "fgsim: cannot write to standard output: %s\n", strerror(errno));
		return rc ? rc : 1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	/* Asked for, help goes to stdout with status 0 (it can be paged or piped); given
	 * in place of a command, it is a usage error: stderr and status 2. */
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("fgsim %s\n", FGSIM_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (!strcmp(argv[1], commands[i].name)) {
			if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
				fputs(help, stdout);
				return 0;
			}
			return finish(commands[i].fn(argc - 1, argv + 1));
		}
	for (int i = 0; later[i]; i++)
		if (!strcmp(argv[1], later[i])) {
			fprintf(stderr, "fgsim: \"%s\" is not available in this version yet\n", argv[1]);
			return 2;
		}
	fprintf(stderr, "fgsim: unknown command \"%s\" (try fgsim --help)\n", argv[1]);
	return 2;
}
