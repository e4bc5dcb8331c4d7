/* promos.h - the promotion calendar: which promotion (and which of its occurrences) is
 * on at a time, how long an interval overlaps a window scope, the window scopes'
 * layout, and the arrival rate (daily x weekly profile x promotion demand) with its
 * exact integral. Everything is arithmetic on (start, duration, repeat, count), so a
 * promotion repeated 10,000 times costs no more memory or time than one. */
#ifndef FGSIM_PROMOS_H
#define FGSIM_PROMOS_H
#include "scenario.h"

/* Lays out the window scopes (promo_spec.window, .occ_scopes, .nocc; scenario.nwindows,
 * win_promo, win_occ) once the promotions and the horizon are known: each promotion's
 * pooled scope, then one per occurrence for the first occurrences of a repeating one,
 * at most SC_MAX_OCC_SCOPES in all, shared out round-robin in list order so that every
 * repeating promotion gets its first occurrences before any gets many. */
void promos_layout(scenario *sc);
/* The occurrence (0-based) of promotion p that is on at time t, or -1. */
int promos_occurrence(const promo_spec *p, double t);
/* The promotion on at time t (its index), or -1. */
int promos_at(const scenario *sc, double t);
/* Seconds of [a, b) inside promotion p's occurrences (those before the horizon;
 * raw, not limited to the measured interval). */
double promos_overlap(const promo_spec *p, double a, double b);
/* Seconds of [a, b) inside window scope w (0-based among the window scopes) and inside
 * the measured interval [warmup, horizon]. */
double promos_window_overlap(const scenario *sc, int w, double a, double b);
/* The window scopes (0-based) a job arriving at t belongs to: its promotion's pooled
 * one, and its occurrence's when that has a scope. Returns how many (0-2). */
int promos_windows_at(const scenario *sc, double t, int out[2]);
/* The first time promotions a and b are both on within [0, horizon), or -1 if never. */
double promos_clash(const promo_spec *a, const promo_spec *b, double horizon);
/* The next time after t at which promotion p opens or closes (INFINITY if none). */
double promos_next_edge(const promo_spec *p, double t);
/* The start of the first occurrence of p at or after t (INFINITY if none). */
double promos_next_start(const promo_spec *p, double t);

/* The profile factor at t: daily_profile[hour] x weekly_profile[weekday] (1 without). */
double promos_profile_at(const scenario *sc, double t);
/* Expected arrivals per second of class k at t (share x rate x profile x demand); k < 0:
 * every class. */
double promos_rate_at(const scenario *sc, double t, int k);
/* The expected number of arrivals of class k (k < 0: all) in [a, b): the rate's exact
 * integral, piece by piece between hours and promotion edges. */
double promos_rate_integral(const scenario *sc, double a, double b, int k);
/* A weekday's English name (case-insensitive) to 0 (monday) ... 6; -1 if none. */
int promos_weekday(const char *name);
extern const char *const promos_weekdays[8]; /* "monday" ... "sunday", NULL */
#endif
