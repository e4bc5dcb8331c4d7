/* main.c - the fgsim command line: dispatches to one function per command (cmd.h) and
 * answers `fgsim help`, `--help` and `--version` itself; the help's text is help.c's. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "help.h"
#include "names.h"

#ifndef FGSIM_VERSION
#define FGSIM_VERSION "0.1.0"
#endif

typedef struct command {
	const char *name;
	int (*fn)(int, char **);
} command;

static int cmd_help(int argc, char **argv);

static const command commands[] = {
	{.name = "help", .fn = cmd_help},
	{.name = "run", .fn = cmd_run},
	{.name = "check", .fn = cmd_check},
	{.name = "analytic", .fn = cmd_analytic},
	{.name = "plot", .fn = cmd_plot},
	{.name = "calibrate", .fn = cmd_calibrate},
	{.name = "sweep", .fn = cmd_sweep},
	{.name = "plan", .fn = cmd_plan},
	{.name = "keys", .fn = cmd_keys},
	{.name = "metrics", .fn = cmd_metrics},
	{.name = "fill", .fn = cmd_fill},
};

/* Commands planned (docs name them) that this version does not have yet. */
static const char *const later[] = {NULL};

/* "(did you mean "X"?); the commands: run, check, ..." after a name that is none. */
static void unknown_command(const char *who, const char *name)
{
	char hint[NAMES_HINT_MAX];
	const char *const *names = help_names();
	fprintf(stderr, "%s: unknown command \"%s\"%s; the commands:", who, name,
		names_hint(name, names, hint, sizeof hint));
	for (int i = 0; names[i]; i++)
		fprintf(stderr, "%s %s", i ? "," : "", names[i]);
	fputs(" (fgsim help COMMAND describes one)\n", stderr);
}

/* `fgsim help [COMMAND | --man]`. */
static int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		help_general(stdout);
		return 0;
	}
	if (argc > 2) {
		fprintf(stderr, "fgsim help: one command at a time\n");
		help_usage(stderr, "help");
		return 2;
	}
	if (!strcmp(argv[1], "--man")) {
		help_man(stdout, FGSIM_VERSION);
		return 0;
	}
	if (help_command(stdout, argv[1]) == 0)
		return 0;
	unknown_command("fgsim help", argv[1]);
	return 2;
}

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
		help_general(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("fgsim %s\n", FGSIM_VERSION);
		return 0;
	}
	/* `CMD --help` is `help CMD`, for every command, before the command reads its
	 * arguments (calibrate would hand them to fgcal); a later --help is the parser's. */
	if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")) &&
	    help_command(stdout, argv[1]) == 0)
		return finish(0);
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (!strcmp(argv[1], commands[i].name))
			return finish(commands[i].fn(argc - 1, argv + 1));
	for (int i = 0; later[i]; i++)
		if (!strcmp(argv[1], later[i])) {
			fprintf(stderr, "fgsim: \"%s\" is not available in this version yet\n", argv[1]);
			return 2;
		}
	unknown_command("fgsim", argv[1]);
	return 2;
}
