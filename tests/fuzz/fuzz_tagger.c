/* fuzz_tagger.c - libFuzzer harness for the tagger: tokenizer, entities,
 * event lemmas and extraction, quotes, on arbitrary valid UTF-8 text used
 * directly as the body (no normalization in front). Every span a record
 * would carry must lie inside the body. The first byte picks the date
 * events are resolved against (none, or a fixed day). */
#include "entities.h"
#include "events.h"
#include "fuzz_common.h"
#include "text.h"

static void check_spans(const tokens *tk, const entity_set *es, const event *ev, size_t n_ev, const quote *q,
                        size_t n_q, size_t len)
{
    for (size_t i = 0; i < tk->n_sents; i++)
        fuzz_span_ok(tk->sents[i].start, tk->sents[i].end, len);
    for (size_t i = 0; i < es->n; i++) {
        if (!es->ents[i].id || !es->ents[i].name)
            abort();
        for (size_t m = 0; m < es->ents[i].n_mentions; m++)
            fuzz_span_ok(es->ents[i].mentions[m].start, es->ents[i].mentions[m].end, len);
    }
    for (size_t i = 0; i < n_ev; i++) {
        fuzz_span_ok(ev[i].trigger.start, ev[i].trigger.end, len);
        fuzz_span_ok(ev[i].sentence.start, ev[i].sentence.end, len);
        if (ev[i].actor >= (int)es->n || ev[i].target >= (int)es->n || ev[i].location >= (int)es->n)
            abort();
    }
    for (size_t i = 0; i < n_q; i++) {
        fuzz_span_ok(q[i].text.start, q[i].text.end, len);
        if (q[i].speaker >= (int)es->n)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 1)
        return 0;
    const lexicons *lx = fuzz_lexicons();
    const char *anchor = (data[0] & 1) ? "2021-08-31" : NULL;
    char *body = fuzz_valid_utf8(data + 1, size - 1);
    size_t len = size - 1;
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    arena *a = arena_new(FUZZ_ARENA_BYTES(size));
    if (!a)
        abort();
    tokens tk;
    entity_set es;
    ingest_error e;
    const form_entry *lemmas;
    event *ev = NULL;
    quote *q = NULL;
    size_t n_ev = 0, n_q = 0;
    if (text_tokenize(a, body, len, &tk) == 0 && entities_tag(a, lx, &lim, body, len, &tk, &es, &e) == 0 &&
        (lemmas = events_lemmas(a, lx, body, &tk)) != NULL &&
        events_extract(a, lx, &lim, body, &tk, &es, anchor, lemmas, &ev, &n_ev, &e) == 0 &&
        quotes_extract(a, lx, body, &tk, &es, lemmas, &q, &n_q, &e) == 0)
        check_spans(&tk, &es, ev, n_ev, q, n_q, len);
    arena_destroy(a);
    free(body);
    return 0;
}
