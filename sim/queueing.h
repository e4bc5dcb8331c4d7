/* queueing.h - closed-form and birth-death results of queueing theory (Erlang C, M/M/c,
 * Pollaczek-Khinchine, Cobham's priority queue, Erlang-A), the yardsticks the simulator
 * is checked against and the predictions `fgsim check` and `fgsim analytic` print.
 * Rates are per unit time in any one unit; times come back in the same unit. */
#ifndef FGSIM_QUEUEING_H
#define FGSIM_QUEUEING_H

/* Probability that an arrival waits in M/M/c, offered load a = lambda/mu (Erlang C).
 * Returns 1 when a >= c (no steady state: everyone waits), 0 when a == 0, NAN when
 * a < 0, a is not finite or c < 1. Stable for c in the tens of thousands. */
double qt_erlang_c(double a, int c);

/* Steady state of the M/M/c FCFS queue. */
typedef struct {
	double wq;     /* mean wait in queue */
	double p_wait; /* P(wait > 0), Erlang C */
	double lq;     /* mean number waiting, lambda * wq (Little) */
	double rho;    /* utilisation of each server, lambda / (c mu) */
} qt_mmc;

/* Fills *out for M/M/c with arrival rate lambda >= 0, service rate mu > 0 and c >= 1
 * servers. Returns 0, or -1 (out untouched) when an argument is out of range or not
 * finite, or lambda >= c mu (unstable). */
int qt_mmc_solve(double lambda, double mu, int c, qt_mmc *out);

/* P(W > t) for the FCFS wait W in M/M/c; 1 for t < 0. NAN on bad arguments or
 * an unstable system (lambda >= c mu). */
double qt_mmc_wait_tail(double lambda, double mu, int c, double t);

/* The p-quantile of the FCFS wait W in M/M/c, the smallest t with P(W <= t) >= p:
 * 0 when p <= 1 - P(wait > 0), else INFINITY for p == 1. NAN on bad arguments, p
 * outside [0, 1] or an unstable system. */
double qt_mmc_wait_quantile(double lambda, double mu, int c, double p);

/* Mean wait in queue of M/G/1 with arrival rate lambda >= 0 and service time of mean
 * mean > 0 and squared coefficient of variation scv >= 0 (Pollaczek-Khinchine).
 * NAN on bad arguments or when lambda * mean >= 1. */
double qt_mg1_wq(double lambda, double mean, double scv);

/* Mean waits wq[0..k-1] of the k classes of a non-preemptive priority M/M/c queue,
 * class 0 highest, arrival rates lambdas[i] >= 0, one service rate mu for all classes
 * (Cobham 1954). Returns 0, or -1 (wq untouched) on bad arguments or when the total
 * arrival rate is >= c mu. */
int qt_prio_wq(const double *lambdas, int k, double mu, int c, double *wq);

/* Steady state of Erlang-A, M/M/c+M: waiting customers abandon at rate theta each. */
typedef struct {
	double p_abandon; /* fraction of arrivals that abandon */
	double lq;        /* mean number waiting */
	double p_wait;    /* P(an arrival finds all c servers busy), by PASTA */
	double wq_all;    /* mean time in queue over all arrivals, served or not: lq / lambda */
} qt_erlang_a;

/* Fills *out for M/M/c+M with arrival rate lambda > 0, service rate mu > 0, c >= 1
 * servers and abandonment rate theta >= 0 (theta == 0 is M/M/c and needs
 * lambda < c mu). Any load is stable when theta > 0. Returns 0, or -1 (out untouched)
 * on bad arguments, an unstable theta == 0 system, or a chain whose mass spreads over
 * more than 2 * 10^7 states (theta tiny against a critical or overloaded system). */
int qt_erlang_a_solve(double lambda, double mu, int c, double theta, qt_erlang_a *out);

/* The smallest number of servers c for which M/M/c is stable and its mean wait is
 * <= wq_max, for lambda >= 0, mu > 0, wq_max > 0. Returns -1 on bad arguments or when
 * the answer would not fit in an int. */
int qt_min_servers(double lambda, double mu, double wq_max);

#endif
