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
/* Whether plots can be drawn (gnuplot on PATH): 0, or -1 with what to do on stderr.
 * Asked before anything is simulated, so that a run does not end without its plots. */
int cmd_plots_possible(void);
/* Draws the plots and report.html of the results in folder dir (a staging folder) and
 * prints where they are, naming the folder `shown`; messages go to stderr. Returns 0,
 * -2 when dir holds no results, -1 when a plot or the report could not be made
 * (gnuplot missing, failed or interrupted). */
int cmd_plot_folder(const char *dir, const char *shown);
/* `fgsim sweep` and `fgsim plan` (cmd_sweep.c, cmd_plan.c). */
int cmd_sweep(int argc, char **argv);
int cmd_plan(int argc, char **argv);
/* `fgsim keys` and `fgsim metrics`: the scenario keys and the metrics, from the tables
 * the loader and the reports use (cmd_keys.c, cmd_metrics.c). */
int cmd_keys(int argc, char **argv);
int cmd_metrics(int argc, char **argv);
/* `fgsim fill`: the fill experiment of GPU-sharing placements (cmd_fill.c). */
int cmd_fill(int argc, char **argv);

#endif
