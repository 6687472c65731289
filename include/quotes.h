/* quotes.h - quotations and their speakers.
 *
 * Text between double quotation marks (curly or straight, across sentences)
 * with its offsets, attributed to a speaker ("..., X said", "said X", "X
 * said: ...", "according to X", he/she, the subject of the sentence it stands
 * in), or to none for an anonymous source. All output is owned by the arena.
 */
#ifndef INGEST_QUOTES_H
#define INGEST_QUOTES_H

#include "entities.h"
#include "lexicon.h"
#include "pipeline.h"
#include "text.h"

/* Extracts quotations and their speakers. lemmas from events_lemmas (NULL:
 * computed here). Returns 0, or -1 with *err on memory exhaustion. */
int quotes_extract(arena *a, const lexicons *lx, const char *body, const tokens *tk, const entity_set *es,
                   const form_entry *lemmas, quote **out, size_t *n_out, ingest_error *err);

#endif
