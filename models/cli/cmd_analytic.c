/* cmd_analytic.c - `fgsim analytic`: prints the queueing-theory predictions of
 * sim/queueing.h for numbers given on the command line, so a user can set a simulation
 * beside its closed form without writing a scenario. Output is key=value, one a line. */
#include "cmd.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "help.h"
#include "names.h"
#include "queueing.h"

struct analytic_cmd {
	const char *name;
	int nargs;         /* operands after the subcommand's name */
	const char *usage; /* the operands, for the usage line */
	int (*run)(const struct analytic_cmd *cmd, char **args);
};

/* Reports bad usage of one subcommand (cmd NULL: of `analytic` itself) on stderr in
 * the form `fgsim analytic: <what is wrong>` plus its usage line; returns 2, the exit
 * status for bad usage. */
__attribute__((format(printf, 2, 3))) static int usage_error(const struct analytic_cmd *cmd,
							     const char *fmt, ...)
{
	va_list ap;
	fputs("fgsim analytic: ", stderr);
	if (cmd)
		fprintf(stderr, "%s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd)
		fprintf(stderr, "usage: fgsim analytic %s %s\n", cmd->name, cmd->usage);
	else
		fputs("usage: fgsim analytic mmc|mg1|prio|erlang-a|min-servers ARGS... "
		      "(fgsim analytic --help lists them)\n",
		      stderr);
	return 2;
}

/* Parses text as a whole finite number; 0 on success, -1 otherwise. strtod's own
 * leading blanks are refused too, so what is accepted is exactly a number. */
static int parse_double(const char *text, double *out)
{
	char *end;
	if (!*text || isspace((unsigned char)*text))
		return -1;
	errno = 0;
	double v = strtod(text, &end);
	if (*end || errno == ERANGE || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* Parses an operand that must be a number >= min (> min when strict); reports the
 * operand by its name on failure and returns 2, else 0. */
static int get_number(const struct analytic_cmd *cmd, const char *name, const char *text,
		      double min, int strict, double *out)
{
	if (parse_double(text, out))
		return usage_error(cmd, "%s \"%s\" is not a finite number", name, text);
	if (strict ? !(*out > min) : !(*out >= min))
		return usage_error(cmd, "%s must be %s %g, got %s", name, strict ? ">" : ">=",
				   min, text);
	return 0;
}

/* Parses the server count, a whole number >= 1 written in decimal. */
static int get_servers(const struct analytic_cmd *cmd, const char *text, int *out)
{
	char *end;
	if (!*text || isspace((unsigned char)*text))
		return usage_error(cmd, "C \"%s\" is not a whole number", text);
	errno = 0;
	long v = strtol(text, &end, 10);
	if (*end)
		return usage_error(cmd, "C \"%s\" is not a whole number", text);
	if (errno == ERANGE || v < 1 || v > INT_MAX)
		return usage_error(cmd, "C must be between 1 and %d, got %s", INT_MAX, text);
	*out = (int)v;
	return 0;
}

static void print_value(const char *key, double v)
{
	printf("%s=%.10g\n", key, v);
}

static int run_mmc(const struct analytic_cmd *cmd, char **args)
{
	double lambda, mu;
	int c;
	qt_mmc r;
	if (get_number(cmd, "LAMBDA", args[0], 0, 0, &lambda) ||
	    get_number(cmd, "MU", args[1], 0, 1, &mu) || get_servers(cmd, args[2], &c))
		return 2;
	if (qt_mmc_solve(lambda, mu, c, &r))
		return usage_error(cmd, "unstable: LAMBDA %s >= C*MU = %.10g", args[0], c * mu);
	print_value("Wq", r.wq);
	print_value("P_wait", r.p_wait);
	print_value("Lq", r.lq);
	print_value("rho", r.rho);
	return 0;
}

static int run_mg1(const struct analytic_cmd *cmd, char **args)
{
	double lambda, mean, scv;
	if (get_number(cmd, "LAMBDA", args[0], 0, 0, &lambda) ||
	    get_number(cmd, "MEAN", args[1], 0, 1, &mean) ||
	    get_number(cmd, "SCV", args[2], 0, 0, &scv))
		return 2;
	double wq = qt_mg1_wq(lambda, mean, scv);
	if (isnan(wq))
		return usage_error(cmd, "unstable: rho = LAMBDA*MEAN = %.10g >= 1", lambda * mean);
	print_value("Wq", wq);
	print_value("rho", lambda * mean);
	return 0;
}

static int run_prio(const struct analytic_cmd *cmd, char **args)
{
	const char *list = args[0];
	double mu;
	int c;
	if (get_number(cmd, "MU", args[1], 0, 1, &mu) || get_servers(cmd, args[2], &c))
		return 2;
	int k = 1;
	for (const char *p = list; *p; p++)
		k += *p == ',';
	double *lambdas = malloc(2 * (size_t)k * sizeof *lambdas);
	char *copy = strdup(list);
	int rc = 2;
	if (!lambdas || !copy) {
		fputs("fgsim analytic: out of memory\n", stderr);
		rc = 1;
		goto out;
	}
	/* Split by hand: strtok would merge ",," and hide an empty class. */
	char *field = copy;
	for (int i = 0; i < k; i++) {
		char *comma = strchr(field, ',');
		if (comma)
			*comma = '\0';
		char name[32];
		snprintf(name, sizeof name, "L%d", i + 1);
		if (get_number(cmd, name, field, 0, 0, &lambdas[i]))
			goto out;
		if (comma)
			field = comma + 1;
	}
	double *wq = lambdas + k;
	if (qt_prio_wq(lambdas, k, mu, c, wq)) {
		double total = 0;
		for (int i = 0; i < k; i++)
			total += lambdas[i];
		usage_error(cmd, "unstable: L1+...+L%d = %.10g >= C*MU = %.10g", k, total, c * mu);
		goto out;
	}
	for (int i = 0; i < k; i++)
		printf("Wq[%d]=%.10g\n", i, wq[i]);
	rc = 0;
out:
	free(copy);
	free(lambdas);
	return rc;
}

static int run_erlang_a(const struct analytic_cmd *cmd, char **args)
{
	double lambda, mu, theta;
	int c;
	qt_erlang_a r;
	if (get_number(cmd, "LAMBDA", args[0], 0, 1, &lambda) ||
	    get_number(cmd, "MU", args[1], 0, 1, &mu) || get_servers(cmd, args[2], &c) ||
	    get_number(cmd, "THETA", args[3], 0, 0, &theta))
		return 2;
	if (qt_erlang_a_solve(lambda, mu, c, theta, &r)) {
		if (theta == 0)
			return usage_error(cmd, "unstable: THETA is 0 and LAMBDA %s >= C*MU = %.10g",
					   args[0], c * mu);
		return usage_error(cmd, "THETA %s is too small for this load: the queue would "
					"spread over more states than are summed",
				   args[3]);
	}
	print_value("P_abandon", r.p_abandon);
	print_value("Lq", r.lq);
	print_value("P_wait", r.p_wait);
	print_value("Wq_all", r.wq_all);
	return 0;
}

static int run_min_servers(const struct analytic_cmd *cmd, char **args)
{
	double lambda, mu, wq_max;
	if (get_number(cmd, "LAMBDA", args[0], 0, 0, &lambda) ||
	    get_number(cmd, "MU", args[1], 0, 1, &mu) ||
	    get_number(cmd, "WQ_MAX", args[2], 0, 1, &wq_max))
		return 2;
	int c = qt_min_servers(lambda, mu, wq_max);
	if (c < 0)
		return usage_error(cmd, "the answer exceeds %d servers", INT_MAX);
	printf("c=%d\n", c);
	return 0;
}

static const struct analytic_cmd analytic_cmds[] = {
	{.name = "mmc", .nargs = 3, .usage = "LAMBDA MU C", .run = run_mmc},
	{.name = "mg1", .nargs = 3, .usage = "LAMBDA MEAN SCV", .run = run_mg1},
	{.name = "prio", .nargs = 3, .usage = "L1,L2,... MU C", .run = run_prio},
	{.name = "erlang-a", .nargs = 4, .usage = "LAMBDA MU C THETA", .run = run_erlang_a},
	{.name = "min-servers", .nargs = 3, .usage = "LAMBDA MU WQ_MAX", .run = run_min_servers},
};
#define N_ANALYTIC_CMDS (sizeof analytic_cmds / sizeof analytic_cmds[0])

int cmd_analytic(int argc, char **argv)
{
	if (argc < 2)
		return usage_error(NULL, "missing the kind of model");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		help_command(stdout, "analytic");
		return 0;
	}
	const char *names[N_ANALYTIC_CMDS + 1];
	for (size_t i = 0; i < N_ANALYTIC_CMDS; i++) {
		const struct analytic_cmd *cmd = &analytic_cmds[i];
		names[i] = cmd->name;
		if (strcmp(argv[1], cmd->name))
			continue;
		if (argc == 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
			help_command(stdout, "analytic");
			return 0;
		}
		if (argc - 2 != cmd->nargs)
			return usage_error(cmd, "expected %d arguments, got %d", cmd->nargs, argc - 2);
		return cmd->run(cmd, argv + 2);
	}
	names[N_ANALYTIC_CMDS] = NULL;
	char hint[NAMES_HINT_MAX];
	return usage_error(NULL, "unknown kind \"%s\"%s", argv[1],
			   names_hint(argv[1], names, hint, sizeof hint));
}
