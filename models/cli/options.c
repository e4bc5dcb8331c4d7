/* options.c - the option table of every command that runs a scenario, and the signal
 * set-up of every command (options.h). */
#include "options.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "footprint.h"
#include "help.h"
#include "signals.h"

/* One option: its name, its bit, whether a value follows it, and what it does. apply
 * gets the value (NULL for a flag) and returns 0, or the exit status after printing
 * the problem (cli_usage) - 2, or 1 for --help. */
typedef struct cli_option {
	const char *name;
	unsigned bit;
	int takes_value;
	int (*apply)(cli_opts *o, const char *value);
	const char *missing; /* the problem when an option in cmd->needs is not given */
} cli_option;

/* option: how a message names it when it is not a --set KEY (NULL) */
static int add_override(cli_opts *o, const char *key, const char *value, const char *option)
{
	if (o->nov == CLI_MAX_OVERRIDES)
		return cli_usage(o->cmd, "too many --set, --unset and --policy-add options");
	o->ov[o->nov++] = (sc_override){key, value, option};
	return 0;
}

static int opt_set(cli_opts *o, const char *kv)
{
	const char *eq = strchr(kv, '=');
	if (!eq || eq == kv)
		return cli_usage(o->cmd, "--set takes KEY=VALUE");
	if (o->nov == CLI_MAX_OVERRIDES)
		return cli_usage(o->cmd, "too many --set options");
	/* the key is copied, not cut out of argv in place: run.json records argv */
	size_t len = (size_t)(eq - kv);
	if (len >= sizeof o->keybuf[0])
		return cli_usage(o->cmd, "--set KEY is too long");
	memcpy(o->keybuf[o->nov], kv, len);
	o->keybuf[o->nov][len] = 0;
	return add_override(o, o->keybuf[o->nov], eq + 1, NULL);
}

/* The loader removes a key whose override has no value (scenario_override.c); the key
 * is argv's own string, which stays whole. */
static int opt_unset(cli_opts *o, const char *key)
{
	if (!key[0] || strchr(key, '='))
		return cli_usage(o->cmd, "--unset takes a KEY, without =VALUE");
	return add_override(o, key, NULL, NULL);
}

/* Appending to the list is the loader's `KEY.[+]` (scenario_override.c), so a policy
 * added here is checked, and its errors placed, like one given by --set. */
static int opt_policy_add(cli_opts *o, const char *v)
{
	return add_override(o, "policies.[+]", v, "--policy-add");
}

static int opt_outdir(cli_opts *o, const char *v)
{
	o->outdir = v;
	return 0;
}

static int opt_threads(cli_opts *o, const char *v)
{
	char *end;
	long j = strtol(v, &end, 10);
	if (*end || j < 1 || j > 1024)
		return cli_usage(o->cmd, "-j takes a thread count from 1 to 1024");
	o->threads = (int)j;
	o->threads_given = 1;
	return 0;
}

/* --seed is a --set run.seed in disguise, checked here so that "-1" or "12x" are usage
 * errors of the option, not errors placed in the scenario file. */
static int opt_seed(cli_opts *o, const char *v)
{
	char *end;
	errno = 0;
	unsigned long long s = strtoull(v, &end, 10);
	if (*end || errno || v[0] == '-' || s > INT64_MAX)
		return cli_usage(o->cmd, "--seed takes a non-negative integer");
	snprintf(o->seed_value, sizeof o->seed_value, "%llu", s);
	return add_override(o, "run.seed", o->seed_value, "--seed");
}

static int opt_quiet(cli_opts *o, const char *v)
{
	(void)v;
	o->quiet = 1;
	return 0;
}

static int opt_max_memory(cli_opts *o, const char *v)
{
	if (footprint_parse_size(v, &o->max_memory))
		return cli_usage(o->cmd, "--max-memory takes a size such as 512M or 4G");
	return 0;
}

static int opt_force(cli_opts *o, const char *v)
{
	(void)v;
	o->force = 1;
	return 0;
}

/* A bad --vary has its own message (the key and what is wrong with its range), printed
 * without the usage, which would only bury it. */
static int opt_vary(cli_opts *o, const char *v)
{
	char err[1024];
	if (sweep_add_key(&o->vary, v, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	return 0;
}

static int opt_scope(cli_opts *o, const char *v)
{
	o->scope = v;
	return 0;
}

static int opt_metrics(cli_opts *o, const char *v)
{
	o->metrics = v;
	return 0;
}

static int opt_target(cli_opts *o, const char *v)
{
	o->target = v;
	return 0;
}

static int opt_policy(cli_opts *o, const char *v)
{
	o->policy = v;
	return 0;
}

static int opt_until(cli_opts *o, const char *v)
{
	char *end;
	o->until = strtod(v, &end);
	if (*end || !(o->until > 0 && o->until <= 10))
		return cli_usage(o->cmd, "--until takes a number in (0, 10], e.g. 1.3");
	return 0;
}

static int opt_seeds(cli_opts *o, const char *v)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < 1 || n > 1000)
		return cli_usage(o->cmd, "--seeds takes a whole number in 1..1000");
	o->seeds = (int)n;
	return 0;
}

/* the names are the placements' (a lower layer's); the command checks them */
static int opt_placements(cli_opts *o, const char *v)
{
	o->placements = v;
	return 0;
}

static int opt_shuffle(cli_opts *o, const char *v)
{
	(void)v;
	o->shuffle = 1;
	return 0;
}

static int opt_help(cli_opts *o, const char *v)
{
	(void)v;
	help_command(stdout, o->cmd->name);
	return 1;
}

/* --help and -h are two names of one option; the needs check walks this table in order,
 * so --vary's absence is reported before --target's. */
static const cli_option options[] = {
	{.name = "--help", .bit = OPT_HELP, .apply = opt_help},
	{.name = "-h", .bit = OPT_HELP, .apply = opt_help},
	{.name = "--set", .bit = OPT_SET, .takes_value = 1, .apply = opt_set},
	{.name = "--unset", .bit = OPT_UNSET, .takes_value = 1, .apply = opt_unset},
	{.name = "--policy-add", .bit = OPT_POLICY_ADD, .takes_value = 1, .apply = opt_policy_add},
	{.name = "--vary", .bit = OPT_VARY, .takes_value = 1, .apply = opt_vary,
	 .missing = "no --vary given: which key should change?"},
	{.name = "-o", .bit = OPT_OUTDIR, .takes_value = 1, .apply = opt_outdir},
	{.name = "-j", .bit = OPT_THREADS, .takes_value = 1, .apply = opt_threads},
	{.name = "--seed", .bit = OPT_SEED, .takes_value = 1, .apply = opt_seed},
	{.name = "--quiet", .bit = OPT_QUIET, .apply = opt_quiet},
	{.name = "--max-memory", .bit = OPT_MAX_MEMORY, .takes_value = 1, .apply = opt_max_memory},
	{.name = "--force", .bit = OPT_FORCE, .apply = opt_force},
	{.name = "--scope", .bit = OPT_SCOPE, .takes_value = 1, .apply = opt_scope},
	{.name = "--metrics", .bit = OPT_METRICS, .takes_value = 1, .apply = opt_metrics},
	{.name = "--target", .bit = OPT_TARGET, .takes_value = 1, .apply = opt_target,
	 .missing = "no --target given, e.g. --target 'wait_p95<=600'"},
	{.name = "--policy", .bit = OPT_POLICY, .takes_value = 1, .apply = opt_policy},
	{.name = "--until", .bit = OPT_UNTIL, .takes_value = 1, .apply = opt_until},
	{.name = "--seeds", .bit = OPT_SEEDS, .takes_value = 1, .apply = opt_seeds},
	{.name = "--placements", .bit = OPT_PLACEMENTS, .takes_value = 1, .apply = opt_placements},
	{.name = "--shuffle", .bit = OPT_SHUFFLE, .apply = opt_shuffle},
};
#define NOPTIONS (sizeof options / sizeof options[0])

int cli_usage(const cli_command *c, const char *problem)
{
	if (problem)
		fprintf(stderr, "fgsim %s: %s\n", c->name, problem);
	help_usage(stderr, c->name);
	return 2;
}

int cli_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
}

/* The option argv[i] names that c accepts, or NULL. "--set=KEY=VALUE" is --set with its
 * value attached; *value then points into argv[i]. */
static const cli_option *find(const cli_command *c, const char *arg, const char **value)
{
	*value = NULL;
	for (size_t k = 0; k < NOPTIONS; k++) {
		const cli_option *op = &options[k];
		if (!(c->accepts & op->bit) && op->bit != OPT_HELP)
			continue;
		if (!strcmp(arg, op->name))
			return op;
		/* the value attached, as getopt takes it: -j2, -oDIR, --seed=7, --set=KEY=V */
		size_t n = strlen(op->name);
		if (op->takes_value && !strncmp(arg, op->name, n) && arg[n]) {
			if (n == 2) { /* a short option */
				*value = arg + n;
				return op;
			}
			if (arg[n] == '=') {
				*value = arg + n + 1;
				return op;
			}
		}
	}
	return NULL;
}

int cli_parse(cli_opts *o, const cli_command *c, int argc, char **argv)
{
	FG_ASSERT(c && c->name && argc >= 1);
	/* a needed option the command does not take could never be given */
	FG_ASSERT((c->needs & ~c->accepts) == 0);
	memset(o, 0, sizeof *o);
	o->cmd = c;
	o->threads = cli_default_threads();
	unsigned seen = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *value;
		const cli_option *op = find(c, a, &value);
		/* an option whose value is missing reads as an unknown one: "-j" at the end */
		if (op && op->takes_value && !value && i + 1 >= argc)
			op = NULL;
		if (op) {
			if (op->takes_value && !value)
				value = argv[++i];
			int rc = op->apply(o, value);
			if (rc)
				return rc;
			seen |= op->bit;
		} else if (a[0] == '-' && a[1]) {
			char msg[300];
			snprintf(msg, sizeof msg, "unknown or incomplete option \"%.200s\"", a);
			return cli_usage(c, msg);
		} else if (!o->scenario) {
			o->scenario = a;
		} else {
			return cli_usage(c, "one scenario file at a time");
		}
	}
	if (!o->scenario)
		return cli_usage(c, "no scenario file given");
	for (size_t k = 0; k < NOPTIONS; k++)
		if ((c->needs & options[k].bit) && !(seen & options[k].bit)) {
			FG_ASSERT(options[k].missing); /* every option a command may need says so */
			return cli_usage(c, options[k].missing);
		}
	FG_ASSERT(o->nov >= 0 && o->nov <= CLI_MAX_OVERRIDES);
	FG_ASSERT(o->threads >= 1 && o->threads <= 1024);
	return 0;
}

int cli_threads(const cli_opts *o, const scenario *sc)
{
	if (o->threads_given)
		return o->threads;
	long reps = sc->precision.nmetrics ? sc->precision.max_replications : sc->replications;
	long tasks = (long)sc->npolicies * (reps > 0 ? reps : 1);
	return tasks < o->threads ? (int)(tasks > 0 ? tasks : 1) : o->threads;
}

int cli_signals(const char *cmd)
{
	if (signals_install() == 0)
		return 0;
	fprintf(stderr, "fgsim %s: signals: %s\n", cmd, strerror(errno));
	return 1;
}

/* 128 + the signal: the shell's status for a process a signal ended, so a script sees
 * an interrupted run as interrupted, although fgsim unwound and exited by itself. */
int cli_stopped_status(int rc)
{
	return signals_pending() ? 128 + signals_pending() : rc;
}

int cli_listing_args(const char *cmd, int argc, char **argv, int *tsv, int *md, const char **operand)
{
	*tsv = *md = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--tsv"))
			*tsv = 1;
		else if (!strcmp(argv[i], "--markdown"))
			*md = 1;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			help_command(stdout, cmd);
			return 1;
		} else if (argv[i][0] == '-' || !operand || (*operand)[0]) {
			fprintf(stderr, "fgsim %s: unexpected argument \"%s\"\n", cmd, argv[i]);
			help_usage(stderr, cmd);
			return 2;
		} else
			*operand = argv[i];
	}
	return 0;
}
