/* cmd_plan.c - `fgsim plan`: the smallest integer value of a key (a pool's node count)
 * at which a target on one metric holds at its one-sided confidence bound, found by
 * bisection. Every value tried runs the same seed, so the comparisons between values
 * are made under common random numbers; bisection assumes the metric is monotone in
 * the key (more nodes never make p95 wait worse), which is what a planner assumes too. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "burst_use.h"
#include "check.h"
#include "cmd_sweep.h"
#include "experiment.h"
#include "metrics.h"
#include "names.h"
#include "outdir.h"
#include "outfile.h"
#include "numfmt.h"
#include "output.h"
#include "runjson.h"
#include "signals.h"
#include "sweep_files.h"
#include "stats.h"
#include "units.h"

static const cli_command plan_command = {
	.name = "plan",
	.accepts = OPT_SET | OPT_OUTDIR | OPT_THREADS | OPT_SEED | OPT_QUIET | OPT_VARY |
		   OPT_SCOPE | OPT_TARGET | OPT_POLICY | OPT_HELP | OPT_UNSET | OPT_POLICY_ADD,
	.needs = OPT_VARY | OPT_TARGET,
};

_Static_assert(2 + 10 /* log2(SWEEP_MAX_VALUES) */ + 1 <= 80, "plan.pt holds every value tried");

/* One value of the key, run. */
typedef struct plan_point {
	long long value;
	double mean, hw, bound;
	int holds;
	double cost, cost_hw, profit, profit_hw;
	/* burst nodes at this value (formatted with its own scenario, in case --vary sets
	 * their number): "" when the scenario has none; the figures and how to go without */
	int burst_used;
	char burst[320], burst_off[320];
} plan_point;

typedef struct plan {
	sweep_opts o;
	int metric, scope, policy; /* metric id; scope index; policy index in the scenario */
	char scope_name[SC_NAME_MAX + 16], policy_label[SC_NAME_MAX], currency[16];
	int upper;                 /* 1 for METRIC<=VALUE (upper bound), 0 for >= */
	double target, confidence;
	plan_point pt[80];         /* in the order tried: HI, LO and a bisection of at most
				      SWEEP_MAX_VALUES values, about 12 */
	int npt;
	double events;
} plan;

/* Parses 'METRIC<=VALUE' or 'METRIC>=VALUE'; VALUE is a number or, for a time metric,
 * a duration such as 10m. Returns 0 or 2 with a message printed. */
static int parse_target(plan *pl, const char *t)
{
	const char *op = strstr(t, "<=");
	pl->upper = 1;
	if (!op) {
		op = strstr(t, ">=");
		pl->upper = 0;
	}
	if (!op || op == t || !op[2]) {
		fprintf(stderr, "--target %s: write METRIC<=VALUE or METRIC>=VALUE, e.g. 'wait_p95<=600'\n", t);
		return 2;
	}
	char name[64], e[256];
	snprintf(name, sizeof name, "%.*s", (int)(op - t < 63 ? op - t : 63), t);
	pl->metric = -1;
	for (int m = 0; m < M_COUNT; m++)
		if (!strcmp(metric_names[m], name))
			pl->metric = m;
	if (pl->metric < 0) {
		char hint[NAMES_HINT_MAX], valid[1024];
		fprintf(stderr, "--target %s: unknown metric \"%s\"%s; valid: %s\n", t, name,
			names_hint_n(name, metric_names, M_COUNT, hint, sizeof hint),
			metric_choices(-1, valid, sizeof valid));
		return 2;
	}
	if (units_number(op + 2, &pl->target, e, sizeof e) && units_duration(op + 2, &pl->target, e, sizeof e)) {
		fprintf(stderr, "--target %s: \"%s\" is neither a number nor a duration (seconds: 600 or 10m)\n", t, op + 2);
		return 2;
	}
	return 0;
}

/* Finds --scope and --policy in the scenario. Returns 0 or 2 with a message printed. */
static int resolve_names(plan *pl, const scenario *sc)
{
	const char *names[MAX_SCOPES + SC_MAX_POLICIES + 1];
	char buf[MAX_SCOPES][SC_NAME_MAX + 16];
	const char *want = pl->o.scope ? pl->o.scope : "all";
	int ns = scope_count(sc);
	pl->scope = -1;
	for (int s = 0; s < ns; s++) {
		names[s] = scope_name(sc, s, buf[s], sizeof buf[s]);
		if (!strcmp(names[s], want))
			pl->scope = s;
	}
	names[ns] = NULL;
	char hint[NAMES_HINT_MAX], valid[1024];
	if (pl->scope < 0) {
		fprintf(stderr, "--scope %s: no such scope in %s%s; valid: %s\n", want, sc->path,
			names_hint(want, names, hint, sizeof hint),
			scope_choices(sc, valid, sizeof valid));
		return 2;
	}
	snprintf(pl->scope_name, sizeof pl->scope_name, "%s", want);
	if (!metric_applies((metric_id)pl->metric, scope_kind_of(sc, pl->scope))) {
		fprintf(stderr, "--target %s: %s is not reported for scope %s (only for %s)\n",
			pl->o.target, metric_names[pl->metric], want,
			metric_scope_kinds((metric_id)pl->metric, valid, sizeof valid));
		return 2;
	}
	pl->policy = pl->o.policy ? -1 : 0;
	for (int i = 0; i < sc->npolicies; i++) {
		names[i] = sc->policies[i].label;
		if (pl->o.policy && !strcmp(names[i], pl->o.policy))
			pl->policy = i;
	}
	names[sc->npolicies] = NULL;
	if (pl->policy < 0) {
		size_t used = 0;
		for (int i = 0; i < sc->npolicies && used < sizeof valid; i++)
			used += (size_t)snprintf(valid + used, sizeof valid - used, "%s%s",
						 i ? ", " : "", names[i]);
		fprintf(stderr, "--policy %s: the scenario does not list it%s; valid: %s\n",
			pl->o.policy, names_hint(pl->o.policy, names, hint, sizeof hint), valid);
		return 2;
	}
	snprintf(pl->policy_label, sizeof pl->policy_label, "%s", sc->policies[pl->policy].label);
	if (sc->replications < 2) {
		fprintf(stderr, "fgsim plan: run.replications is %d; a confidence bound needs at least 2\n", sc->replications);
		return 2;
	}
	snprintf(pl->currency, sizeof pl->currency, "%s", sc->currency);
	pl->confidence = sc->confidence;
	return 0;
}

/* Runs the key at value index v (of the --vary range) for the chosen policy only:
 * seeds do not depend on which policies run beside it, so the numbers are those of a
 * full run. Returns 0, 2 (the scenario does not load at this value), 1 (stopped by a
 * signal) or -1. */
static int evaluate(plan *pl, int v, plan_point *out)
{
	scenario sc;
	experiment e;
	char err[1024];
	const sweep *s = &pl->o.vary;
	/* a value of the one --vary key, for a policy and metric resolve_names found */
	FG_ASSERT(s->nkeys == 1 && v >= 0 && v < s->keys[0].nvalues);
	FG_ASSERT(pl->policy >= 0 && pl->metric >= 0 && pl->metric < M_COUNT && pl->scope >= 0);
	FG_ASSERT(out >= pl->pt && out < pl->pt + sizeof pl->pt / sizeof *pl->pt);
	if (sweep_load(s, v, pl->o.scenario, pl->o.ov, pl->o.nov, &sc, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	sc.policies[0] = sc.policies[pl->policy];
	sc.npolicies = 1;
	int rc = sweep_experiment(&e, &sc, cli_threads(&pl->o, &sc), pl->o.quiet || !experiment_is_root(),
				  signals_flag());
	if (rc == 0) {
		int n = sc.replications;
		double x[n], c[n], p[n];
		for (int r = 0; r < n; r++) {
			const rep_metrics *m = experiment_rep(&e, 0, r);
			x[r] = pl->upper ? m->v[pl->scope][pl->metric] : -m->v[pl->scope][pl->metric];
			c[r] = m->v[0][M_cost];
			p[r] = m->v[0][M_profit];
		}
		out->value = atoll(s->keys[0].value[v]);
		/* a lower bound is the upper bound of the negated values, negated */
		out->bound = stat_upper_bound(x, (size_t)n, pl->confidence);
		stat_ci(x, (size_t)n, pl->confidence, &out->mean, &out->hw);
		if (!pl->upper) {
			out->bound = -out->bound;
			out->mean = -out->mean;
		}
		out->holds = pl->upper ? out->bound <= pl->target : out->bound >= pl->target; /* NAN: does not hold */
		stat_ci(c, (size_t)n, sc.confidence, &out->cost, &out->cost_hw);
		stat_ci(p, (size_t)n, sc.confidence, &out->profit, &out->profit_hw);
		pl->events += e.events;
		if (sc.has_burst) { /* an answer that leans on rented nodes must say so */
			burst_use u;
			burst_use_of(&e, 0, &u);
			out->burst_used = u.used;
			burst_use_format(&sc, &u, out->burst, sizeof out->burst);
			burst_use_without(&sc, &u, out->burst_off, sizeof out->burst_off);
		}
		if (!isfinite(out->bound))
			fprintf(stderr, "warning: %s=%lld: %s has no confidence bound for %s (fewer than two replications "
					"with a value): counted as not meeting the target\n",
				s->keys[0].key, out->value, metric_names[pl->metric], pl->scope_name);
		if (!pl->o.quiet && isatty(STDERR_FILENO))
			fprintf(stderr, "plan: %s=%lld: %s %s bound %.6g %s %.6g: %s\n", s->keys[0].key, out->value,
				metric_names[pl->metric], pl->upper ? "upper" : "lower", out->bound, pl->upper ? "<=" : ">=",
				pl->target, out->holds ? "holds" : "does not hold");
	}
	experiment_free(&e);
	scenario_free(&sc);
	return rc;
}

static void put_num(FILE *f, double x)
{
	if (isfinite(x))
		fprintf(f, "%.10g", x);
}

/* plan.csv (every value tried, in order) and run.json. Returns 0 or -1 with errno. */
static int write_files(const plan *pl, const scenario *sc, const char *dir, int argc, char **argv, long long answer,
		       int found)
{
	outfile c, j;
	if (outfile_open(&c, dir, "plan.csv"))
		return -1;
	sweep_csv_cell(c.f, pl->o.vary.keys[0].key);
	fputs(",policy,scope,metric,mean,half_width,bound,holds,cost,cost_half_width,profit,profit_half_width\n", c.f);
	for (int i = 0; i < pl->npt; i++) {
		const plan_point *p = &pl->pt[i];
		fprintf(c.f, "%lld,%s,%s,%s,", p->value, pl->policy_label, pl->scope_name, metric_names[pl->metric]);
		put_num(c.f, p->mean);
		fputc(',', c.f);
		put_num(c.f, p->hw);
		fputc(',', c.f);
		put_num(c.f, p->bound);
		fprintf(c.f, ",%d,", p->holds);
		put_num(c.f, p->cost);
		fputc(',', c.f);
		put_num(c.f, p->cost_hw);
		fputc(',', c.f);
		put_num(c.f, p->profit);
		fputc(',', c.f);
		put_num(c.f, p->profit_hw);
		fputc('\n', c.f);
	}
	if (outfile_finish(&c) || outfile_open(&j, dir, "run.json")) {
		outfile_abort(&c);
		return -1;
	}
	char bound[160];
	snprintf(bound, sizeof bound, "one-sided %s confidence bound at level %.10g", pl->upper ? "upper" : "lower",
		 pl->confidence);
	json_t *doc = sweep_json_head(sc, &pl->o.vary, argc, argv);
	int bad = !doc || json_object_set_new(doc, "target", runjson_string(pl->o.target));
	bad |= json_object_set_new(doc, "scope", runjson_string(pl->scope_name));
	bad |= json_object_set_new(doc, "policy", runjson_string(pl->policy_label));
	bad |= json_object_set_new(doc, "bound", json_string(bound));
	bad |= json_object_set_new(doc, "answer", found ? json_integer(answer) : json_null());
	bad |= json_object_set_new(doc, "points_tried", json_integer(pl->npt));
	bad |= json_object_set_new(doc, "threads", json_integer(pl->o.threads));
	bad |= json_object_set_new(doc, "events", runjson_number(pl->events, "%.0f"));
	if (bad) {
		json_decref(doc);
		doc = NULL; /* sweep_json_tail then fails with ENOMEM */
	}
	if (sweep_json_tail(j.f, doc, sc) || outfile_finish(&j)) {
		int e = errno;
		outfile_abort(&j);
		outfile_abort(&c);
		errno = e;
		return -1;
	}
	if (outfile_publish(&c) || outfile_publish(&j))
		return -1;
	return 0;
}

/* --vary for plan: one integer key over LO:HI, every integer tried (no STEP). Returns 0,
 * or 2 with the problem on stderr. */
static int check_vary(const sweep *vary)
{
	const sweep_key *k = &vary->keys[0];
	if (vary->nkeys != 1 || !k->integer_range) {
		fprintf(stderr, "--vary %s: plan searches one integer key over a range LO:HI, e.g. --vary "
				"cluster.pools.[0].nodes=1:64\n",
			vary->nkeys == 1 ? k->key : vary->keys[1].key);
		return 2;
	}
	for (int v = 1; v < k->nvalues; v++)
		if (atoll(k->value[v]) != atoll(k->value[v - 1]) + 1) {
			fprintf(stderr, "--vary %s: plan tries every integer of LO:HI; leave the STEP out\n", k->key);
			return 2;
		}
	return 0;
}

/* The search: the index of the smallest value that meets the target into *hi_out and
 * *found = 1, or *found = 0 when even HI misses. Returns 0, or evaluate's status (1 a
 * signal, 2 bad input, -1 no memory) when a point could not be run. */
static int bisect(plan *pl, int *hi_out, int *found)
{
	/* Bisection on value indices: hi always meets the target, lo never does. Sound
	 * because every value runs the same replications under common random numbers, so
	 * the bound moves with the key and not with the noise of separate draws; and only
	 * if the metric is monotone in the key, which the help says plan assumes. HI goes
	 * first: if even it misses, nothing below is worth a run. */
	const sweep_key *k = &pl->o.vary.keys[0];
	int lo = 0, hi = k->nvalues - 1, erc;
	*found = 0;
	if ((erc = evaluate(pl, hi, &pl->pt[pl->npt++])))
		return erc;
	if (pl->pt[0].holds) {
		*found = 1;
		if (hi > 0 && (erc = evaluate(pl, 0, &pl->pt[pl->npt++])))
			return erc;
		if (hi == 0 || pl->pt[1].holds)
			hi = 0;
		while (hi - lo > 1) {
			int mid = lo + (hi - lo) / 2;
			FG_ASSERT(lo < mid && mid < hi); /* each step halves the range and ends */
			plan_point *p = &pl->pt[pl->npt++];
			if ((erc = evaluate(pl, mid, p)))
				return erc;
			if (p->holds)
				hi = mid;
			else
				lo = mid;
		}
	}
	*hi_out = hi;
	return 0;
}

/* The answer on stdout: KEY=N first (for scripts), then the figures at N, the burst
 * nodes used, and why N - 1 falls short. */
/* x in the target's terms: a time in the unit that suits the target (numfmt_time_unit),
 * with its name ("3.640 min"); other metrics as numbers. The decimals give the target
 * four significant digits, so a bound reads against it. */
static const char *in_target_unit(const plan *pl, double x, char *buf, size_t len)
{
	const char *unit = "";
	double scale = 1;
	if (!strcmp(metric_units[pl->metric], "s"))
		scale = numfmt_time_unit(pl->target, &unit);
	char n[64];
	numfmt(x / scale, numfmt_decimals(pl->target / scale), n, sizeof n);
	snprintf(buf, len, "%s%s%s", n, unit[0] ? " " : "", unit);
	return buf;
}

/* The mean and half-width the same way: "2.998 +- 0.773 min". */
static const char *ci_in_target_unit(const plan *pl, double mean, double hw, char *buf, size_t len)
{
	const char *unit = "";
	double scale = 1;
	if (!strcmp(metric_units[pl->metric], "s"))
		scale = numfmt_time_unit(pl->target, &unit);
	char n[128];
	numfmt_ci(mean / scale, hw / scale, numfmt_decimals(pl->target / scale), n, sizeof n);
	snprintf(buf, len, "%s%s%s", n, unit[0] ? " " : "", unit);
	return buf;
}

static void print_answer(const plan *pl, long long answer)
{
	const sweep_key *k = &pl->o.vary.keys[0];
	const plan_point *at = NULL; /* the answer is always a value tried, and it holds */
	for (int i = 0; i < pl->npt; i++)
		if (pl->pt[i].value == answer)
			at = &pl->pt[i];
	FG_ASSERT(at && at->holds);
	if (!at)
		at = &pl->pt[0];
	char a[160], b[96], c[96], bd[96], tg[96];
	printf("%s=%lld\n", k->key, answer);
	printf("%s (%s, policy %s) at %s=%lld: %s (%.0f%% CI), one-sided %s bound %s %s %s\n",
	       metric_names[pl->metric], pl->scope_name, pl->policy_label, k->key, answer,
	       ci_in_target_unit(pl, at->mean, at->hw, a, sizeof a), 100 * pl->confidence,
	       pl->upper ? "upper" : "lower", in_target_unit(pl, at->bound, bd, sizeof bd),
	       pl->upper ? "<=" : ">=", in_target_unit(pl, pl->target, tg, sizeof tg));
	printf("cost at %s=%lld: %s %s; profit: %s %s (%.0f%% CI, platform total over the measured time)\n", k->key,
	       answer, output_plain_ci(at->cost, at->cost_hw, b, sizeof b), pl->currency, output_plain_ci(at->profit, at->profit_hw, c, sizeof c),
	       pl->currency, 100 * pl->confidence);
	if (at->burst_used) {
		printf("burst nodes used at %s=%lld: %s (means over the replications; in the cost "
		       "above)\n",
		       k->key, answer, at->burst);
		printf("without burst nodes: add %s\n", at->burst_off);
	} else if (at->burst[0]) {
		printf("burst nodes used at %s=%lld: none\n", k->key, answer);
	}
	if (answer == atoll(k->value[0])) /* the range's floor: the true answer may be lower */
		printf("%s=%lld is the low end of --vary: the target may hold below it too\n", k->key,
		       answer);
	if (answer > atoll(k->value[0]))
		for (int i = 0; i < pl->npt; i++)
			if (pl->pt[i].value == answer - 1)
				printf("at %s=%lld the bound is %s: the target is not met\n", k->key, answer - 1,
				       in_target_unit(pl, pl->pt[i].bound, bd, sizeof bd));
	printf("%d values tried, in %s/plan.csv\n", pl->npt, pl->o.outdir);
}

int cmd_plan(int argc, char **argv)
{
	plan *pl = calloc(1, sizeof *pl);
	scenario sc;
	char err[1024], dflt[4096];
	int rc = 2, loaded = 0, staged = 0;
	outdir od;
	if (!pl) {
		fprintf(stderr, "fgsim plan: out of memory\n");
		return 1;
	}
	sweep_opts *o = &pl->o;
	if ((rc = cli_parse(o, &plan_command, argc, argv))) {
		rc = rc == 1 ? 0 : 2;
		goto done;
	}
	rc = 2;
	sweep_key *k = &o->vary.keys[0];
	if (check_vary(&o->vary) || parse_target(pl, o->target))
		goto done;
	/* HI is tried first, so it is the point the names are checked against; LO is loaded
	 * too so that a value the scenario rejects is an input error before any run. */
	if (sweep_load(&o->vary, 0, o->scenario, o->ov, o->nov, &sc, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		goto done;
	}
	scenario_free(&sc);
	if (sweep_load(&o->vary, k->nvalues - 1, o->scenario, o->ov, o->nov, &sc, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		goto done;
	}
	loaded = 1;
	if (resolve_names(pl, &sc))
		goto done;
	if (!o->outdir) {
		snprintf(dflt, sizeof dflt, "results/%s-plan", sc.name);
		o->outdir = dflt;
	}
	if (cli_signals("plan")) {
		rc = 1;
		goto done;
	}
	int brc = experiment_is_root() ? outdir_begin(&od, o->outdir, OUTDIR_EMPTY, err, sizeof err) : 0;
	if (brc)
		fprintf(stderr, "%s\n", err);
	if (experiment_agree(brc ? -1 : 0)) {
		rc = brc ? brc : 1;
		goto done;
	}
	staged = experiment_is_root();
	int hi = 0, found = 0, erc;
	if ((erc = bisect(pl, &hi, &found)))
		goto stopped;
	long long answer = atoll(k->value[hi]);
	/* Under MPI every rank takes the same steps (each point's results are shared);
	 * rank 0 alone writes, and its status is the run's. */
	if (!experiment_is_root()) {
		rc = found ? 0 : 1;
		goto done;
	}
	if (write_files(pl, &sc, od.stage, argc, argv, answer, found)) {
		fprintf(stderr, "%s: cannot write plan.csv and run.json: %s\n", o->outdir, strerror(errno));
		rc = cli_stopped_status(1);
		goto done;
	}
	if (outdir_commit(&od, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		rc = cli_stopped_status(1);
		goto done;
	}
	if (!found) {
		const plan_point *p = &pl->pt[0];
		char mn[96], bd[96];
		fprintf(stderr, "fgsim plan: the target %s is not met even at %s=%lld: %s (%s, policy %s) is %s with %s "
				"bound %s; raise HI or relax the target (points tried in %s/plan.csv)\n",
			o->target, k->key, p->value, metric_names[pl->metric], pl->scope_name, pl->policy_label,
			in_target_unit(pl, p->mean, mn, sizeof mn), pl->upper ? "upper" : "lower",
			in_target_unit(pl, p->bound, bd, sizeof bd), o->outdir);
		rc = 1;
		goto done;
	}
	print_answer(pl, answer);
	rc = 0;
	goto done;
stopped:
	if (erc == 1) {
		fprintf(stderr, "fgsim plan: stopped by signal %d; %s left as it was\n", signals_pending(), o->outdir);
		rc = cli_stopped_status(1);
	} else {
		if (erc < 0)
			fprintf(stderr, "fgsim plan: out of memory\n");
		rc = erc == 2 ? 2 : 1;
	}
done:
	if (staged)
		outdir_abort(&od);
	if (loaded)
		scenario_free(&sc);
	sweep_free(&o->vary);
	free(pl);
	return rc;
}
