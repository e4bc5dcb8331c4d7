/* mser.h - the warm-up (initial transient) of an output series chosen by MSER-5
 * (White 1997; White, Cobb & Spratt 2000): delete the start of the series where doing
 * so minimises the marginal standard error of what is left. */
#ifndef FGSIM_MSER_H
#define FGSIM_MSER_H
#include <stddef.h>

/* MSER-m on x[0..n): the series is cut into n/m batch means of m observations (a
 * partial last batch is dropped); for every truncation d in [0, k/2] batches (k the
 * number of batches: the search is restricted to the first half, where the statistic
 * is trustworthy) MSER(d) = sum_{j>=d} (b_j - mean_d)^2 / (k - d)^2, the squared
 * standard error of the mean of the batches kept. Returns the number of observations
 * to delete (d*m for the smallest d with the least MSER; ties keep more data), and the
 * minimum in *stat when non-NULL. Fewer than 2 batches: returns 0. */
size_t mser(const double *x, size_t n, size_t m, double *stat);
/* MSER-5, the usual batch size. */
static inline size_t mser5(const double *x, size_t n, double *stat) { return mser(x, n, 5, stat); }
#endif
