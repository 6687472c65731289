/* decode.h - first pipeline stage: recognise the raw form and split it.
 *
 * Input: raw message bytes (already checked for size and UTF-8 by the
 * caller, see pipeline.c). Output: a raw_doc, i.e. envelope metadata plus
 * an ordered list of text blocks (lines for plain text, block elements for
 * HTML). Decoding never judges content; normalize.c does.
 * All strings are owned by the arena passed in.
 */
#ifndef INGEST_DECODE_H
#define INGEST_DECODE_H

#include "pipeline.h"

typedef enum {
    BLOCK_TEXT,     /* a paragraph or a line of plain text */
    BLOCK_HEADING,  /* <h1>..<h6> */
    BLOCK_CAPTION,  /* <figcaption> text without its credit */
    BLOCK_CREDIT,   /* a credit marked up as such (class="credit") */
    BLOCK_SUBTITLE, /* a paragraph marked as dek/subtitle/standfirst */
} block_kind;

typedef struct raw_block {
    const char *text; /* NUL-terminated, not yet normalized */
    size_t len;
    block_kind kind;
    size_t link_bytes; /* bytes of text inside <a> (HTML only) */
    int level;         /* heading level 1..6, 0 otherwise */
} raw_block;

typedef struct raw_doc {
    const char *form; /* "json", "text", "html" */
    /* envelope fields (NULL when absent) */
    const char *env_id, *env_url, *env_title, *env_published_at, *env_language;
    const char *source_meta_json; /* unknown envelope fields, serialized */
    /* HTML metadata (NULL when absent) */
    const char *html_title, *og_title, *meta_published, *time_datetime, *canonical_url;
    raw_block *blocks;
    size_t n_blocks, cap_blocks;
    removed_stat removed[REMOVED__COUNT]; /* page chrome and consent dialogs dropped here */
} raw_doc;

/* Decodes value[0..len). Returns 0 on success, -1 with *err set
 * (invalid_json, too_large for depth/paragraph limits, internal). */
int decode_raw(arena *a, const pipeline_limits *lim, const unsigned char *value, size_t len,
               raw_doc *out, ingest_error *err);

/* The HTML path alone (used for envelope `html` fields too). */
int decode_html(arena *a, const pipeline_limits *lim, const char *html, size_t len, raw_doc *out,
                ingest_error *err);

/* Estimated element nesting depth of HTML s, without parsing: start tags
 * count, end tags uncount; void elements, self-closing tags, comments,
 * declarations and implicitly closed elements (p, li, td, ...) do not, nor
 * does the content of raw-text elements (script, style, textarea, ...). */
size_t html_nesting_depth(const char *s, size_t len);

/* Maximum nesting depth of JSON arrays/objects in s (strings skipped). */
size_t json_nesting_depth(const unsigned char *s, size_t len);

#endif
