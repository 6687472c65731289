/* test_support.h - shared helpers of the cmocka unit tests. */
#ifndef INGEST_TEST_SUPPORT_H
#define INGEST_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lexicon_sources.h"
#include "pipeline.h"

/* The lexicons built into the binary (schemas/ at build time). */
static inline lexicons *test_lexicons(void)
{
    char err[512];
    lexicons *lx = lexicons_load_from(NULL, err, sizeof err);
    if (!lx)
        fail_msg("lexicons: %s", err);
    return lx;
}

/* The lexicons shared by a test group: LX_setup/LX_teardown as cmocka group fixtures. */
static lexicons *LX;

static inline int LX_setup(void **state)
{
    (void)state;
    LX = test_lexicons();
    return 0;
}

static inline int LX_teardown(void **state)
{
    (void)state;
    lexicons_free(LX);
    LX = NULL;
    return 0;
}

/* Runs the whole pipeline on a C string; asserts success. */
static inline void test_process(const lexicons *lx, const char *raw, pipeline_result *r)
{
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    pipeline_input in = {(const unsigned char *)raw, strlen(raw), NULL, 0};
    ingest_error e;
    if (pipeline_process(lx, &lim, &in, r, &e))
        fail_msg("pipeline failed: %s: %s", ingest_reason_code(e.reason), e.detail);
}

/* The index of the entity named name, or -1. */
static inline int test_entity(const pipeline_result *r, const char *name)
{
    for (size_t i = 0; i < r->n_entities; i++)
        if (!strcmp(r->entities[i].name, name))
            return (int)i;
    return -1;
}

/* The mention that starts at byte off of the body (its entity in *ent), or NULL. */
static inline const span *test_mention_starting(const pipeline_result *r, size_t off, int *ent)
{
    for (size_t i = 0; i < r->n_entities; i++)
        for (size_t m = 0; m < r->entities[i].n_mentions; m++)
            if (r->entities[i].mentions[m].start == off) {
                *ent = (int)i;
                return &r->entities[i].mentions[m];
            }
    return NULL;
}

/* The name of the entity with a mention starting at the first occurrence of text in the body, or
 * "(none)" (cmocka's string comparison does not take NULL). */
static inline const char *test_entity_at(const pipeline_result *r, const char *text)
{
    const char *p = strstr(r->art.body, text);
    int e;
    return p && test_mention_starting(r, (size_t)(p - r->art.body), &e) ? r->entities[e].name : "(none)";
}

#endif
