/* cmd_keys.c - `fgsim keys [--tsv] [PREFIX]`: every scenario key from the loader's own
 * table (scenario_keys.h), one a line, so the reference a user reads is the list the
 * loader checks; docs/scenarios.md is tested against this print. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "options.h"
#include "scenario_keys.h"

/* A key is under prefix when it is the prefix or continues it with a dot. */
static int under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	return !n || (!strncmp(path, prefix, n) && (path[n] == 0 || path[n] == '.'));
}

int cmd_keys(int argc, char **argv)
{
	const char *prefix = "";
	int tsv, md, rc = cli_listing_args("keys", argc, argv, &tsv, &md, &prefix);
	if (rc)
		return rc == 1 ? 0 : 2;
	size_t n, shown = 0;
	const sc_key *k = scenario_keys(&n);
	/* Column widths from the keys shown, so that the aligned form stays a table. */
	int w[4] = {3, 4, 7, 4};
	for (size_t i = 0; i < n; i++) {
		if (!under(k[i].path, prefix))
			continue;
		shown++;
		const char *col[4] = {k[i].path, k[i].type, k[i].deflt, k[i].unit};
		for (int c = 0; c < 4; c++)
			w[c] = (int)strlen(col[c]) > w[c] ? (int)strlen(col[c]) : w[c];
	}
	if (!shown) {
		fprintf(stderr, "fgsim keys: no scenario key is under \"%s\"\n", prefix);
		return 2;
	}
	if (!tsv && !md)
		printf("%-*s  %-*s  %-*s  %-*s  %s\n", w[0], "KEY", w[1], "TYPE", w[2], "DEFAULT", w[3],
		       "UNIT", "DESCRIPTION");
	for (size_t i = 0; i < n; i++) {
		if (!under(k[i].path, prefix))
			continue;
		if (md)
			printf("| `%s` | %s | %s | %s | `%s` | %s |\n", k[i].path, k[i].type, k[i].deflt,
			       k[i].unit, k[i].example, k[i].desc);
		else if (tsv)
			printf("%s\t%s\t%s\t%s\t%s\t%s\n", k[i].path, k[i].type, k[i].deflt, k[i].unit,
			       k[i].desc, k[i].example);
		else
			printf("%-*s  %-*s  %-*s  %-*s  %s\n", w[0], k[i].path, w[1], k[i].type, w[2],
			       k[i].deflt, w[3], k[i].unit, k[i].desc);
	}
	return 0;
}
