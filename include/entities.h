/* entities.h - tag stage: people, organisations, places and groups.
 *
 * Datelines, gazetteer matches (longest alias first; capitals standing for
 * their governments), title-introduced people ("Foreign Minister X"),
 * organisations and facilities by head noun ("... Ministry", "... Palace"),
 * speech-verb subjects ("X said"), people in apposition ("X, a spokeswoman
 * for ..."), short names merged into the full name they shorten ("Bagheri
 * Kani", "Sheikh Tamim"), role descriptions ("the secretary of state", "the
 * emir"), then within-document coreference (a person's short forms:
 * surnames, family names written first, given names, accents dropped;
 * "Washington" for the United States). Mentions are byte spans of the body; the headline and subtitle
 * add entities and salience (entities_add_heading). All output is owned by
 * the arena.
 */
#ifndef INGEST_ENTITIES_H
#define INGEST_ENTITIES_H

#include "lexicon.h"
#include "pipeline.h"
#include "text.h"

typedef struct entity_set {
    entity *ents;
    size_t n, cap;
    int *tok_entity; /* per token: entity index covering it, or -1 */
} entity_set;

/* Tags body (tokenized as tk). Returns 0, or -1 with *err on memory
 * exhaustion. Entities past lim->max_entities are not added. */
int entities_tag(arena *a, const lexicons *lx, const pipeline_limits *lim, const char *body, size_t body_len,
                 const tokens *tk, entity_set *out, ingest_error *err);

/* Adds what a headline or subtitle (text, len) names to es, the body's
 * entities: an entity also in the body gets boost added to its salience;
 * one only in the heading is added without mentions (mention offsets are
 * into the body) and with salience boost. With title_case (a headline in
 * Title Case, where every word looks like a name) only gazetteer entities
 * are taken. Salience is then normalized again to a maximum of 1.
 * Returns 0, or -1 with *err on memory exhaustion. */
int entities_add_heading(arena *a, const lexicons *lx, const pipeline_limits *lim, const char *text, size_t len,
                         bool title_case, double boost, entity_set *es, ingest_error *err);

/* Makes "slug:<type>:<lower-case-hyphenated-name>" for entities the
 * gazetteer does not know. Arena string, NULL on failure. */
char *entities_slug(arena *a, entity_type t, const char *name);

#endif
