/* fgcal_derive.c - bin/fgcal-derive: writes the calibration files of GPUs that were not
 * measured, from kernels/datasheets.cfg. A GPU whose `derive` is "datasheet" gets
 * roofline times at stated efficiencies; the others are scaled from their reference's
 * file (measured or not) by ratios of datasheet peaks. A measured file is never
 * overwritten. `--check` writes nothing and exits 1 when a bundled derived file is not
 * what this tool would write. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fgcal_plan.h"

static void usage(FILE *f)
{
	fputs("usage: fgcal-derive [--datasheets FILE] [--check] DIR\n"
	      "  writes DIR/<gpu>.cfg for every GPU of the datasheet table (default\n"
	      "  kernels/datasheets.cfg) whose file in DIR is not measured\n", f);
}

/* 0 when every kernel of a matches b's (times within the 7 digits files carry). */
static int differs(const calib_table *a, const calib_table *b, char *why, size_t len)
{
	if (a->nkernels != b->nkernels) {
		snprintf(why, len, "%d kernels, expected %d", b->nkernels, a->nkernels);
		return 1;
	}
	for (int i = 0; i < a->nkernels; i++) {
		const calib_kernel *x = &a->kernels[i], *y = &b->kernels[i];
		if (strcmp(x->name, y->name) || strcmp(x->shape, y->shape) ||
		    fabs(x->median_us - y->median_us) > 1e-5 * x->median_us || strcmp(x->time_source, y->time_source)) {
			snprintf(why, len, "%s %s: %.7g us, expected %.7g us", y->name, y->shape, y->median_us, x->median_us);
			return 1;
		}
	}
	if (strcmp(a->derived_from, b->derived_from) || strcmp(a->gpu, b->gpu)) {
		snprintf(why, len, "derived_from/gpu differ");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *sheets_path = "kernels/datasheets.cfg", *dir = NULL;
	int check = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--datasheets") && i + 1 < argc)
			sheets_path = argv[++i];
		else if (!strcmp(argv[i], "--check"))
			check = 1;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] != '-' && !dir)
			dir = argv[i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (!dir) {
		usage(stderr);
		return 2;
	}
	char err[1024];
	fgcal_sheet *sheets;
	int n;
	fgcal_efficiency eff;
	if (fgcal_sheets_load(sheets_path, &sheets, &n, &eff, err, sizeof err)) {
		fprintf(stderr, "fgcal-derive: %s\n", err);
		return 2;
	}
	int rc = 0;
	/* Datasheet-derived files first: the others may be derived from them. */
	for (int pass = 0; pass < 2 && !rc; pass++) {
		for (int i = 0; i < n && !rc; i++) {
			const fgcal_sheet *s = &sheets[i];
			int from_sheet = !strcmp(s->derive, "datasheet");
			if (from_sheet != (pass == 0))
				continue;
			char path[4096], ref_path[4096], ref_file[256];
			snprintf(path, sizeof path, "%s/%s.cfg", dir, s->key);
			calib_table old, t, ref;
			int have_old = !calib_load(&old, path, err, sizeof err);
			if (have_old && old.measured) {
				printf("%s: measured, kept\n", path);
				calib_free(&old);
				continue;
			}
			int built;
			if (from_sheet) {
				built = fgcal_derive_datasheet(&t, s, &eff, eff.date);
			} else {
				const fgcal_sheet *rs = fgcal_sheet_find(sheets, n, s->derive);
				snprintf(ref_file, sizeof ref_file, "%s.cfg", s->derive);
				snprintf(ref_path, sizeof ref_path, "%s/%s", dir, ref_file);
				if (!rs || calib_load(&ref, ref_path, err, sizeof err)) {
					fprintf(stderr, "fgcal-derive: %s: reference %s: %s\n", s->key, s->derive,
						rs ? err : "not in the datasheet table");
					rc = 1;
					if (have_old)
						calib_free(&old);
					break;
				}
				built = fgcal_derive_ratio(&t, s, &ref, rs, ref_file, &eff, eff.date);
				calib_free(&ref);
			}
			if (built) {
				fprintf(stderr, "fgcal-derive: %s: out of memory\n", s->key);
				rc = 1;
			} else if (check) {
				char why[512];
				if (!have_old) {
					fprintf(stderr, "fgcal-derive: %s: missing or invalid (%s)\n", path, err);
					rc = 1;
				} else if (differs(&t, &old, why, sizeof why)) {
					fprintf(stderr, "fgcal-derive: %s is not what fgcal-derive writes: %s\n", path, why);
					rc = 1;
				} else {
					printf("%s: up to date\n", path);
				}
			} else {
				static char header[16384];
				fgcal_derived_header(&t, s, &eff, header, sizeof header);
				if (fgcal_write_file(&t, path, header)) {
					fprintf(stderr, "fgcal-derive: %s: %s\n", path, strerror(errno));
					rc = 1;
				} else {
					printf("%s: written (derived from %s)\n", path, t.derived_from);
				}
			}
			calib_free(&t);
			if (have_old)
				calib_free(&old);
		}
	}
	free(sheets);
	return rc;
}
