/* fgcal_samples.h - the raw samples file beside a summary calibration file: gzip'd CSV
 * (kernels/measurements/<gpu>-<date>.samples.csv.gz), one row per sample, columns
 * kernel,shape,us[,clock_mhz], the rows of an entry in the order they were taken. The
 * summary names it (`samples_file`, relative to the summary's folder) and keeps each
 * entry's checksum of its rows (calib_stats.h), so that a test can recompute every
 * summary from it. Only the harness reads and writes it: fgsim loads summaries. */
#ifndef FGCAL_SAMPLES_H
#define FGCAL_SAMPLES_H
#include <stddef.h>

#include "calibration.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the samples of every entry of t that holds them (raw_us) to path, atomically
 * (a temporary file renamed). The clock column is written when every such entry has
 * clocks. Returns 0, or -1 with errno set. */
int fgcal_samples_write(const calib_table *t, const char *path);
/* Reads the samples file at path for the entries of t: fresh gets t's device facts and,
 * in t's order, each entry again from its samples (calib_add_kernel: summarised as fgcal
 * summarises). Returns 0, or 2 with `FILE:LINE: message` in err (a row for an entry t
 * does not list, a bad number, an entry without rows). */
int fgcal_samples_load(const char *path, const calib_table *t, calib_table *fresh, char *err,
		       size_t errlen);
/* Where t's samples file is: t->samples_file taken relative to the folder of t->path. */
void fgcal_samples_path(const calib_table *t, char *out, size_t len);
/* Checks every summary of t (a loaded measured file of format 2) against its samples
 * file. Returns 0 when all match, or 1 with the first difference in err (or 2 when the
 * samples file cannot be read). */
int fgcal_samples_verify(const calib_table *t, char *err, size_t errlen);
/* Writes the pair: the samples (when t holds them) to samples_path, then the summary to
 * cfg_path naming samples_path relative to cfg_path's folder. A table without samples
 * (loaded from a summary, as --steps-of does) keeps the samples file it names. Returns
 * 0, or -1 with errno set. */
int fgcal_write_pair(const calib_table *t, const char *cfg_path, const char *samples_path,
		     const char *header);

#ifdef __cplusplus
}
#endif
#endif
