/* cmd_sweep.h - what `fgsim sweep` and `fgsim plan` share: their options (those of
 * `run` plus --vary and their own), the signal that stops them, and run.json. */
#ifndef FGSIM_CMD_SWEEP_H
#define FGSIM_CMD_SWEEP_H
#include <signal.h>
#include <stdio.h>

#include "scenario_load.h"
#include "sweep.h"

#define SWEEP_MAX_OVERRIDES 64

typedef struct sweep_opts {
	const char *cmd, *scenario, *outdir;
	sc_override ov[SWEEP_MAX_OVERRIDES]; /* --set and --seed, in order */
	int nov, threads, quiet;
	char seed_value[32];
	char keybuf[SWEEP_MAX_OVERRIDES][256]; /* the --set keys */
	sweep vary;
	const char *metrics, *scope, *policy, *target; /* sweep: --metrics, --scope; plan: --target, --scope, --policy */
} sweep_opts;

/* Parses the options of cmd ("sweep" or "plan"). Returns 0; 1 when --help printed the
 * usage (exit 0); or 2 after printing the problem and the usage. sweep_free(&o->vary)
 * in every case. */
int sweep_parse_options(sweep_opts *o, int argc, char **argv);

/* The metric name nearest to name (names.h), or NULL: metric_names has no NULL at its
 * end, which names_suggest needs. */
const char *sweep_suggest_metric(const char *name);

/* The head of run.json: version, command, scenario file, name, currency, seed,
 * replications, confidence, the varied keys and their values; the caller adds members
 * and then calls sweep_json_tail with the resolved scenario. */
void sweep_json_head(FILE *f, const scenario *sc, const sweep *s, int argc, char **argv);
void sweep_json_tail(FILE *f, const scenario *sc);
#endif
