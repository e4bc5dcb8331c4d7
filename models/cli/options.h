/* options.h - the one option parser of the commands that run a scenario (run, check,
 * sweep, plan) and the one signal set-up of every command. Each option is parsed by one
 * line of a table, so `-j` or `--seed` means the same and fails with the same message in
 * every command; a command says which options it takes with a cli_command (fill's own
 * options are lines of the same table). */
#ifndef FGSIM_CLI_OPTIONS_H
#define FGSIM_CLI_OPTIONS_H

#include "scenario_load.h"
#include "sweep.h"

#define CLI_MAX_OVERRIDES 64

/* One bit per option, for cli_command.accepts and .needs. */
enum {
	OPT_SET = 1u << 0,        /* --set KEY=VALUE, --set=KEY=VALUE */
	OPT_OUTDIR = 1u << 1,     /* -o DIR */
	OPT_THREADS = 1u << 2,    /* -j N */
	OPT_SEED = 1u << 3,       /* --seed S: a --set run.seed=S in its place among the --set */
	OPT_QUIET = 1u << 4,      /* --quiet */
	OPT_MAX_MEMORY = 1u << 5, /* --max-memory SIZE */
	OPT_FORCE = 1u << 6,      /* --force */
	OPT_VARY = 1u << 7,       /* --vary KEY=... (sweep.h) */
	OPT_SCOPE = 1u << 8,      /* --scope SCOPE */
	OPT_METRICS = 1u << 9,    /* --metrics M1,M2 */
	OPT_TARGET = 1u << 10,    /* --target 'METRIC<=VALUE' */
	OPT_POLICY = 1u << 11,    /* --policy NAME */
	OPT_HELP = 1u << 12,      /* --help or -h anywhere: the command's help on stdout; every
				   * command takes it, whether its accepts says so or not */
	OPT_UNSET = 1u << 13,      /* --unset KEY: an override without a value, among the --set */
	OPT_POLICY_ADD = 1u << 14, /* --policy-add POLICY: a --set policies.[+]=POLICY */
	OPT_UNTIL = 1u << 15,      /* --until X: fill's arrived demand, in (0, 10] */
	OPT_SEEDS = 1u << 16,      /* --seeds N: fill's seeds, 1..1000 */
	OPT_PLACEMENTS = 1u << 17, /* --placements P1,P2: fill's placements (checked by fill) */
	OPT_SHUFFLE = 1u << 18,    /* --shuffle: fill shuffles the tuned pod list */
};

/* A command as the parser sees it. */
typedef struct cli_command {
	const char *name; /* "run": the messages' "fgsim run: ..." and its help (help.h) */
	unsigned accepts;  /* OPT_ bits; any other option is "unknown or incomplete" */
	unsigned needs;    /* OPT_ bits of options that must be given (a scenario always must) */
} cli_command;

/* What the options said. The fields of options a command does not take stay as
 * cli_parse's defaults: NULL, 0, and threads cli_default_threads(). */
typedef struct cli_opts {
	const cli_command *cmd;
	const char *scenario, *outdir;
	/* --set, --unset (value NULL), --policy-add and --seed, in the order given */
	sc_override ov[CLI_MAX_OVERRIDES];
	int nov, threads, quiet, force;
	int threads_given; /* -j was given: threads is the user's, not cli_default_threads() */
	double max_memory; /* --max-memory, bytes; 0: not given */
	char seed_value[32];
	/* the --set keys, copied: argv stays whole for run.json */
	char keybuf[CLI_MAX_OVERRIDES][256];
	sweep vary;                          /* the --vary keys */
	const char *metrics, *scope, *policy, *target;
	double until;           /* --until; 0: not given */
	int seeds, shuffle;     /* --seeds (0: not given), --shuffle */
	const char *placements; /* --placements, as given */
} cli_opts;

/* Parses argv (argv[0] the command's name, as cmd.h's functions get it) into o for
 * command c. Returns 0; 1 when --help printed the usage (exit 0); or 2 after printing
 * the problem and the usage (or, for a bad --vary, its message). sweep_free(&o->vary)
 * afterwards in every case where c takes --vary. */
int cli_parse(cli_opts *o, const cli_command *c, int argc, char **argv);

/* Prints "fgsim CMD: PROBLEM" (when problem is not NULL) and c's usage (help.h) on
 * stderr. Returns 2, the exit status of bad usage. */
int cli_usage(const cli_command *c, const char *problem);
/* The arguments of a listing command (keys, metrics): --tsv, --markdown, -h/--help and,
 * where operand is not NULL, one word into *operand. Returns 0 to list; 1 after --help
 * printed the command's help (exit 0); 2 after an unexpected argument and the usage. */
int cli_listing_args(const char *cmd, int argc, char **argv, int *tsv, int *md, const char **operand);

/* The thread count when no -j is given: the CPUs online (sysconf), within 1..1024.
 * Results do not depend on it (each replication has its own streams). */
int cli_default_threads(void);

/* The threads to run scenario sc on: -j as given, else the default capped at the
 * replications sc can run at once (policies x replications, or x the most a precision
 * target may take), so that a wide machine does not build a platform per CPU, and
 * count them in the memory estimate, for four replications. */
int cli_threads(const cli_opts *o, const scenario *sc);

/* The signal set-up every command that may be stopped makes (signals.h): installs the
 * handlers. Returns 0, or 1 after "fgsim CMD: signals: WHY" on stderr. */
int cli_signals(const char *cmd);

/* The exit status of a command a signal stopped: 128 + the signal, as a shell reports
 * a process the signal killed; `rc` when no signal arrived. */
int cli_stopped_status(int rc);
#endif
