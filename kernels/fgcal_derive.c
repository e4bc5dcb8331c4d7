/* fgcal_derive.c - bin/fgcal-derive: writes the calibration files of GPUs that were not
 * measured, from kernels/datasheets.cfg. A GPU whose `derive` is "datasheet" gets
 * roofline times at stated efficiencies; the others are scaled from their reference's
 * file (measured or not) by ratios of datasheet peaks. A measured file is never
 * overwritten. `--check` writes nothing and exits 1 when a bundled derived file is not
 * what this tool would write. Two modes for measured files: `--summarize RAW.cfg` turns
 * a file with its raw samples inline (format 1) into the summary + samples pair fgcal
 * writes today, and `--verify FILE...` recomputes every summary from its samples file. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fgcal_plan.h"
#include "fgcal_samples.h"

static void usage(FILE *f)
{
	fputs("usage: fgcal-derive [--datasheets FILE] [--check] DIR\n"
	      "  writes DIR/<gpu>.cfg for every GPU of the datasheet table (default\n"
	      "  kernels/datasheets.cfg) whose file in DIR is not measured\n"
	      "       fgcal-derive --summarize RAW.cfg -o SUMMARY.cfg --samples SAMPLES.csv.gz\n"
	      "  writes a measured file's summary and its raw samples file (from format 1)\n"
	      "       fgcal-derive --verify FILE...\n"
	      "  recomputes each measured file's summaries from its samples file\n", f);
}

/* The comment lines a file opens with, without their "# ", and a last line of ours. */
static void leading_comments(const char *path, const char *extra, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	size_t n = 0;
	out[0] = 0;
	while (f && fgets(line, sizeof line, f) && line[0] == '#' && n < len)
		n += (size_t)snprintf(out + n, len - n, "%s", line + (line[1] == ' ' ? 2 : 1));
	if (f)
		fclose(f);
	if (n < len)
		snprintf(out + n, len - n, "%s", extra);
}

/* --summarize: the raw file's kernels again through calib_add_kernel (so that the
 * summary is what the stored samples give), its fidelity and reference rows as they
 * are. Returns the exit status. */
static int summarize(const char *raw_path, const char *out, const char *samples)
{
	calib_table raw, t;
	char err[1024];
	static char header[16384], extra[1024];
	if (calib_load(&raw, raw_path, err, sizeof err)) {
		fprintf(stderr, "fgcal-derive: %s\n", err);
		return 2;
	}
	if (!raw.measured) {
		fprintf(stderr, "fgcal-derive: %s: not measured: nothing to summarise\n", raw_path);
		calib_free(&raw);
		return 2;
	}
	t = raw;
	t.kernels = NULL, t.fidelity = NULL, t.reference = NULL;
	t.nkernels = t.nfidelity = t.nreference = 0;
	t.kernels_cap = t.fidelity_cap = t.reference_cap = 0;
	int rc = 0;
	for (int i = 0; i < raw.nkernels && !rc; i++) {
		const calib_kernel *k = &raw.kernels[i];
		if (!k->raw_us) {
			fprintf(stderr, "fgcal-derive: %s:%d: %s %s has no raw samples (already a summary?)\n", raw_path,
				k->line, k->name, k->shape);
			rc = 2;
		} else if (calib_add_kernel(&t, k, k->raw_us, k->raw_clock_mhz, k->nsamples)) {
			rc = 1;
		}
	}
	for (int i = 0; i < raw.nfidelity && !rc; i++)
		rc = calib_add_fidelity(&t, &raw.fidelity[i]) ? 1 : 0;
	for (int i = 0; i < raw.nreference && !rc; i++)
		rc = calib_add_reference(&t, &raw.reference[i]) ? 1 : 0;
	snprintf(extra, sizeof extra, "Summaries of the raw samples, converted from the format-1 file by\n"
		 "bin/fgcal-derive --summarize; the samples themselves are in samples_file.");
	leading_comments(raw_path, extra, header, sizeof header);
	if (!rc && fgcal_write_pair(&t, out, samples, header)) {
		fprintf(stderr, "fgcal-derive: %s: %s\n", out, strerror(errno));
		rc = 1;
	} else if (!rc) {
		printf("%s: written (%d kernels summarised), samples in %s\n", out, t.nkernels, samples);
	}
	calib_free(&t);
	calib_free(&raw);
	return rc;
}

/* --verify: every summary of each measured format-2 file against its samples file. */
static int verify(char **paths, int n)
{
	int rc = 0;
	for (int i = 0; i < n; i++) {
		calib_table t;
		char err[2048];
		if (calib_load(&t, paths[i], err, sizeof err)) {
			fprintf(stderr, "fgcal-derive: %s\n", err);
			rc = 1;
			continue;
		}
		if (!t.measured || t.format < 2)
			printf("%s: %s, nothing to verify\n", paths[i], t.measured ? "samples inline (format 1)" : "derived");
		else if (fgcal_samples_verify(&t, err, sizeof err)) {
			fprintf(stderr, "fgcal-derive: %s\n", err);
			rc = 1;
		} else
			printf("%s: %d summaries equal their samples (%s)\n", paths[i], t.nkernels, t.samples_file);
		calib_free(&t);
	}
	return rc;
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
	const char *raw = NULL, *out = NULL, *samples = NULL;
	int check = 0;
	if (argc > 1 && !strcmp(argv[1], "--verify"))
		return argc > 2 ? verify(argv + 2, argc - 2) : (usage(stderr), 2);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--summarize") && i + 1 < argc)
			raw = argv[++i];
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--samples") && i + 1 < argc)
			samples = argv[++i];
		else if (!strcmp(argv[i], "--datasheets") && i + 1 < argc)
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
	if (raw || out || samples) {
		if (!raw || !out || !samples || dir) {
			usage(stderr);
			return 2;
		}
		return summarize(raw, out, samples);
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
