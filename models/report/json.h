/* json.h - a small JSON reader: parses a document (run.json) into a tree that the plot
 * and report code walk to find the resolved scenario. Strict RFC 8259, no extensions;
 * enough for files fgsim itself writes and for anything a user edits into them. */
#ifndef FGSIM_JSON_H
#define FGSIM_JSON_H
#include <stddef.h>

typedef enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type;

typedef struct json {
	json_type type;
	double num;   /* JSON_NUMBER; JSON_BOOL: 0 or 1 */
	char *str;    /* JSON_STRING, NUL-terminated UTF-8 (an embedded \u0000 ends it) */
	char *key;    /* the member's name when this value sits in an object, else NULL */
	struct json **item; /* JSON_ARRAY, JSON_OBJECT: n children in document order */
	size_t n;
} json;

/* Parses text (NUL-terminated). Returns the tree, or NULL with "line N: what is wrong"
 * in err (also NULL, with "out of memory", when allocation fails). */
json *json_parse(const char *text, char *err, size_t errlen);
/* Frees a tree; json_free(NULL) is a no-op. */
void json_free(json *j);
/* The member `key` of an object, or NULL (also when j is NULL or not an object). */
const json *json_get(const json *j, const char *key);
/* Follows a dotted path of member names ("scenario.run.horizon"); NULL if any step is
 * missing. */
const json *json_path(const json *j, const char *path);
/* The string value at j, or dflt when j is NULL or not a string. */
const char *json_str(const json *j, const char *dflt);
/* The number at j, or dflt when j is NULL or not a number. */
double json_num(const json *j, double dflt);
#endif
