/* policy.h - queue policies: each one is a table of operations on the waiting jobs
 * (GSL's gsl_rng_type shape), found by name in a registry. The platform asks the
 * policy which job should start next; the policy never places jobs itself. */
#ifndef FGSIM_POLICY_H
#define FGSIM_POLICY_H
#include "jobs.h"
#include "scenario.h"

typedef struct policy policy;

typedef struct policy_ops {
	const char *name;
	void (*init)(policy *p, const scenario *sc);
	void (*push)(policy *p, job *J, uint32_t i);      /* a job starts waiting */
	uint32_t (*head)(const policy *p, const job *J);  /* the job to start next, or JOB_NONE */
	void (*remove)(policy *p, job *J, uint32_t i);    /* it started or abandoned */
} policy_ops;

/* The waiting jobs: FIFO lists by level (0 first). fcfs puts every class on one level;
 * priority gives each distinct class priority its own level. */
struct policy {
	const policy_ops *ops;
	uint32_t len;
	uint32_t nonempty;                 /* bit l set: level l has jobs */
	uint8_t level_of[SC_MAX_CLASSES];  /* class -> level */
	job_list level[SC_MAX_CLASSES];
};

/* The operations of a policy kind. */
const policy_ops *policy_lookup(policy_kind kind);
/* Empties p and prepares it for sc. */
void policy_init(policy *p, policy_kind kind, const scenario *sc);
#endif
