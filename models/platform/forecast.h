/* forecast.h - the sizing rule of burst nodes requested ahead of demand (burst.prewarm
 * and burst.trigger = "forecast"): from the arrival rate the scenario promises, not
 * from the queue. The events that use it are the platform's own (forecast.c). */
#ifndef FGSIM_FORECAST_H
#define FGSIM_FORECAST_H
#include "scenario.h"

/* The burst nodes pool q needs for the expected arrivals over [a, b), 0..burst_max:
 * each class's mean rate over the interval placed on its pools in preference order up
 * to `target` of their GPUs, the rest on its first burst pool (forecast.c). */
int forecast_nodes(const scenario *sc, int q, double a, double b);
#endif
