/* evrefs.h - who a mention stands for: participants and references.
 *
 * Demonyms and capitals stand for their country (as event datasets code
 * actors); he/she, it/they, definite descriptions ("the ministry", "the
 * group", "the Russian leader"), roles in apposition, coordinated lists and
 * "the two X" are resolved to entities of the article. Functions return
 * entity indexes (-1: none) or counts; nothing they return is allocated,
 * except the tables ev_compute_countries and ev_compute_mentions put in the
 * arena (owned by it).
 */
#ifndef INGEST_EVREFS_H
#define INGEST_EVREFS_H

#include "evdoc.h"

/* Demonyms and capitals stand for their country's government when the
 * article names the country ("American officials met ..." and "Washington
 * said" -> United States, "Riyadh broke off relations" -> Saudi Arabia),
 * the way event datasets code actors by country; otherwise the entity itself. */
int ev_compute_countries(ev_ctx *C);

/* The participant an entity stands for: a demonym or capital its country when the article names
 * the country ("Washington said" -> United States), else itself; cached per article. */
int ev_as_participant(const ev_ctx *C, int e);

/* A name standing in apposition after a role: "Russia's envoy, Mikhail
 * Ulyanov," and "Qatar's foreign minister, Sheikh X" name the person. From
 * the mention ending at token k: if "'s" + up to 4 words + "," + a PERSON
 * follow, that PERSON; else the entity itself. */
int ev_resolve_role(const ev_ctx *C, int e, size_t k, size_t last);

/* A nationality or country before a named person is part of the person's
 * title ("British Prime Minister Boris Johnson"): the person is meant. */
int ev_prefer_titled_person(const ev_ctx *C, int e, size_t k, size_t last);

/* The subject noun phrase of the sentence [first, before), when the trigger follows an
 * apposition or relative clause ("Zabihullah Mujahid, the group's spokesman, said"): the first
 * segment that is not a fronted adverbial; its first entity that is not a prepositional object,
 * or -1 when it names none ("A senior official, speaking on condition of anonymity, said").
 * With pronouns, a leading he/she is resolved; location is never the subject. */
int ev_leading_subject_of(const ev_ctx *C, size_t first, size_t before, int location, bool pronouns);

/* ev_leading_subject_of with pronouns resolved. */
int ev_leading_subject(const ev_ctx *C, size_t first, size_t before, int location);

/* "he"/"she" at token k: the person last named as a sentence's subject
 * (in this sentence before k, or the few sentences before), else the last
 * person named at all. */
int ev_resolve_pronoun(const ev_ctx *C, size_t k);

/* "it"/"they" as a subject at token k: the government, group or body last
 * named as a sentence's subject ("China said on Friday that it was
 * suspending ..."), in this sentence before k or the two before. */
int ev_resolve_it(const ev_ctx *C, size_t k);

/* The last PERSON named before token k (within PRONOUN_REACH_TOKENS) other than the actor. */
int ev_person_before(const ev_ctx *C, size_t k, int actor);

/* The events' view of the mentions: the tagger's, plus definite descriptions that refer back to
 * an entity: "the group"/"the movement" the ORG named last (within DESCRIPTION_REACH_SENTENCES),
 * "the ministry" the ORG whose name ends in that word, "the Russian leader" the country's head of
 * state or government. A description followed by a capitalised word is part of a name or title
 * ("the Commission President") and left alone. */
int ev_compute_mentions(ev_ctx *C);

/* "A and B met", "A, B and C signed": the subject is coordinated; the
 * first conjunct acts and the others, when the trigger names no target of
 * its own, are the targets. Writes them to partners; returns how many. */
size_t ev_coordinated_partners(const ev_ctx *C, int *actor, size_t first, size_t ts, int *partners, size_t max);

/* "A and his Iranian counterpart, B, are expected to meet": the conjunct after the actor's
 * mention, before the trigger. Writes it to partner; returns 1 or 0. */
size_t ev_following_conjunct(const ev_ctx *C, int actor, size_t first, size_t ts, int *partner);

/* "The two leaders met", "both sides agreed", "the two governments could sign": a pair named
 * before the trigger in its sentence ("If Tehran and Washington accept, the two governments
 * ..."), else the pair of the latest event of this or the PAIR_SENTENCES before, else a
 * coordinated pair there ("Russian and Ukrainian negotiators"), else for named sides or people
 * the latest meeting or negotiation of the article ("the two delegations are expected to meet
 * again"). */
bool ev_the_two(const ev_ctx *C, size_t cs, size_t ts, int *actor, int *target);

/* An object that names a pair without naming its parties ("praised both governments", "demanded
 * that both Nordic countries ...", "the two countries"), at token k ("that" may come first): the
 * pair last coordinated before it ("Finland and Sweden"), in its sentence or the PAIR_SENTENCES
 * before, in *a and *b (participants), when neither is actor (a participant). */
bool ev_pair_object(const ev_ctx *C, size_t k, size_t last, int actor, int *a, int *b);

/* The country a place belongs to, as an entity of the article (a country is its own). */
int ev_country_of_place(const ev_ctx *C, int e);

/* "their governments would recognize", "his government will send": a possessive pronoun and
 * "government(s)" as the subject right before the verb group at ts stand for the country of the
 * person (or the coordinated people) the sentence names as its subject. Writes the countries to
 * out; returns how many. */
size_t ev_governments_of(const ev_ctx *C, size_t first, size_t ts, int *out, size_t max);

#endif
