/* cmd_metrics.c - `fgsim metrics [--tsv]`: every metric with its unit, the scopes it is
 * reported in and its definition, from METRIC_LIST (metrics.h), then the kinds of
 * scope; docs/outputs.md is tested against this print. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "options.h"
#include "help.h"
#include "metrics.h"

/* The scopes metric m is reported in, as "all,class,pool" into buf. */
static const char *scopes_of(int m, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = 0;
	for (int k = SCOPE_ALL; k <= SCOPE_TENANT; k++) {
		if (!metric_applies((metric_id)m, (scope_kind)k))
			continue;
		const char *name = scope_kind_names[k];
		int n = (int)strcspn(name, ":"); /* "class:NAME" is written "class" */
		o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s%.*s", o ? "," : "", n,
				      name);
	}
	return buf;
}

int cmd_metrics(int argc, char **argv)
{
	int tsv, md, rc = cli_listing_args("metrics", argc, argv, &tsv, &md, NULL);
	if (rc)
		return rc == 1 ? 0 : 2;
	char sc[64];
	if (tsv || md) {
		for (int m = 0; m < M_COUNT; m++)
			printf(md ? "| `%s` | %s | %s | %s |\n" : "%s\t%s\t%s\t%s\n", metric_names[m],
			       metric_units[m], scopes_of(m, sc, sizeof sc), metric_definitions[m]);
		return 0;
	}
	int w = 6;
	for (int m = 0; m < M_COUNT; m++)
		w = (int)strlen(metric_names[m]) > w ? (int)strlen(metric_names[m]) : w;
	printf("%-*s  %-8s  %-28s  %s\n", w, "METRIC", "UNIT", "SCOPES", "DEFINITION");
	/* the definition wrapped in its column, so that a line stays under 100 characters */
	int col = w + 2 + 8 + 2 + 28 + 2;
	for (int m = 0; m < M_COUNT; m++) {
		printf("%-*s  %-8s  %-28s  ", w, metric_names[m], metric_units[m],
		       scopes_of(m, sc, sizeof sc));
		help_wrap(stdout, metric_definitions[m], col, col, 100);
		putchar('\n');
	}
	printf("\n%-*s  %s\n", w, "SCOPE", "WHAT IT HOLDS");
	for (int k = SCOPE_ALL; k <= SCOPE_TENANT; k++)
		printf("%-*s  %s\n", w, scope_kind_names[k], scope_kind_definitions[k]);
	printf("\nTimes are in seconds, money in the scenario's currency; a job counts when it "
	       "arrived\nafter the warm-up. summary.csv leaves a metric empty where it is "
	       "undefined.\n");
	return 0;
}
