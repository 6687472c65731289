/* arena.h - bounded bump allocator for one pipeline call.
 *
 * Every string and array a pipeline stage returns lives in the arena of the
 * call that produced it, so a whole article record is released with one
 * arena_destroy(). The arena has a hard byte cap: an input that would need
 * more memory fails with an error value instead of exhausting the process.
 */
#ifndef INGEST_ARENA_H
#define INGEST_ARENA_H

#include <stddef.h>

typedef struct arena arena;

/* Creates an arena that will hand out at most cap_bytes in total.
 * Returns NULL when the first block cannot be allocated. Caller owns it. */
arena *arena_new(size_t cap_bytes);

/* Frees every block. NULL-safe. Every pointer obtained from a is invalid. */
void arena_destroy(arena *a);

/* Returns n bytes aligned to max_align_t, zeroed, or NULL when the cap is
 * reached or malloc fails. Owned by the arena. */
void *arena_alloc(arena *a, size_t n);

/* As arena_alloc, without zeroing: for buffers the caller writes in full. */
void *arena_alloc_raw(arena *a, size_t n);

/* Copies len bytes of s and appends a NUL. Owned by the arena; NULL on failure. */
char *arena_strndup(arena *a, const char *s, size_t len);

/* Grows an arena array: returns a new block of new_n elements holding the
 * old_n elements of old (old may be NULL). NULL on failure. */
void *arena_grow(arena *a, void *old, size_t old_n, size_t new_n, size_t elem);

/* Room for one more element after the n in arr (*cap of room now): arr itself
 * when n < *cap, else a copy twice as large (first_cap elements the first
 * time), *cap updated. The usual "append, doubling when full" of an arena
 * array. NULL on failure, *cap unchanged. */
void *arena_reserve(arena *a, void *arr, size_t n, size_t *cap, size_t first_cap, size_t elem);

/* Bytes handed out so far (for metrics and tests). */
size_t arena_used(const arena *a);

#endif
