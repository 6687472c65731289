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

#endif
