/* queueing.c - analytic queueing results (Erlang C, M/M/c, Pollaczek-Khinchine, Cobham's
 * non-preemptive priority, Erlang-A) used to judge the simulator. Every function is
 * pure; the numerics stay finite for c in the tens of thousands, where the textbook
 * forms a^c / c! overflow. */
#include "queueing.h"

#include <limits.h>
#include <math.h>

#include "check.h"

/* Erlang-A: a term of the chain that adds less than this, relative, is dropped. */
#define QT_EA_EPS 1e-16
/* Erlang-A: the most states visited before giving up (a tenth of a second of work).
 * The chain spreads over ~sqrt(lambda / theta) states, so this covers patience up to
 * ~10^12 mean interarrival times; beyond that theta = 0 is the model to ask for. */
#define QT_EA_MAX_STATES 20000000LL
/* Erlang-A: the largest mode index handled; keeps state numbers exact in a double. */
#define QT_EA_MAX_MODE 1e15

/* Erlang B, the blocking probability of M/M/c/c, by the recursion
 * B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)) (Jagerman 1974, "Some properties of the
 * Erlang loss function", BSTJ 53). Every step stays in [0, 1], so unlike
 * a^c / c! / sum_k a^k / k! (Erlang 1917) nothing overflows for large c. */
static double erlang_b(double a, int c)
{
	double b = 1.0;
	for (int k = 1; k <= c; k++)
		b = a * b / (k + a * b);
	FG_ASSERT(b >= 0 && b <= 1); /* each step stays in [0, 1] (see above) */
	return b;
}

/* Erlang C from Erlang B: C = B / (1 - rho (1 - B)), rho = a / c (Kleinrock, Queueing
 * Systems Vol. 1, 1975, ch. 3, M/M/m; the form avoids the sum over k < c). */
static double erlang_c_from_b(double b, double a, int c)
{
	double rho = a / c;
	FG_ASSERT(rho < 1); /* qt_erlang_c answers 1 for a >= c without coming here */
	return b / (1.0 - rho * (1.0 - b));
}

double qt_erlang_c(double a, int c)
{
	if (!isfinite(a) || a < 0 || c < 1)
		return NAN;
	if (a >= c)
		return 1.0;
	return erlang_c_from_b(erlang_b(a, c), a, c);
}

/* True when lambda, mu, c describe an M/M/c queue at all (stability aside). */
static int mmc_args_ok(double lambda, double mu, int c)
{
	return isfinite(lambda) && lambda >= 0 && isfinite(mu) && mu > 0 && c >= 1;
}

int qt_mmc_solve(double lambda, double mu, int c, qt_mmc *out)
{
	if (!out || !mmc_args_ok(lambda, mu, c) || lambda >= c * mu)
		return -1;
	double a = lambda / mu;
	double pw = qt_erlang_c(a, c);
	FG_ASSERT(pw >= 0 && pw <= 1); /* a probability: a < c here */
	/* The wait of one who waits is exponential with rate c mu - lambda (Kleinrock
	 * Vol. 1, ch. 3), so Wq = C / (c mu - lambda); Lq by Little's law. */
	double wq = pw / (c * mu - lambda);
	out->wq = wq;
	out->p_wait = pw;
	out->lq = lambda * wq;
	out->rho = a / c;
	return 0;
}

double qt_mmc_wait_tail(double lambda, double mu, int c, double t)
{
	if (!mmc_args_ok(lambda, mu, c) || lambda >= c * mu || isnan(t))
		return NAN;
	if (t < 0)
		return 1.0;
	/* P(W > t) = C exp(-(c mu - lambda) t) for FCFS (Kleinrock Vol. 1, ch. 3). */
	return qt_erlang_c(lambda / mu, c) * exp(-(c * mu - lambda) * t);
}

double qt_mmc_wait_quantile(double lambda, double mu, int c, double p)
{
	if (!mmc_args_ok(lambda, mu, c) || lambda >= c * mu || !(p >= 0 && p <= 1))
		return NAN;
	double pw = qt_erlang_c(lambda / mu, c);
	/* W has an atom 1 - C at 0, then the exponential tail above: invert
	 * 1 - C exp(-(c mu - lambda) t) = p. */
	if (p <= 1.0 - pw)
		return 0.0;
	if (p == 1.0)
		return INFINITY;
	return log(pw / (1.0 - p)) / (c * mu - lambda);
}

double qt_mg1_wq(double lambda, double mean, double scv)
{
	if (!isfinite(lambda) || lambda < 0 || !isfinite(mean) || mean <= 0 ||
	    !isfinite(scv) || scv < 0)
		return NAN;
	double rho = lambda * mean;
	if (rho >= 1)
		return NAN;
	/* Pollaczek-Khinchine mean value formula, Wq = lambda E[S^2] / (2 (1 - rho))
	 * (Pollaczek 1930, Khinchine 1932; Kleinrock Vol. 1, ch. 5), with
	 * E[S^2] = (1 + scv) mean^2. */
	double es2 = (scv + 1.0) * mean * mean;
	return lambda * es2 / (2.0 * (1.0 - rho));
}

int qt_prio_wq(const double *lambdas, int k, double mu, int c, double *wq)
{
	if (!lambdas || !wq || k < 1 || !isfinite(mu) || mu <= 0 || c < 1)
		return -1;
	double lambda = 0;
	for (int i = 0; i < k; i++) {
		if (!isfinite(lambdas[i]) || lambdas[i] < 0)
			return -1;
		lambda += lambdas[i];
	}
	if (lambda >= c * mu)
		return -1;
	/* Cobham 1954 ("Priority assignment in waiting line problems", Oper. Res. 2),
	 * for c servers with one exponential service rate (Gross & Harris, Fundamentals
	 * of Queueing Theory, non-preemptive multichannel priorities):
	 * W_k = W0 / ((1 - s_{k-1}) (1 - s_k)), s_k = sum_{i <= k} lambda_i / (c mu),
	 * W0 = C(a, c) / (c mu), the mean time until some server frees. Classes below
	 * wait longer because the classes above keep cutting in. */
	double w0 = qt_erlang_c(lambda / mu, c) / (c * mu);
	double s_prev = 0;
	for (int i = 0; i < k; i++) {
		double s = s_prev + lambdas[i] / (c * mu);
		wq[i] = w0 / ((1.0 - s_prev) * (1.0 - s));
		s_prev = s;
	}
	FG_ASSERT(s_prev < 1 + 1e-12); /* the loads summed to lambda / (c mu) < 1 */
	return 0;
}

/* Total departure rate from state n of the Erlang-A chain: busy servers finish at mu
 * each, waiting customers abandon at theta each. Non-decreasing in n. */
static double ea_death(long long n, int c, double mu, double theta)
{
	if (n <= c)
		return (double)n * mu;
	return c * mu + (double)(n - c) * theta;
}

/* Running sums over the chain's unnormalised probabilities pi_n. */
struct ea_sums {
	double s; /* sum pi_n */
	double w; /* sum over n >= c of pi_n */
	double e; /* sum (n - c)^+ pi_n */
};

static void ea_add(struct ea_sums *sum, long long n, int c, double pi)
{
	sum->s += pi;
	if (n >= c) {
		sum->w += pi;
		sum->e += (double)(n - c) * pi;
	}
}

int qt_erlang_a_solve(double lambda, double mu, int c, double theta, qt_erlang_a *out)
{
	if (!out || !mmc_args_ok(lambda, mu, c) || lambda <= 0 || !isfinite(theta) ||
	    theta < 0)
		return -1;
	if (theta == 0) {
		qt_mmc m;
		if (qt_mmc_solve(lambda, mu, c, &m))
			return -1;
		out->p_abandon = 0;
		out->lq = m.lq;
		out->p_wait = m.p_wait;
		out->wq_all = m.wq;
		return 0;
	}
	/* The birth-death chain of M/M/c+M (Garnett, Mandelbaum & Reiman 2002, "Designing
	 * a call center with impatient customers", MSOM 4(3)): pi_n = pi_{n-1} lambda /
	 * death(n). Its ratios fall with n, so pi is unimodal; starting at the mode with
	 * pi_m = 1 keeps every term <= 1 (no overflow for any c) and walking outwards
	 * the terms only shrink, so the walk stops once what is left is negligible. */
	long long m;
	if (lambda <= c * mu) {
		m = (long long)floor(lambda / mu);
	} else {
		double beyond = floor((lambda - c * mu) / theta);
		if (beyond > QT_EA_MAX_MODE)
			return -1;
		m = c + (long long)beyond;
	}
	struct ea_sums sum = {0, 0, 0};
	ea_add(&sum, m, c, 1.0);
	long long steps = 0;

	/* Down from the mode. Further ratios pi_{n-1} / pi_n = death(n) / lambda are no
	 * larger than the current r, so the rest is at most t r / (1 - r). While n >= c
	 * every kept term is in the queue too, so this bounds the error of w and e. */
	double t = 1.0;
	for (long long n = m; n > 0; n--) {
		t *= ea_death(n, c, mu, theta) / lambda;
		ea_add(&sum, n - 1, c, t);
		double r = ea_death(n - 1, c, mu, theta) / lambda;
		if (t == 0 || (r < 1 && t * r / (1 - r) <= QT_EA_EPS * sum.s))
			break;
		if (++steps > QT_EA_MAX_STATES)
			return -1;
	}

	/* Up from the mode, at least to c so that small P(wait) keeps its digits. Further
	 * ratios are at most r = lambda / death(n + 1), so the rest of the sum is at most
	 * t r / (1 - r) and of the (n - c)-weighted sum t r ((n - c) / (1 - r) +
	 * 1 / (1 - r)^2). */
	t = 1.0;
	for (long long n = m + 1;; n++) {
		t *= lambda / ea_death(n, c, mu, theta);
		ea_add(&sum, n, c, t);
		if (t == 0)
			break;
		if (n >= c) {
			double r = lambda / ea_death(n + 1, c, mu, theta);
			if (r < 1) {
				double g = 1.0 / (1.0 - r);
				double tail_s = t * r * g;
				double tail_e = t * r * ((double)(n - c) * g + g * g);
				if (tail_s <= QT_EA_EPS * sum.w && tail_e <= QT_EA_EPS * sum.e)
					break;
			}
		}
		if (++steps > QT_EA_MAX_STATES)
			return -1;
	}

	double lq = sum.e / sum.s;
	/* Abandonments happen at rate theta per waiting customer, so the fraction of
	 * arrivals that abandon is theta Lq / lambda (Garnett et al. 2002). */
	out->p_abandon = theta * lq / lambda;
	out->lq = lq;
	out->p_wait = sum.w / sum.s;
	out->wq_all = lq / lambda;
	return 0;
}

int qt_min_servers(double lambda, double mu, double wq_max)
{
	if (!mmc_args_ok(lambda, mu, 1) || !isfinite(wq_max) || wq_max <= 0)
		return -1;
	double a = lambda / mu;
	if (a >= INT_MAX - 1)
		return -1;
	/* Below floor(a) servers the queue is unstable, so start there and carry the
	 * Erlang B recursion one server at a time instead of restarting it for each c;
	 * Wq falls as c grows, so the first c that meets the target is the smallest. */
	int c = a < 1 ? 1 : (int)a;
	double b = erlang_b(a, c);
	for (;;) {
		if (a < c) {
			double wq = erlang_c_from_b(b, a, c) / (c * mu - lambda);
			if (wq <= wq_max)
				return c;
		}
		if (c == INT_MAX)
			return -1;
		c++;
		b = a * b / (c + a * b);
	}
}
