/* cmd_keys.c - `fgsim keys [--tsv] [PREFIX]`: every scenario key from the loader's own
 * table (scenario_keys.h), one a line, so the reference a user reads is the list the
 * loader checks; docs/scenarios.md is tested against this print. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "help.h"
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
	int tsv = 0, md = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--tsv"))
			tsv = 1;
		else if (!strcmp(argv[i], "--markdown"))
			md = 1;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			help_command(stdout, "keys");
			return 0;
		} else if (argv[i][0] == '-' || prefix[0]) {
			fprintf(stderr, "fgsim keys: unexpected argument \"%s\"\n", argv[i]);
			help_usage(stderr, "keys");
			return 2;
		} else
			prefix = argv[i];
	}
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
