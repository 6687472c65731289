/* normalize.h - second stage: raw_doc -> the article a reader sees.
 *
 * Cleans Unicode (NFC, spaces, line endings), recovers headline, subtitle,
 * date, captions and credits, removes boilerplate by a scored classifier
 * over paragraphs (see schemas/boilerplate.tsv), and computes id, hashes
 * and word count. Every string of the article is owned by the arena.
 */
#ifndef INGEST_NORMALIZE_H
#define INGEST_NORMALIZE_H

#include "decode.h"
#include "lexicon.h"
#include "pipeline.h"

/* Fills *out from d. key/key_len is the message key (may be NULL).
 * Returns 0, or -1 with *err (no_text when nothing of an article remains,
 * internal on memory exhaustion). */
int normalize_article(arena *a, const lexicons *lx, const pipeline_limits *lim, const raw_doc *d,
                      const char *key, size_t key_len, article *out, ingest_error *err);

/* Unicode and whitespace clean-up of one paragraph: NFC, every space-like
 * code point to ' ', runs collapsed, zero-width and control characters
 * dropped, trimmed. Returns an arena string (possibly empty), NULL on
 * allocation failure. Idempotent. */
char *normalize_paragraph(arena *a, const char *s, size_t len, size_t *out_len);

/* Boilerplate evidence for one cleaned paragraph: the winning kind and its
 * score (>= NORMALIZE_BOILERPLATE_THRESHOLD means drop). Exposed for tests
 * and for `removed` explanations. */
#define NORMALIZE_BOILERPLATE_THRESHOLD 2.0
double normalize_boilerplate_score(const lexicons *lx, const char *s, size_t len, size_t link_bytes,
                                   removed_kind *kind);

/* 64-bit simhash of the words of s (3-word shingles, xxh64). */
unsigned long long normalize_simhash(const char *s, size_t len);

/* ISO 639-1 guess from function words ("en", "fr", "es", "de", "it", "pt"),
 * or NULL when the evidence is too thin. With confident set, answers only
 * when the evidence is strong (used to skip the slower plugged-in model). */
const char *normalize_detect_language(const char *s, size_t len, bool confident);

/* True when the built-in model's word tables agree (for the unit test). */
bool normalize_language_table_sorted(void);

/* The article's language: confident built-in guess, else the plugged-in
 * identifier of lx (first 1 KiB), else the built-in guess. NULL: unknown. */
const char *normalize_language(const lexicons *lx, const char *s, size_t len);

#endif
