/* names.h - "did you mean" suggestions for misspelt names (keys, policies, units). */
#ifndef FGSIM_NAMES_H
#define FGSIM_NAMES_H
#include <stddef.h>

/* Levenshtein distance between a and b (Levenshtein 1966), capped at 255. */
int names_distance(const char *a, const char *b);
/* The candidate nearest to word when within edit distance 2 (and not the word itself),
 * else NULL. candidates ends with NULL. */
const char *names_suggest(const char *word, const char *const *candidates);
#endif
