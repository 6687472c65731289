/* evargs.h - an event's arguments: actor, targets and place.
 *
 * The actor is the trigger's grammatical subject (through appositions,
 * relative pronouns, coordination, subordinate and purpose clauses), or for
 * a nominal trigger the subject of its support verb or its possessor; the
 * targets are the noun phrase after the trigger or its preposition, or what
 * an evaluative object refers to ("condemned the launch"); the place is an
 * in/at phrase. Functions return entity indexes (-1: none) or counts and
 * write into caller-owned arrays; none allocates.
 */
#ifndef INGEST_EVARGS_H
#define INGEST_EVARGS_H

#include "evdoc.h"

/* The subject of the trigger at ts: the nearest actor-like entity before it
 * in its clause that is not the object of a preposition nor a distant
 * possessor; through a relative pronoun its antecedent; "he"/"she" the last
 * person named; with nothing in the clause, the sentence's leading subject. */
int ev_find_actor(const ev_ctx *C, size_t first, size_t ts, int location);

/* The place of an event in [first, last]: a place after in/at (or after the trigger's own place
 * preposition, prep), preferring one after the trigger's end; -1 when none. */
int ev_find_location(const ev_ctx *C, size_t first, size_t last, size_t trig_end, int32_t prep);

/* Targets: the entities of the noun phrase right after the trigger's head
 * (its object, or the object of its target preposition), with coordinated
 * ones: "met China and Russia" gives two. The phrase must start within
 * OBJECT_REACH words after the pattern (its own words and gaps are free;
 * "and" starts a new conjunct: "his team and the Joint Chiefs"); places,
 * that-clauses and later phrases are not targets, except that a "demand
 * that"-type pattern takes the clause's subject ("demanded that
 * Washington lift ...") and people nouns give their country ("envoys from
 * Britain"). */
size_t ev_find_targets(const ev_ctx *C, const trigger *tr, size_t ts, size_t te, size_t last, int actor,
                       int *out, size_t max);

/* "condemned the launch", "criticized the suspension of climate talks", "called the expansion
 * historic": the object (from token k) names an act the article reported before; its doer, the
 * subject of the first sentence that mentions the act (news states the act first: "North Korea
 * launched ...", "China ... was suspending ..."), is the target. An act no earlier sentence names
 * is, with a demonstrative ("dismissed those conditions"), the previous sentence's, and with
 * "the" ("criticized the text", "hailed the outcome"), the one the article opens with: its lead
 * sentence's subject. */
int ev_act_doer(const ev_ctx *C, size_t k, size_t last, int actor);

/* The first party in tokens [from, to] of another side than actor, and not of its country, as a
 * participant; -1 when none. */
int ev_other_party(const ev_ctx *C, size_t from, size_t to, int actor);

/* The actor of a nominal trigger (see light_verbs in events.json): a
 * possessor ("Biden's meeting"), the subject of a light verb before it ("X
 * held talks"), or, when it stands in a fronted phrase ("In a call late
 * Saturday, Blinken thanked ..."), the main clause's subject; else none. */
int ev_noun_actor(const ev_ctx *C, size_t first, size_t ts, size_t last, int location);

/* "talks between A and B", "a meeting between A and B": A acts, B is the target. */
bool ev_between_pair(const ev_ctx *C, size_t te, size_t last, int *a, int *b);

/* A past participle after a form of "be" (adverbs between): the subject is
 * the patient and "by X" the agent ("were evacuated by the RAF"). */
bool ev_is_passive(const ev_ctx *C, size_t ts, size_t first);

/* The agent of a passive: the entity after "by" following the trigger. */
int ev_by_agent(const ev_ctx *C, size_t te, size_t last);

#endif
