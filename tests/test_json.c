/* test_json.c - the JSON reader: every value kind, escapes and surrogate pairs, lookups
 * by path, and each syntax error reported with its line; and the writer's strings, valid
 * JSON for any bytes. */
#include <stdlib.h>

#include "json.h"
#include "output.h"
#include "test.h"

static char err[256];

static void bad(const char *text, const char *part, int line)
{
	err[0] = 0;
	json *j = json_parse(text, err, sizeof err);
	if (j || !strstr(err, part))
		fprintf(stderr, "  (from line %d: \"%s\" -> err \"%s\", wanted \"%s\")\n", line, text, err, part);
	CHECK(j == NULL);
	CHECK(strstr(err, part) != NULL);
	json_free(j);
}

/* output_json_string(in) is exactly `want`, and reads back as `back`. */
static void written(const char *in, const char *want, const char *back, int line)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	output_json_string(f, in);
	fclose(f);
	if (strcmp(buf, want))
		fprintf(stderr, "  (from line %d)\n", line);
	CHECK_STR(buf, want);
	json *j = json_parse(buf, err, sizeof err);
	CHECK(j != NULL);
	CHECK_STR(json_str(j, NULL), back);
	json_free(j);
	free(buf);
}

int main(void)
{
	/* invalid UTF-8 (a stray continuation, an overlong '/', a surrogate, a cut-short
	 * sequence, 0xFF) becomes U+FFFD per byte; C0, DEL and C1 are escaped; valid UTF-8
	 * passes as it is */
	written("a\x80" "b", "\"a\\ufffdb\"", "a\xEF\xBF\xBD" "b", __LINE__);
	written("\xC0\xAF", "\"\\ufffd\\ufffd\"", "\xEF\xBF\xBD\xEF\xBF\xBD", __LINE__);
	written("\xED\xA0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", __LINE__);
	written("x\xE2\x82", "\"x\\ufffd\\ufffd\"", "x\xEF\xBF\xBD\xEF\xBF\xBD", __LINE__);
	written("\xFF", "\"\\ufffd\"", "\xEF\xBF\xBD", __LINE__);
	written("\x1B[31m\x07\x7F\xC2\x85", "\"\\u001b[31m\\u0007\\u007f\\u0085\"", "\x1B[31m\x07\x7F\xC2\x85", __LINE__);
	written("q\"b\\s\n", "\"q\\\"b\\\\s\\u000a\"", "q\"b\\s\n", __LINE__);
	written("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"",
		"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", __LINE__);

	const char *doc = "{\n  \"name\": \"fastgpu\\u002dpromo\",\n  \"seed\": 42, \"confidence\": 0.95,\n"
			  "  \"ok\": true, \"no\": false, \"nothing\": null, \"neg\": -1.5e3,\n"
			  "  \"scenario\": {\"run\": {\"horizon\": \"7d\"}, \"list\": [1, [2, 3], {\"k\": \"v\"}, []]},\n"
			  "  \"esc\": \"a\\\"b\\\\c\\/d\\n\\t\", \"utf\": \"\\u00e9\\u20ac\\ud83d\\ude00\"\n}\n";
	json *j = json_parse(doc, err, sizeof err);
	CHECK(j != NULL);
	CHECK_INT(j->type, JSON_OBJECT);
	CHECK_STR(json_str(json_get(j, "name"), NULL), "fastgpu-promo");
	CHECK_NEAR(json_num(json_get(j, "seed"), 0), 42, 0);
	CHECK_NEAR(json_num(json_get(j, "confidence"), 0), 0.95, 0);
	CHECK_NEAR(json_num(json_get(j, "neg"), 0), -1500, 0);
	CHECK_INT(json_get(j, "ok")->type, JSON_BOOL);
	CHECK_NEAR(json_get(j, "ok")->num, 1, 0);
	CHECK_NEAR(json_get(j, "no")->num, 0, 0);
	CHECK_INT(json_get(j, "nothing")->type, JSON_NULL);
	CHECK_STR(json_str(json_path(j, "scenario.run.horizon"), NULL), "7d");
	CHECK(json_path(j, "scenario.run.warmup") == NULL);
	CHECK(json_path(j, "name.x") == NULL);
	const json *l = json_path(j, "scenario.list");
	CHECK_INT(l->n, 4);
	CHECK_INT(l->item[1]->n, 2);
	CHECK_NEAR(l->item[1]->item[1]->num, 3, 0);
	CHECK_STR(json_str(json_get(l->item[2], "k"), NULL), "v");
	CHECK_INT(l->item[3]->n, 0);
	CHECK_STR(json_str(json_get(j, "esc"), NULL), "a\"b\\c/d\n\t");
	CHECK_STR(json_str(json_get(j, "utf"), NULL), "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	/* defaults where the value is missing or of another kind */
	CHECK_STR(json_str(json_get(j, "seed"), "dflt"), "dflt");
	CHECK_NEAR(json_num(json_get(j, "name"), 7), 7, 0);
	CHECK(json_get(NULL, "x") == NULL);
	json_free(j);
	json_free(NULL);

	json *n = json_parse(" 12 ", err, sizeof err);
	CHECK(n && n->type == JSON_NUMBER && n->num == 12);
	json_free(n);

	bad("", "line 1: unexpected end", __LINE__);
	bad("{\"a\": 1,}", "expected a member name", __LINE__);
	bad("{\"a\" 1}", "expected ':'", __LINE__);
	bad("[1 2]", "expected ',' or ']'", __LINE__);
	bad("{\n\n\"a\": tru}", "line 3: unexpected character 't'", __LINE__);
	bad("[01]", "expected ',' or ']'", __LINE__);
	bad("[1.]", "bad number", __LINE__);
	bad("[-]", "bad number", __LINE__);
	bad("\"abc", "unterminated string", __LINE__);
	bad("\"a\tb\"", "control character", __LINE__);
	bad("\"\\x\"", "unknown escape", __LINE__);
	bad("\"\\ud83d\"", "bad \\u escape", __LINE__);
	bad("\"\\u12\"", "bad \\u escape", __LINE__);
	bad("{} x", "unexpected text after", __LINE__);
	char deep[1000];
	memset(deep, '[', 300);
	deep[300] = 0;
	bad(deep, "nested deeper than", __LINE__);
	return test_report("test_json");
}
