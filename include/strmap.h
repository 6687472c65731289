/* strmap.h - open-addressing hash map from byte strings to int, in an arena.
 *
 * Built once at lexicon load time and read-only afterwards, so it is safe to
 * share between threads. Keys are copied into the arena.
 *
 * A key's hash is a hash of its space-separated words: strmap_word_hash of
 * the first word, then strmap_hash_join with each next one. A tagger that
 * hashed every token once (text.h) can so look up "Foreign Minister" by
 * joining two token hashes, without building the key string; it then
 * checks the entry's key against its tokens (strmap_get_hashed).
 */
#ifndef INGEST_STRMAP_H
#define INGEST_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"

typedef struct strmap {
    arena *a;
    struct strmap_slot *slots;     /* cap probe slots (power of two, at most half full) */
    struct strmap_entry *entries;  /* n entries in insertion order (room for cap / 2) */
    size_t cap, n;
} strmap;

/* Hash of one word: a multiply-xorshift over 8-byte little-endian chunks,
 * the last one zero-padded (keys are short: words, names, phrases). The
 * steps are exposed so that the tokenizer can feed whole chunks it loads
 * itself. */
static inline uint64_t strmap_hash_begin(size_t len)
{
    return 0x9E3779B97F4A7C15ull ^ len;
}

static inline uint64_t strmap_hash_chunk(uint64_t h, uint64_t chunk)
{
    h = (h ^ chunk) * 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 31);
}

/* tail: the last len % 8 bytes, zero-padded (0 when len is a multiple of 8) */
static inline uint64_t strmap_hash_end(uint64_t h, uint64_t tail)
{
    h = (h ^ tail) * 0x94D049BB133111EBull;
    return h ^ (h >> 29);
}

static inline uint64_t strmap_word_hash(const char *w, size_t len)
{
    uint64_t h = strmap_hash_begin(len), x;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        memcpy(&x, w + i, 8);
        h = strmap_hash_chunk(h, x);
    }
    x = 0;
    for (size_t k = 0; i + k < len; k++)
        x |= (uint64_t)(unsigned char)w[i + k] << (8 * k);
    return strmap_hash_end(h, x);
}

/* The hash of "<prefix> <word>" from the hashes of both. */
static inline uint64_t strmap_hash_join(uint64_t prefix, uint64_t word)
{
    uint64_t h = (prefix ^ (prefix >> 32)) * 0xD6E8FEB86659FD93ull;
    return (h ^ (h >> 29)) + word;
}

/* The hash of a key: its words' hashes joined. */
uint64_t strmap_hash(const char *key, size_t len);

/* Returns 0, or -1 when the arena is exhausted. */
int strmap_init(strmap *m, arena *a, size_t expected);
/* Inserts or overwrites. Returns 0, or -1 on allocation failure or when
 * another key has the same 64-bit hash (never seen; strmap_get_hashed relies
 * on hashes being unique within a map). */
int strmap_put(strmap *m, const char *key, size_t len, int value);
/* Returns true and sets *value when key is present. */
bool strmap_get(const strmap *m, const char *key, size_t len, int *value);
/* The entry whose key hashes to h (strmap_hash): true, with its value and
 * its key (owned by the map) in *key and *len, which the caller compares
 * with what it hashed; false when no key has that hash. */
bool strmap_get_hashed(const strmap *m, uint64_t h, const char **key, size_t *len, int *value);
/* The hash of the i-th key put (i < m->n, in insertion order), its value in *value: for indexes
 * built over a map's entries. */
uint64_t strmap_entry_hash(const strmap *m, size_t i, int *value);

#endif
