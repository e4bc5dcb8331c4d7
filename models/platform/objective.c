/* objective.c - parsing a scenario's objective (objective.h). */
#include "objective.h"

#include <stdio.h>
#include <string.h>

#include "names.h"
#include "units.h"

#define MAX_WORDS 64

/* Splits text into words at blanks, ">=" and "<=" being words of their own even when
 * written against their neighbours ("profit>=10000"). Returns the count, -1 when there
 * are more than max. */
static int split(char *buf, size_t len, const char *text, char **word, int max)
{
	size_t o = 0;
	for (const char *p = text; *p && o + 4 < len; p++) {
		if ((p[0] == '>' || p[0] == '<') && p[1] == '=') {
			buf[o++] = ' ', buf[o++] = p[0], buf[o++] = '=', buf[o++] = ' ';
			p++;
		} else {
			buf[o++] = *p;
		}
	}
	buf[o] = 0;
	int n = 0;
	for (char *w = strtok(buf, " \t\n"); w; w = strtok(NULL, " \t\n")) {
		if (n == max)
			return -1;
		word[n++] = w;
	}
	return n;
}

static int scope_kind_from(const char *scope)
{
	static const char *const prefix[] = {"class:", "pool:", "window:", "tenant:"};
	if (!strcmp(scope, "all"))
		return SCOPE_ALL;
	for (int k = 0; k < 4; k++)
		if (!strncmp(scope, prefix[k], strlen(prefix[k])) && scope[strlen(prefix[k])])
			return SCOPE_CLASS + k;
	return -1;
}

/* METRIC [of SCOPE] from word[*i]; *i moves past it. Returns 0, -1 with err set. */
static int term(char **word, int n, int *i, obj_term *t, char *err, size_t errlen)
{
	char hint[NAMES_HINT_MAX], list[1024];
	if (*i >= n) {
		snprintf(err, errlen, "a metric is missing at the end; valid: %s", metric_choices(-1, list, sizeof list));
		return -1;
	}
	const char *name = word[(*i)++];
	int m = 0;
	while (m < M_COUNT && strcmp(metric_names[m], name))
		m++;
	if (m == M_COUNT) {
		snprintf(err, errlen, "unknown metric \"%s\"%s; valid: %s", name,
			 names_hint_n(name, metric_names, M_COUNT, hint, sizeof hint), metric_choices(-1, list, sizeof list));
		return -1;
	}
	t->metric = (metric_id)m;
	snprintf(t->scope, sizeof t->scope, "all");
	if (*i < n && !strcmp(word[*i], "of")) {
		if (++*i >= n) {
			snprintf(err, errlen, "a scope is missing after \"of\" (all, class:NAME, pool:NAME, window:NAME, tenant:NAME)");
			return -1;
		}
		snprintf(t->scope, sizeof t->scope, "%s", word[(*i)++]);
	}
	int kind = scope_kind_from(t->scope);
	if (kind < 0) {
		snprintf(err, errlen, "unknown scope \"%s\"; valid: all, class:NAME, pool:NAME, window:NAME, tenant:NAME",
			 t->scope);
		return -1;
	}
	if (!metric_applies(t->metric, (scope_kind)kind)) {
		snprintf(err, errlen, "%s is not reported for %s; it is for: %s", name, scope_kind_names[kind],
			 metric_scope_kinds(t->metric, list, sizeof list));
		return -1;
	}
	return 0;
}

int objective_parse(const char *text, objective *o, char *err, size_t errlen)
{
	char buf[2048], *word[MAX_WORDS];
	int n = split(buf, sizeof buf, text, word, MAX_WORDS), i = 0;
	memset(o, 0, sizeof *o);
	if (n < 0 || strlen(text) >= sizeof buf / 2) {
		snprintf(err, errlen, "objective too long");
		return -1;
	}
	if (n == 0 || (strcmp(word[0], "min") && strcmp(word[0], "max"))) {
		snprintf(err, errlen, "an objective starts with min or max, e.g. \"min wait_p95 of class:inference "
				      "subject to profit >= 10000\"%s%s%s",
			 n ? " (got \"" : "", n ? word[0] : "", n ? "\")" : "");
		return -1;
	}
	o->maximise = word[i++][1] == 'a';
	if (term(word, n, &i, &o->goal, err, errlen))
		return -1;
	if (i == n)
		return 0;
	if (i + 1 >= n || strcmp(word[i], "subject") || strcmp(word[i + 1], "to")) {
		snprintf(err, errlen, "expected \"subject to\" or the end after \"%s\", got \"%s\"", word[i - 1], word[i]);
		return -1;
	}
	for (i += 2;;) {
		if (o->nbounds == OBJ_MAX_BOUNDS) {
			snprintf(err, errlen, "at most %d bounds after \"subject to\"", OBJ_MAX_BOUNDS);
			return -1;
		}
		obj_term *b = &o->bound[o->nbounds++];
		if (term(word, n, &i, b, err, errlen))
			return -1;
		if (i >= n || (strcmp(word[i], ">=") && strcmp(word[i], "<="))) {
			snprintf(err, errlen, "expected >= or <= after %s, got %s%s%s", metric_names[b->metric],
				 i < n ? "\"" : "the end", i < n ? word[i] : "", i < n ? "\"" : "");
			return -1;
		}
		b->ge = word[i++][0] == '>';
		if (i >= n) {
			snprintf(err, errlen, "a value is missing after %s", word[i - 1]);
			return -1;
		}
		char uerr[200];
		/* a time metric's bound may be a duration ("10m"); every other a plain number */
		int bad = !strcmp(metric_units[b->metric], "s") ? units_duration(word[i], &b->value, uerr, sizeof uerr)
								 : units_number(word[i], &b->value, uerr, sizeof uerr);
		if (bad) {
			snprintf(err, errlen, "bound of %s: %s", metric_names[b->metric], uerr);
			return -1;
		}
		if (++i == n)
			return 0;
		if (strcmp(word[i], "and")) {
			snprintf(err, errlen, "expected \"and\" or the end after the bound, got \"%s\"", word[i]);
			return -1;
		}
		i++;
	}
}

int objective_scope_ok(const scenario *sc, const char *scope)
{
	char name[OBJ_SCOPE_MAX];
	for (int s = 0; s < scope_count(sc); s++)
		if (!strcmp(scope_name(sc, s, name, sizeof name), scope))
			return 1;
	return 0;
}

const char *objective_term_name(const obj_term *t, char *buf, size_t len)
{
	if (!strcmp(t->scope, "all"))
		snprintf(buf, len, "%s", metric_names[t->metric]);
	else
		snprintf(buf, len, "%s of %s", metric_names[t->metric], t->scope);
	return buf;
}
