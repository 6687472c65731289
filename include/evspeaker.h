/* evspeaker.h - statements: who speaks, and as an official.
 *
 * A statement event needs a named person speaking in an official capacity
 * (a country, the gazetteer, a title or an office; no private role). The
 * official test is cached per entity in ev_ctx (arena-owned). Functions
 * return entity indexes (-1: none); none allocates.
 */
#ifndef INGEST_EVSPEAKER_H
#define INGEST_EVSPEAKER_H

#include "evdoc.h"

/* official_uncached once per entity and article. */
bool ev_is_official(const ev_ctx *C, int e);

/* A statement needs a named person as its speaker: the subject right before
 * the verb (auxiliaries and adverbs between), through an apposition, or
 * after it ("said Jane Doe"). "Officials said", "the Pentagon said" are
 * attributions of the news, not a person's public statement. */
int ev_statement_speaker(const ev_ctx *C, size_t first, size_t ts, size_t te, size_t last);

#endif
