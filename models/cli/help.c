/* help.c - the help of every command as data (one help_cmd per command) and the three
 * ways it is printed: the terminal's help, the short usage after bad usage, and the
 * man page in roff. Text is written once here; an option shared by several commands is
 * described once in `shared` and named by the commands that take it. */
#include "help.h"

#include <string.h>

#include "check.h"

#define MAX_OPTS 16
#define WIDTH 80    /* the terminal help is wrapped to fit 80 columns */
#define OPT_COL 22  /* where an option's description starts */

/* One option as the help shows it. In a command's list, an entry without text is
 * described by the entry of `shared` with the same name (and its default, unless the
 * command gives its own). */
typedef struct help_opt {
	const char *name; /* the option and its operand: "-j N" */
	const char *dflt; /* its default in words, or NULL (a flag, or nothing to say) */
	const char *text;
} help_opt;

typedef struct help_cmd {
	const char *name;
	const char *summary;  /* one line, for the command list and the man page */
	const char *synopsis; /* each form starts "fgsim ", a continuation line a space */
	const char *text;     /* the description: paragraphs separated by a blank line */
	help_opt opts[MAX_OPTS];
	const char *example; /* shell lines, one a line */
} help_cmd;

static const help_opt shared[] = {
	{"-o DIR", NULL, "the results folder, replaced whole or not at all"},
	{"--set KEY=VALUE", NULL,
	 "overrides a scenario key, in libconfig syntax: --set run.horizon=30d, --set "
	 "cluster.pools.[1].nodes=4 (a list index is a part of the key, after a dot: .[1], not [1]), --set "
	 "'policies=(\"fcfs\", \"sjf\")'. KEY.[+]=VALUE appends VALUE to the list KEY. May be repeated; "
	 "applied in order, before the scenario is checked"},
	{"--unset KEY", NULL,
	 "removes KEY (a setting or a list element) from the scenario before it is checked, e.g. "
	 "--unset 'promotions.[0].demand' --set 'promotions.[0].elasticity=2'. May be repeated; "
	 "--set and --unset apply in the order given"},
	{"--policy-add POLICY", NULL,
	 "appends POLICY to the scenario's policies: a built-in name (fcfs, priority, sjf, aging, "
	 "fair-share, priority-preemptive, easy-backfill) or a group such as '{ name = \"mine\"; "
	 "plugin = \"models/plugins/fcfs.so\"; }', its plugin path relative to the current folder. "
	 "The same as --set 'policies.[+]=POLICY'; may be repeated"},
	{"-j N", "the number of online CPUs",
	 "worker threads; the results are byte-identical for any N"},
	{"--seed S", "run.seed of the scenario", "the seed of every random stream (a --set run.seed=S)"},
	{"--quiet", NULL, "no progress line and no table of results on the terminal"},
	{"--max-memory SIZE", "half of the physical memory",
	 "refuse (exit 2) when the estimated peak memory exceeds SIZE (512M, 4G)"},
	{"--force", NULL, "run even when the memory estimate exceeds the cap"},
	{"--scope SCOPE", "all",
	 "the part of the platform the metrics are taken over: all, class:NAME, pool:NAME, "
	 "window:NAME (a promotion's window) or tenant:NAME (fgsim metrics lists them)"},
	{"-h, --help", NULL, "this help"},
};
#define NSHARED (sizeof shared / sizeof shared[0])

static const help_cmd commands[] = {
	{.name = "run",
	 .summary = "simulate every policy of a scenario and write the results",
	 .synopsis = "fgsim run SCENARIO.cfg [-o DIR] [-j N] [--seed S] [--set KEY=VALUE]...\n"
		     "          [--unset KEY]... [--policy-add POLICY]... [--quiet]\n"
		     "          [--max-memory SIZE] [--force]",
	 .text = "Runs run.replications replications of the scenario for each of its policies, "
		 "under common random numbers, and writes summary.csv (each metric's mean and "
		 "confidence half-width), replications.csv, compare.csv (with two or more policies: "
		 "paired differences), run.json and, when output.plots is on, plots/ and "
		 "report.html. On a terminal it draws a progress line on stderr and ends with a "
		 "table of the main metrics, marking the best policy of each column.",
	 .opts = {{"-o DIR", "results/NAME, NAME the scenario's name", NULL},
		  {"-j N"}, {"--seed S"}, {"--set KEY=VALUE"}, {"--unset KEY"},
		  {"--policy-add POLICY"}, {"--quiet"}, {"--max-memory SIZE"}, {"--force"},
		  {"-h, --help"}},
	 .example = "fgsim run scenarios/fastgpu-promo.cfg -o results/promo\n"
		    "fgsim run scenarios/mmc.cfg --set run.replications=20 --policy-add sjf -j 2"},
	{.name = "fill",
	 .summary = "GPU-sharing placements filling a cluster (Weng et al., ATC 2023)",
	 .synopsis = "fgsim fill SCENARIO.cfg [--until X] [--seeds N] [--placements P1,P2,...]\n"
		     "          [--shuffle] [-j N] [--seed S] [--quiet] [-o DIR]",
	 .text = "Places the scenario's Alibaba pod list (workload.arrivals.file), pod by pod and "
		 "never removed, on its node list (cluster.nodes_file) under each GPU-sharing "
		 "placement (random, dot-product, gpu-clustering, gpu-packing, best-fit-multi, fgd), "
		 "the pods trimmed or topped up with random draws until their GPU demand reaches X "
		 "times the cluster's GPUs, and writes fill.csv (GPU allocation, fragmentation and "
		 "failed demand at each percent of arrived demand, means over the seeds with their "
		 "confidence half-widths) and plots/fill_alloc.png, plots/fill_frag.png. See "
		 "docs/gpushare.md.",
	 .opts = {{"--until X", "1.3", "the arrived GPU demand to reach, times the cluster's GPUs"},
		  {"--seeds N", "10", "seeds (each its own draws and ties)"},
		  {"--placements P1,P2", "all six", "the placements to compare"},
		  {"--shuffle", NULL, "shuffle the pods' order, as the paper's published runs do"},
		  {"-o DIR", "results/NAME-fill", NULL},
		  {"-j N"}, {"--seed S"}, {"--quiet"}, {"-h, --help"}},
	 .example = "fgsim fill scenarios/openb-fill.cfg -j 2"},
	{.name = "check",
	 .summary = "validate a scenario and print what it resolves to",
	 .synopsis = "fgsim check SCENARIO.cfg [--set KEY=VALUE]... [--unset KEY]...\n"
		     "          [--policy-add POLICY]... [--max-memory SIZE] [--force]",
	 .text = "Loads the scenario as run would, with the same overrides, and prints its run "
		 "settings, arrivals, classes, promotions, policies and pools with their offered "
		 "load (and, for an M/M/c scenario, the Erlang C prediction), then the estimated "
		 "peak memory. Simulates nothing. Errors name the place: FILE:LINE, or --set KEY.",
	 .opts = {{"--set KEY=VALUE"}, {"--unset KEY"}, {"--policy-add POLICY"},
		  {"--max-memory SIZE"}, {"--force"},
		  {"-h, --help"}},
	 .example = "fgsim check scenarios/fastgpu-promo.cfg --set run.horizon=30d"},
	{.name = "sweep",
	 .summary = "run a scenario at every point of a grid of key values",
	 .synopsis = "fgsim sweep SCENARIO.cfg --vary KEY=A:B[:STEP] | --vary KEY=V1,V2,...\n"
		     "          [--vary ...] [-o DIR] [-j N] [--seed S] [--set KEY=VALUE]...\n"
		     "          [--unset KEY]... [--policy-add POLICY]... [--metrics M1,M2,...]\n"
		     "          [--scope SCOPE] [--quiet]",
	 .text = "Runs every point of the cartesian product of the --vary keys (the first --vary "
		 "the slowest), each point a whole experiment, and writes sweep.csv, run.json and "
		 "plots of --metrics against the first key. Finished points are kept in DIR/points/, "
		 "so a sweep that was stopped resumes when run again.",
	 .opts = {{"--vary KEY=A:B[:STEP]", NULL,
		   "a key and its values: a range from A to B (STEP 1 unless given; durations "
		   "allowed, 1h:4h:1h) or a list V1,V2,...; required, may be repeated"},
		  {"-o DIR", "results/NAME-sweep", NULL},
		  {"--metrics M1,M2,...", "wait_p95,utilization,profit,abandon_rate",
		   "the metrics plotted (fgsim metrics lists them); a default one that --scope "
		   "does not report is left out"},
		  {"--scope SCOPE"}, {"-j N"}, {"--seed S"}, {"--set KEY=VALUE"}, {"--unset KEY"},
		  {"--policy-add POLICY"}, {"--quiet"}, {"-h, --help"}},
	 .example = "fgsim sweep scenarios/mmc.cfg --vary cluster.pools.[0].nodes=5:8 \\\n"
		    "    --metrics wait_p95,utilization"},
	{.name = "plan",
	 .summary = "find the smallest value of a key that meets a target",
	 .synopsis = "fgsim plan SCENARIO.cfg --vary KEY=LO:HI --target 'METRIC<=VALUE'\n"
		     "          [--scope SCOPE] [--policy NAME] [-o DIR] [-j N] [--seed S]\n"
		     "          [--set KEY=VALUE]... [--unset KEY]... [--policy-add POLICY]...\n"
		     "          [--quiet]",
	 .text = "Finds the smallest integer KEY in LO:HI at which the target holds at its "
		 "one-sided confidence bound (level run.confidence) for one policy, by bisection "
		 "under common random numbers: it assumes the metric is monotone in KEY. Its first "
		 "line on stdout is KEY=N; it writes DIR/plan.csv and run.json, and exits 1 when "
		 "even HI misses the target.",
	 .opts = {{"--vary KEY=LO:HI", NULL, "the integer key to plan and its range; required"},
		  {"--target 'METRIC<=VALUE'", NULL,
		   "the target, METRIC<=VALUE or METRIC>=VALUE, VALUE a number or a duration "
		   "(5m); required (fgsim metrics lists the metrics)"},
		  {"--scope SCOPE"},
		  {"--policy NAME", "the scenario's first policy", "the policy planned for"},
		  {"-o DIR", "results/NAME-plan", NULL},
		  {"-j N"}, {"--seed S"}, {"--set KEY=VALUE"}, {"--unset KEY"},
		  {"--policy-add POLICY"}, {"--quiet"}, {"-h, --help"}},
	 .example = "fgsim plan scenarios/fastgpu-promo.cfg --vary cluster.pools.[1].nodes=1:30 \\\n"
		    "    --target 'wait_p95<=5m' --scope window:flash-sale --policy priority"},
	{.name = "analytic",
	 .summary = "queueing formulas to check a simulation against",
	 .synopsis = "fgsim analytic KIND ARGS...",
	 .text = "Prints closed-form queueing results; rates are per unit time and times in the "
		 "same unit. KIND and its ARGS:\n"
		 "\n"
		 "mmc LAMBDA MU C: M/M/c FCFS: Wq, P_wait, Lq, rho (Erlang C).\n"
		 "mg1 LAMBDA MEAN SCV: M/G/1: Wq (Pollaczek-Khinchine), rho.\n"
		 "prio L1,L2,... MU C: non-preemptive priority M/M/c, class 0 highest: Wq of each "
		 "class (Cobham).\n"
		 "erlang-a LAMBDA MU C THETA: M/M/c+M with patience rate THETA: P_abandon, Lq, "
		 "P_wait, Wq_all (Erlang-A).\n"
		 "min-servers LAMBDA MU WQ_MAX: the smallest c with M/M/c Wq <= WQ_MAX.",
	 .opts = {{"-h, --help"}},
	 .example = "fgsim analytic mmc 4.5 1 5"},
	{.name = "plot",
	 .summary = "redraw the plots and report of a results folder",
	 .synopsis = "fgsim plot DIR",
	 .text = "Draws DIR/plots/ and DIR/report.html anew from the CSV files in DIR (a folder "
		 "written by run or sweep), with gnuplot.",
	 .opts = {{"-h, --help"}},
	 .example = "fgsim plot results/fastgpu-promo"},
	{.name = "calibrate",
	 .summary = "time the GPU kernels on this machine (needs a GPU and fgcal)",
	 .synopsis = "fgsim calibrate --gpu NAME [-o FILE] [FGCAL OPTIONS]",
	 .text = "Runs the calibration harness bin/fgcal, built beside fgsim where the CUDA "
		 "toolkit exists, with the same arguments: it times fgsim's kernels on GPU 0 and "
		 "writes a measured calibration file. bin/fgcal --help lists its other options "
		 "(--list, --selftest, --only TEXT, the stopping rule).",
	 .opts = {{"--gpu NAME", NULL, "the GPU: a key of kernels/datasheets.cfg (h100-sxm, h200, ...)"},
		  {"-o FILE", "models/calibration/NAME.cfg", "the calibration file written"},
		  {"-h, --help"}},
	 .example = "fgsim calibrate --gpu h100-sxm"},
	{.name = "keys",
	 .summary = "list every scenario key with its type, default, unit and meaning",
	 .synopsis = "fgsim keys [--tsv | --markdown] [PREFIX]",
	 .text = "Prints every key a scenario file may hold, from the loader's own table: a line "
		 "with the full dotted path (cluster.pools.[].nodes), its type, default and unit, "
		 "and its description indented under it. PREFIX keeps the keys under it "
		 "(cluster.pools).",
	 .opts = {{"--tsv", NULL, "tab-separated: key, type, default, unit, description, example"},
		  {"--markdown", NULL,
		   "table rows: key, type, default, unit, example, description (the rows of "
		   "docs/scenarios.md, which the tests compare with this print)"},
		  {"-h, --help"}},
	 .example = "fgsim keys promotions"},
	{.name = "metrics",
	 .summary = "list the metrics and scopes with their definitions",
	 .synopsis = "fgsim metrics [--tsv | --markdown]",
	 .text = "Prints every metric run writes to summary.csv (the names --metrics and "
		 "--target take) with its unit and the scopes it is reported in, and every kind "
		 "of scope (--scope), with their definitions.",
	 .opts = {{"--tsv", NULL, "the metrics only, tab-separated: name, unit, scopes, definition"},
		  {"--markdown", NULL, "the metrics only, as the table rows of docs/outputs.md"},
		  {"-h, --help"}},
	 .example = "fgsim metrics"},
	{.name = "help",
	 .summary = "show the help of fgsim or of one command",
	 .synopsis = "fgsim help [COMMAND | --man]",
	 .text = "Without COMMAND, the general help; with it, the command's help, the same as "
		 "fgsim COMMAND --help. --man prints the man page fgsim(1) in roff.",
	 .opts = {{"--man", NULL, "the man page, for man -l - or groff -man"}},
	 .example = "fgsim help plan"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const char *const names[] = {"run", "check", "sweep", "plan", "analytic", "plot",
				    "calibrate", "keys", "metrics", "fill", "help", NULL};
_Static_assert(sizeof names / sizeof names[0] == NCOMMANDS + 1, "names lists every command");

const char *const *help_names(void)
{
	return names;
}

static const help_cmd *find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* Option o of a command with its description and default filled in from `shared`. */
static help_opt resolve(const help_opt *o)
{
	help_opt r = *o;
	if (o->text)
		return r;
	for (size_t i = 0; i < NSHARED; i++)
		if (!strcmp(shared[i].name, o->name)) {
			r.text = shared[i].text;
			if (!r.dflt)
				r.dflt = shared[i].dflt;
			return r;
		}
	FG_ASSERT(0 && "a command names an option `shared` does not describe");
	return r;
}

void help_wrap(FILE *f, const char *text, int col, int indent, int width)
{
	const char *p = text;
	while (*p) {
		if (*p == '\n') {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
			p++;
			continue;
		}
		if (*p == ' ') {
			p++;
			continue;
		}
		int n = (int)strcspn(p, " \n");
		if (col > indent && col + 1 + n > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", n, p);
		col += n;
		p += n;
	}
}

static void wrap(FILE *f, const char *text, int col, int indent)
{
	help_wrap(f, text, col, indent, WIDTH);
}

/* "usage: " before the first line of the synopsis, the same width of blanks before the
 * others, so that the continuation lines stay under the first. */
static void put_synopsis(FILE *f, const help_cmd *c)
{
	const char *p = c->synopsis;
	for (int first = 1; *p; first = 0) {
		size_t n = strcspn(p, "\n");
		fprintf(f, "%s%.*s\n", first ? "usage: " : "       ", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

int help_command(FILE *f, const char *cmd)
{
	const help_cmd *c = find(cmd);
	if (!c)
		return -1;
	fprintf(f, "fgsim %s - %s\n\n", c->name, c->summary);
	put_synopsis(f, c);
	fputc('\n', f);
	wrap(f, c->text, 0, 0);
	fputs("\n\noptions:\n", f);
	for (int i = 0; i < MAX_OPTS && c->opts[i].name; i++) {
		help_opt o = resolve(&c->opts[i]);
		int len = 2 + (int)strlen(o.name);
		fprintf(f, "  %s", o.name);
		/* a long option name takes a line of its own */
		if (len + 2 > OPT_COL) {
			fprintf(f, "\n%*s", OPT_COL, "");
		} else {
			fprintf(f, "%*s", OPT_COL - len, "");
		}
		char text[1024];
		snprintf(text, sizeof text, "%s%s%s%s", o.text, o.dflt ? " (default: " : "",
			 o.dflt ? o.dflt : "", o.dflt ? ")" : "");
		wrap(f, text, OPT_COL, OPT_COL);
		fputc('\n', f);
	}
	fputs("\nexample:\n", f);
	for (const char *p = c->example; *p;) {
		size_t n = strcspn(p, "\n");
		fprintf(f, "  %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
	return 0;
}

void help_usage(FILE *f, const char *cmd)
{
	const help_cmd *c = find(cmd);
	FG_ASSERT(c); /* only commands help knows print their usage */
	put_synopsis(f, c);
	fprintf(f, "(fgsim help %s describes the options)\n", c->name);
}

void help_general(FILE *f)
{
	fputs("fgsim - discrete-event simulator of a cloud GPU rental platform\n\n"
	      "usage: fgsim COMMAND [ARGUMENTS]\n"
	      "       fgsim help COMMAND | fgsim COMMAND --help   the command's options and an example\n"
	      "       fgsim --version\n\ncommands:\n",
	      f);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-11s%s\n", commands[i].name, commands[i].summary);
	fputs("\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (!strcmp(commands[i].name, "help"))
			continue;
		const char *p = commands[i].synopsis;
		while (*p) {
			size_t n = strcspn(p, "\n");
			fprintf(f, "  %.*s\n", (int)n, p);
			p += n + (p[n] == '\n');
		}
	}
	fputs("\nexit status: 0 ok, 1 failure (plan: target missed), 2 bad usage or input,\n"
	      "128+N stopped by signal N (the previous results are left as they were)\n",
	      f);
}

/* ---- the man page ------------------------------------------------------------------- */

/* Writes text as roff: a backslash doubled, '-' as \- (a minus, so that options can be
 * searched and copied), a '.' or '\'' opening a line protected by \&, and a blank line in
 * text as a new paragraph, a single line break as .br. bol: text starts a line. */
static void roff(FILE *f, const char *text, int bol)
{
	for (const char *p = text; *p; p++) {
		if (bol && (*p == '.' || *p == '\''))
			fputs("\\&", f);
		bol = 0;
		if (*p == '\\')
			fputs("\\e", f);
		else if (*p == '-')
			fputs("\\-", f);
		else if (*p == '\n' && p[1] == '\n') {
			fputs("\n.PP\n", f);
			p++;
			bol = 1;
		} else if (*p == '\n') { /* a line of its own, also in filled text */
			fputs("\n.br\n", f);
			bol = 1;
		} else {
			fputc(*p, f);
			bol = *p == '\n';
		}
	}
}

/* A command's synopsis as one filled line per form: its continuation lines joined. */
static void roff_synopsis(FILE *f, const help_cmd *c)
{
	fputs(".PP\n", f);
	for (const char *p = c->synopsis; *p;) {
		size_t n = strcspn(p, "\n");
		const char *line = p;
		while (*line == ' ')
			line++;
		fputs(line == p && p != c->synopsis ? "\n.br\n" : p == c->synopsis ? "" : " ", f);
		char buf[512];
		snprintf(buf, sizeof buf, "%.*s", (int)(n - (size_t)(line - p)), line);
		roff(f, buf, 0);
		p += n + (p[n] == '\n');
	}
	fputc('\n', f);
}

void help_man(FILE *f, const char *version)
{
	fprintf(f, ".TH FGSIM 1 \"\" \"fgsim %s\" \"User Commands\"\n", version);
	fputs(".SH NAME\nfgsim \\- discrete\\-event simulator of a cloud GPU rental platform\n"
	      ".SH SYNOPSIS\n.B fgsim\n.I COMMAND\n[\n.I ARGUMENTS\n]\n.br\n.B fgsim help\n"
	      "[\n.I COMMAND\n]\n.br\n.B fgsim\n.I COMMAND\n.B \\-\\-help\n"
	      ".SH DESCRIPTION\n"
	      "fgsim simulates the queues, nodes, prices and policies of a GPU rental platform "
	      "from a scenario file (libconfig), compares queue policies under common random "
	      "numbers with confidence intervals, sweeps and plans capacity.\n"
	      ".SH COMMANDS\n",
	      f);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const help_cmd *c = &commands[i];
		fprintf(f, ".SS \"fgsim %s\"\n", c->name);
		roff(f, c->summary, 1);
		fputc('\n', f);
		roff_synopsis(f, c);
		fputs(".PP\n", f);
		roff(f, c->text, 1);
		fputc('\n', f);
		for (int k = 0; k < MAX_OPTS && c->opts[k].name; k++) {
			help_opt o = resolve(&c->opts[k]);
			fputs(".TP\n.B ", f);
			roff(f, o.name, 0);
			fputc('\n', f);
			roff(f, o.text, 1);
			if (o.dflt) {
				fputs(" (default: ", f);
				roff(f, o.dflt, 0);
				fputc(')', f);
			}
			fputc('\n', f);
		}
		fputs(".PP\nExample:\n.PP\n.RS\n.nf\n", f);
		roff(f, c->example, 1);
		fputs("\n.fi\n.RE\n", f);
	}
	fputs(".SH EXIT STATUS\n0 success; 1 failure (for plan: the target is missed even at the "
	      "range's end); 2 bad usage or input, the message naming its place (FILE:LINE or "
	      "\\-\\-set KEY); 128+N stopped by signal N, the previous results left as they were.\n"
	      ".SH FILES\n.TP\n.I results/NAME/\nwhere run writes by default.\n"
	      ".TP\n.I models/calibration/\nthe GPU calibration files a scenario names.\n"
	      ".TP\n.I include/fgsim_plugin.h\nthe header of policy and placement plugins.\n"
	      ".SH SEE ALSO\nREADME.md and docs/ in fgsim's source; fgsim keys and fgsim metrics "
	      "for the scenario keys and the metrics.\n",
	      f);
}
