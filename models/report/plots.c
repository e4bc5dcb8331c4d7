/* plots.c - the set of plots a results folder gets: which figures, in report order, each
 * written (data and script, atomically) by its builder in plots_curves.c or
 * plots_bars.c, then all drawn by gnuplot at once (gnuplot.c). */
#include "plots_int.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "gnuplot.h"
#include "names.h"
#include "outfile.h"
#include "scenario.h"

/* ---- the set -------------------------------------------------------------------- */

typedef int (*plot_fn)(plots_ctx *, plots_plot *, FILE *, FILE *);

/* In report order. A function returns 0 when it wrote its data and script, 1 when the
 * plot does not apply to this folder, -1 when it failed (out of memory). */
static const struct {
	const char *name;
	plot_fn fn;
} catalog[] = {
	{"wait_cdf", plots_wait_cdf},
	{"wait_cdf_by_class", plots_wait_cdf_class},
	{"wait_p95_by_class", plots_wait_class},
	{"queue_over_time", plots_queue_time},
	{"utilization_over_time", plots_util_time},
	{"utilization_by_pool", plots_util_pool},
	{"money_by_policy", plots_money},
};
#define NCATALOG (sizeof catalog / sizeof *catalog)

/* then a zoom per promotion (plots_window.c) */
_Static_assert(NCATALOG + SC_MAX_PROMOS <= PLOTS_MAX, "plots_set holds every plot");

/* The file stem of promotion w's zoom: window_NAME, the name's characters outside
 * [A-Za-z0-9._-] as '_' (a file name that no shell or URL misreads), or window_N when
 * the name is too long for a stem. */
static void window_stem(const results *r, int w, char *stem, size_t len)
{
	const char *n = r->promo[w].name;
	if (strlen(n) + 8 > len) {
		snprintf(stem, len, "window_%d", w + 1);
		return;
	}
	snprintf(stem, len, "window_%s", n);
	for (char *q = stem + 7; *q; q++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
			    *q))
			*q = '_';
}

/* A zoom's stem (window_stem), or window_N when an earlier window has the same one. */
static void window_name(const results *r, int w, char *stem, size_t len)
{
	char mine[sizeof((plots_plot *)0)->name], other[sizeof mine];
	window_stem(r, w, mine, sizeof mine);
	for (int v = 0; v < w; v++) {
		window_stem(r, v, other, sizeof other);
		if (!strcmp(mine, other)) {
			snprintf(mine, sizeof mine, "window_%d", w + 1);
			break;
		}
	}
	snprintf(stem, len, "%s", mine);
}

/* Removes a plot's files (with `all`, its data and script too), so that a plot that
 * no longer applies or could not be drawn leaves nothing stale. */
static void remove_files(const char *pdir, const char *name, int all)
{
	static const char *const ext[] = {"png", "svg", "dat", "gp"};
	char path[4400];
	for (int e = 0; e < (all ? 4 : 2); e++) {
		snprintf(path, sizeof path, "%s/%s.%s", pdir, name, ext[e]);
		unlink(path);
	}
}

static void remove_images(const char *pdir, const char *name)
{
	remove_files(pdir, name, 0);
}

/* Removes the zooms of promotions this folder no longer has (renamed, or gone), whose
 * names no catalog entry would clear. */
static void remove_old_windows(const char *pdir, const plots_set *set)
{
	DIR *d = opendir(pdir);
	struct dirent *e;
	char stem[sizeof set->plot[0].name];
	if (!d)
		return;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "window_", 7) && strlen(e->d_name) < sizeof stem + 4) {
			char *dot = strrchr(strcpy(stem, e->d_name), '.');
			int keep = 0;
			if (!dot || (strcmp(dot, ".png") && strcmp(dot, ".svg") && strcmp(dot, ".dat") &&
				     strcmp(dot, ".gp")))
				continue;
			*dot = 0;
			for (int i = 0; i < set->n && !keep; i++)
				keep = !strcmp(set->plot[i].name, stem);
			if (!keep)
				remove_files(pdir, stem, 1);
		}
	closedir(d);
}

/* Collects every gnuplot run started for set. Returns how many failed. */
static int finish_all(const char *pdir, plots_set *set, gnuplot_job *job, FILE *warn)
{
	int failed = 0;
	char msg[600], shown[700]; /* gnuplot's complaint may quote a data file: no raw controls */
	for (int i = 0; i < set->n; i++) {
		if (job[i].pid <= 0)
			continue;
		if (gnuplot_finish(pdir, &job[i], msg, sizeof msg)) {
			fprintf(warn, "warning: plot %s: %s\n", set->plot[i].name, names_show(msg, shown, sizeof shown));
			failed++;
		} else {
			set->plot[i].drawn = 1;
			set->drawn++;
		}
	}
	return failed;
}

int plots_write(const results *r, plots_set *set, FILE *warn, char *err, size_t errlen)
{
	plots_ctx c;
	outfile st;
	memset(&c, 0, sizeof c);
	memset(set, 0, sizeof *set);
	c.r = r;
	c.warn = warn;
	snprintf(c.pdir, sizeof c.pdir, "%s/plots", r->dir);
	if (outfile_mkdirs(c.pdir) || outfile_open(&st, c.pdir, "style.gp")) {
		snprintf(err, errlen, "%s: cannot write: %s", c.pdir, strerror(errno));
		return -1;
	}
	fputs(plots_style_gp, st.f);
	if (outfile_commit(&st)) {
		snprintf(err, errlen, "%s/style.gp: cannot write: %s", c.pdir, strerror(errno));
		return -1;
	}
	set->gnuplot = gnuplot_available();
	if (r->npolicies > SERIES_MAX)
		fprintf(warn, "warning: %d policies; plots show the first %d\n", r->npolicies, SERIES_MAX);
	int missing = 0;
	gnuplot_job job[PLOTS_MAX];
	char msg[600], shown[700];
	for (size_t i = 0; i < NCATALOG + (size_t)r->npromos; i++) {
		FG_ASSERT(set->n <= (int)i && set->n < PLOTS_MAX); /* at most one plot per entry */
		plots_plot *p = &set->plot[set->n];
		outfile dat, gp;
		memset(p, 0, sizeof *p);
		if (i < NCATALOG)
			snprintf(p->name, sizeof p->name, "%s", catalog[i].name);
		else
			window_name(r, (int)(i - NCATALOG), p->name, sizeof p->name);
		char datname[64], gpname[64];
		snprintf(datname, sizeof datname, "%s.dat", p->name);
		snprintf(gpname, sizeof gpname, "%s.gp", p->name);
		if (outfile_open(&dat, c.pdir, datname)) {
			snprintf(err, errlen, "%s/%s: cannot write: %s", c.pdir, datname, strerror(errno));
			goto fail;
		}
		if (outfile_open(&gp, c.pdir, gpname)) {
			snprintf(err, errlen, "%s/%s: cannot write: %s", c.pdir, gpname, strerror(errno));
			outfile_abort(&dat);
			goto fail;
		}
		int rc = i < NCATALOG ? catalog[i].fn(&c, p, dat.f, gp.f)
				      : plots_window(&c, p, dat.f, gp.f, (int)(i - NCATALOG));
		if (rc) {
			outfile_abort(&dat);
			outfile_abort(&gp);
			if (rc < 0) {
				fprintf(warn, "warning: plot %s: out of memory\n", p->name);
				missing++;
			}
			remove_files(c.pdir, p->name, 1);
			continue;
		}
		if (outfile_commit(&dat) || outfile_commit(&gp)) {
			snprintf(err, errlen, "%s/%s: cannot write: %s", c.pdir, p->name, strerror(errno));
			outfile_abort(&gp);
			goto fail;
		}
		job[set->n].pid = -1;
		if (!set->gnuplot || gnuplot_start(c.pdir, p->name, &job[set->n], msg, sizeof msg)) {
			if (set->gnuplot)
				fprintf(warn, "warning: plot %s: %s\n", p->name, names_show(msg, shown, sizeof shown));
			remove_images(c.pdir, p->name); /* an older run's would pass for this one's */
			missing++;
		}
		set->n++;
	}
	plots_ts_free(c.ts, r->npolicies);
	remove_old_windows(c.pdir, set);
	return missing + finish_all(c.pdir, set, job, warn);
fail:
	plots_ts_free(c.ts, r->npolicies);
	finish_all(c.pdir, set, job, warn);
	return -1;
}

int plots_write_style(const char *pdir)
{
	outfile st;
	if (outfile_mkdirs(pdir) || outfile_open(&st, pdir, "style.gp"))
		return -1;
	fputs(plots_style_gp, st.f);
	return outfile_commit(&st);
}
