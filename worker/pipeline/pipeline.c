/* pipeline.c - the driver: decode -> normalize -> tokenize -> entities ->
 * events -> quotes. The limits that guard the process (size, UTF-8) are
 * checked here first, where input enters the core. */
#include "pipeline.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "entities.h"
#include "events.h"
#include "lexicon.h"
#include "normalize.h"
#include "text.h"
#include "utf8util.h"

/* Memory for one article, as a multiple of its input size (text is copied
 * a few times: blocks, paragraphs, body, tokens, JSON). */
#define PIPELINE_ARENA_FACTOR 24u
#define PIPELINE_ARENA_MIN (1u << 20)

const char *ingest_reason_code(ingest_reason r)
{
    switch (r) {
    case INGEST_OK: return "ok";
    case INGEST_ERR_INVALID_UTF8: return "invalid_utf8";
    case INGEST_ERR_INVALID_JSON: return "invalid_json";
    case INGEST_ERR_EMPTY: return "empty";
    case INGEST_ERR_TOO_LARGE: return "too_large";
    case INGEST_ERR_NO_TEXT: return "no_text";
    case INGEST_ERR_INTERNAL: return "internal";
    }
    return "internal";
}

int ingest_fail(ingest_error *e, ingest_reason r, const char *fmt, ...)
{
    e->reason = r;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->detail, sizeof e->detail, fmt, ap);
    va_end(ap);
    return -1;
}

const char *removed_kind_name(removed_kind k)
{
    static const char *const names[REMOVED__COUNT] = {
        "cookie_notice", "comment_prompt",    "newsletter",    "share",       "related_links",
        "advertisement", "duplicate_caption", "popup_remnant", "page_chrome"};
    return (unsigned)k < REMOVED__COUNT ? names[k] : "unknown";
}

static const char *const ENTITY_TYPE_NAMES[ENT__COUNT] = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"};

const char *entity_type_name(entity_type t) { return (unsigned)t < ENT__COUNT ? ENTITY_TYPE_NAMES[t] : "ORG"; }

int entity_type_parse(const char *s, entity_type *out)
{
    for (int i = 0; i < ENT__COUNT; i++)
        if (!strcmp(s, ENTITY_TYPE_NAMES[i])) {
            *out = (entity_type)i;
            return 0;
        }
    return -1;
}

const char *modality_name(modality m)
{
    static const char *const names[] = {"asserted", "planned", "hypothetical", "negated"};
    return (unsigned)m < 4 ? names[m] : "asserted";
}

void pipeline_limits_default(pipeline_limits *l)
{
    l->max_message_bytes = PIPELINE_DEFAULT_MAX_MESSAGE_BYTES;
    l->max_paragraphs = PIPELINE_DEFAULT_MAX_PARAGRAPHS;
    l->max_json_depth = PIPELINE_DEFAULT_MAX_JSON_DEPTH;
    l->max_html_depth = PIPELINE_DEFAULT_MAX_HTML_DEPTH;
    l->max_entities = PIPELINE_DEFAULT_MAX_ENTITIES;
    l->max_events = PIPELINE_DEFAULT_MAX_EVENTS;
}

void pipeline_result_free(pipeline_result *out)
{
    if (!out)
        return;
    arena_destroy(out->arena);
    memset(out, 0, sizeof *out);
}

/* Only ASCII white space, after an optional byte order mark (which decode
 * skips too): nothing to process, so `empty` rather than `no_text`. */
static bool is_blank(const unsigned char *v, size_t len)
{
    size_t i = 0;
    if (len >= 3 && v[0] == 0xEF && v[1] == 0xBB && v[2] == 0xBF)
        i = 3;
    for (; i < len; i++)
        if (v[i] != ' ' && v[i] != '\n' && v[i] != '\r' && v[i] != '\t')
            return false;
    return true;
}

/* Checks that guard everything after them: size, emptiness, UTF-8, NUL. */
static int check_input(const pipeline_limits *lim, const pipeline_input *in, ingest_error *err)
{
    if (in->len > lim->max_message_bytes)
        return ingest_fail(err, INGEST_ERR_TOO_LARGE, "message is %zu bytes (max_message_bytes %zu)", in->len,
                           lim->max_message_bytes);
    if (in->len == 0 || !in->value || is_blank(in->value, in->len))
        return ingest_fail(err, INGEST_ERR_EMPTY, "message value is empty");
    size_t bad;
    if (!utf8_valid(in->value, in->len, &bad))
        return ingest_fail(err, INGEST_ERR_INVALID_UTF8, "invalid UTF-8 at byte %zu", bad);
    const void *nul = memchr(in->value, 0, in->len);
    if (nul)
        return ingest_fail(err, INGEST_ERR_INVALID_UTF8, "NUL byte at %zu (text must not contain U+0000)",
                           (size_t)((const unsigned char *)nul - in->value));
    return 0;
}

/* Salience added for a mention in the headline and in the subtitle, on
 * the body's scale (the most mentioned entity of the body has 1). */
#define HEADLINE_BOOST 0.5
#define SUBTITLE_BOOST 0.25

/* "Biden Hosts Qatar Emir": most words of three letters or more capitalised. */
static bool is_title_case(const char *t)
{
    size_t words = 0, caps = 0;
    for (const char *p = t; *p;) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        if (p - w >= 3 && ((unsigned char)*w >= 0x80 || (*w >= 'A' && *w <= 'Z') || (*w >= 'a' && *w <= 'z'))) {
            words++;
            caps += *w >= 'A' && *w <= 'Z';
        }
    }
    return words >= 2 && caps * 4 >= words * 3;
}

static int analyse(const lexicons *lx, const pipeline_limits *lim, pipeline_result *out, ingest_error *err)
{
    const article *art = &out->art;
    if (art->language && strcmp(art->language, "en"))
        return 0; /* tagging is English-only for now; other languages pass normalized */
    tokens tk;
    if (text_tokenize(out->arena, art->body, art->body_len, &tk))
        return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory in tokenizer");
    entity_set es;
    if (entities_tag(out->arena, lx, lim, art->body, art->body_len, &tk, &es, err))
        return -1;
    /* the headline counts: what it names is salient, and may appear nowhere else */
    if ((art->title && entities_add_heading(out->arena, lx, lim, art->title, strlen(art->title),
                                            is_title_case(art->title), HEADLINE_BOOST, &es, err)) ||
        (art->subtitle && entities_add_heading(out->arena, lx, lim, art->subtitle, strlen(art->subtitle), false,
                                               SUBTITLE_BOOST, &es, err)))
        return -1;
    out->entities = es.ents;
    out->n_entities = es.n;
    const form_entry *lemmas = events_lemmas(out->arena, lx, art->body, &tk);
    if (!lemmas)
        return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory for lemmas");
    if (events_extract(out->arena, lx, lim, art->body, &tk, &es, art->published_at, lemmas, &out->events,
                       &out->n_events, err))
        return -1;
    return quotes_extract(out->arena, lx, art->body, &tk, &es, lemmas, &out->quotes, &out->n_quotes, err);
}

int pipeline_process(const lexicons *lx, const pipeline_limits *lim, const pipeline_input *in,
                     pipeline_result *out, ingest_error *err)
{
    memset(out, 0, sizeof *out);
    err->reason = INGEST_OK;
    err->detail[0] = '\0';
    if (check_input(lim, in, err))
        return -1;
    size_t cap = in->len > (SIZE_MAX / PIPELINE_ARENA_FACTOR) ? SIZE_MAX : in->len * PIPELINE_ARENA_FACTOR;
    out->arena = arena_new(cap < PIPELINE_ARENA_MIN ? PIPELINE_ARENA_MIN : cap);
    if (!out->arena)
        return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
    raw_doc d;
    if (decode_raw(out->arena, lim, in->value, in->len, &d, err) ||
        normalize_article(out->arena, lx, lim, &d, in->key, in->key_len, &out->art, err) ||
        analyse(lx, lim, out, err)) {
        if (err->reason == INGEST_ERR_INTERNAL && strstr(err->detail, "out of memory") && arena_used(out->arena) * 2 > cap)
            ingest_fail(err, INGEST_ERR_TOO_LARGE, "article needs more than %zu bytes of working memory", cap);
        pipeline_result_free(out);
        return -1;
    }
    return 0;
}
