/* cmd.h - the subcommands of the fgsim command line, one function per command, each
 * taking its own argv (argv[0] is the command name) and returning the exit status. */
#ifndef FGSIM_CMD_H
#define FGSIM_CMD_H
#include <stddef.h>

int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_analytic(int argc, char **argv);
int cmd_plot(int argc, char **argv);
/* Runs bin/fgcal (beside the fgsim binary) with the same arguments; returns 1 when it
 * is not built or cannot be run, else does not return (fgcal's status is fgsim's). */
int cmd_calibrate(int argc, char **argv);
/* Draws the plots and report.html of the results folder dir and prints where they are;
 * warnings go to stderr. Returns report_folder's status (report.h). */
int cmd_plot_folder(const char *dir);
/* `fgsim sweep` and `fgsim plan` (cmd_sweep.c, cmd_plan.c). */
int cmd_sweep(int argc, char **argv);
int cmd_plan(int argc, char **argv);
/* Whether dir can be created (or written) before any simulation is run: 0, or -1 with
 * the reason in err, nothing created either way. */
int cmd_output_reachable(const char *dir, char *err, size_t errlen);

#endif
