/* gpushare_memo.h - a memo table for the GPU-sharing placements: interns fixed-length
 * int vectors (a node's state, or a state and a pod's shape), giving each a dense id
 * and one double to remember against it. FGD's fragmentation is a function of a node's
 * state alone, and the openb cluster's 1,213 nodes are in few distinct states, so the
 * fill experiment computes it once per state instead of once per node and candidate. */
#ifndef FGSIM_GPUSHARE_MEMO_H
#define FGSIM_GPUSHARE_MEMO_H

typedef struct gsm gsm;

/* A table of keys of `keylen` ints. Returns NULL when out of memory. */
gsm *gsm_new(int keylen);
void gsm_free(gsm *m);

/* The id of `key` (keylen ints), interned now if new (its value then NAN). Ids are
 * 0, 1, 2, ... in order of first sight. Returns -1 when out of memory (the table is
 * unchanged and still usable). */
int gsm_intern(gsm *m, const int *key);

/* The value remembered for id (from gsm_intern), to read or write. */
double *gsm_value(gsm *m, int id);

/* Keys interned so far. */
int gsm_count(const gsm *m);
#endif
