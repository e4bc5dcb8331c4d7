/* test_queueing.c - sim/queueing against known values from the Python oracle
 * tests/bench/queueing.py (printed with %.17g), and against identities that tie the
 * formulas to each other (Erlang C at c = 1, one-class priority, Erlang-A's limits). */
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "queueing.h"
#include "test.h"

/* The oracle does the same arithmetic in another order, so agreement is to rounding,
 * far inside this relative tolerance. */
#define REL 1e-9
#define CHECK_REL(a, b) CHECK_NEAR((a), (b), REL * fabs(b))

/* queueing.py mmc LAMBDA 2 C at rho = 0.5, 0.8, 0.95 for c = 1, 5, 50. */
static const struct {
	double lambda, mu;
	int c;
	double wq, p_wait, lq, rho;
} mmc_known[] = {
	{1, 2.0, 1, 0.5, 0.5, 0.5, 0.5},
	{5, 2.0, 5, 0.026074259491030462, 0.1303712974551523, 0.1303712974551523, 0.5},
	{50, 2.0, 50, 1.4408653443901319e-07, 7.2043267219506594e-06, 7.2043267219506594e-06, 0.5},
	{1.6, 2.0, 1, 2.0000000000000004, 0.79999999999999993, 3.2000000000000011, 0.8},
	{8, 2.0, 5, 0.27705627705627717, 0.55411255411255433, 2.2164502164502173, 0.8},
	{80, 2.0, 50, 0.0043476274763383036, 0.086952549526766065, 0.34781019810706426, 0.8},
	{1.9, 2.0, 1, 9.4999999999999911, 0.94999999999999996, 18.049999999999983, 0.95},
	{9.5, 2.0, 5, 1.7555980493504684, 0.87779902467523419, 16.67818146882945, 0.95},
	{95, 2.0, 50, 0.12581894598303436, 0.62909472991517179, 11.952799868388265, 0.95},
	/* Large c, where a^c / c! overflows a double: only the recursion gets these. */
	{1900, 1.0, 2000, 0.00013406437303190347, 0.013406437303190348, 0.25472230876061658, 0.95},
	{9950, 1.0, 10000, 0.010095009493620353, 0.50475047468101764, 100.44534446152251, 0.995},
};

static void test_mmc_known(void)
{
	for (size_t i = 0; i < sizeof mmc_known / sizeof mmc_known[0]; i++) {
		qt_mmc r = {0, 0, 0, 0};
		CHECK_INT(qt_mmc_solve(mmc_known[i].lambda, mmc_known[i].mu, mmc_known[i].c, &r), 0);
		CHECK_REL(r.wq, mmc_known[i].wq);
		CHECK_REL(r.p_wait, mmc_known[i].p_wait);
		CHECK_REL(r.lq, mmc_known[i].lq);
		CHECK_REL(r.rho, mmc_known[i].rho);
		CHECK_REL(qt_erlang_c(mmc_known[i].lambda / mmc_known[i].mu, mmc_known[i].c),
			  mmc_known[i].p_wait);
	}
	/* queueing.py's mmc_tail(4, 1, 5, 0.7) */
	CHECK_REL(qt_mmc_wait_tail(4, 1, 5, 0.7), 0.27516415101861663);
}

static void test_mmc_identities(void)
{
	/* One server: an arrival waits exactly when the server is busy, P = rho. */
	CHECK_NEAR(qt_erlang_c(0.3, 1), 0.3, 1e-15);
	CHECK_NEAR(qt_erlang_c(0.9, 1), 0.9, 1e-15);
	/* No steady state, everyone waits; nonsense in, NAN out. */
	CHECK(qt_erlang_c(5, 5) == 1.0);
	CHECK(qt_erlang_c(0, 5) == 0.0);
	CHECK(isnan(qt_erlang_c(-1, 5)));
	CHECK(isnan(qt_erlang_c(1, 0)));

	qt_mmc r = {-1, -1, -1, -1};
	CHECK_INT(qt_mmc_solve(10, 2, 5, &r), -1); /* lambda == c mu */
	CHECK(r.wq == -1);                          /* out untouched on failure */
	CHECK_INT(qt_mmc_solve(1, 0, 5, &r), -1);
	CHECK_INT(qt_mmc_solve(NAN, 1, 5, &r), -1);
	CHECK_INT(qt_mmc_solve(0, 1, 3, &r), 0);
	CHECK(r.wq == 0 && r.p_wait == 0);

	/* The tail starts at P(wait > 0) and the quantile inverts it above the atom at 0. */
	double lambda = 4, mu = 1;
	int c = 5;
	double pw = qt_erlang_c(lambda / mu, c);
	CHECK_NEAR(qt_mmc_wait_tail(lambda, mu, c, 0), pw, 1e-15);
	CHECK(qt_mmc_wait_tail(lambda, mu, c, -1) == 1.0);
	const double ps[] = {0.5, 0.9, 0.95, 0.99, 0.999999};
	for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
		double t = qt_mmc_wait_quantile(lambda, mu, c, ps[i]);
		CHECK(t > 0);
		CHECK_NEAR(qt_mmc_wait_tail(lambda, mu, c, t), 1 - ps[i], 1e-12 * (1 - ps[i]));
	}
	/* 1 - C = 0.4464 here, so the median lies above the atom and the 40% point in it. */
	CHECK(qt_mmc_wait_quantile(lambda, mu, c, 0.4) == 0.0);
	CHECK(qt_mmc_wait_quantile(lambda, mu, c, 1 - pw) == 0.0);
	CHECK(qt_mmc_wait_quantile(lambda, mu, c, 1) == INFINITY);
	CHECK(isnan(qt_mmc_wait_quantile(lambda, mu, c, 1.5)));
	CHECK(isnan(qt_mmc_wait_quantile(5, mu, c, 0.5)));
	CHECK(isnan(qt_mmc_wait_tail(5, mu, c, 0.5)));
	/* The quantile is a closed form: ln(C / (1 - p)) / (c mu - lambda). */
	CHECK_NEAR(qt_mmc_wait_quantile(lambda, mu, c, 0.9), log(pw / 0.1) / 1.0, 1e-14);
}

static void test_mg1(void)
{
	/* queueing.py mg1: deterministic, exponential (= M/M/1) and scv 2.25 service. */
	CHECK_REL(qt_mg1_wq(0.8, 1.0, 0), 2.0000000000000004);
	CHECK_REL(qt_mg1_wq(0.8, 1.0, 1), 4.0000000000000009);
	CHECK_REL(qt_mg1_wq(0.8, 1.0, 2.25), 6.5000000000000018);
	CHECK_REL(qt_mg1_wq(0.5, 1.5, 2.25), 7.3125);
	/* Exponential service is M/M/1. */
	qt_mmc r;
	CHECK_INT(qt_mmc_solve(0.7, 1 / 1.3, 1, &r), 0);
	CHECK_REL(qt_mg1_wq(0.7, 1.3, 1), r.wq);
	CHECK(isnan(qt_mg1_wq(1, 1, 1)));
	CHECK(isnan(qt_mg1_wq(0.5, 1, -0.1)));
	CHECK(qt_mg1_wq(0, 1, 1) == 0);
}

static void test_prio(void)
{
	double wq[3] = {0, 0, 0};
	/* queueing.py prio 0.3,0.5 1 1 and prio 1,2,3.5 1 8 */
	const double two[] = {0.3, 0.5};
	CHECK_INT(qt_prio_wq(two, 2, 1.0, 1, wq), 0);
	CHECK_REL(wq[0], 1.1428571428571428);
	CHECK_REL(wq[1], 5.7142857142857153);
	const double three[] = {1.0, 2.0, 3.5};
	CHECK_INT(qt_prio_wq(three, 3, 1.0, 8, wq), 0);
	CHECK_REL(wq[0], 0.069292097143775919);
	CHECK_REL(wq[1], 0.11086735543004148);
	CHECK_REL(wq[2], 0.51738099200686027);

	/* Work conservation: with equal service rates the order of service leaves the
	 * arrival-weighted mean wait at FCFS's (Kleinrock's conservation law). */
	qt_mmc r;
	CHECK_INT(qt_mmc_solve(6.5, 1.0, 8, &r), 0);
	CHECK_REL((1.0 * wq[0] + 2.0 * wq[1] + 3.5 * wq[2]) / 6.5, r.wq);

	/* One class is plain FCFS M/M/c. */
	const double one[] = {4.2};
	CHECK_INT(qt_prio_wq(one, 1, 1.1, 5, wq), 0);
	CHECK_INT(qt_mmc_solve(4.2, 1.1, 5, &r), 0);
	CHECK_REL(wq[0], r.wq);

	const double over[] = {3, 2.5};
	wq[0] = -1;
	CHECK_INT(qt_prio_wq(over, 2, 1.0, 5, wq), -1);
	CHECK(wq[0] == -1);
	const double neg[] = {1, -0.5};
	CHECK_INT(qt_prio_wq(neg, 2, 1.0, 5, wq), -1);
	CHECK_INT(qt_prio_wq(one, 0, 1.0, 5, wq), -1);
}

/* Erlang-A known values: the first four from queueing.py erlang-a (its 4000-state
 * truncation is exact to rounding there: the chain's mass lies below state 150); the
 * large-c ones from the same chain in 40-digit decimal summed to 1e-45, where floats
 * overflow in the oracle (a^c / c!). */
static const struct {
	double lambda, mu;
	int c;
	double theta, p_abandon, lq, p_wait, wq_all;
} ea_known[] = {
	{10, 1, 10, 0.5, 0.10391321232630817, 2.0782642465261634, 0.61965523088407792,
	 0.20782642465261633},
	{50, 1, 45, 0.2, 0.10309523802595948, 25.773809506489865, 0.96425357129937561,
	 0.51547619012979728},
	{4, 1, 5, 2, 0.12727030763660685, 0.2545406152732137, 0.32711962447496984,
	 0.063635153818303425},
	{3, 0.5, 4, 0.25, 0.35264222073812812, 4.2317066488575374, 0.92481858733877842,
	 1.4105688829525125},
	{5000, 1, 5000, 0.1, 0.0027109513791449542, 135.54756895724771, 0.7606478517149452,
	 0.027109513791449543},
	/* P(wait) ~ 1e-25: needs the walk to go up to c rather than stop at the mode. */
	{9000, 1, 10000, 0.5, 1.0314993130517554e-28, 1.8566987634931597e-24,
	 2.0823363006018237e-25, 2.0629986261035108e-28},
	{12000, 1, 10000, 2, 0.16666666666666666, 1000, 1, 0.083333333333333329},
	/* Deep overload: the mass sits far above c, where starting the walk anywhere but
	 * the mode overflows; P(N < c) ~ e^-3000, so flow balance lambda = c mu + theta Lq
	 * gives the values exactly (the decimal chain agrees). */
	{20000, 1, 10000, 1, 0.5, 10000, 1, 0.5},
	{20000, 1, 10000, 0.05, 0.5, 200000, 1, 10},
};

static void test_erlang_a(void)
{
	for (size_t i = 0; i < sizeof ea_known / sizeof ea_known[0]; i++) {
		qt_erlang_a r = {0, 0, 0, 0};
		CHECK_INT(qt_erlang_a_solve(ea_known[i].lambda, ea_known[i].mu, ea_known[i].c,
					    ea_known[i].theta, &r),
			  0);
		CHECK_REL(r.p_abandon, ea_known[i].p_abandon);
		CHECK_REL(r.lq, ea_known[i].lq);
		CHECK_REL(r.p_wait, ea_known[i].p_wait);
		CHECK_REL(r.wq_all, ea_known[i].wq_all);
	}

	/* Patience that never runs out is M/M/c: theta = 0 exactly, and theta tiny. The
	 * gap to Erlang C is first order in theta, |relative gap| / theta under 100 for
	 * these loads (measured from theta = 1e-6 down to 1e-12, linear throughout), so
	 * at theta = 1e-12 it is below 1e-10, inside REL. */
	const struct { double lambda, mu; int c; } lim[] = {{4, 1, 5}, {9.5, 2, 5}, {4900, 1, 5000}};
	for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++) {
		qt_mmc m;
		qt_erlang_a r0, r;
		CHECK_INT(qt_mmc_solve(lim[i].lambda, lim[i].mu, lim[i].c, &m), 0);
		CHECK_INT(qt_erlang_a_solve(lim[i].lambda, lim[i].mu, lim[i].c, 0, &r0), 0);
		CHECK(r0.p_wait == m.p_wait && r0.lq == m.lq && r0.p_abandon == 0);
		CHECK_INT(qt_erlang_a_solve(lim[i].lambda, lim[i].mu, lim[i].c, 1e-12, &r), 0);
		CHECK_REL(r.p_wait, m.p_wait);
		CHECK_REL(r.lq, m.lq);
		CHECK_REL(r.wq_all, m.wq);
		CHECK(r.p_abandon > 0 && r.p_abandon < 1e-10);
	}

	/* theta == mu: waiting and being served empty the system alike, so N is the
	 * M/M/inf Poisson(a) and P(wait) = P(N >= c) (GSL's Poisson tail, accurate to
	 * ~1e-14 relative here). */
	const struct { double a; int c; } inf[] = {{8, 10}, {95, 100}, {4900, 5000}};
	for (size_t i = 0; i < sizeof inf / sizeof inf[0]; i++) {
		qt_erlang_a r;
		CHECK_INT(qt_erlang_a_solve(inf[i].a, 1, inf[i].c, 1, &r), 0);
		double want = gsl_cdf_poisson_Q((unsigned)inf[i].c - 1, inf[i].a);
		CHECK_NEAR(r.p_wait, want, REL * want);
	}

	qt_erlang_a r = {-1, -1, -1, -1};
	CHECK_INT(qt_erlang_a_solve(10, 1, 5, 0, &r), -1); /* theta 0, overloaded */
	CHECK(r.p_wait == -1);
	CHECK_INT(qt_erlang_a_solve(0, 1, 5, 1, &r), -1);
	CHECK_INT(qt_erlang_a_solve(1, 1, 5, -1, &r), -1);
	CHECK_INT(qt_erlang_a_solve(1, 1, 0, 1, &r), -1);
	/* Overload against near-infinite patience: the mass sits near state 1e15, refused. */
	CHECK_INT(qt_erlang_a_solve(20, 1, 10, 1e-20, &r), -1);
	/* Critical load, same patience: the mode is at c but the queue spreads over ~1e9
	 * states above it, past the walk's limit. */
	CHECK_INT(qt_erlang_a_solve(10, 1, 10, 1e-14, &r), -1);
}

static void test_min_servers(void)
{
	/* queueing.py min-servers */
	CHECK_INT(qt_min_servers(10, 1, 0.1), 13);
	CHECK_INT(qt_min_servers(100, 0.5, 0.01), 221);
	CHECK_INT(qt_min_servers(1900, 1, 0.001), 1970);
	CHECK_INT(qt_min_servers(0.3, 1, 5), 1);
	/* The definition: meets the target, one server fewer does not. */
	int c = qt_min_servers(1900, 1, 0.001);
	qt_mmc at, below;
	CHECK_INT(qt_mmc_solve(1900, 1, c, &at), 0);
	CHECK_INT(qt_mmc_solve(1900, 1, c - 1, &below), 0);
	CHECK(at.wq <= 0.001 && below.wq > 0.001);
	/* Targets a hair either side of Wq(c) pin the answer to c and c + 1, so the
	 * carried recursion must agree with qt_mmc_solve's to 1e-12. */
	const struct { double lambda, mu; int c; } pin[] = {{10, 1, 14}, {1900, 1, 1975}, {0.5, 2, 2}};
	for (size_t i = 0; i < sizeof pin / sizeof pin[0]; i++) {
		CHECK_INT(qt_mmc_solve(pin[i].lambda, pin[i].mu, pin[i].c, &at), 0);
		CHECK_INT(qt_min_servers(pin[i].lambda, pin[i].mu, at.wq * (1 + 1e-12)), pin[i].c);
		CHECK_INT(qt_min_servers(pin[i].lambda, pin[i].mu, at.wq * (1 - 1e-12)), pin[i].c + 1);
	}
	/* Integral load: c = a is unstable, so the answer is above it. */
	CHECK(qt_min_servers(5, 1, 1e6) == 6);
	CHECK_INT(qt_min_servers(1, 1, 0), -1);
	CHECK_INT(qt_min_servers(1, -1, 1), -1);
	CHECK_INT(qt_min_servers(1e12, 1, 1), -1);
}

int main(void)
{
	test_mmc_known();
	test_mmc_identities();
	test_mg1();
	test_prio();
	test_erlang_a();
	test_min_servers();
	return test_report("test_queueing");
}
