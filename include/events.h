/* events.h - CAMEO-coded events and attributed quotes from tagged text.
 *
 * Triggers come from schemas/events.json (lemma patterns with gaps),
 * modality cues from schemas/modality.json. Per sentence: actor is the
 * nearest actor-like entity before the trigger (a pronoun resolves to the
 * last person named), target the first one after it, location a place
 * after in/at/to. Multiple targets give one event each. Output owned by
 * the arena.
 */
#ifndef INGEST_EVENTS_H
#define INGEST_EVENTS_H

#include "entities.h"
#include "lexicon.h"
#include "pipeline.h"
#include "text.h"

/* Lemmas of every token (folded; "" for punctuation), arena-owned; computed
 * once and shared by events_extract and quotes_extract. NULL on exhaustion. */
const char **events_lemmas(arena *a, const lexicons *lx, const char *body, const tokens *tk);

/* Extracts events. published_at (or NULL) anchors relative times. lemmas
 * from events_lemmas (NULL: computed here). Returns 0, or -1 with *err on
 * memory exhaustion. */
int events_extract(arena *a, const lexicons *lx, const pipeline_limits *lim, const char *body,
                   const tokens *tk, const entity_set *es, const char *published_at, const char **lemmas,
                   event **out, size_t *n_out, ingest_error *err);

/* Extracts quotations and their speakers (lemmas as for events_extract). */
int quotes_extract(arena *a, const lexicons *lx, const char *body, const tokens *tk, const entity_set *es,
                   const char **lemmas, quote **out, size_t *n_out, ingest_error *err);

/* Resolves a time expression of tokens [i, j) against an anchor date
 * ("2021-08-31..."); writes YYYY-MM-DD into out and returns true, or false
 * when it cannot be resolved. forward: the event is planned (a weekday
 * means the next one, not the last). */
bool events_resolve_time(const char *text, size_t len, const char *anchor, bool forward, char out[11]);

#endif
