/* calib_write.c - writing a calibration file in the current format: per entry the
 * summary of its samples, never the samples themselves (the harness writes those to the
 * samples file the table names). */
#include "calibration.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A libconfig string literal: quotes and backslashes escaped, control characters dropped. */
static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('"', f);
}

/* A libconfig float: always with a point or an exponent, so 1024 stays a float, and
 * never an integer that libconfig 1.5 would silently truncate to 32 bits. */
static void put_float(FILE *f, double v, int digits)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%.*g", digits, v);
	if (!strpbrk(buf, ".en"))
		strcat(buf, ".0");
	fputs(buf, f);
}

static void put_key_string(FILE *f, const char *indent, const char *key, const char *v)
{
	fprintf(f, "%s%s = ", indent, key);
	put_string(f, v);
	fputs(";\n", f);
}

static void put_key_float(FILE *f, const char *indent, const char *key, double v)
{
	fprintf(f, "%s%s = ", indent, key);
	put_float(f, v, 10);
	fputs(";\n", f);
}

/* Significant digits of the summary's figures: the samples' own (calib_stats.h), and all
 * of a double's for the two sums the service model reads. */
#define SUMMARY_DIGITS CALIB_SAMPLE_DIGITS
#define SUMMARY_EXACT 17

static void put_kernel(FILE *f, const calib_table *t, const calib_kernel *k)
{
	fputs("  { name = ", f);
	put_string(f, k->name);
	fputs("; shape = ", f);
	put_string(f, k->shape);
	fprintf(f, "; unit = \"%s\";\n    flops = ", calib_unit_name(k->unit));
	put_float(f, k->flops, 10);
	fputs("; bytes = ", f);
	put_float(f, k->bytes, 10);
	fprintf(f, ";\n    samples = %d;", k->nsamples);
	if (k->nsamples > 0) {
		/* 17 digits: the service model's mean and variance come from these, and must be
		 * the very doubles the samples give, so that no prediction moves in conversion */
		fputs(" mean_us = ", f);
		put_float(f, k->mean_us, SUMMARY_EXACT);
		fputs("; sd_us = ", f);
		put_float(f, k->sd_us, SUMMARY_EXACT);
		fputs(";\n   ", f);
	}
	fputs(" median_us = ", f);
	put_float(f, k->median_us, SUMMARY_DIGITS);
	fputs("; p10_us = ", f);
	put_float(f, k->p10_us, SUMMARY_DIGITS);
	fputs("; p90_us = ", f);
	put_float(f, k->p90_us, SUMMARY_DIGITS);
	if (k->nsamples > 0) {
		fputs("; min_us = ", f);
		put_float(f, k->min_us, SUMMARY_DIGITS);
		fputs("; max_us = ", f);
		put_float(f, k->max_us, SUMMARY_DIGITS);
	}
	fputs(";\n    noise = ", f);
	put_float(f, k->noise, 4);
	fputs("; stop = ", f);
	put_string(f, k->stop);
	if (k->nsamples > 0) {
		if (k->clock_mhz > 0) {
			fputs("; clock_mhz = ", f);
			put_float(f, k->clock_mhz, 6);
		}
		if (k->throttled >= 0)
			fprintf(f, "; throttled = %d", k->throttled);
		fputs(";\n    quantiles_us = [", f);
		for (int i = 0; i < CALIB_SKETCH_N; i++) {
			fputs(i ? (i % 7 ? ", " : ",\n      ") : " ", f);
			put_float(f, k->q_us[i], SUMMARY_DIGITS);
		}
		fprintf(f, " ];\n    checksum = \"fnv1a64:%016" PRIx64 "\"", k->checksum);
	}
	fputs(";\n    time_source = ", f);
	put_string(f, k->time_source);
	fputs(";\n", f);
	/* Achieved rates, for the reader: recomputed from the median on every load. */
	double s = k->median_us * 1e-6, peak = calib_peak(t, k->unit);
	double tflops = k->flops / s / 1e12, gbs = k->bytes / s / 1e9;
	double frac = k->unit == CALIB_UNIT_TENSOR || k->unit == CALIB_UNIT_FP32 ? k->flops / s / peak
		      : k->unit == CALIB_UNIT_MEM || k->unit == CALIB_UNIT_PCIE ? k->bytes / s / peak : 0;
	fputs("    tflops = ", f);
	put_float(f, tflops, 5);
	fputs("; gbs = ", f);
	put_float(f, gbs, 5);
	fputs("; frac_peak = ", f);
	put_float(f, peak > 0 ? frac : 0, 4);
	fputs("; }", f);
}

static void put_fidelity(FILE *f, const calib_fidelity *fd)
{
	fputs("  { profile = ", f);
	put_string(f, fd->profile);
	fputs("; predicted_us = ", f);
	put_float(f, fd->predicted_us, 8);
	fputs("; measured_us = ", f);
	put_float(f, fd->measured_us, 8);
	fputs("; error = ", f);
	put_float(f, fd->measured_us / fd->predicted_us - 1, 4);
	if (fd->nentries > 0) {
		fputs(";\n    entries = (", f);
		for (int i = 0; i < fd->nentries; i++) {
			const calib_step_entry *e = &fd->entries[i];
			fputs(i ? ",\n      { kernel = " : "\n      { kernel = ", f);
			put_string(f, e->kernel);
			fputs("; shape = ", f);
			put_string(f, e->shape);
			fputs("; us = ", f);
			put_float(f, e->us, 8);
			fputs("; }", f);
		}
		fputs(" )", f);
	}
	fputs("; }", f);
}

static void put_reference(FILE *f, const calib_reference *r)
{
	fputs("  { profile = ", f);
	put_string(f, r->profile);
	fputs("; framework = ", f);
	put_string(f, r->framework);
	if (r->measured_us > 0 && r->predicted_us > 0) {
		fputs("; measured_us = ", f);
		put_float(f, r->measured_us, 8);
		fputs("; predicted_us = ", f);
		put_float(f, r->predicted_us, 8);
		fputs("; error = ", f);
		put_float(f, r->measured_us / r->predicted_us - 1, 4);
	}
	if (r->note[0]) {
		fputs("; note = ", f);
		put_string(f, r->note);
	}
	fputs("; }", f);
}

int calib_write(const calib_table *t, FILE *f, const char *header)
{
	if (header) {
		const char *p = header;
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			fprintf(f, "#%s%.*s\n", n ? " " : "", (int)n, p);
			p += n + (nl != NULL);
		}
	}
	fprintf(f, "format = %d;\n", CALIB_FORMAT);
	put_key_string(f, "", "gpu", t->gpu);
	fprintf(f, "measured = %s;\n", t->measured ? "true" : "false");
	if (!t->measured)
		put_key_string(f, "", "derived_from", t->derived_from);
	if (t->derivation[0])
		put_key_string(f, "", "derivation", t->derivation);
	put_key_string(f, "", "date", t->date);
	fputs("device = {\n", f);
	put_key_string(f, "  ", "name", t->device_name);
	put_key_string(f, "  ", "driver", t->driver);
	put_key_string(f, "  ", "cuda_runtime", t->cuda_runtime);
	put_key_string(f, "  ", "compute_capability", t->compute_capability);
	fprintf(f, "  sm_count = %d;\n", t->sm_count);
	put_key_float(f, "  ", "sm_clock_mhz", t->sm_clock_mhz);
	put_key_float(f, "  ", "mem_clock_mhz", t->mem_clock_mhz);
	put_key_float(f, "  ", "l2_bytes", t->l2_bytes);
	put_key_float(f, "  ", "memory_bytes", t->memory_bytes);
	fputs("};\npeaks = {\n", f);
	const calib_peaks *p = &t->peaks;
	put_key_float(f, "  ", "tensor_tflops", p->tensor_tflops);
	put_key_string(f, "  ", "tensor_source", p->tensor_source);
	put_key_float(f, "  ", "fp32_tflops", p->fp32_tflops);
	put_key_string(f, "  ", "fp32_source", p->fp32_source);
	put_key_float(f, "  ", "mem_gbs", p->mem_gbs);
	put_key_string(f, "  ", "mem_source", p->mem_source);
	put_key_float(f, "  ", "pcie_gbs", p->pcie_gbs);
	put_key_string(f, "  ", "pcie_source", p->pcie_source);
	put_key_float(f, "  ", "memory_gb", p->memory_gb);
	put_key_string(f, "  ", "memory_source", p->memory_source);
	fputs("};\n", f);
	if (t->measured) {
		const calib_method *m = &t->method;
		fprintf(f, "method = { warmup_runs = %d; min_samples = %d; min_time_s = ", m->warmup_runs, m->min_samples);
		put_float(f, m->min_time_s, 6);
		fputs("; max_noise = ", f);
		put_float(f, m->max_noise, 6);
		fputs("; timeout_s = ", f);
		put_float(f, m->timeout_s, 6);
		fprintf(f, "; l2_flush = %s; version = %d; };\n", m->l2_flush ? "true" : "false",
			m->version > 0 ? m->version : 1);
		if (t->samples_file[0])
			put_key_string(f, "", "samples_file", t->samples_file);
	}
	fputs("kernels = (\n", f);
	for (int i = 0; i < t->nkernels; i++) {
		put_kernel(f, t, &t->kernels[i]);
		fputs(i + 1 < t->nkernels ? ",\n" : "\n", f);
	}
	fputs(");\n", f);
	if (t->nfidelity) {
		fputs("fidelity = (\n", f);
		for (int i = 0; i < t->nfidelity; i++) {
			put_fidelity(f, &t->fidelity[i]);
			fputs(i + 1 < t->nfidelity ? ",\n" : "\n", f);
		}
		fputs(");\n", f);
	}
	if (t->nreference) {
		fputs("reference = (\n", f);
		for (int i = 0; i < t->nreference; i++) {
			put_reference(f, &t->reference[i]);
			fputs(i + 1 < t->nreference ? ",\n" : "\n", f);
		}
		fputs(");\n", f);
	}
	return ferror(f) ? -1 : 0;
}

/* v as the writer stores it with `digits` significant digits. */
static double as_written(double v, int digits)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%.*g", digits, v);
	return strtod(buf, NULL);
}

int calib_summary_mismatch(const calib_kernel *stored, const calib_kernel *fresh, char *why, size_t len)
{
	const struct {
		const char *key;
		double have, want;
		int digits;
	} f[] = {
		{"samples", stored->nsamples, fresh->nsamples, 17},
		{"mean_us", stored->mean_us, fresh->mean_us, SUMMARY_EXACT},
		{"sd_us", stored->sd_us, fresh->sd_us, SUMMARY_EXACT},
		{"median_us", stored->median_us, fresh->median_us, SUMMARY_DIGITS},
		{"p10_us", stored->p10_us, fresh->p10_us, SUMMARY_DIGITS},
		{"p90_us", stored->p90_us, fresh->p90_us, SUMMARY_DIGITS},
		{"min_us", stored->min_us, fresh->min_us, SUMMARY_DIGITS},
		{"max_us", stored->max_us, fresh->max_us, SUMMARY_DIGITS},
		{"noise", stored->noise, fresh->noise, 4},
		{"clock_mhz", stored->clock_mhz, fresh->clock_mhz, 6},
		{"throttled", stored->throttled, fresh->throttled, 17},
	};
	for (size_t i = 0; i < sizeof f / sizeof *f; i++)
		if (f[i].have != as_written(f[i].want, f[i].digits)) {
			snprintf(why, len, "%s %s: %s = %.17g, its samples give %.*g", stored->name, stored->shape, f[i].key,
				 f[i].have, f[i].digits, f[i].want);
			return 1;
		}
	for (int i = 0; i < CALIB_SKETCH_N; i++)
		if (stored->q_us[i] != as_written(fresh->q_us[i], SUMMARY_DIGITS)) {
			snprintf(why, len, "%s %s: quantiles_us[%d] = %.7g, its samples give %.7g", stored->name,
				 stored->shape, i, stored->q_us[i], fresh->q_us[i]);
			return 1;
		}
	if (stored->checksum != fresh->checksum) {
		snprintf(why, len, "%s %s: checksum fnv1a64:%016" PRIx64 ", its samples give fnv1a64:%016" PRIx64,
			 stored->name, stored->shape, stored->checksum, fresh->checksum);
		return 1;
	}
	return 0;
}
