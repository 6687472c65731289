/* arena.c - bounded bump allocator; see include/arena.h. */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK_MIN (64u * 1024u) /* bytes; small articles fit in one block */

struct block {
    struct block *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
};

struct arena {
    struct block *head;
    size_t cap, total;
};

static struct block *block_new(size_t size)
{
    struct block *b = malloc(sizeof *b + size);
    if (!b)
        return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

arena *arena_new(size_t cap_bytes)
{
    arena *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->cap = cap_bytes;
    a->head = block_new(ARENA_BLOCK_MIN);
    if (!a->head) {
        free(a);
        return NULL;
    }
    return a;
}

void arena_destroy(arena *a)
{
    if (!a)
        return;
    struct block *b = a->head;
    while (b) {
        struct block *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

void *arena_alloc(arena *a, size_t n)
{
    void *p = arena_alloc_raw(a, n);
    if (p)
        memset(p, 0, n ? n : 1);
    return p;
}

void *arena_alloc_raw(arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - align)
        return NULL;
    size_t need = (n + align - 1) & ~(align - 1);
    if (need > a->cap - a->total || a->total > a->cap)
        return NULL;
    struct block *b = a->head;
    if (b->size - b->used < need) {
        size_t size = need > ARENA_BLOCK_MIN ? need : ARENA_BLOCK_MIN;
        struct block *nb = block_new(size);
        if (!nb)
            return NULL;
        nb->next = a->head;
        a->head = nb;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->total += need;
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = arena_alloc_raw(a, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void *arena_grow(arena *a, void *old, size_t old_n, size_t new_n, size_t elem)
{
    if (elem && new_n > SIZE_MAX / elem)
        return NULL;
    void *p = arena_alloc_raw(a, new_n * elem);
    if (p && old && old_n)
        memcpy(p, old, (old_n < new_n ? old_n : new_n) * elem);
    return p;
}

void *arena_reserve(arena *a, void *arr, size_t n, size_t *cap, size_t first_cap, size_t elem)
{
    if (n < *cap)
        return arr;
    size_t ncap = *cap ? *cap * 2 : first_cap;
    void *p = arena_grow(a, arr, n, ncap, elem);
    if (p)
        *cap = ncap;
    return p;
}

size_t arena_used(const arena *a) { return a->total; }
