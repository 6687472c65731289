/* fuzz_pipeline.c - libFuzzer harness: any bytes through the whole pipeline
 * (envelope decoder, HTML path, normalizer, tagger, events, records).
 * The pipeline must return a result or an error value; never crash, leak or
 * read out of bounds (ASan/UBSan). The first byte picks a form so the
 * fuzzer reaches every decoder quickly: '{' envelope, '<' HTML, else text. */
#include <stdlib.h>
#include <string.h>

#include "lexicon_sources.h"
#include "pipeline.h"
#include "record.h"

static lexicons *LX; /* loaded once: the harness, not the pipeline, holds it */

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (!LX) {
        char err[256];
        LX = lexicons_load_from(NULL, err, sizeof err);
        if (!LX)
            abort();
    }
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    lim.max_message_bytes = 1 << 16;
    lim.max_json_depth = 16;
    pipeline_input in = {data, size, size > 3 ? (const char *)data : NULL, size > 3 ? 3 : 0};
    pipeline_result r;
    ingest_error e;
    if (pipeline_process(LX, &lim, &in, &r, &e) == 0) {
        record_source src = {"t", 0, 0, 0, NULL, 0, false};
        char *s = record_article_json(&r, &src);
        free(s);
        for (size_t i = 0; i < r.n_entities; i++)
            free(record_entity_json(&r, i, &src));
        for (size_t i = 0; i < r.n_events; i++)
            free(record_event_json(&r, i, &src));
        pipeline_result_free(&r);
    }
    return 0;
}
