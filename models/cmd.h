/* cmd.h - the subcommands of the fgsim command line, one function per command, each
 * taking its own argv (argv[0] is the command name) and returning the exit status. */
#ifndef FGSIM_CMD_H
#define FGSIM_CMD_H

int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_analytic(int argc, char **argv);

#endif
