/* cmd_sweep.h - what `fgsim sweep` and `fgsim plan` share: their options (those of
 * `run` plus --vary and their own), the signal that stops them, and run.json. */
#ifndef FGSIM_CMD_SWEEP_H
#define FGSIM_CMD_SWEEP_H
#include <signal.h>
#include <stdio.h>

#include "runjson.h"
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

/* The head of run.json as a new object: version, command, scenario file, name, currency,
 * seed, replications, confidence, the varied keys and their values; NULL when out of
 * memory. The caller adds members and then calls sweep_json_tail. */
json_t *sweep_json_head(const scenario *sc, const sweep *s, int argc, char **argv);
/* Adds the resolved scenario to doc, writes doc to f (runjson_write) and frees it (doc
 * may be NULL: a failed head). Returns 0, or -1 with errno set. */
int sweep_json_tail(FILE *f, json_t *doc, const scenario *sc);
#endif
