/* names.c - edit distance and nearest-name suggestions, and the check of a user-chosen
 * name (UTF-8 decoding per RFC 3629). */
#include "names.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

/* Levenshtein distance with one row of the table (Wagner & Fischer 1974). Names over
 * 64 bytes get 255: no name in the tables is that long, so no suggestion is lost, and
 * the row stays on the stack whatever a user types. */
int names_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 255;
	int row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	/* the distance is at least the difference of the lengths, at most the longer */
	FG_ASSERT(row[lb] <= (int)(la > lb ? la : lb));
	FG_ASSERT(row[lb] >= (int)(la > lb ? la - lb : lb - la));
	return row[lb];
}

/* The one nearest-name search behind every suggestion: the candidate nearest to word
 * within edit distance 2, the first of equals, or NULL. The i-th candidate sits at
 * base + i * stride: its characters there (embedded), or a pointer to them, a NULL
 * pointer ending the list early. */
static const char *nearest(const char *word, const void *base, size_t n, size_t stride,
			   int embedded)
{
	const char *best = NULL;
	int best_d = 3;
	/* An abbreviation comes first ("prio", "priority-p", "fair"): the shortest name the
	 * word begins, when every other name it begins extends that one; several unrelated
	 * ones ("pr" of "priority" and "preempt") say nothing, a guess being one of many. */
	size_t wn = strlen(word);
	const char *shortest = NULL;
	int related = 1;
	for (size_t i = 0; wn >= 3 && i < n; i++) {
		const char *at = (const char *)base + i * stride;
		const char *name = embedded ? at : *(const char *const *)(const void *)at;
		if (!name)
			break;
		if (strncmp(word, name, wn) || !name[wn])
			continue;
		if (!shortest || strlen(name) < strlen(shortest)) {
			related &= !shortest || !strncmp(name, shortest, strlen(name));
			shortest = name;
		} else
			related &= !strncmp(name, shortest, strlen(shortest));
	}
	if (shortest && related)
		return shortest;
	for (size_t i = 0; i < n; i++) {
		const char *at = (const char *)base + i * stride;
		const char *name = embedded ? at : *(const char *const *)(const void *)at;
		if (!name)
			break;
		int d = names_distance(word, name);
		/* d == 0 is the word itself: a caller asks only for words it did not find,
		 * and "did you mean" the same word would confuse; strict < keeps the first */
		if (d > 0 && d < best_d) {
			best_d = d;
			best = name;
		}
	}
	return best;
}

const char *names_suggest(const char *word, const char *const *candidates)
{
	return nearest(word, candidates, SIZE_MAX, sizeof *candidates, 0);
}

static const char *hint(const char *near, char *buf, size_t len)
{
	if (near)
		snprintf(buf, len, " (did you mean \"%s\"?)", near);
	else
		buf[0] = 0;
	return buf;
}

const char *names_hint(const char *word, const char *const *candidates, char *buf, size_t len)
{
	return hint(nearest(word, candidates, SIZE_MAX, sizeof *candidates, 0), buf, len);
}

const char *names_hint_n(const char *word, const char *const *candidates, size_t n, char *buf,
			 size_t len)
{
	return hint(nearest(word, candidates, n, sizeof *candidates, 0), buf, len);
}

const char *names_hint_in(const char *word, const char *first, size_t n, size_t stride, char *buf,
			  size_t len)
{
	return hint(nearest(word, first, n, stride, 1), buf, len);
}

size_t names_utf8_next(const char *s, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned c = u[0], min;
	size_t n;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, c &= 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, c &= 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0; /* a continuation byte, C0/C1 (always overlong) or F5..FF */
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80) /* also stops at the terminating 0 */
			return 0;
		c = c << 6 | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	FG_ASSERT(n >= 2 && n <= 4);
	*cp = c;
	return n;
}

int names_is_control(unsigned cp)
{
	/* C0, DEL, C1; and the invisible format and separator characters that make text
	 * read other than it is: zero-width ones (U+200B-U+200F, U+2060-U+2064, U+FEFF),
	 * bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069), line and
	 * paragraph separators (U+2028, U+2029). */
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) || cp == 0x2028 ||
	       cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

/* Names become file names, CSV fields and plot labels: a leading '.' would hide a
 * file (or be "." or ".."), '/' would leave the results folder, and an invisible or
 * bidirectional character would make a label read other than it is. Returns 0, or
 * -1 with the reason in msg. */
int names_check(const char *name, int path_component, char *msg, size_t msglen)
{
	if (path_component) {
		if (!*name) {
			snprintf(msg, msglen, "is empty");
			return -1;
		}
		if (name[0] == '.') {
			snprintf(msg, msglen, "starts with '.'");
			return -1;
		}
		if (strchr(name, '/')) {
			snprintf(msg, msglen, "contains '/'");
			return -1;
		}
	}
	for (size_t i = 0; name[i];) {
		unsigned cp;
		size_t n = names_utf8_next(name + i, &cp);
		if (!n) {
			snprintf(msg, msglen, "is not valid UTF-8 (byte %zu is 0x%02X)", i + 1, (unsigned char)name[i]);
			return -1;
		}
		if (names_is_control(cp)) {
			snprintf(msg, msglen, "holds the control character U+%04X at byte %zu", cp, i + 1);
			return -1;
		}
		i += n;
	}
	return 0;
}

char *names_show(const char *s, char *buf, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; s[i];) {
		unsigned cp = 0;
		size_t n = names_utf8_next(s + i, &cp);
		char tmp[8];
		size_t k;
		if (n && !names_is_control(cp) && cp != '\\')
			memcpy(tmp, s + i, k = n);
		else if (cp == '\\' && n)
			memcpy(tmp, "\\\\", k = 2);
		else
			k = (size_t)snprintf(tmp, sizeof tmp, "\\x%02X", (unsigned char)s[i]), n = 1;
		if (o + k + 4 > len) { /* room for "..." and the 0 */
			if (len >= 4) {
				memcpy(buf + o, "...", 3);
				o += 3;
			}
			break;
		}
		memcpy(buf + o, tmp, k);
		o += k;
		i += n;
	}
	if (len)
		buf[o < len ? o : len - 1] = 0;
	return buf;
}

void names_put_text(FILE *f, const char *s, const char *from, const char *to)
{
	while (*s) {
		unsigned cp = 0;
		size_t n = names_utf8_next(s, &cp);
		const char *swap = cp && cp < 0x80 && from ? strchr(from, (int)cp) : NULL;
		if (!n)
			fputs("\xEF\xBF\xBD", f), n = 1;
		else if (names_is_control(cp))
			fputc(' ', f);
		else if (swap)
			fputc(to[swap - from], f);
		else
			fwrite(s, 1, n, f);
		s += n;
	}
}
