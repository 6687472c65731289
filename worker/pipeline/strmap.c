/* strmap.c - see include/strmap.h. Linear probing. */
#include "strmap.h"

#include <string.h>

uint64_t strmap_hash(const char *key, size_t len)
{
    const char *sp = memchr(key, ' ', len);
    if (!sp) /* one word: most keys */
        return strmap_word_hash(key, len);
    uint64_t h = strmap_word_hash(key, (size_t)(sp - key));
    for (;;) {
        const char *w = sp + 1;
        size_t rest = len - (size_t)(w - key);
        sp = memchr(w, ' ', rest);
        size_t wl = sp ? (size_t)(sp - w) : rest;
        h = strmap_hash_join(h, strmap_word_hash(w, wl));
        if (!sp)
            return h;
    }
}

/* The probe array holds only a 32-bit tag of the hash and the entry's
 * number: 8 bytes a slot, so the probes of a large map (the gazetteer's
 * aliases) stay in cache; key and value are read on a tag match only. */
struct strmap_slot {
    uint32_t tag;   /* high half of the hash, never 0 for a used slot */
    uint32_t entry; /* index + 1 into entries; 0 when empty */
};

struct strmap_entry {
    const char *key;
    uint32_t len;
    int value;
    uint64_t hash;
};

static inline uint32_t tag_of(uint64_t h)
{
    uint32_t t = (uint32_t)(h >> 32);
    return t ? t : 1;
}

static size_t cap_for(size_t expected)
{
    size_t cap = 64;
    while (cap < expected * 2 + 1)
        cap *= 2;
    return cap;
}

int strmap_init(strmap *m, arena *a, size_t expected)
{
    m->a = a;
    m->n = 0;
    m->cap = cap_for(expected);
    m->slots = arena_alloc(a, m->cap * sizeof *m->slots);
    /* at most half the slots are used: cap / 2 entries always suffice */
    m->entries = arena_alloc_raw(a, m->cap / 2 * sizeof *m->entries);
    return m->slots && m->entries ? 0 : -1;
}

static void place(struct strmap_slot *slots, size_t cap, uint64_t h, uint32_t entry)
{
    size_t j = h & (cap - 1);
    while (slots[j].entry)
        j = (j + 1) & (cap - 1);
    slots[j] = (struct strmap_slot){tag_of(h), entry};
}

static int grow(strmap *m)
{
    size_t ncap = m->cap * 2;
    struct strmap_slot *ns = arena_alloc(m->a, ncap * sizeof *ns);
    struct strmap_entry *ne = arena_grow(m->a, m->entries, m->n, ncap / 2, sizeof *ne);
    if (!ns || !ne)
        return -1;
    for (size_t i = 0; i < m->n; i++)
        place(ns, ncap, ne[i].hash, (uint32_t)i + 1);
    m->slots = ns;
    m->entries = ne;
    m->cap = ncap;
    return 0;
}

/* The slot holding key, or of the empty slot where it would go. */
static size_t find(const strmap *m, const char *key, size_t len, uint64_t h)
{
    uint32_t t = tag_of(h);
    size_t j = h & (m->cap - 1);
    for (;; j = (j + 1) & (m->cap - 1)) {
        const struct strmap_slot *sl = &m->slots[j];
        if (!sl->entry)
            return j;
        if (sl->tag == t) {
            const struct strmap_entry *e = &m->entries[sl->entry - 1];
            if (e->len == len && !memcmp(e->key, key, len))
                return j;
        }
    }
}

int strmap_put(strmap *m, const char *key, size_t len, int value)
{
    if (len > UINT32_MAX || ((m->n + 1) * 2 > m->cap && grow(m)))
        return -1;
    uint64_t h = strmap_hash(key, len);
    size_t j = find(m, key, len, h);
    if (m->slots[j].entry) {
        m->entries[m->slots[j].entry - 1].value = value;
        return 0;
    }
    const char *other;
    size_t other_len;
    int other_value;
    if (strmap_get_hashed(m, h, &other, &other_len, &other_value))
        return -1; /* a different key with the same 64-bit hash */
    char *k = arena_strndup(m->a, key, len);
    if (!k)
        return -1;
    m->entries[m->n] = (struct strmap_entry){k, (uint32_t)len, value, h};
    m->slots[j] = (struct strmap_slot){tag_of(h), (uint32_t)++m->n};
    return 0;
}

bool strmap_get(const strmap *m, const char *key, size_t len, int *value)
{
    uint64_t h = strmap_hash(key, len);
    size_t j = find(m, key, len, h);
    if (!m->slots[j].entry)
        return false;
    *value = m->entries[m->slots[j].entry - 1].value;
    return true;
}

bool strmap_get_hashed(const strmap *m, uint64_t h, const char **key, size_t *len, int *value)
{
    uint32_t t = tag_of(h);
    for (size_t j = h & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
        const struct strmap_slot *sl = &m->slots[j];
        if (!sl->entry)
            return false;
        if (sl->tag == t) {
            const struct strmap_entry *e = &m->entries[sl->entry - 1];
            if (e->hash == h) {
                *key = e->key;
                *len = e->len;
                *value = e->value;
                return true;
            }
        }
    }
}

uint64_t strmap_entry_hash(const strmap *m, size_t i, int *value)
{
    *value = m->entries[i].value;
    return m->entries[i].hash;
}
