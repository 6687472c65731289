/* fuzz_html.c - libFuzzer harness for the HTML path: the depth estimator on
 * raw bytes, then gumbo and the iterative tree walk (decode_html) on the
 * input made valid UTF-8, then the normalizer over the blocks it yields. */
#include "decode.h"
#include "fuzz_common.h"
#include "normalize.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const lexicons *lx = fuzz_lexicons();
    if (html_nesting_depth((const char *)data, size) > size)
        abort(); /* every level needs a tag of at least 3 bytes */
    char *s = fuzz_valid_utf8(data, size);
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    lim.max_html_depth = 64; /* reach the guard with short inputs too */
    arena *a = arena_new(FUZZ_ARENA_BYTES(size));
    if (!a)
        abort();
    raw_doc d;
    memset(&d, 0, sizeof d);
    d.form = "html";
    ingest_error e;
    if (decode_html(a, &lim, s, size, &d, &e) == 0) {
        for (size_t i = 0; i < d.n_blocks; i++)
            if (!d.blocks[i].text || strlen(d.blocks[i].text) != d.blocks[i].len ||
                d.blocks[i].link_bytes > d.blocks[i].len)
                abort();
        article art;
        normalize_article(a, lx, &lim, &d, NULL, 0, &art, &e);
    }
    arena_destroy(a);
    free(s);
    return 0;
}
