/* runjson.h - run.json through jansson: reading a document with fgsim's own limits
 * (size, nesting) and lookups by dotted path; writing values that print what fgsim has
 * always printed (strings valid for any bytes, numbers at the precision each field had)
 * and a document in fgsim's layout (two-space indent, members in the order added). */
#ifndef FGSIM_RUNJSON_H
#define FGSIM_RUNJSON_H
#include <stdio.h>

#include <jansson.h>
#include <libconfig.h>

/* Nesting deeper than this is refused before jansson sees the text: no file fgsim writes
 * comes near it, and jansson's own limit (2048) is far above what a report needs. */
#define RUNJSON_MAX_DEPTH 200
/* A run.json larger than this is not one fgsim wrote (the largest resolved scenario is
 * a few hundred kilobytes); refused rather than held in memory twice. */
#define RUNJSON_MAX_BYTES (64L << 20)

/* Parses len bytes of text (RFC 8259; a \u0000 inside a string ends it as C reads it,
 * integers are read as reals: every number is a double). Returns the tree (free it with
 * json_decref), or NULL with "line N: what is wrong" in err. */
json_t *runjson_parse(const char *text, size_t len, char *err, size_t errlen);
/* Follows a dotted path of member names ("scenario.run.horizon"); NULL if any step is
 * missing or j is NULL. */
const json_t *runjson_path(const json_t *j, const char *path);
/* How many children j has: an array's elements, an object's members; 0 for anything
 * else and for NULL. */
size_t runjson_size(const json_t *j);
/* Walks the children of an array or an object alike, in document order:
 *   runjson_iter k = runjson_each(list); while ((v = runjson_next(&k, &key))) ...
 * key is the member's name, NULL for an array's element. */
typedef struct runjson_iter {
	const json_t *c;
	size_t i;
	void *it;
} runjson_iter;
runjson_iter runjson_each(const json_t *c);
const json_t *runjson_next(runjson_iter *k, const char **key);
/* The string at j, or dflt when j is NULL or not a string. */
const char *runjson_str(const json_t *j, const char *dflt);
/* The number at j, or dflt when j is NULL or not a number. */
double runjson_num(const json_t *j, double dflt);

/* A JSON string for any bytes: file paths and the command line are not checked the way
 * names are, so a byte that is not part of valid UTF-8 becomes U+FFFD. NULL only when
 * out of memory. */
json_t *runjson_string(const char *s);
/* The number x as fgsim printed it with printf format fmt ("%.10g", "%.0f"): an integer
 * when that text is one, else the real that text stands for; null for NaN and infinity,
 * which JSON has no word for. NULL only when out of memory. */
json_t *runjson_number(double x, const char *fmt);
/* A libconfig setting (the resolved scenario) as JSON: integers as integers, floats at
 * full precision, groups as objects in file order. NULL when out of memory. */
json_t *runjson_config(const config_setting_t *s);
/* Writes doc (any value) to f, indented by two, members in the order they were added,
 * reals at the fewest digits that give back every real in doc, and a final newline; controls that
 * JSON allows raw (DEL, C1, the invisible format characters of names_is_control) are
 * written as \uXXXX so that no terminal showing the file sees them. Returns 0, or -1
 * (out of memory, or f failed; errno says which). doc stays the caller's. */
int runjson_write(FILE *f, const json_t *doc);
#endif
