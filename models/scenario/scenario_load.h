/* scenario_load.h - a scenario file (libconfig) loaded, validated and resolved into the
 * plain structs of scenario.h. Every error names its place: `FILE:LINE: what` for the
 * file, `--set KEY: what` for a command-line override. */
#ifndef FGSIM_SCENARIO_LOAD_H
#define FGSIM_SCENARIO_LOAD_H
#include <stddef.h>

#include "scenario.h"

/* One override from the command line: KEY=VALUE in libconfig path syntax; value NULL
 * removes KEY (--unset), a last key part [+] appends VALUE to the list before it. */
typedef struct sc_override {
	const char *key, *value;
	const char *option; /* the option that made it, for messages ("--policy-add"); NULL: --set */
} sc_override;

/* How the user wrote an override, for messages: "--set KEY", or "--policy-add VALUE" when
 * another option made it. Writes into buf, returns it. */
const char *sc_override_origin(const sc_override *o, char *buf, size_t len);

/* Loads `path`, applies the overrides, validates. Returns 0, or 2 with the message
 * (`FILE:LINE: what` / `--set KEY: what`) in err and nothing to free. */
int scenario_load(scenario *sc, const char *path, const sc_override *ov, int nov, char *err, size_t errlen);
/* scenario_load for `fgsim fill`: workload.arrivals.file is named (sc->trace_path), not
 * scanned as a trace to replay, since fill reads it as a pod list of its own (5 or 11
 * columns, rows in any order, any times: gpushare_read.h). */
int scenario_load_pod_list(scenario *sc, const char *path, const sc_override *ov, int nov,
			   char *err, size_t errlen);
/* Where a key of the scenario was set, for messages about it: "FILE:LINE", "--set KEY"
 * when an override set it, or "FILE" when the key is absent. Writes into buf, returns it. */
const char *scenario_place(const scenario *sc, const char *key, char *buf, size_t len);
#endif
