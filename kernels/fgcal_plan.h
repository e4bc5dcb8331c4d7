/* fgcal_plan.h - what fgcal measures and how the bundled files that were not measured
 * are made: the plan (every kernel at every shape), the datasheet table
 * (kernels/datasheets.cfg) and the two derivations, from datasheet peaks at stated
 * efficiencies or from a reference file by ratios of datasheet peaks. Plain C, so it is
 * built and tested where there is no GPU. */
#ifndef FGCAL_PLAN_H
#define FGCAL_PLAN_H
#include <stddef.h>
#include <stdio.h>

#include "calibration.h"
#ifdef __cplusplus
extern "C" {
#endif

typedef struct fgcal_shape {
	const char *name, *shape;
} fgcal_shape;

/* Every kernel and shape fgcal times, in the order it times them. */
extern const fgcal_shape fgcal_plan[];
extern const int fgcal_plan_len;

/* One GPU type of kernels/datasheets.cfg. */
typedef struct fgcal_sheet {
	char key[32], gpu[CALIB_NAME_MAX], name[96];
	char derive[32]; /* "datasheet", or the key of the reference it is derived from */
	calib_peaks peaks;
	int sm_count;
	double l2_mb;
	char arch_source[CALIB_TEXT_MAX];
} fgcal_sheet;

/* The efficiencies a datasheet derivation assumes, each with its source. */
enum { FGCAL_EFF_GEMM, FGCAL_EFF_STREAM, FGCAL_EFF_GEMV, FGCAL_EFF_ROWWISE, FGCAL_EFF_ATTN, FGCAL_EFF_PCIE,
       FGCAL_EFF_FLOOR, FGCAL_NEFF };
typedef struct fgcal_efficiency {
	double v[FGCAL_NEFF]; /* FGCAL_EFF_FLOOR is the launch floor in microseconds */
	char source[FGCAL_NEFF][CALIB_TEXT_MAX];
	char date[32]; /* when the table's figures were checked: the date derived files carry */
} fgcal_efficiency;

/* Reads the datasheet table. Returns 0 with *sheets allocated (free() it), or 2 with
 * `FILE:LINE: what` in err. */
int fgcal_sheets_load(const char *path, fgcal_sheet **sheets, int *n, fgcal_efficiency *eff, char *err,
		      size_t errlen);
/* The sheet whose key or gpu is `name` (case-insensitive), or NULL. */
const fgcal_sheet *fgcal_sheet_find(const fgcal_sheet *sheets, int n, const char *name);

/* Fills t (zeroed first) with every plan kernel timed as launches x floor + work /
 * (efficiency x datasheet peak): measured = false, derived_from = "datasheet". Returns
 * 0, or -1 on no memory. */
int fgcal_derive_datasheet(calib_table *t, const fgcal_sheet *s, const fgcal_efficiency *e, const char *date);
/* Fills t with every kernel of ref, its launch floor kept and the rest of its time
 * scaled by the ratio of the kernel's roofline bound on s's datasheet peaks to that on
 * ref_sheet's: measured = false, derived_from = ref_file. Returns 0, or -1 on no memory. */
int fgcal_derive_ratio(calib_table *t, const fgcal_sheet *s, const calib_table *ref, const fgcal_sheet *ref_sheet,
		       const char *ref_file, const fgcal_efficiency *e, const char *date);
/* The comment block a derived file opens with: what it is, how it was made, every
 * source. Returns buf. */
const char *fgcal_derived_header(const calib_table *t, const fgcal_sheet *s, const fgcal_efficiency *e, char *buf,
				 size_t len);
/* Writes t to path through a temporary renamed into place. Returns 0, or -1 with errno. */
int fgcal_write_file(const calib_table *t, const char *path, const char *header);

#ifdef __cplusplus
}
#endif
#endif
