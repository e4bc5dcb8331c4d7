/* scenario_override.c - `--set KEY=VALUE` overrides: each value read as a libconfig
 * literal (or else a string) and put where its key points before validation, so that
 * its errors name the override; `--unset KEY` (an override without a value) removes a
 * key, and `KEY.[+]=VALUE` appends to a list (--policy-add); and the integers libconfig
 * 1.5 would silently cut to 32 bits, found in the file and in the values. Kept apart
 * from the sections' rules, which judge an overridden setting like any other. */
#include "scenario_internal.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfgfile.h"
#include "check.h"
#include "names.h"

/* ---- --set overrides ------------------------------------------------------------- */

/* The longest --set key: place_override's and ensure_group's paths fit in this. */
#define KEY_MAX 512
/* room for key_hint: a whole key, corrected, inside " (did you mean ...)" */
#define KEY_HINT_MAX (KEY_MAX + NAMES_HINT_MAX)

/* Overwrites a scalar setting with a scalar value of the same type. */
static void set_scalar(config_setting_t *to, const config_setting_t *from)
{
	FG_ASSERT(config_setting_type(to) == config_setting_type(from) &&
		  !config_setting_is_aggregate(to));
	switch (config_setting_type(from)) {
	case CONFIG_TYPE_INT: config_setting_set_int(to, config_setting_get_int(from)); break;
	case CONFIG_TYPE_INT64: config_setting_set_int64(to, config_setting_get_int64(from)); break;
	case CONFIG_TYPE_FLOAT: config_setting_set_float(to, config_setting_get_float(from)); break;
	case CONFIG_TYPE_BOOL: config_setting_set_bool(to, config_setting_get_bool(from)); break;
	default: config_setting_set_string(to, config_setting_get_string(from));
	}
}

/* The group at `path`, created (with any missing groups above it) when the file leaves
 * it out and the schema knows it as a group. NULL when it cannot be. */
static config_setting_t *ensure_group(config_t *cfg, const char *path)
{
	config_setting_t *s = config_lookup(cfg, path);
	if (s)
		return s;
	char buf[KEY_MAX];
	snprintf(buf, sizeof buf, "%s", path);
	char *dot = strrchr(buf, '.');
	const char *leaf = dot ? dot + 1 : buf;
	if (dot)
		*dot = 0;
	config_setting_t *parent = dot ? ensure_group(cfg, buf) : config_root_setting(cfg);
	int known_group = ld_schema_has_group(path);
	if (!parent || config_setting_type(parent) != CONFIG_TYPE_GROUP || !known_group || !ld_key_allowed(parent, leaf))
		return NULL;
	return config_setting_add(parent, leaf, CONFIG_TYPE_GROUP);
}

/* 1 when name[0..n) is a libconfig setting name: [A-Za-z*][-A-Za-z0-9_*]*. */
static int is_name(const char *name, size_t n)
{
	if (!n || !(isalpha((unsigned char)name[0]) || name[0] == '*'))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("-_*", name[i]))
			return 0;
	return 1;
}

/* Checks the key of an override: names and [N] list indices (N in decimal) joined by
 * dots, as in cluster.pools.[0].nodes. libconfig's own lookup reads an index with atoi
 * and stops a name at the first '.', so `pools.[x]`, `pools.[]` and `pools.[1x]` meant
 * [0], [0] and [1]: `--set 'cluster.pools.[x].nodes=3'` quietly changed the first pool.
 * Walks the scenario as far as the key exists, so that an index past the end says how
 * many elements there are. A last part [+] (append) needs a list before it and a value
 * (opt "--set"). Returns 0, or 2 with "OPT KEY: why" in L->err, opt "--set" or "--unset". */
static int check_key(loader *L, const char *key, const char *opt)
{
	if (strlen(key) >= KEY_MAX) {
		snprintf(L->err, L->errlen, "%s %.60s...: the key is too long (at most %d characters)", opt, key,
			 KEY_MAX - 1);
		return 2;
	}
	const config_setting_t *s = config_root_setting(&L->sc->cfg);
	for (const char *p = key;; p++) {
		size_t n = strcspn(p, ".");
		const char *at = p; /* the part is at[0..n), the path so far key[0..at-key) */
		int prefix = (int)(at - key) - (at > key);
		if (!n) {
			snprintf(L->err, L->errlen, "%s %s: empty part in the key (parts are joined by one '.')", opt, key);
			return 2;
		}
		if (!strncmp(at, "[+]", 3) && n == 3) {
			if (at[3] || strcmp(opt, "--set") ||
			    (s && !config_setting_is_list(s) && !config_setting_is_array(s))) {
				snprintf(L->err, L->errlen,
					 "%s %s: [+] appends a value to a list: it ends a --set key after a list", opt,
					 key);
				return 2;
			}
			return 0;
		}
		if (*at == '[') {
			size_t d = 1;
			while (isdigit((unsigned char)at[d]))
				d++;
			if (d == 1 || at[d] != ']' || d + 1 != n) {
				snprintf(L->err, L->errlen,
					 "%s %s: bad list index \"%.*s\": write [N] with N a whole number from 0", opt, key,
					 (int)n, at);
				return 2;
			}
			if (s && !config_setting_is_list(s) && !config_setting_is_array(s)) {
				snprintf(L->err, L->errlen, "%s %s: %.*s is not a list, it has no element %.*s", opt, key,
					 prefix, key, (int)n, at);
				return 2;
			}
			if (s) {
				errno = 0;
				unsigned long long i = strtoull(at + 1, NULL, 10);
				int len = config_setting_length(s);
				if (errno == ERANGE || i >= (unsigned long long)len) {
					snprintf(L->err, L->errlen, "%s %s: index %.*s is out of range: %.*s has %d element%s",
						 opt, key, (int)(n - 2), at + 1, prefix, key, len, len == 1 ? "" : "s");
					return 2;
				}
				s = config_setting_get_elem(s, (unsigned)i);
			}
		} else {
			const char *br = memchr(at, '[', n);
			if (br && br > at && is_name(at, (size_t)(br - at))) {
				/* cluster.pools[1].nodes: an index is a part of its own. */
				char fixed[KEY_MAX + 64];
				size_t k = 0;
				for (const char *c = key; *c && k + 2 < sizeof fixed; c++) {
					if (*c == '[' && c > key && c[-1] != '.')
						fixed[k++] = '.';
					fixed[k++] = *c;
				}
				fixed[k] = 0;
				snprintf(L->err, L->errlen,
					 "%s %s: no such key (did you mean \"%s\"?): a list index is a part "
					 "of the key, after a dot: .[1], not [1]",
					 opt, key, fixed);
				return 2;
			}
			if (!is_name(at, n)) {
				snprintf(L->err, L->errlen, "%s %s: bad key part \"%.*s\"", opt, key, (int)n, at);
				return 2;
			}
			if (s && (config_setting_is_list(s) || config_setting_is_array(s))) {
				snprintf(L->err, L->errlen, "%s %s: %.*s is a list: name an element as %.*s.[N]", opt, key, prefix,
					 key, prefix, key);
				return 2;
			}
			if (s) {
				char name[KEY_MAX];
				snprintf(name, sizeof name, "%.*s", (int)n, at);
				s = config_setting_is_group(s) ? config_setting_get_member(s, name) : NULL;
			}
		}
		p += n;
		FG_ASSERT(*p == '.' || !*p); /* a part ends at a dot or at the end of the key */
		if (!*p)
			return 0;
	}
}

/* 1 when libconfig text that parsed as `v = VALUE;` holds a comment or a directive
 * (@include) outside its strings: a --set value is one value, nothing else. */
static int has_extra(const char *t)
{
	for (const char *p = t; *p; p++) {
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				return 0;
		} else if (*p == '#' || *p == '@' || (p[0] == '/' && (p[1] == '/' || p[1] == '*'))) {
			return 1;
		}
	}
	return 0;
}

/* Puts `value` where the override's key points; validation later judges it, and its
 * errors name the override because the setting carries the key as its hook. */
/* " (did you mean "NAME"?)" for the first part of key the file lacks, when a member of
 * the group above it is spelt nearly so, else "". For the last part the hint is that
 * name; for a part further up it is the whole key with the part corrected
 * (cluster.pool.[1].nodes: "cluster.pools.[1].nodes"). The members the file holds are
 * the candidates: the schema's other keys are not the file's, and a key to unset must be
 * there anyway. */
static const char *key_hint(loader *L, const char *key, char *buf, size_t len)
{
	char path[KEY_MAX];
	const char *names[64];
	int n = 0;
	snprintf(path, sizeof path, "%s", key);
	/* the first prefix of key that the file does not hold ends at `cut` */
	const config_setting_t *g = config_root_setting(&L->sc->cfg);
	char *part = path, *cut;
	for (;;) {
		cut = strchr(part, '.');
		if (!cut)
			break;
		*cut = 0;
		const config_setting_t *s = config_lookup(&L->sc->cfg, path);
		if (!s)
			break;
		*cut = '.';
		g = s;
		part = cut + 1;
	}
	for (int i = 0; g && config_setting_is_group(g) && i < config_setting_length(g) && n < 63; i++)
		names[n++] = config_setting_name(config_setting_get_elem(g, (unsigned)i));
	names[n] = NULL;
	if (!cut) /* the last part: the name alone, as before */
		return names_hint(part, names, buf, len);
	const char *near = names_suggest(part, names);
	if (!near) {
		buf[0] = 0;
		return buf;
	}
	/* the key with the part replaced: path up to the part, the name, the rest of key */
	snprintf(buf, len, " (did you mean \"%.*s%s%s\"?)", (int)(part - path), key, near,
		 key + (cut - path));
	return buf;
}

/* KEY.[+]: value appended to the list KEY (check_key saw that KEY, when present, is a
 * list or an array). Returns the new element, or NULL with the message in L->err. */
static config_setting_t *append_override(loader *L, const sc_override *o, const config_setting_t *value)
{
	char who[KEY_MAX + 32];
	sc_override_origin(o, who, sizeof who);
	char path[KEY_MAX];
	snprintf(path, sizeof path, "%s", o->key);
	char *end = strrchr(path, '.');
	FG_ASSERT(end && !strcmp(end, ".[+]")); /* ld_apply_override's test */
	*end = 0;
	config_setting_t *list = config_lookup(&L->sc->cfg, path);
	if (!list) {
		char hint[KEY_HINT_MAX];
		snprintf(L->err, L->errlen, "%s: no list %s in %s%s", who, path, L->sc->path,
			 key_hint(L, path, hint, sizeof hint));
		return NULL;
	}
	config_setting_t *e = cfgfile_copy(list, NULL, value);
	if (!e) { /* an array holds scalars of one type */
		snprintf(L->err, L->errlen, "%s: %s does not fit the elements of %s", who, o->value,
			 path);
		return NULL;
	}
	/* A plugin in an appended element (--policy-add) is found from the folder the command
	 * runs in, as a file named on the command line is; every other plugin path, the
	 * file's own and one a plain --set replaces, stays relative to the scenario's folder
	 * (load_plugin in scenario_policies.c), as the file's other paths do. */
	config_setting_t *plugin = config_setting_is_group(e) ? config_setting_get_member(e, "plugin") : NULL;
	const char *rel = plugin ? config_setting_get_string(plugin) : NULL;
	char cwd[4096], abs[8192];
	if (rel && rel[0] && rel[0] != '/' && getcwd(cwd, sizeof cwd)) {
		snprintf(abs, sizeof abs, "%s/%s", cwd, rel);
		config_setting_set_string(plugin, abs);
	}
	if (plugin && L->ncwd_plugin < SC_MAX_POLICIES)
		L->cwd_plugin[L->ncwd_plugin++] = plugin;
	return e;
}

static config_setting_t *place_override(loader *L, const sc_override *o, const config_setting_t *value)
{
	char who[KEY_MAX + 32];
	sc_override_origin(o, who, sizeof who);
	size_t klen = strlen(o->key);
	if (klen > 4 && !strcmp(o->key + klen - 4, ".[+]"))
		return append_override(L, o, value);
	config_setting_t *target = config_lookup(&L->sc->cfg, o->key);
	if (target) {
		int tt = config_setting_type(target), vt = config_setting_type(value);
		config_setting_t *parent = config_setting_parent(target);
		const char *leaf = config_setting_name(target);
		if (tt == vt && !config_setting_is_aggregate(target)) {
			set_scalar(target, value);
		} else if (tt == CONFIG_TYPE_FLOAT && (vt == CONFIG_TYPE_INT || vt == CONFIG_TYPE_INT64)) {
			config_setting_set_float(target, (double)config_setting_get_int64(value));
		} else if (leaf) {
			char name[128];
			snprintf(name, sizeof name, "%s", leaf);
			config_setting_remove(parent, name);
			target = cfgfile_copy(parent, name, value);
		} else {
			snprintf(L->err, L->errlen, "%s: a list element keeps its type; %s does not fit", who, o->value);
			return NULL;
		}
		return target;
	}
	/* A key the file leaves out may be added when the schema knows it (an optional key),
	 * along with the optional groups above it (output.jobs when there is no output). */
	char parent_path[KEY_MAX];
	snprintf(parent_path, sizeof parent_path, "%s", o->key);
	char *dot = strrchr(parent_path, '.');
	const char *leaf = dot ? dot + 1 : parent_path;
	if (dot)
		*dot = 0;
	config_setting_t *parent = dot ? ensure_group(&L->sc->cfg, parent_path) : config_root_setting(&L->sc->cfg);
	if (!parent || config_setting_type(parent) != CONFIG_TYPE_GROUP || !ld_key_allowed(parent, leaf)) {
		char hint[KEY_HINT_MAX];
		snprintf(L->err, L->errlen, "%s: no such key in %s%s", who, L->sc->path,
			 key_hint(L, o->key, hint, sizeof hint));
		return NULL;
	}
	return cfgfile_copy(parent, leaf, value);
}

/* ---- integers libconfig 1.5 would cut ------------------------------------------ */

/* libconfig 1.5 keeps only the low 32 bits of an integer literal without an L suffix,
 * silently: `nodes = 4294967297;` is 1 node and `--seed 5000000000` was seed 705032704;
 * with L it saturates at 64 bits. So we scan the text the way its lexer does (strings
 * and comments skipped, names read whole) for integers that do not fit. */
enum { INT_FITS, INT_WIDE /* beyond 32 bits, no L */, INT_HUGE /* beyond 64 bits */ };

/* Classifies the number token at p (a digit, or a sign before one) and sets *end past it. */
static int int_literal(const char *p, const char **end)
{
	const char *b = p;
	/* find_cut_int calls it at a digit or a sign before one */
	FG_ASSERT(isdigit((unsigned char)*p) ||
		  ((*p == '-' || *p == '+') && isdigit((unsigned char)p[1])));
	if (*p == '-' || *p == '+')
		p++;
	int hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
	p += hex ? 2 : 0;
	while (hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p))
		p++;
	if (!hex && (*p == '.' || *p == 'e' || *p == 'E')) { /* a float: nothing to cut */
		while (isdigit((unsigned char)*p) || (*p && strchr(".eE+-", *p)))
			p++;
		*end = p;
		return INT_FITS;
	}
	int wide = *p == 'L';
	*end = p + (p[0] == 'L') + (p[0] == 'L' && p[1] == 'L');
	errno = 0;
	if (hex) {
		unsigned long long u = strtoull(b, NULL, 16);
		return errno == ERANGE || *b == '-' ? INT_HUGE : !wide && u > 0xffffffffULL ? INT_WIDE : INT_FITS;
	}
	long long v = strtoll(b, NULL, 10);
	return errno == ERANGE ? INT_HUGE : !wide && (v < INT_MIN || v > INT_MAX) ? INT_WIDE : INT_FITS;
}

/* The first integer in libconfig text that libconfig would cut: returns INT_WIDE or
 * INT_HUGE with its line (counted from 1) and text, or INT_FITS. */
static int find_cut_int(const char *t, int *line, char *lit, size_t litlen)
{
	*line = 1;
	for (const char *p = t; *p;) {
		if (*p == '\n') {
			++*line, p++;
		} else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
				*line += *p == '\n';
			p += *p ? 2 : 0;
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				*line += *p == '\n';
			}
			p += *p ? 1 : 0;
		} else if (isalpha((unsigned char)*p) || *p == '*' || *p == '@') {
			for (p++; isalnum((unsigned char)*p) || (*p && strchr("-_*", *p)); p++)
				;
		} else if (isdigit((unsigned char)*p) || ((*p == '-' || *p == '+') && isdigit((unsigned char)p[1]))) {
			const char *end;
			int k = int_literal(p, &end);
			FG_ASSERT(end > p); /* the scan always moves on */
			if (k != INT_FITS) {
				snprintf(lit, litlen, "%.*s", (int)(end - p < 40 ? end - p : 40), p);
				return k;
			}
			p = end;
		} else {
			p++;
		}
	}
	return INT_FITS;
}

/* --unset KEY: removes the setting or list element KEY. A key the file leaves out but
 * the schema knows is already unset: nothing to do. Validation then judges what is left,
 * so a required key unset fails as the file without it would. Returns 0, or 2. */
static int unset_override(loader *L, const char *key)
{
	if (check_key(L, key, "--unset"))
		return 2;
	config_setting_t *s = config_lookup(&L->sc->cfg, key);
	if (s) {
		config_setting_t *parent = config_setting_parent(s);
		FG_ASSERT(parent); /* check_key refuses an empty key: s is not the root */
		int ok = config_setting_name(s) ? config_setting_remove(parent, config_setting_name(s))
						 : config_setting_remove_elem(parent, (unsigned)config_setting_index(s));
		FG_ASSERT(ok == CONFIG_TRUE); /* s was found in parent */
		return 0;
	}
	char path[KEY_MAX];
	snprintf(path, sizeof path, "%s", key);
	char *dot = strrchr(path, '.');
	if (dot)
		*dot = 0;
	const config_setting_t *parent = dot ? config_lookup(&L->sc->cfg, path) : config_root_setting(&L->sc->cfg);
	if (parent && config_setting_is_group(parent) && ld_key_allowed(parent, dot ? dot + 1 : path))
		return 0;
	char hint[KEY_HINT_MAX];
	snprintf(L->err, L->errlen, "--unset %s: no such key in %s%s", key, L->sc->path,
		 key_hint(L, key, hint, sizeof hint));
	return 2;
}

const char *sc_override_origin(const sc_override *o, char *buf, size_t len)
{
	if (o->option)
		snprintf(buf, len, "%s %s", o->option, o->value);
	else
		snprintf(buf, len, "--set %s", o->key);
	return buf;
}

int ld_apply_override(loader *L, const sc_override *o)
{
	char who[KEY_MAX + 32];
	sc_override_origin(o, who, sizeof who);
	if (!o->value)
		return unset_override(L, o->key);
	if (check_key(L, o->key, "--set"))
		return 2;
	/* The value as one libconfig setting, at any length: a list of policies or a daily
	 * profile written out in full may run to thousands of characters. */
	size_t tlen = strlen(o->value) + sizeof "v = L;";
	char *text = malloc(tlen);
	if (!text) {
		snprintf(L->err, L->errlen, "%s: out of memory", who);
		return 2;
	}
	config_t lit;
	config_init(&lit);
	snprintf(text, tlen, "v = %s;", o->value);
	/* A value that is not a libconfig literal is taken as a string (--set run.horizon=30d). */
	if (!config_read_string(&lit, text)) {
		config_destroy(&lit);
		config_init(&lit);
		config_setting_set_string(config_setting_add(config_root_setting(&lit), "v", CONFIG_TYPE_STRING), o->value);
	} else {
		/* libconfig's `;` is optional and a comment ends at the end of the line, so
		 * `3; seed = 7` or `3 seed = 7` read as two settings, and `3 # x` as 3; each
		 * would drop what follows the value without a word. */
		int n = config_setting_length(config_root_setting(&lit));
		if (n != 1 || has_extra(o->value)) {
			config_destroy(&lit);
			free(text);
			snprintf(L->err, L->errlen, "%s: the value '%s' holds %s; give one value per --set", who,
				 o->value, n != 1 ? "more than one setting" : "a comment or a directive");
			return 2;
		}
		/* A lone integer beyond 32 bits is read as the 64-bit one it means (--seed
		 * 5000000000); one inside a list, or beyond 64 bits, is an error. */
		int line, k;
		char num[48];
		const char *end = NULL;
		if ((k = find_cut_int(text, &line, num, sizeof num)) == INT_WIDE && int_literal(text + 4, &end) == INT_WIDE &&
		    !strcmp(end, ";")) {
			snprintf(text, tlen, "v = %sL;", o->value);
			config_destroy(&lit);
			config_init(&lit);
			k = config_read_string(&lit, text) ? find_cut_int(text, &line, num, sizeof num) : INT_HUGE;
		}
		if (k != INT_FITS) {
			config_destroy(&lit);
			free(text);
			snprintf(L->err, L->errlen, "%s: integer %s is too large%s", who, num,
				 k == INT_WIDE ? " for 32 bits (write it with an L suffix for 64 bits)" : "");
			return 2;
		}
	}
	free(text);
	L->err[0] = 0;
	config_setting_t *target = place_override(L, o, config_lookup(&lit, "v"));
	config_destroy(&lit);
	if (!target) {
		if (!L->err[0])
			snprintf(L->err, L->errlen, "%s: cannot store %s", who, o->value);
		return 2;
	}
	/* The hook names the override in later messages; the scenario owns the copy (the
	 * caller's override may be gone by then: a sweep point's are). */
	char *hook = strdup(who);
	if (!hook) {
		snprintf(L->err, L->errlen, "%s: out of memory", who);
		return 2;
	}
	config_set_destructor(&L->sc->cfg, free);
	free(config_setting_get_hook(target)); /* a key given twice: the last one names it */
	config_setting_set_hook(target, hook);
	return 0;
}

/* Integers libconfig would have cut to 32 bits in the file at path (see find_cut_int);
 * an unreadable file passes, libconfig has read it already. Returns 0, or 2 with
 * "FILE:LINE: integer N is too large ..." in err. */
static int check_file(const char *path, char *err, size_t errlen)
{
	char *text = NULL, num[48];
	size_t cap = 0;
	int line, k = INT_FITS;
	FILE *f = fopen(path, "r");
	if (f && getdelim(&text, &cap, '\0', f) > 0)
		k = find_cut_int(text, &line, num, sizeof num);
	free(text);
	if (f)
		fclose(f);
	if (k != INT_FITS) {
		snprintf(err, errlen, "%s:%d: integer %s is too large%s", path, line, num,
			 k == INT_WIDE ? " for 32 bits (write it with an L suffix for 64 bits)" : "");
		return 2;
	}
	return 0;
}

/* The files that @include brought into s and below, each checked once: the setting
 * that comes first from a file names it. */
static int check_included(const config_setting_t *s, const char *path, const char **seen, int *nseen, char *err,
			  size_t errlen)
{
	const char *file = config_setting_source_file(s);
	if (file) {
		int known = 0;
		for (int i = 0; i < *nseen && !known; i++)
			known = !strcmp(seen[i], file);
		if (!known && *nseen < 64) {
			char buf[4096];
			seen[(*nseen)++] = file;
			if (check_file(cfgfile_source(s, path, buf, sizeof buf), err, errlen))
				return 2;
		}
	}
	for (int i = 0; config_setting_is_aggregate(s) && i < config_setting_length(s); i++)
		if (check_included(config_setting_get_elem(s, (unsigned)i), path, seen, nseen, err, errlen))
			return 2;
	return 0;
}

int ld_check_cut_ints(const config_t *cfg, const char *path, char *err, size_t errlen)
{
	const char *seen[64];
	int nseen = 0;
	if (check_file(path, err, errlen))
		return 2;
	return check_included(config_root_setting(cfg), path, seen, &nseen, err, errlen);
}
