/* objective.h - a scenario's stated objective (output.objective), such as "min wait_p95
 * of class:inference subject to profit >= 10000": the metric to minimise or maximise in
 * one scope, and bounds other figures must keep. report.html recommends the policy that
 * meets it; the loader checks it so that a typo is caught before a long run. */
#ifndef FGSIM_OBJECTIVE_H
#define FGSIM_OBJECTIVE_H
#include <stddef.h>

#include "metrics.h"

#define OBJ_MAX_BOUNDS 8
#define OBJ_SCOPE_MAX (SC_NAME_MAX + 16)

/* One figure of the objective: metric in scope ("all" when the text names none); for a
 * bound, ge (1: >=, 0: <=) and the value it must keep. */
typedef struct obj_term {
	metric_id metric;
	char scope[OBJ_SCOPE_MAX];
	int ge;
	double value;
} obj_term;

typedef struct objective {
	int maximise; /* 1: max, 0: min */
	obj_term goal;
	int nbounds;
	obj_term bound[OBJ_MAX_BOUNDS];
} objective;

/* Parses `min|max METRIC [of SCOPE] [subject to METRIC [of SCOPE] (>=|<=) VALUE [and
 * ...]]` (a time metric's VALUE may be a duration, "10m"). Checks the metric names and
 * that each metric is reported in its scope's kind; whether the scope exists is the
 * caller's to check (objective_scope_ok). Returns 0, or -1 with a message in err that
 * names the valid choices. */
int objective_parse(const char *text, objective *o, char *err, size_t errlen);
/* Is scope (as summary.csv writes it) one of sc's scopes? */
int objective_scope_ok(const scenario *sc, const char *scope);
/* "wait_p95 of class:inference" (scope "all" left out) into buf. Returns buf. */
const char *objective_term_name(const obj_term *t, char *buf, size_t len);
#endif
