/* report_summary.h - report.html's first section: the policy to choose and why, written
 * from the figures by rules (thresholds relative to the figures, never text per
 * scenario), so that a planner reads a decision before the evidence. */
#ifndef FGSIM_REPORT_SUMMARY_H
#define FGSIM_REPORT_SUMMARY_H
#include <stdio.h>

#include "report_html.h"
#include "results.h"

/* Writes <section id="summary">: the recommended policy for the scenario's
 * output.objective (or, without one, by the best-policy table's verdicts in run.json),
 * its key figures with intervals, the trade-offs against the runner-up, and one
 * sentence per policy on the mechanisms behind its result (head-of-line blocking, idle
 * burst nodes, preemptions, abandonment and balking), each citing summary.csv. */
void report_summary(FILE *f, const results *r, const rh_units *u);
#endif
