/* scenario_keys.h - every key a scenario file may hold, in one table: its dotted path,
 * type, default, unit, an example value and what it means. The loader's unknown-key
 * check reads it (scenario_loader.c), `fgsim keys` prints it and docs/scenarios.md is
 * tested against that print, so the reference cannot drift from what is loaded. */
#ifndef FGSIM_SCENARIO_KEYS_H
#define FGSIM_SCENARIO_KEYS_H
#include <stddef.h>

/* One key. path is dotted from the file's top, a list's elements written "[]"
 * ("cluster.pools.[].nodes"); a group or list is a key too, and the keys under it
 * name it as their prefix. deflt is what the loader uses when the key is absent,
 * written as in a file ("10m", 0.95), or in words ("required", "none", "the pool's
 * name"). example is a value in libconfig syntax that the loader accepts. */
typedef struct sc_key {
	const char *path, *type, *deflt, *unit, *example, *desc;
} sc_key;

/* The table, in the order of docs/scenarios.md; *n receives its length. */
const sc_key *scenario_keys(size_t *n);
/* 1 when path (list elements as "[]", or as "[N]" with a decimal index) names a group
 * of the table whose members the loader checks: the file's top ("") or a key that
 * other keys sit under. A plugin's params group holds any keys and is not one. */
int scenario_keys_is_group(const char *path);
/* 1 when the group at group_path (as for scenario_keys_is_group) may hold key name. */
int scenario_keys_allows(const char *group_path, const char *name);
/* The names a group may hold, for a "did you mean": up to max pointers into the table
 * and a NULL after them (list has max + 1 slots). Returns how many. */
size_t scenario_keys_members(const char *group_path, const char **list, size_t max);
#endif
