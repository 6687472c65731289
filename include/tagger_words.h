/* tagger_words.h - the closed word classes the entity tagger tests tokens
 * against: prepositions of place, venue nouns, name particles, capitalised
 * non-names, speech verbs, person role nouns, organisation and facility
 * head nouns. Pure data.
 *
 * The lexicon indexes them at load (lexicons.tagger_words, one map from a
 * word to the classes it is in), so the tagger finds every class of a token
 * with one lookup of its hash instead of a search per class.
 */
#ifndef INGEST_TAGGER_WORDS_H
#define INGEST_TAGGER_WORDS_H

#include "strmap.h"

enum {
    TW_PLACE_PREP = 1 << 0,
    TW_VENUE_NOUN = 1 << 1,
    TW_SEAT_PREP = 1 << 2,
    TW_NAME_PARTICLE = 1 << 3,
    TW_STOP_CAP = 1 << 4,
    TW_SPEECH_VERB = 1 << 5,
    TW_PERSON_ROLE = 1 << 6,
    TW_ORG_HEAD = 1 << 7,
    TW_FAC_HEAD = 1 << 8,
};
/* Classes matched ignoring ASCII case ("In Moscow" opens sentences); the
 * others match the word exactly. */
#define TW_CASE_BLIND (TW_PLACE_PREP | TW_SEAT_PREP)

/* Adds every word to m with the bits of its classes (m's value for a word
 * is the OR of them), and sets in filter (a bitset of 1 << filter_bits bits)
 * the bit of each word's lower-case hash, top filter_bits bits of its
 * strmap_word_hash: a token whose folded hash misses the filter is in no
 * class. Returns 0, or -1 when memory ran out. */
int tagger_words_index(strmap *m, uint64_t *filter, unsigned filter_bits);

#endif
