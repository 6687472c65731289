/* fuzz_normalize.c - libFuzzer harness for the normalizer: paragraph
 * clean-up (checked idempotent and never growing, as normalize.h promises),
 * simhash and language guess on the whole input, and the article pass
 * (headline, dateline, captions, boilerplate, ids) over its lines. */
#include "decode.h"
#include "fuzz_common.h"
#include "normalize.h"

static void paragraph_properties(arena *a, const char *s, size_t len)
{
    size_t n1, n2;
    char *once = normalize_paragraph(a, s, len, &n1);
    if (!once)
        return; /* arena exhausted: an error value, not a finding */
    if (n1 > len * 3 + 3 || strlen(once) != n1 || !utf8_valid((const unsigned char *)once, n1, NULL))
        abort();
    char *twice = normalize_paragraph(a, once, n1, &n2);
    if (twice && (n2 != n1 || memcmp(once, twice, n1)))
        abort(); /* not idempotent */
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const lexicons *lx = fuzz_lexicons();
    char *s = fuzz_valid_utf8(data, size);
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    arena *a = arena_new(FUZZ_ARENA_BYTES(size));
    if (!a)
        abort();
    paragraph_properties(a, s, size);
    normalize_simhash(s, size);
    normalize_detect_language(s, size, false);
    normalize_language(lx, s, size);
    /* the text form: a leading '{' or '<' would pick another decoder */
    size_t i = 0;
    while (i < size && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
        i++;
    if (i < size && (s[i] == '{' || s[i] == '<'))
        s[i] = ' ';
    raw_doc d;
    ingest_error e;
    if (decode_raw(a, &lim, (const unsigned char *)s, size, &d, &e) == 0) {
        article art;
        if (normalize_article(a, lx, &lim, &d, NULL, 0, &art, &e) == 0) {
            if (!art.id || !art.body || strlen(art.body) != art.body_len ||
                !utf8_valid((const unsigned char *)art.body, art.body_len, NULL))
                abort();
            for (size_t p = 0; p < art.n_paragraphs; p++)
                fuzz_span_ok(art.paragraphs[p].start, art.paragraphs[p].end, art.body_len);
        }
    }
    arena_destroy(a);
    free(s);
    return 0;
}
