/* json.c - recursive-descent JSON parser into a tree of json nodes. Nesting is capped so
 * that a hostile file cannot exhaust the stack; numbers go through strtod after the
 * grammar has been checked, so "1." or "01" are rejected as RFC 8259 says. */
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 200

typedef struct parser {
	const char *p;
	int line, depth;
	char *err;
	size_t errlen;
	int failed;
} parser;

static void fail(parser *ps, const char *fmt, ...)
{
	if (ps->failed)
		return;
	ps->failed = 1;
	int k = snprintf(ps->err, ps->errlen, "line %d: ", ps->line);
	if (k < 0 || (size_t)k >= ps->errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ps->err + k, ps->errlen - (size_t)k, fmt, ap);
	va_end(ap);
}

static void skip_ws(parser *ps)
{
	for (;; ps->p++) {
		if (*ps->p == '\n')
			ps->line++;
		else if (*ps->p != ' ' && *ps->p != '\t' && *ps->p != '\r')
			return;
	}
}

static json *node(parser *ps, json_type t)
{
	json *j = calloc(1, sizeof *j);
	if (!j)
		fail(ps, "out of memory");
	else
		j->type = t;
	return j;
}

/* Appends child to an array or object node, growing by doubling. */
static int add_child(parser *ps, json *j, json *child, size_t *cap)
{
	if (j->n == *cap) {
		size_t nc = *cap ? 2 * *cap : 8;
		json **ni = realloc(j->item, nc * sizeof *ni);
		if (!ni) {
			fail(ps, "out of memory");
			return -1;
		}
		j->item = ni;
		*cap = nc;
	}
	j->item[j->n++] = child;
	return 0;
}

static int hex4(const char *s, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

static size_t utf8_put(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Parses a string starting at the opening quote. Returns a malloc'd copy with escapes
 * decoded (never longer than the source, since every escape shrinks), or NULL. */
static char *parse_string(parser *ps)
{
	const char *s = ps->p + 1, *e = s;
	while (*e && *e != '"') {
		if ((unsigned char)*e < 0x20) {
			fail(ps, "control character inside a string");
			return NULL;
		}
		e += *e == '\\' && e[1] ? 2 : 1;
	}
	if (*e != '"') {
		fail(ps, "unterminated string");
		return NULL;
	}
	char *out = malloc((size_t)(e - s) + 1), *o = out;
	if (!out) {
		fail(ps, "out of memory");
		return NULL;
	}
	for (const char *c = s; c < e; c++) {
		if (*c != '\\') {
			*o++ = *c;
			continue;
		}
		c++;
		switch (*c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			unsigned cp, lo;
			if (e - c < 5 || hex4(c + 1, &cp))
				goto bad_u;
			c += 4;
			/* A high surrogate must be followed by a low one; together they make one
			 * code point above the BMP. */
			if (cp >= 0xD800 && cp < 0xDC00) {
				if (e - c < 7 || c[1] != '\\' || c[2] != 'u' || hex4(c + 3, &lo) || lo < 0xDC00 || lo > 0xDFFF)
					goto bad_u;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				c += 6;
			} else if (cp >= 0xDC00 && cp < 0xE000) {
				goto bad_u;
			}
			o += utf8_put(o, cp);
			break;
		}
		default:
			fail(ps, "unknown escape \\%c in a string", *c ? *c : '0');
			free(out);
			return NULL;
		}
	}
	*o = 0;
	ps->p = e + 1;
	return out;
bad_u:
	fail(ps, "bad \\u escape in a string");
	free(out);
	return NULL;
}

static int parse_number(parser *ps, double *v)
{
	const char *c = ps->p;
	if (*c == '-')
		c++;
	if (*c == '0')
		c++;
	else if (*c >= '1' && *c <= '9')
		while (*c >= '0' && *c <= '9')
			c++;
	else
		goto bad;
	if (*c == '.') {
		c++;
		if (!(*c >= '0' && *c <= '9'))
			goto bad;
		while (*c >= '0' && *c <= '9')
			c++;
	}
	if (*c == 'e' || *c == 'E') {
		c++;
		if (*c == '+' || *c == '-')
			c++;
		if (!(*c >= '0' && *c <= '9'))
			goto bad;
		while (*c >= '0' && *c <= '9')
			c++;
	}
	/* The grammar above is locale-free; strtod only converts a checked token, and the
	 * '.' it expects is the C locale's, which fgsim never changes. */
	*v = strtod(ps->p, NULL);
	ps->p = c;
	return 0;
bad:
	fail(ps, "bad number");
	return -1;
}

static json *parse_value(parser *ps);

/* Parses an array or object whose opening bracket is at ps->p. */
static json *parse_container(parser *ps, int object)
{
	json *j = node(ps, object ? JSON_OBJECT : JSON_ARRAY);
	size_t cap = 0;
	char close = object ? '}' : ']';
	if (!j)
		return NULL;
	if (++ps->depth > JSON_MAX_DEPTH) {
		fail(ps, "nested deeper than %d levels", JSON_MAX_DEPTH);
		goto bad;
	}
	ps->p++;
	skip_ws(ps);
	if (*ps->p == close) {
		ps->p++;
		ps->depth--;
		return j;
	}
	for (;;) {
		char *key = NULL;
		skip_ws(ps);
		if (object) {
			if (*ps->p != '"') {
				fail(ps, "expected a member name in quotes");
				goto bad;
			}
			if (!(key = parse_string(ps)))
				goto bad;
			skip_ws(ps);
			if (*ps->p != ':') {
				free(key);
				fail(ps, "expected ':' after a member name");
				goto bad;
			}
			ps->p++;
		}
		json *child = parse_value(ps);
		if (!child) {
			free(key);
			goto bad;
		}
		child->key = key;
		if (add_child(ps, j, child, &cap)) {
			json_free(child);
			goto bad;
		}
		skip_ws(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p == close) {
			ps->p++;
			ps->depth--;
			return j;
		}
		fail(ps, "expected ',' or '%c'", close);
		goto bad;
	}
bad:
	json_free(j);
	return NULL;
}

static json *parse_value(parser *ps)
{
	json *j;
	skip_ws(ps);
	switch (*ps->p) {
	case '{': return parse_container(ps, 1);
	case '[': return parse_container(ps, 0);
	case '"': {
		char *s = parse_string(ps);
		if (!s)
			return NULL;
		if (!(j = node(ps, JSON_STRING))) {
			free(s);
			return NULL;
		}
		j->str = s;
		return j;
	}
	case 't':
	case 'f':
	case 'n': {
		static const struct { const char *word; json_type t; int v; } words[] = {
			{"true", JSON_BOOL, 1}, {"false", JSON_BOOL, 0}, {"null", JSON_NULL, 0}};
		for (size_t i = 0; i < 3; i++) {
			size_t len = strlen(words[i].word);
			if (!strncmp(ps->p, words[i].word, len)) {
				if (!(j = node(ps, words[i].t)))
					return NULL;
				j->num = words[i].v;
				ps->p += len;
				return j;
			}
		}
		break;
	}
	default:
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9')) {
			double v;
			if (parse_number(ps, &v) || !(j = node(ps, JSON_NUMBER)))
				return NULL;
			j->num = v;
			return j;
		}
	}
	fail(ps, *ps->p ? "unexpected character '%c'" : "unexpected end of text", *ps->p);
	return NULL;
}

json *json_parse(const char *text, char *err, size_t errlen)
{
	parser ps = {text, 1, 0, err, errlen, 0};
	json *j = parse_value(&ps);
	if (j) {
		skip_ws(&ps);
		if (*ps.p) {
			fail(&ps, "unexpected text after the document");
			json_free(j);
			j = NULL;
		}
	}
	return j;
}

void json_free(json *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->n; i++)
		json_free(j->item[i]);
	free(j->item);
	free(j->str);
	free(j->key);
	free(j);
}

const json *json_get(const json *j, const char *key)
{
	if (!j || j->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < j->n; i++)
		if (!strcmp(j->item[i]->key, key))
			return j->item[i];
	return NULL;
}

const json *json_path(const json *j, const char *path)
{
	char part[256];
	while (j && *path) {
		size_t len = strcspn(path, ".");
		if (len >= sizeof part)
			return NULL;
		memcpy(part, path, len);
		part[len] = 0;
		j = json_get(j, part);
		path += len + (path[len] == '.');
	}
	return j;
}

const char *json_str(const json *j, const char *dflt)
{
	return j && j->type == JSON_STRING ? j->str : dflt;
}

double json_num(const json *j, double dflt)
{
	return j && j->type == JSON_NUMBER ? j->num : dflt;
}
