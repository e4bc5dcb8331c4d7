/* test_json.c - run.json through jansson (runjson.c): the reader's own limits (nesting,
 * size) and its line-numbered errors, lookups by path and defaults, and the writer:
 * strings valid JSON for any bytes, invisible controls escaped, numbers with the values
 * the old hand-written writer printed, reals at the fewest digits that give them back. */
#include <math.h>
#include <stdlib.h>

#include "runjson.h"
#include "test.h"

static char err[256];

static json_t *parse(const char *text)
{
	err[0] = 0;
	return runjson_parse(text, strlen(text), err, sizeof err);
}

static void bad(const char *text, const char *part, int line)
{
	json_t *j = parse(text);
	if (j || !strstr(err, part))
		fprintf(stderr, "  (from line %d: \"%.60s\" -> err \"%s\", wanted \"%s\")\n", line, text, err, part);
	CHECK(j == NULL);
	CHECK(strstr(err, part) != NULL);
	json_decref(j);
}

/* doc written by runjson_write, as text (malloc'd). */
static char *written_doc(const json_t *doc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CHECK_INT(runjson_write(f, doc), 0);
	fclose(f);
	return buf;
}

/* runjson_string(in), written, is exactly `want` (with the final newline), and reads
 * back as `back`. */
static void written(const char *in, const char *want, const char *back, int line)
{
	json_t *s = runjson_string(in);
	CHECK(s != NULL);
	char *buf = written_doc(s), w[200];
	snprintf(w, sizeof w, "%s\n", want);
	if (strcmp(buf, w))
		fprintf(stderr, "  (from line %d)\n", line);
	CHECK_STR(buf, w);
	json_t *j = parse(buf);
	CHECK(j != NULL);
	CHECK_STR(runjson_str(j, NULL), back);
	json_decref(j);
	json_decref(s);
	free(buf);
}

/* runjson_number(x, fmt) written alone is `want`. */
static void number(double x, const char *fmt, const char *want, int line)
{
	json_t *n = runjson_number(x, fmt);
	char *buf = written_doc(n), w[64];
	snprintf(w, sizeof w, "%s\n", want);
	if (strcmp(buf, w))
		fprintf(stderr, "  (from line %d: %.17g with %s)\n", line, x, fmt);
	CHECK_STR(buf, w);
	json_decref(n);
	free(buf);
}

int main(void)
{
	/* invalid UTF-8 (a stray continuation, an overlong '/', a surrogate, a cut-short
	 * sequence, 0xFF) becomes U+FFFD per byte; C0, DEL, C1 and the invisible format
	 * characters are escaped; valid UTF-8 passes as it is */
	written("a\x80" "b", "\"a\xEF\xBF\xBD" "b\"", "a\xEF\xBF\xBD" "b", __LINE__);
	written("\xC0\xAF", "\"\xEF\xBF\xBD\xEF\xBF\xBD\"", "\xEF\xBF\xBD\xEF\xBF\xBD", __LINE__);
	written("\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD",
		__LINE__);
	written("x\xE2\x82", "\"x\xEF\xBF\xBD\xEF\xBF\xBD\"", "x\xEF\xBF\xBD\xEF\xBF\xBD", __LINE__);
	written("\xFF", "\"\xEF\xBF\xBD\"", "\xEF\xBF\xBD", __LINE__);
	written("\x1B[31m\x07\x7F\xC2\x85", "\"\\u001B[31m\\u0007\\u007f\\u0085\"", "\x1B[31m\x07\x7F\xC2\x85", __LINE__);
	written("rtl\xE2\x80\xAEx\xE2\x80\x8B", "\"rtl\\u202ex\\u200b\"", "rtl\xE2\x80\xAEx\xE2\x80\x8B", __LINE__);
	written("q\"b\\s\n", "\"q\\\"b\\\\s\\n\"", "q\"b\\s\n", __LINE__);
	written("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"",
		"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", __LINE__);

	/* numbers: integers where the old text was one, the value of the old text else,
	 * null where it printed nan or inf (not JSON) */
	number(3575043, "%.0f", "3575043", __LINE__);
	number(2.0, "%.17g", "2", __LINE__);
	number(0.95, "%.10g", "0.95", __LINE__);
	number(0.95, "%.17g", "0.95", __LINE__);
	number(0.1 + 0.2, "%.17g", "0.30000000000000004", __LINE__);
	number(0.99166666666666667, "%.10g", "0.9916666667", __LINE__);
	number(1.234567, "%.6g", "1.23457", __LINE__);
	number(NAN, "%.10g", "null", __LINE__);
	number(-INFINITY, "%.0f", "null", __LINE__);
	/* one document, one precision: the most digits any real needs, so 0.95 prints
	 * short beside 0.25, and as its exact binary value beside 0.1 + 0.2 */
	json_t *doc = json_pack("{s:o, s:o, s:o}", "a", runjson_number(0.95, "%.10g"), "b",
				runjson_number(0.25, "%.17g"), "c", runjson_number(7, "%.10g"));
	char *text = written_doc(doc);
	CHECK_STR(text, "{\n  \"a\": 0.95,\n  \"b\": 0.25,\n  \"c\": 7\n}\n");
	free(text);
	json_decref(doc);
	doc = json_pack("[o, o]", runjson_number(0.95, "%.10g"), runjson_number(0.1 + 0.2, "%.17g"));
	text = written_doc(doc);
	CHECK_STR(text, "[\n  0.94999999999999996,\n  0.30000000000000004\n]\n");
	json_t *back = parse(text);
	CHECK(back && json_number_value(json_array_get(back, 0)) == 0.95);
	json_decref(back);
	free(text);
	json_decref(doc);

	const char *docs = "{\n  \"name\": \"fastgpu\\u002dpromo\",\n  \"seed\": 42, \"confidence\": 0.95,\n"
			   "  \"ok\": true, \"no\": false, \"nothing\": null, \"neg\": -1.5e3,\n"
			   "  \"scenario\": {\"run\": {\"horizon\": \"7d\"}, \"list\": [1, [2, 3], {\"k\": \"v\"}, []]},\n"
			   "  \"esc\": \"a\\\"b\\\\c\\/d\\n\\t\", \"utf\": \"\\u00e9\\u20ac\\ud83d\\ude00\",\n"
			   "  \"nul\": \"ab\\u0000cd\"\n}\n";
	json_t *j = parse(docs);
	CHECK(j != NULL);
	CHECK(json_is_object(j));
	CHECK_STR(runjson_str(json_object_get(j, "name"), NULL), "fastgpu-promo");
	CHECK_NEAR(runjson_num(json_object_get(j, "seed"), 0), 42, 0);
	CHECK(json_is_real(json_object_get(j, "seed"))); /* every number a double */
	CHECK_NEAR(runjson_num(json_object_get(j, "confidence"), 0), 0.95, 0);
	CHECK_NEAR(runjson_num(json_object_get(j, "neg"), 0), -1500, 0);
	CHECK(json_is_true(json_object_get(j, "ok")));
	CHECK(json_is_false(json_object_get(j, "no")));
	CHECK(json_is_null(json_object_get(j, "nothing")));
	CHECK_STR(runjson_str(runjson_path(j, "scenario.run.horizon"), NULL), "7d");
	CHECK(runjson_path(j, "scenario.run.warmup") == NULL);
	CHECK(runjson_path(j, "name.x") == NULL);
	CHECK(runjson_path(NULL, "x") == NULL);
	const json_t *l = runjson_path(j, "scenario.list");
	CHECK_INT(runjson_size(l), 4);
	CHECK_INT(runjson_size(json_array_get(l, 1)), 2);
	CHECK_NEAR(runjson_num(json_array_get(json_array_get(l, 1), 1), 0), 3, 0);
	CHECK_STR(runjson_str(json_object_get(json_array_get(l, 2), "k"), NULL), "v");
	CHECK_INT(runjson_size(json_array_get(l, 3)), 0);
	CHECK_INT(runjson_size(json_object_get(j, "name")), 0);
	CHECK_STR(runjson_str(json_object_get(j, "esc"), NULL), "a\"b\\c/d\n\t");
	CHECK_STR(runjson_str(json_object_get(j, "utf"), NULL), "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	CHECK_STR(runjson_str(json_object_get(j, "nul"), NULL), "ab"); /* \u0000 ends it, as C reads it */
	/* the children of an object and of an array alike, in document order */
	const char *key;
	runjson_iter k = runjson_each(runjson_path(j, "scenario"));
	CHECK(runjson_next(&k, &key) != NULL);
	CHECK_STR(key, "run");
	const json_t *second = runjson_next(&k, &key); /* json_is_* evaluate twice */
	CHECK(json_is_array(second));
	CHECK_STR(key, "list");
	CHECK(runjson_next(&k, &key) == NULL);
	k = runjson_each(l);
	int n = 0;
	while (runjson_next(&k, &key))
		n += key == NULL;
	CHECK_INT(n, 4);
	k = runjson_each(json_object_get(j, "seed"));
	CHECK(runjson_next(&k, &key) == NULL);
	/* defaults where the value is missing or of another kind */
	CHECK_STR(runjson_str(json_object_get(j, "seed"), "dflt"), "dflt");
	CHECK_NEAR(runjson_num(json_object_get(j, "name"), 7), 7, 0);
	json_decref(j);

	json_t *num = parse(" 12 ");
	CHECK(num && json_number_value(num) == 12);
	json_decref(num);
	/* a digit string too long for an integer reads as a real, not as an error */
	json_t *big = parse("[123456789012345678901234567890]");
	CHECK(big && json_number_value(json_array_get(big, 0)) > 1e29);
	json_decref(big);

	bad("", "line 1: ", __LINE__);
	bad("{\"a\": 1,}", "line 1: ", __LINE__);
	bad("{\"a\" 1}", "line 1: ", __LINE__);
	bad("[1 2]", "line 1: ", __LINE__);
	bad("{\n\n\"a\": tru}", "line 3: ", __LINE__);
	bad("[01]", "line 1: ", __LINE__);
	bad("[1.]", "line 1: ", __LINE__);
	bad("[-]", "line 1: ", __LINE__);
	bad("\"abc", "line 1: ", __LINE__);
	bad("\"a\tb\"", "line 1: ", __LINE__);
	bad("\"\\x\"", "line 1: ", __LINE__);
	bad("\"\\ud83d\"", "line 1: ", __LINE__);
	bad("\"\\u12\"", "line 1: ", __LINE__);
	bad("{} x", "line 1: ", __LINE__);
	bad("\"a\xFF\"", "line 1: ", __LINE__); /* not UTF-8: no file fgsim wrote */
	/* nesting: refused past RUNJSON_MAX_DEPTH before jansson recurses, with its line;
	 * brackets inside strings do not count */
	char deep[3000];
	memset(deep, '[', 300);
	deep[300] = 0;
	bad(deep, "nested deeper than 200", __LINE__);
	memset(deep, '[', 2500); /* past jansson's own limit too: still fgsim's message */
	deep[2500] = 0;
	bad(deep, "nested deeper than 200", __LINE__);
	strcpy(deep, "\n[");
	memset(deep + 2, '{', 300);
	deep[302] = 0;
	bad(deep, "line 2: nested deeper than", __LINE__);
	size_t at = 0;
	deep[at++] = '[';
	for (int i = 0; i < RUNJSON_MAX_DEPTH - 1; i++)
		deep[at++] = '[';
	at += (size_t)sprintf(deep + at, "\"[[[[\\\"[[\"");
	for (int i = 0; i < RUNJSON_MAX_DEPTH; i++)
		deep[at++] = ']';
	deep[at] = 0;
	json_t *ok = parse(deep);
	CHECK(ok != NULL); /* exactly the limit, with brackets in a string */
	json_decref(ok);
	/* size: refused before parsing, whatever the text */
	CHECK(runjson_parse("{}", (size_t)RUNJSON_MAX_BYTES + 1, err, sizeof err) == NULL);
	CHECK(strstr(err, "larger than 64 MiB") != NULL);
	return test_report("test_json");
}
