/* test_sweep.c - --vary specs (ranges of integers and decimals, lists with quoted
 * strings and arrays), point order (the first key slowest), identity hashes (equal for
 * equal scenarios, different when a value or the seed changes) and --vary errors. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lines.h"
#include "sweep_files.h"
#include "test.h"

static char err[1024];

static void check_values(const char *arg, const char *const *want, int n, int integer)
{
	sweep s;
	memset(&s, 0, sizeof s);
	CHECK_INT(sweep_add_key(&s, arg, err, sizeof err), 0);
	if (s.nkeys != 1) {
		fprintf(stderr, "  (%s: %s)\n", arg, err);
		CHECK_INT(s.nkeys, 1);
		return;
	}
	CHECK_INT(s.keys[0].nvalues, n);
	CHECK_INT(s.keys[0].integer_range, integer);
	CHECK_INT(s.npoints, n);
	for (int i = 0; i < n && i < s.keys[0].nvalues; i++)
		CHECK_STR(s.keys[0].value[i], want[i]);
	sweep_free(&s);
}

static void check_bad(const char *arg, const char *part)
{
	sweep s;
	memset(&s, 0, sizeof s);
	err[0] = 0;
	CHECK_INT(sweep_add_key(&s, arg, err, sizeof err), 2);
	if (!strstr(err, part))
		fprintf(stderr, "  (%s: \"%s\" lacks \"%s\")\n", arg, err, part);
	CHECK(strstr(err, part) != NULL);
	sweep_free(&s);
}

/* Writes dir/points/ID.replications.csv, whole and with its checksum line: a point is
 * reused only with its replications (sweep_compare.csv is computed from them). */
static void write_reps(const char *dir, uint64_t id)
{
	char path[512], text[1024];
	int n = snprintf(text, sizeof text, "# fgsim sweep point %016llx: k=%d\npolicy,replication,scope,metric,value\n",
			 (unsigned long long)id, (int)id);
	n += snprintf(text + n, sizeof text - (size_t)n, "fcfs,0,all,m0,%d.5\n", (int)id);
	snprintf(path, sizeof path, "%s/points/%016llx.replications.csv", dir, (unsigned long long)id);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fwrite(text, 1, (size_t)n, f);
	fprintf(f, "# end: %d rows, fnv1a %016llx\n", 1,
		(unsigned long long)lines_fnv(LINES_FNV_INIT, text, (size_t)n));
	fclose(f);
}

/* Writes dir/points/ID.csv with `nrows` rows and, unless `sum` is 0, its checksum line
 * (and the point's replications, whole). */
static void write_point(const char *dir, uint64_t id, int nrows, int sum)
{
	write_reps(dir, id);
	char path[512], text[4096];
	int n = snprintf(text, sizeof text, "# fgsim sweep point %016llx: k=%d\npolicy,scope,metric,mean,half_width,n\n",
			 (unsigned long long)id, (int)id);
	for (int r = 0; r < nrows; r++)
		n += snprintf(text + n, sizeof text - (size_t)n, "fcfs,all,m%d,%d.5,0.1,3\n", r, (int)id);
	snprintf(path, sizeof path, "%s/points/%016llx.csv", dir, (unsigned long long)id);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fwrite(text, 1, (size_t)n, f);
	if (sum)
		fprintf(f, "# end: %d rows, fnv1a %016llx\n", nrows,
			(unsigned long long)lines_fnv(LINES_FNV_INIT, text, (size_t)n));
	fclose(f);
}

/* A saved point is taken only while it matches its checksum line: sweep_point_saved
 * says no to one cut short, and sweep.csv is never assembled from one (the error names it). */
static void test_points(void)
{
	char dir[] = "/tmp/fgsim-sweep-XXXXXX", pdir[64], path[512], csv[512];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(pdir, sizeof pdir, "%s/points", dir);
	CHECK_INT(mkdir(pdir, 0755), 0);
	sweep s;
	memset(&s, 0, sizeof s);
	CHECK_INT(sweep_add_key(&s, "k=1:2", err, sizeof err), 0);
	uint64_t ids[2] = {1, 2};
	write_point(dir, 1, 3, 1);
	write_point(dir, 2, 3, 1);
	CHECK_INT(sweep_point_saved(dir, 1), 0);
	CHECK_INT(sweep_point_saved(dir, 2), 0);
	CHECK_INT(sweep_point_saved(dir, 3), -1); /* never run */
	CHECK_INT(sweep_write_csv(&s, dir, ids, err, sizeof err), 0);
	snprintf(csv, sizeof csv, "%s/sweep.csv", dir);
	FILE *f = fopen(csv, "r");
	int lines = 0;
	for (int c; f && (c = getc(f)) != EOF;)
		lines += c == '\n';
	if (f)
		fclose(f);
	CHECK_INT(lines, 1 + 6);
	unlink(csv);

	/* the last row gone, checksum line kept: no longer the saved point */
	snprintf(path, sizeof path, "%s/%016llx.csv", pdir, 2ULL);
	write_point(dir, 2, 3, 1);
	CHECK_INT(truncate(path, 150), 0);
	CHECK_INT(sweep_point_saved(dir, 2), -1);
	err[0] = 0;
	CHECK_INT(sweep_write_csv(&s, dir, ids, err, sizeof err), -1);
	CHECK(!strncmp(err, path, strlen(path)));
	CHECK(access(csv, F_OK) != 0);
	/* no checksum line (a file from before, or cut exactly at a row's end) */
	write_point(dir, 2, 3, 0);
	CHECK_INT(sweep_point_saved(dir, 2), -1);
	CHECK_INT(sweep_write_csv(&s, dir, ids, err, sizeof err), -1);
	CHECK(strstr(err, "no checksum line") != NULL);
	/* a row fewer than the checksum line counts */
	write_point(dir, 2, 2, 1);
	CHECK_INT(sweep_point_saved(dir, 2), 0);
	f = fopen(path, "a");
	if (f) {
		fputs("fcfs,all,extra,1,1,1\n", f);
		fclose(f);
	}
	CHECK_INT(sweep_point_saved(dir, 2), -1);
	CHECK(access(csv, F_OK) != 0);
	sweep_free(&s);
	unlink(path);
	snprintf(path, sizeof path, "%s/%016llx.csv", pdir, 1ULL);
	unlink(path);
	rmdir(pdir);
	rmdir(dir);
}

int main(void)
{
	test_points();
	check_values("a.b=3:6", (const char *const[]){"3", "4", "5", "6"}, 4, 1);
	check_values("a.b=-2:4:3", (const char *const[]){"-2", "1", "4"}, 3, 1);
	check_values("a.b=0:10:4", (const char *const[]){"0", "4", "8"}, 3, 1);
	check_values("a=7:7", (const char *const[]){"7"}, 1, 1);
	/* decimals: no binary noise, and each a float literal for libconfig */
	check_values("x=0.1:0.5:0.1", (const char *const[]){"0.1", "0.2", "0.3", "0.4", "0.5"}, 5, 0);
	check_values("x=1:2:0.5", (const char *const[]){"1.0", "1.5", "2.0"}, 3, 0);
	/* lists: commas inside quotes and brackets do not split */
	check_values("p=fcfs,sjf", (const char *const[]){"fcfs", "sjf"}, 2, 0);
	check_values("p=\"a,b\",\"c\"", (const char *const[]){"\"a,b\"", "\"c\""}, 2, 0);
	check_values("p=[\"fcfs\",\"sjf\"],[\"sjf\"]", (const char *const[]){"[\"fcfs\",\"sjf\"]", "[\"sjf\"]"}, 2, 0);
	check_values("s=\"3d 20:00\"", (const char *const[]){"\"3d 20:00\""}, 1, 0);
	check_values("n=12", (const char *const[]){"12"}, 1, 0);

	check_bad("a.b=6:3", "--vary a.b: range 6:3 is empty");
	check_bad("a.b=1:3:0", "step of 1:3:0 must be positive");
	check_bad("a.b=0.5:1", "needs a step");
	check_bad("a.b=1:5000", "too many values");
	check_bad("a.b=", "--vary a.b: no values");
	check_bad("a.b=1,,2", "empty value");
	check_bad("a.b=\"open", "unterminated string");
	check_bad("=1,2", "--vary takes KEY=");
	check_bad("nokey", "--vary takes KEY=");

	/* point order: the first key slowest; the same key twice is refused */
	sweep s;
	memset(&s, 0, sizeof s);
	CHECK_INT(sweep_add_key(&s, "a=1:3", err, sizeof err), 0);
	CHECK_INT(sweep_add_key(&s, "b=x,y", err, sizeof err), 0);
	CHECK_INT(s.npoints, 6);
	int order[6][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 0}, {2, 1}};
	for (long p = 0; p < 6; p++) {
		CHECK_INT(sweep_value_index(&s, p, 0), order[p][0]);
		CHECK_INT(sweep_value_index(&s, p, 1), order[p][1]);
	}
	CHECK_INT(sweep_add_key(&s, "a=4", err, sizeof err), 2);
	CHECK(strstr(err, "varied twice") != NULL);
	sweep_free(&s);

	/* identities: a point's scenario, and nothing else, decides its hash */
	memset(&s, 0, sizeof s);
	CHECK_INT(sweep_add_key(&s, "cluster.pools.[0].nodes=5,6,5", err, sizeof err), 0);
	scenario sc;
	uint64_t id[3];
	sc_override seed = {"run.seed", "7", NULL};
	for (int p = 0; p < 3; p++) {
		CHECK_INT(sweep_load(&s, p, "scenarios/mmc.cfg", NULL, 0, &sc, err, sizeof err), 0);
		id[p] = sweep_identity(&sc);
		scenario_free(&sc);
	}
	CHECK(id[0] == id[2]);
	CHECK(id[0] != id[1]);
	CHECK_INT(sweep_load(&s, 0, "scenarios/mmc.cfg", &seed, 1, &sc, err, sizeof err), 0);
	CHECK(sweep_identity(&sc) != id[0]);
	scenario_free(&sc);
	sweep_free(&s);

	/* a bad value of a varied key is --vary's error, a bad --set stays --set's */
	memset(&s, 0, sizeof s);
	CHECK_INT(sweep_add_key(&s, "cluster.pools.[0].nodes=0", err, sizeof err), 0);
	CHECK_INT(sweep_load(&s, 0, "scenarios/mmc.cfg", NULL, 0, &sc, err, sizeof err), 2);
	CHECK(!strncmp(err, "--vary cluster.pools.[0].nodes: ", strlen("--vary cluster.pools.[0].nodes: ")));
	sweep_free(&s);
	memset(&s, 0, sizeof s);
	CHECK_INT(sweep_add_key(&s, "cluster.pools.[0].nodes=6", err, sizeof err), 0);
	sc_override bad = {"run.replications", "0", NULL};
	CHECK_INT(sweep_load(&s, 0, "scenarios/mmc.cfg", &bad, 1, &sc, err, sizeof err), 2);
	CHECK(!strncmp(err, "--set run.replications: ", strlen("--set run.replications: ")));
	sweep_free(&s);
	return test_report("test_sweep");
}
