/* fuzz_envelope.c - libFuzzer harness for the JSON envelope decoder: any
 * bytes, made valid UTF-8 and starting with '{', through pipeline_process
 * (envelope -> normalize -> tag) and the record serializers. The pipeline
 * returns a result or an error value; it never crashes, leaks or reads out
 * of bounds (ASan/UBSan), and a result serializes to a record. */
#include "fuzz_common.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const lexicons *lx = fuzz_lexicons();
    char *s = fuzz_valid_utf8(data, size);
    size_t len = size;
    if (!len || s[0] != '{') { /* the envelope path: prepend the brace it needs */
        char *t = malloc(size + 2);
        if (!t)
            abort();
        t[0] = '{';
        memcpy(t + 1, s, size + 1);
        free(s);
        s = t;
        len++;
    }
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    lim.max_json_depth = 16;
    pipeline_input in = {(const unsigned char *)s, len, "key", 3};
    pipeline_result r;
    ingest_error e;
    if (pipeline_process(lx, &lim, &in, &r, &e) == 0) {
        record_source src = {"articles.raw", 0, 0, 0, "key", 3, false};
        char *j = record_article_json(&r, &src);
        if (!j)
            abort();
        free(j);
        for (size_t i = 0; i < r.n_entities; i++)
            free(record_entity_json(&r, i, &src));
        for (size_t i = 0; i < r.n_events; i++)
            free(record_event_json(&r, i, &src));
        pipeline_result_free(&r);
    } else if (e.reason == INGEST_OK || !e.detail[0]) {
        abort(); /* a failure always names its reason and says why */
    }
    free(s);
    return 0;
}
