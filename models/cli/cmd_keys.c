/* cmd_keys.c - `fgsim keys [--tsv] [PREFIX]`: every scenario key from the loader's own
 * table (scenario_keys.h), one a line, so the reference a user reads is the list the
 * loader checks; docs/scenarios.md is tested against this print. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "options.h"
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
	int tsv, md, rc = cli_listing_args("keys", argc, argv, &tsv, &md, &prefix);
	if (rc)
		return rc == 1 ? 0 : 2;
	size_t n, shown = 0;
	const sc_key *k = scenario_keys(&n);
	for (size_t i = 0; i < n; i++)
		shown += under(k[i].path, prefix);
	if (!shown) {
		fprintf(stderr, "fgsim keys: no scenario key is under \"%s\"\n", prefix);
		return 2;
	}
	for (size_t i = 0; i < n; i++) {
		if (!under(k[i].path, prefix))
			continue;
		if (md) {
			printf("| `%s` | %s | %s | %s | `%s` | %s |\n", k[i].path, k[i].type, k[i].deflt,
			       k[i].unit, k[i].example, k[i].desc);
		} else if (tsv) {
			printf("%s\t%s\t%s\t%s\t%s\t%s\n", k[i].path, k[i].type, k[i].deflt, k[i].unit,
			       k[i].desc, k[i].example);
		} else {
			/* a key a line and its description under it: a table's columns would
			 * run past 200 characters on some keys */
			const char *d = k[i].deflt;
			if (!strcmp(d, "none")) /* the key's absence is its default */
				printf("%s: %s, optional", k[i].path, k[i].type);
			else
				printf("%s: %s%s%s", k[i].path, k[i].type,
				       strcmp(d, "required") ? ", default " : ", ", d);
			if (strcmp(k[i].unit, "-"))
				printf(", in %s", k[i].unit);
			fputs("\n    ", stdout);
			help_wrap(stdout, k[i].desc, 4, 4, 80);
			putchar('\n');
		}
	}
	return 0;
}
