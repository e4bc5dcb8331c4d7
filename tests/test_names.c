/* test_names.c - the check every user-chosen name passes (printable UTF-8, no C0, DEL
 * or C1 control, and for the scenario name one folder name), the UTF-8 decoder under it,
 * the terminal-safe copy of a string, and the "did you mean" suggestions. */
#include <string.h>

#include "names.h"
#include "test.h"

static char msg[200];

/* names_check(name, path) gives rc, and when it fails a message holding part. */
static void check(const char *name, int path, int rc, const char *part, int line)
{
	msg[0] = 0;
	int got = names_check(name, path, msg, sizeof msg);
	if (got != rc || (part && !strstr(msg, part)))
		fprintf(stderr, "  (from line %d: msg \"%s\")\n", line, msg);
	CHECK_INT(got, rc);
	if (part)
		CHECK(strstr(msg, part) != NULL);
}

int main(void)
{
	unsigned cp = 0;
	CHECK_INT(names_utf8_next("A", &cp), 1);
	CHECK_INT(cp, 'A');
	CHECK_INT(names_utf8_next("\xC3\xA9", &cp), 2);
	CHECK_INT(cp, 0xE9);
	CHECK_INT(names_utf8_next("\xE2\x82\xAC", &cp), 3);
	CHECK_INT(cp, 0x20AC);
	CHECK_INT(names_utf8_next("\xF0\x9F\x98\x80", &cp), 4);
	CHECK_INT(cp, 0x1F600);
	CHECK_INT(names_utf8_next("\xF4\x8F\xBF\xBF", &cp), 4); /* U+10FFFF, the last */
	CHECK_INT(names_utf8_next("\x80", &cp), 0);		/* a stray continuation */
	CHECK_INT(names_utf8_next("\xC0\xAF", &cp), 0);		/* overlong '/' */
	CHECK_INT(names_utf8_next("\xE0\x80\xAF", &cp), 0);	/* overlong '/', 3 bytes */
	CHECK_INT(names_utf8_next("\xF0\x80\x80\xAF", &cp), 0); /* overlong '/', 4 bytes */
	CHECK_INT(names_utf8_next("\xED\xA0\x80", &cp), 0);	/* surrogate U+D800 */
	CHECK_INT(names_utf8_next("\xED\xBF\xBF", &cp), 0);	/* surrogate U+DFFF */
	CHECK_INT(names_utf8_next("\xF4\x90\x80\x80", &cp), 0); /* above U+10FFFF */
	CHECK_INT(names_utf8_next("\xE2\x82", &cp), 0);		/* cut short */
	CHECK_INT(names_utf8_next("\xFF", &cp), 0);
	CHECK(names_is_control(0) && names_is_control(0x1B) && names_is_control(0x7F));
	CHECK(names_is_control(0x80) && names_is_control(0x9F));
	CHECK(!names_is_control(' ') && !names_is_control('~') && !names_is_control(0xA0));

	check("fcfs", 0, 0, NULL, __LINE__);
	check("p`touch x`", 0, 0, NULL, __LINE__); /* printable: harmless once quoted */
	check("Zürich ☁ 東京", 0, 0, NULL, __LINE__);
	check("a\x1b[2Jb", 0, -1, "U+001B at byte 2", __LINE__);
	check("bell\x07", 0, -1, "U+0007 at byte 5", __LINE__);
	check("tab\t", 0, -1, "U+0009", __LINE__);
	/* Invisible characters that make a name read other than it is. */
	check("ab\xE2\x80\xAE" "cod.exe", 0, -1, "U+202E at byte 3", __LINE__); /* right-to-left override */
	check("a\xE2\x80\xA8" "b", 0, -1, "U+2028", __LINE__);                  /* line separator */
	check("a\xE2\x80\x8B" "b", 0, -1, "U+200B", __LINE__);                  /* zero-width space */
	check("\xEF\xBB\xBFname", 0, -1, "U+FEFF", __LINE__);                /* byte-order mark */
	check("a\xE2\x80\x94" "b", 0, 0, NULL, __LINE__);                       /* an em dash is fine */
	check("del\x7f", 0, -1, "U+007F", __LINE__);
	check("c1\xc2\x9b", 0, -1, "U+009B at byte 3", __LINE__);
	check("bad\xff", 0, -1, "not valid UTF-8 (byte 4 is 0xFF)", __LINE__);
	check("\xC0\xAF", 0, -1, "not valid UTF-8", __LINE__);
	check("\xED\xA0\x80", 0, -1, "not valid UTF-8", __LINE__);
	/* a scenario name is one folder under results/ */
	check("fastgpu-promo", 1, 0, NULL, __LINE__);
	check("../../x", 1, -1, "starts with '.'", __LINE__);
	check("..", 1, -1, "starts with '.'", __LINE__);
	check(".", 1, -1, "starts with '.'", __LINE__);
	check(".hidden", 1, -1, "starts with '.'", __LINE__);
	check("a/b", 1, -1, "contains '/'", __LINE__);
	check("", 1, -1, "empty", __LINE__);
	check("a/b", 0, 0, NULL, __LINE__); /* other names may hold '/' */
	check("x\x1b", 1, -1, "U+001B", __LINE__);

	char buf[64];
	CHECK_STR(names_show("plain ü", buf, sizeof buf), "plain ü");
	CHECK_STR(names_show("a\x1b[2J\x07", buf, sizeof buf), "a\\x1B[2J\\x07");
	CHECK_STR(names_show("c1\xc2\x85 \xff", buf, sizeof buf), "c1\\xC2\\x85 \\xFF");
	CHECK_STR(names_show("back\\slash", buf, sizeof buf), "back\\\\slash");
	CHECK_STR(names_show("0123456789abcdef", buf, 12), "01234567...");
	CHECK_STR(names_show("\x1b\x1b\x1b", buf, 10), "\\x1B...");

	CHECK_INT(names_distance("fcfs", "fcsf"), 2);
	static const char *const cand[] = {"fcfs", "sjf", "priority", NULL};
	CHECK_STR(names_suggest("fcf", cand), "fcfs");
	CHECK(names_suggest("zzzzzz", cand) == NULL);
	CHECK(names_suggest("fcfs", cand) == NULL); /* the word itself is no suggestion */

	/* names_hint and its forms: the same suffix whatever shape the candidates come in */
	char hint[NAMES_HINT_MAX];
	CHECK_STR(names_hint("fcf", cand, hint, sizeof hint), " (did you mean \"fcfs\"?)");
	CHECK_STR(names_hint("zzzzzz", cand, hint, sizeof hint), "");
	static const char *const table[3] = {"wait_p95", "wait_mean", "profit"}; /* no NULL */
	CHECK_STR(names_hint_n("wait_p59", table, 3, hint, sizeof hint),
		  " (did you mean \"wait_p95\"?)");
	CHECK_STR(names_hint_n("profit", table, 2, hint, sizeof hint), ""); /* past n: not seen */
	struct pool { int n; char name[16]; } pools[] = {{1, "h100"}, {2, "a100"}, {3, "l40s"}};
	CHECK_STR(names_hint_in("l40", pools[0].name, 3, sizeof pools[0], hint, sizeof hint),
		  " (did you mean \"l40s\"?)");
	CHECK_STR(names_hint_in("l40", pools[0].name, 2, sizeof pools[0], hint, sizeof hint), "");
	/* equals: the first in the list wins, as names_suggest */
	CHECK_STR(names_hint_in("x100", pools[0].name, 3, sizeof pools[0], hint, sizeof hint),
		  " (did you mean \"h100\"?)");
	/* the longest suggestion fits NAMES_HINT_MAX */
	char w[65], c[67];
	memset(w, 'a', 64), w[64] = 0;
	memset(c, 'a', 66), c[66] = 0;
	const char *const longc[] = {c, NULL};
	CHECK_INT(names_distance(w, c), 255); /* over 64 bytes: not measured, so never suggested */
	c[64] = 0, c[0] = 'b'; /* 64 bytes, one edit away */
	/* + NUL: fits NAMES_HINT_MAX */
	CHECK_INT((int)strlen(names_hint(w, longc, hint, sizeof hint)), 64 + 19);
	/* abbreviations: the shortest name the word begins, when the others extend it */
	const char *const pol[] = {"fcfs", "priority", "sjf", "fair-share", "priority-preemptive", "preempt", NULL};
	CHECK_STR(names_suggest("prio", pol), "priority");
	CHECK_STR(names_suggest("priority-p", pol), "priority-preemptive");
	CHECK_STR(names_suggest("fair", pol), "fair-share");
	CHECK(names_suggest("pr", pol) == NULL);   /* under 3 bytes: no abbreviation */
	CHECK(names_suggest("pre", pol) == NULL || strcmp(names_suggest("pre", pol), "preempt") == 0);
	const char *const two[] = {"preempt", "present", NULL};
	CHECK_STR(names_suggest("preemt", two), "preempt"); /* a spelling still counts */
	CHECK(names_suggest("pre", two) == NULL);   /* two unrelated: no guess */
	return test_report("test_names");
}
