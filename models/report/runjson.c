/* runjson.c - run.json through jansson (runjson.h). jansson parses, builds and prints;
 * what stays here is what fgsim promises beyond RFC 8259: the size and nesting limits on
 * reading, U+FFFD for bytes that are not UTF-8, numbers that keep the values the old
 * hand-written writer printed, and no raw invisible controls in the file. */
#include "runjson.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "names.h"

/* ---- reading ------------------------------------------------------------------------ */

/* Refuses nesting deeper than RUNJSON_MAX_DEPTH before jansson recurses into it; brackets
 * inside strings do not count. Returns 0, or -1 with the line in err. */
static int check_depth(const char *text, size_t len, char *err, size_t errlen)
{
	int depth = 0, line = 1, in_string = 0;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c == '\n')
			line++;
		if (in_string) {
			if (c == '\\')
				i++; /* the escaped character cannot close the string */
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > RUNJSON_MAX_DEPTH) {
				snprintf(err, errlen, "line %d: nested deeper than %d levels", line, RUNJSON_MAX_DEPTH);
				return -1;
			}
		} else if (c == ']' || c == '}') {
			depth -= depth > 0; /* unbalanced text is jansson's to reject */
		}
	}
	return 0;
}

json_t *runjson_parse(const char *text, size_t len, char *err, size_t errlen)
{
	json_error_t e;
	if (len > (size_t)RUNJSON_MAX_BYTES) {
		snprintf(err, errlen, "line 1: larger than %ld MiB, not a file fgsim wrote",
			 RUNJSON_MAX_BYTES >> 20);
		return NULL;
	}
	if (check_depth(text, len, err, errlen))
		return NULL;
	/* Integers as reals: every number a double, as the report and plots read them, and
	 * no "too big integer" refusal for a long digit string someone typed. */
	json_t *j = json_loadb(text, len, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, &e);
	if (!j)
		snprintf(err, errlen, "line %d: %s", e.line > 0 ? e.line : 1, e.text);
	return j;
}

const json_t *runjson_path(const json_t *j, const char *path)
{
	char part[256];
	while (j && *path) {
		size_t len = strcspn(path, ".");
		if (len >= sizeof part)
			return NULL;
		memcpy(part, path, len);
		part[len] = 0;
		j = json_object_get(j, part); /* NULL for a non-object */
		path += len + (path[len] == '.');
	}
	return j;
}

size_t runjson_size(const json_t *j)
{
	return json_is_array(j) ? json_array_size(j) : json_object_size(j); /* 0 for the rest */
}

runjson_iter runjson_each(const json_t *c)
{
	/* jansson's iterators want a mutable object; nothing here changes it */
	return (runjson_iter){c, 0, json_is_object(c) ? json_object_iter((json_t *)c) : NULL};
}

const json_t *runjson_next(runjson_iter *k, const char **key)
{
	if (json_is_array(k->c)) {
		*key = NULL;
		return k->i < json_array_size(k->c) ? json_array_get(k->c, k->i++) : NULL;
	}
	if (!k->it)
		return NULL;
	const json_t *v = json_object_iter_value(k->it);
	*key = json_object_iter_key(k->it);
	k->it = json_object_iter_next((json_t *)k->c, k->it);
	return v;
}

const char *runjson_str(const json_t *j, const char *dflt)
{
	const char *s = json_string_value(j);
	return s ? s : dflt;
}

double runjson_num(const json_t *j, double dflt)
{
	return json_is_number(j) ? json_number_value(j) : dflt;
}

/* ---- writing ------------------------------------------------------------------------ */

/* s with every byte that does not start a valid UTF-8 sequence replaced by U+FFFD
 * (jansson refuses invalid UTF-8), malloc'd, its length in *len; NULL when out of
 * memory. At most three bytes out per byte in. */
static char *valid_utf8(const char *s, size_t *len)
{
	size_t n = strlen(s), o = 0;
	char *out = malloc(3 * n + 1);
	if (!out)
		return NULL;
	while (*s) {
		unsigned cp;
		size_t k = names_utf8_next(s, &cp);
		if (k) {
			memcpy(out + o, s, k);
			o += k;
			s += k;
		} else {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			s++;
		}
		FG_ASSERT(o <= 3 * n);
	}
	out[o] = 0;
	*len = o;
	return out;
}

json_t *runjson_string(const char *s)
{
	size_t len;
	char *v = valid_utf8(s, &len);
	json_t *j = v ? json_stringn(v, len) : NULL;
	free(v);
	return j;
}

json_t *runjson_number(double x, const char *fmt)
{
	char text[400], *end;
	if (!isfinite(x))
		return json_null();
	snprintf(text, sizeof text, fmt, x);
	/* The text, not x: a field printed with %.10g keeps the ten digits it always had. */
	if (!text[strspn(text, "-0123456789")]) {
		errno = 0;
		long long v = strtoll(text, &end, 10);
		if (errno != ERANGE)
			return json_integer((json_int_t)v);
	}
	return json_real(strtod(text, NULL));
}

json_t *runjson_config(const config_setting_t *s)
{
	json_t *j;
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64: return json_integer((json_int_t)config_setting_get_int64(s));
	case CONFIG_TYPE_FLOAT: return runjson_number(config_setting_get_float(s), "%.17g");
	case CONFIG_TYPE_BOOL: return json_boolean(config_setting_get_bool(s));
	case CONFIG_TYPE_STRING: return runjson_string(config_setting_get_string(s));
	case CONFIG_TYPE_GROUP:
		if (!(j = json_object()))
			return NULL;
		for (int i = 0; i < config_setting_length(s); i++) {
			const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
			size_t len;
			char *key = valid_utf8(config_setting_name(e), &len);
			/* json_object_set_new takes the value even when it fails */
			int bad = !key || json_object_set_new(j, key, runjson_config(e));
			free(key);
			if (bad) {
				json_decref(j);
				return NULL;
			}
		}
		return j;
	default: /* a list or an array */
		if (!(j = json_array()))
			return NULL;
		for (int i = 0; i < config_setting_length(s); i++)
			if (json_array_append_new(j, runjson_config(config_setting_get_elem(s, (unsigned)i)))) {
				json_decref(j);
				return NULL;
			}
		return j;
	}
}

/* The largest number of significant digits (at most 17, which always suffices) that
 * any real in j needs to read back as itself. */
static int real_digits(const json_t *j)
{
	int most = 1;
	const char *key;
	const json_t *v;
	size_t i;
	char text[40];
	switch (json_typeof(j)) {
	case JSON_REAL: {
		double x = json_real_value(j);
		for (; most < 17; most++) {
			snprintf(text, sizeof text, "%.*g", most, x);
			if (strtod(text, NULL) == x)
				break;
		}
		return most;
	}
	case JSON_OBJECT:
		json_object_foreach((json_t *)j, key, v) {
			int d = real_digits(v);
			most = d > most ? d : most;
		}
		return most;
	case JSON_ARRAY:
		json_array_foreach(j, i, v) {
			int d = real_digits(v);
			most = d > most ? d : most;
		}
		return most;
	default: return most;
	}
}

int runjson_write(FILE *f, const json_t *doc)
{
	/* One precision for the whole document (jansson has no other), the fewest digits
	 * that give back every real in it: 0.95 stays "0.95", not jansson's default %.17g
	 * "0.94999999999999996", and no value loses a bit. %g drops trailing zeros, so while
	 * no real needs more than 15 digits (a double holds 15 exactly) each prints short;
	 * one that needs 16 or 17 makes the rest print their binary tails, still exact. */
	size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
		       JSON_REAL_PRECISION(real_digits(doc));
	char *text = json_dumps(doc, flags);
	if (!text) {
		errno = ENOMEM;
		return -1;
	}
	/* jansson escapes C0 only; DEL, C1 and the invisible format characters can stand
	 * only inside strings, where \uXXXX means the same (all are in the BMP). */
	for (const char *s = text; *s;) {
		unsigned cp = 0;
		size_t n = names_utf8_next(s, &cp);
		FG_ASSERT(n > 0); /* jansson writes valid UTF-8 only */
		if (n == 0)
			n = 1;
		if (cp >= 0x7F && names_is_control(cp))
			fprintf(f, "\\u%04x", cp);
		else
			fwrite(s, 1, n, f);
		s += n;
	}
	fputc('\n', f);
	free(text);
	return ferror(f) ? -1 : 0;
}
