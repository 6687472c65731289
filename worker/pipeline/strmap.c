/* strmap.c - see include/strmap.h. Linear probing. */
#include "strmap.h"

#include <string.h>

/* Keys are short (words, names, phrases): a multiply-xorshift over 8-byte
 * chunks, inlined, costs a fraction of a general-purpose hash call. */
static inline uint64_t key_hash(const char *key, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ len, x;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        memcpy(&x, key + i, 8);
        h = (h ^ x) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
    }
    x = 0;
    memcpy(&x, key + i, len - i);
    h = (h ^ x) * 0x94D049BB133111EBull;
    return h ^ (h >> 29);
}

struct strmap_slot {
    const char *key; /* NULL when empty */
    uint32_t len;
    int value;
    uint64_t hash;
};

int strmap_init(strmap *m, arena *a, size_t expected)
{
    m->a = a;
    m->n = 0;
    m->cap = 64;
    while (m->cap < expected * 2 + 1)
        m->cap *= 2;
    m->slots = arena_alloc(a, m->cap * sizeof *m->slots);
    return m->slots ? 0 : -1;
}

static int grow(strmap *m)
{
    struct strmap_slot *old = m->slots;
    size_t ocap = m->cap;
    m->cap *= 2;
    m->slots = arena_alloc(m->a, m->cap * sizeof *m->slots);
    if (!m->slots)
        return -1;
    for (size_t i = 0; i < ocap; i++) {
        if (!old[i].key)
            continue;
        size_t j = old[i].hash & (m->cap - 1);
        while (m->slots[j].key)
            j = (j + 1) & (m->cap - 1);
        m->slots[j] = old[i];
    }
    return 0;
}

int strmap_put(strmap *m, const char *key, size_t len, int value)
{
    if ((m->n + 1) * 2 > m->cap && grow(m))
        return -1;
    uint64_t h = key_hash(key, len);
    size_t j = h & (m->cap - 1);
    while (m->slots[j].key) {
        if (m->slots[j].hash == h && m->slots[j].len == len && !memcmp(m->slots[j].key, key, len)) {
            m->slots[j].value = value;
            return 0;
        }
        j = (j + 1) & (m->cap - 1);
    }
    char *k = arena_strndup(m->a, key, len);
    if (!k)
        return -1;
    m->slots[j] = (struct strmap_slot){k, (uint32_t)len, value, h};
    m->n++;
    return 0;
}

bool strmap_get(const strmap *m, const char *key, size_t len, int *value)
{
    uint64_t h = key_hash(key, len);
    size_t j = h & (m->cap - 1);
    while (m->slots[j].key) {
        if (m->slots[j].hash == h && m->slots[j].len == len && !memcmp(m->slots[j].key, key, len)) {
            *value = m->slots[j].value;
            return true;
        }
        j = (j + 1) & (m->cap - 1);
    }
    return false;
}
