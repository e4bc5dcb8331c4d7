/* test_sweep.c - --vary specs (ranges of integers and decimals, lists with quoted
 * strings and arrays), point order (the first key slowest), identity hashes (equal for
 * equal scenarios, different when a value or the seed changes) and --vary errors. */
#include <stdlib.h>
#include <string.h>

#include "sweep.h"
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

int main(void)
{
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
	sc_override seed = {"run.seed", "7"};
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
	sc_override bad = {"run.replications", "0"};
	CHECK_INT(sweep_load(&s, 0, "scenarios/mmc.cfg", &bad, 1, &sc, err, sizeof err), 2);
	CHECK(!strncmp(err, "--set run.replications: ", strlen("--set run.replications: ")));
	sweep_free(&s);
	return test_report("test_sweep");
}
