/* names.h - "did you mean" suggestions for misspelt names (keys, policies, units), and
 * the one check every user-chosen name passes: printable UTF-8 without control
 * characters, so that it can reach a terminal, a CSV, JSON, HTML or a plot as written. */
#ifndef FGSIM_NAMES_H
#define FGSIM_NAMES_H
#include <stddef.h>
#include <stdio.h>

/* Levenshtein distance between a and b (Levenshtein 1966), capped at 255. */
int names_distance(const char *a, const char *b);
/* The candidate nearest to word when within edit distance 2 (and not the word itself),
 * else NULL. candidates ends with NULL. */
const char *names_suggest(const char *word, const char *const *candidates);
/* The one "did you mean" every message uses: writes ` (did you mean "NEAR"?)` into buf
 * (of len > 0 bytes) when a candidate lies within edit distance 2 of word (as
 * names_suggest), else makes buf empty, so that a message reads the same with or without
 * a suggestion. Returns buf. The candidates come as a NULL-terminated list (names_hint),
 * n pointers (names_hint_n: a table without a NULL at its end, such as metric_names), or
 * the name fields of n structs, stride bytes apart, `first` the first struct's field
 * (names_hint_in: sc->pools[0].name, sizeof sc->pools[0]) - no copy into a list. */
/* Room for any hint: a suggestion is within 2 edits of a word names_distance measures
 * (at most 64 bytes), plus the 19 bytes around it and a NUL. */
#define NAMES_HINT_MAX 96
const char *names_hint(const char *word, const char *const *candidates, char *buf, size_t len);
const char *names_hint_n(const char *word, const char *const *candidates, size_t n, char *buf,
			 size_t len);
const char *names_hint_in(const char *word, const char *first, size_t n, size_t stride, char *buf,
			  size_t len);

/* Decodes the UTF-8 character at s (not at its terminating 0) into *cp. Returns its
 * length, 1 to 4, or 0 when s does not start a valid sequence: a stray continuation
 * byte, an overlong form, a surrogate (U+D800..U+DFFF), a code point above U+10FFFF or a
 * sequence cut short (RFC 3629). */
size_t names_utf8_next(const char *s, unsigned *cp);

/* Whether code point cp is a control character: C0 (below U+0020), DEL (U+007F), C1
 * (U+0080..U+009F), or an invisible format or separator character (zero-width, a
 * bidirectional override, a line separator): names.c lists them. */
int names_is_control(unsigned cp);

/* Checks a user-chosen name: valid UTF-8 without control characters; with
 * path_component, also usable as one folder name inside another (not empty, no '/',
 * not starting with '.', which also rules out "." and ".."). Returns 0, or -1 with what
 * is wrong in msg (the offending byte's position, from 1, and value). */
int names_check(const char *name, int path_component, char *msg, size_t msglen);

/* Copies s into buf (of len > 0 bytes) for a terminal or a message: valid printable
 * UTF-8 as it is, every other byte (controls, invalid UTF-8) as \xHH, and a backslash
 * as \\ so that the result reads back unambiguously; cut short with "..." when it does
 * not fit. Returns buf. */
char *names_show(const char *s, char *buf, size_t len);

/* Writes s to f as text for a data file or a page, from a results folder a user may have
 * edited: broken UTF-8 becomes U+FFFD, a control character a space (a line break would
 * start a new data line), and each character of `from` (may be NULL) the character at
 * the same place in `to`, e.g. "\"" -> "'" where gnuplot has no escape for a quote. */
void names_put_text(FILE *f, const char *s, const char *from, const char *to);
#endif
