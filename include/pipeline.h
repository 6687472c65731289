/* pipeline.h - the pure core: raw article bytes in, structured record out.
 *
 * No Kafka, no I/O, no globals, no logging. Errors are values: a reason code
 * from the contract's DLQ list plus a human detail. Every pointer inside a
 * pipeline_result is owned by result->arena and released by
 * pipeline_result_free(); nothing in it points into the caller's input.
 */
#ifndef INGEST_PIPELINE_H
#define INGEST_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef struct lexicons lexicons; /* lexicon.h */

/* ---- errors ------------------------------------------------------------ */

typedef enum {
    INGEST_OK = 0,
    INGEST_ERR_INVALID_UTF8,
    INGEST_ERR_INVALID_JSON,
    INGEST_ERR_EMPTY,
    INGEST_ERR_TOO_LARGE,
    INGEST_ERR_NO_TEXT,
    INGEST_ERR_INTERNAL,
} ingest_reason;

#define INGEST_DETAIL_MAX 256

typedef struct ingest_error {
    ingest_reason reason;
    char detail[INGEST_DETAIL_MAX];
} ingest_error;

/* The contract's reason code ("invalid_utf8", ...); "ok" for INGEST_OK. */
const char *ingest_reason_code(ingest_reason r);

/* Sets e and returns -1, so stages can `return ingest_fail(e, ...)`. */
int ingest_fail(ingest_error *e, ingest_reason r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- limits ------------------------------------------------------------- */

typedef struct pipeline_limits {
    size_t max_message_bytes; /* whole raw value; over it: too_large */
    size_t max_paragraphs;    /* paragraphs kept; more: too_large */
    size_t max_json_depth;    /* envelope nesting; deeper: invalid_json */
    size_t max_html_depth;    /* element nesting; deeper: too_large (HTML parsers go quadratic) */
    size_t max_entities;      /* distinct entities per article; extra dropped */
    size_t max_events;        /* events per article; extra dropped */
} pipeline_limits;

#define PIPELINE_DEFAULT_MAX_MESSAGE_BYTES 960000u /* bytes; below Kafka's 1 MB message.max.bytes */
#define PIPELINE_DEFAULT_MAX_PARAGRAPHS 5000u
#define PIPELINE_DEFAULT_MAX_JSON_DEPTH 64u
#define PIPELINE_DEFAULT_MAX_HTML_DEPTH 512u
#define PIPELINE_DEFAULT_MAX_ENTITIES 1000u
#define PIPELINE_DEFAULT_MAX_EVENTS 1000u

void pipeline_limits_default(pipeline_limits *l);

/* ---- input -------------------------------------------------------------- */

typedef struct pipeline_input {
    const unsigned char *value; /* raw message bytes, not NUL-terminated */
    size_t len;
    const char *key; /* upstream id or NULL */
    size_t key_len;
} pipeline_input;

/* ---- article ------------------------------------------------------------ */

typedef struct span {
    size_t start, end; /* UTF-8 byte offsets into body, half-open */
} span;

/* Kinds of dropped material, reported in the record's `removed`. */
typedef enum {
    REMOVED_COOKIE_NOTICE,
    REMOVED_COMMENT_PROMPT,
    REMOVED_NEWSLETTER,
    REMOVED_SHARE,
    REMOVED_RELATED_LINKS,
    REMOVED_ADVERTISEMENT,
    REMOVED_DUPLICATE_CAPTION,
    REMOVED_POPUP_REMNANT,
    REMOVED_PAGE_CHROME, /* nav, footer, forms, scripts of HTML pages */
    REMOVED__COUNT
} removed_kind;

const char *removed_kind_name(removed_kind k);

typedef struct removed_stat {
    size_t count, bytes;
} removed_stat;

typedef struct article {
    const char *id; /* deterministic: envelope id, key, URL hash or content hash */
    const char *url;
    const char *title;
    const char *title_flag; /* "video", "watch", or NULL */
    const char *subtitle;
    const char *published_at; /* RFC 3339 date or date-time, or NULL */
    const char *language;     /* ISO 639-1, or NULL when unknown */
    const char *body;         /* paragraphs joined by "\n\n" */
    size_t body_len;
    span *paragraphs;
    size_t n_paragraphs;
    const char **captions;
    size_t n_captions;
    const char **credits;
    size_t n_credits;
    removed_stat removed[REMOVED__COUNT];
    size_t word_count;
    uint64_t content_hash; /* xxh64 of body */
    uint64_t simhash;      /* 64-bit simhash of body word shingles */
    const char *source_meta_json; /* unknown envelope fields as a JSON object, or NULL */
    const char *form;             /* "json", "text" or "html" */
} article;

/* ---- entities ----------------------------------------------------------- */

typedef enum { ENT_PERSON, ENT_ORG, ENT_GPE, ENT_LOC, ENT_FAC, ENT_NORP, ENT__COUNT } entity_type;

const char *entity_type_name(entity_type t);
/* Returns 0 and sets *out for "PERSON", ...; -1 for unknown names. */
int entity_type_parse(const char *s, entity_type *out);

typedef struct entity {
    const char *id;      /* Wikidata QID or typed slug "slug:person:jane-doe" */
    const char *name;    /* canonical, without titles */
    entity_type type;
    const char *country; /* ISO 3166-1 alpha-3 or NULL */
    span *mentions;
    size_t n_mentions, cap_mentions;
    double salience; /* 0..1 */
} entity;

/* ---- events and quotes ------------------------------------------------- */

typedef enum { MOD_ASSERTED, MOD_PLANNED, MOD_HYPOTHETICAL, MOD_NEGATED } modality;

const char *modality_name(modality m);

typedef struct event {
    const char *type;  /* contract type name */
    const char *cameo; /* CAMEO code or NULL */
    int quad_class;    /* 1..4 */
    span trigger;
    int actor, target, location; /* index into entities, or -1 */
    const char *time_text;       /* or NULL */
    const char *time_date;       /* YYYY-MM-DD resolved against published_at, or NULL */
    modality mod;
    span sentence;
    double confidence;
} event;

typedef struct quote {
    span text; /* inside the quotation marks */
    int speaker; /* index into entities (PERSON), or -1 when not attributable */
} quote;

/* ---- result ------------------------------------------------------------- */

typedef struct pipeline_result {
    arena *arena; /* owns everything below */
    article art;
    entity *entities;
    size_t n_entities;
    event *events;
    size_t n_events;
    quote *quotes;
    size_t n_quotes;
} pipeline_result;

/* Runs decode -> normalize -> tag -> events/quotes on one raw message.
 * On success returns 0 and fills *out (caller frees with pipeline_result_free).
 * On failure returns -1, fills *err, and leaves *out empty (nothing to free,
 * though pipeline_result_free(out) is still safe). */
int pipeline_process(const lexicons *lx, const pipeline_limits *lim,
                     const pipeline_input *in, pipeline_result *out, ingest_error *err);

/* Releases out's arena and zeroes it. Safe on a zeroed or failed result. */
void pipeline_result_free(pipeline_result *out);

#endif
