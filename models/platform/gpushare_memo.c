/* gpushare_memo.c - the memo table (gpushare_memo.h): keys and values in arrays indexed
 * by id, found through an open-addressing table of ids with linear probing, kept at most
 * half full so a miss ends after a few probes. */
#include "gpushare_memo.h"

#include "grow.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct gsm {
	int keylen, n;
	int *keys;      /* id x keylen */
	double *vals;   /* per id */
	size_t kcap, vcap;
	int *slot;      /* -1 empty, else an id */
	size_t nslot;   /* a power of two */
};

/* FNV-1a over the key's bytes, then a final mix (the low bits pick the slot) */
static uint64_t hash(const int *k, int len)
{
	uint64_t h = 1469598103934665603ull;
	for (int i = 0; i < len; i++) {
		h ^= (uint32_t)k[i];
		h *= 1099511628211ull;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	return h ^ h >> 32;
}

gsm *gsm_new(int keylen)
{
	gsm *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->keylen = keylen;
	m->nslot = 1024;
	m->slot = malloc(m->nslot * sizeof *m->slot);
	if (!m->slot) {
		free(m);
		return NULL;
	}
	memset(m->slot, 0xff, m->nslot * sizeof *m->slot);
	return m;
}

void gsm_free(gsm *m)
{
	if (!m)
		return;
	free(m->keys);
	free(m->vals);
	free(m->slot);
	free(m);
}

static const int *key_of(const gsm *m, int id) { return m->keys + (size_t)id * m->keylen; }

/* Doubles the slot table and re-inserts every id. Returns 0, or -1 (table unchanged). */
static int rehash(gsm *m)
{
	size_t ns = 2 * m->nslot;
	int *s = malloc(ns * sizeof *s);
	if (!s)
		return -1;
	memset(s, 0xff, ns * sizeof *s);
	for (int id = 0; id < m->n; id++) {
		size_t i = hash(key_of(m, id), m->keylen) & (ns - 1);
		while (s[i] >= 0)
			i = (i + 1) & (ns - 1);
		s[i] = id;
	}
	free(m->slot);
	m->slot = s;
	m->nslot = ns;
	return 0;
}

/* The slot holding key, or the empty slot where it would go. */
static size_t probe(const gsm *m, const int *key, size_t bytes)
{
	size_t i = hash(key, m->keylen) & (m->nslot - 1);
	while (m->slot[i] >= 0 && memcmp(key_of(m, m->slot[i]), key, bytes))
		i = (i + 1) & (m->nslot - 1);
	return i;
}

int gsm_intern(gsm *m, const int *key)
{
	size_t bytes = (size_t)m->keylen * sizeof *key;
	size_t i = probe(m, key, bytes);
	if (m->slot[i] >= 0)
		return m->slot[i];
	/* a failed rehash leaves the table fuller but correct, while one slot stays empty */
	if (2 * ((size_t)m->n + 1) > m->nslot) {
		if (rehash(m) && (size_t)m->n + 2 > m->nslot)
			return -1;
		i = probe(m, key, bytes);
	}
	if (m->n == INT32_MAX || GROW(m->keys, m->kcap, ((size_t)m->n + 1) * (size_t)m->keylen) ||
	    GROW(m->vals, m->vcap, (size_t)m->n + 1))
		return -1;
	int id = m->n++;
	memcpy(m->keys + (size_t)id * (size_t)m->keylen, key, bytes);
	m->vals[id] = NAN;
	m->slot[i] = id;
	return id;
}

double *gsm_value(gsm *m, int id) { return &m->vals[id]; }

int gsm_count(const gsm *m) { return m->n; }
