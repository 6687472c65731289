/* entities.h - tag stage: people, organisations, places and groups.
 *
 * Gazetteer matches (longest alias first), title-introduced people
 * ("Foreign Minister X"), speech-verb subjects ("X said"), organisation
 * suffix patterns ("... Ministry"), then within-document coreference
 * (surnames, "Washington" for the United States). Mentions are byte spans
 * of the body. All output is owned by the arena.
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

/* Makes "slug:<type>:<lower-case-hyphenated-name>" for entities the
 * gazetteer does not know. Arena string, NULL on failure. */
char *entities_slug(arena *a, entity_type t, const char *name);

#endif
