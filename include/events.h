/* events.h - CAMEO-coded events and attributed quotes from tagged text.
 *
 * Triggers come from schemas/events.json (lemma patterns with gaps, each
 * with a part of speech, the prepositions that introduce its target and
 * place, and what it requires), modality cues from schemas/modality.json;
 * both are interned to symbol ids at lexicon load. Per sentence: the actor
 * is the trigger's grammatical subject (see README "Events and quotes":
 * clause subject, relative antecedent, he/she/it/they, apposition, reported
 * clauses, coordinated verbs and subjects, light verbs for nominal
 * triggers, the "by" agent of a passive); the targets are the entities of
 * the noun phrase after the trigger or its preposition, one event per
 * target; demonyms and capitals stand for the country the article names.
 * Negated or hypothetical events are never emitted as asserted. All output
 * is owned by the arena; per-article working memory is linear in the
 * number of tokens and entities.
 */
#ifndef INGEST_EVENTS_H
#define INGEST_EVENTS_H

#include "entities.h"
#include "lexicon.h"
#include "pipeline.h"
#include "quotes.h"
#include "text.h"

/* The form and lemma symbol ids of every token ({0, 0} for punctuation and
 * words outside the event vocabulary), arena-owned; computed once and
 * shared by events_extract and quotes_extract. NULL on exhaustion. */
const form_entry *events_lemmas(arena *a, const lexicons *lx, const char *body, const tokens *tk);

/* Extracts events. published_at (or NULL) anchors relative times. lemmas
 * from events_lemmas (NULL: computed here). Returns 0, or -1 with *err on
 * memory exhaustion. */
int events_extract(arena *a, const lexicons *lx, const pipeline_limits *lim, const char *body,
                   const tokens *tk, const entity_set *es, const char *published_at, const form_entry *lemmas,
                   event **out, size_t *n_out, ingest_error *err);

/* Resolves a time expression (text, len bytes: "Monday", "Aug. 31",
 * "yesterday", "Aug. 31, 2021") against an anchor date ("2021-08-31..." as
 * in published_at); writes YYYY-MM-DD into out and returns true, or false
 * when it cannot be resolved (no anchor, "next week"). A weekday is the
 * latest such day up to the anchor; forward (a planned event): the next
 * one after it. */
bool events_resolve_time(const char *text, size_t len, const char *anchor, bool forward, char out[11]);

#endif
