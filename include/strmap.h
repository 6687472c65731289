/* strmap.h - open-addressing hash map from byte strings to int, in an arena.
 *
 * Built once at lexicon load time and read-only afterwards, so it is safe to
 * share between threads. Keys are copied into the arena.
 */
#ifndef INGEST_STRMAP_H
#define INGEST_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef struct strmap {
    arena *a;
    struct strmap_slot *slots;     /* cap probe slots (power of two, at most half full) */
    struct strmap_entry *entries;  /* n entries in insertion order (room for cap / 2) */
    size_t cap, n;
} strmap;

/* Returns 0, or -1 when the arena is exhausted. */
int strmap_init(strmap *m, arena *a, size_t expected);
/* Inserts or overwrites. Returns 0, or -1 on allocation failure. */
int strmap_put(strmap *m, const char *key, size_t len, int value);
/* Returns true and sets *value when key is present. */
bool strmap_get(const strmap *m, const char *key, size_t len, int *value);

#endif
