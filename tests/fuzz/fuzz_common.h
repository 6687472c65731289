/* fuzz_common.h - shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.c).
 * The harness, not the pipeline, holds the lexicons (loaded once). Inputs
 * are made to meet the precondition the pipeline's entry check guarantees
 * to later stages (valid UTF-8, no NUL) by replacing offending bytes, so
 * that no mutation is wasted on inputs the stage can never see. */
#ifndef INGEST_FUZZ_COMMON_H
#define INGEST_FUZZ_COMMON_H

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "lexicon_sources.h"
#include "pipeline.h"
#include "utf8util.h"

/* Memory the pipeline gives one article (pipeline.c): 24x its input, at least 1 MiB. */
#define FUZZ_ARENA_BYTES(n) ((n) * 24 < (1u << 20) ? (1u << 20) : (n) * 24)

static inline lexicons *fuzz_lexicons(void)
{
    static lexicons *lx;
    if (!lx) {
        char err[256];
        lx = lexicons_load_from(NULL, err, sizeof err);
        if (!lx)
            abort();
    }
    return lx;
}

/* A NUL-terminated copy of data with every byte of an ill-formed sequence
 * and every NUL replaced by '?': valid UTF-8, the same length. Caller frees. */
static inline char *fuzz_valid_utf8(const unsigned char *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    size_t at = 0, bad;
    while (at < size && !utf8_valid((const unsigned char *)s + at, size - at, &bad)) {
        s[at + bad] = '?';
        at += bad + 1;
    }
    for (size_t i = 0; i < size; i++)
        if (!s[i])
            s[i] = '?';
    return s;
}

/* Aborts (a finding) unless [start, end) lies inside a text of len bytes. */
static inline void fuzz_span_ok(size_t start, size_t end, size_t len)
{
    if (start > end || end > len)
        abort();
}

#endif
