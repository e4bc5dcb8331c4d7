/* cmd_sweep.h - what `fgsim sweep` and `fgsim plan` share: their options (those of
 * `run` plus --vary and their own) and the head and tail of their run.json. */
#ifndef FGSIM_CMD_SWEEP_H
#define FGSIM_CMD_SWEEP_H
#include <signal.h>
#include <stdio.h>

#include "options.h"
#include "scenario_load.h"
#include "sweep.h"

/* Their options, parsed by options.c: those of run plus --vary and their own. */
typedef cli_opts sweep_opts;

/* The head of run.json: version, command, scenario file, name, currency, seed,
 * replications, confidence, the varied keys and their values; the caller adds members
 * and then calls sweep_json_tail with the resolved scenario. */
void sweep_json_head(FILE *f, const scenario *sc, const sweep *s, int argc, char **argv);
void sweep_json_tail(FILE *f, const scenario *sc);
#endif
