/* cmd_sweep.h - what `fgsim sweep` and `fgsim plan` share: their options (those of
 * `run` plus --vary and their own) and the head and tail of their run.json. */
#ifndef FGSIM_CMD_SWEEP_H
#define FGSIM_CMD_SWEEP_H
#include <signal.h>
#include <stdio.h>

#include "options.h"
#include "runjson.h"
#include "scenario_load.h"
#include "sweep.h"

/* Their options, parsed by options.c: those of run plus --vary and their own. */
typedef cli_opts sweep_opts;

/* The head of run.json as a new object: version, command, scenario file, name, currency,
 * seed, replications, confidence, the varied keys and their values; NULL when out of
 * memory. The caller adds members and then calls sweep_json_tail. */
json_t *sweep_json_head(const scenario *sc, const sweep *s, int argc, char **argv);
/* Adds the resolved scenario to doc, writes doc to f (runjson_write) and frees it (doc
 * may be NULL: a failed head). Returns 0, or -1 with errno set. */
int sweep_json_tail(FILE *f, json_t *doc, const scenario *sc);
#endif
