/* evdoc.h - the article as the event and quote rules see it.
 *
 * Internal to the event modules (events.c, evrefs.c, evargs.c, evspeaker.c,
 * evmodality.c, evtime.c, quotes.c). ev_ctx is one article's working state:
 * each token's form and lemma symbol ids (events_lemmas), where modality
 * cues start and end, which tokens stand inside quotation marks, the events'
 * view of the mentions (the tagger's plus the descriptions evrefs.c resolves)
 * and the events found so far. Its arrays are owned by the article's arena;
 * the lexicons, tokens and entities are borrowed from the caller. The helpers
 * here look at tokens, symbols and clause boundaries; none allocates.
 */
#ifndef INGEST_EVDOC_H
#define INGEST_EVDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dates.h"
#include "entities.h"
#include "lexicon.h"
#include "pipeline.h"
#include "text.h"

#define MAX_TARGETS 8            /* "met A, B, C and D": one event per listed target, at most this many */
#define PRONOUN_REACH_TOKENS 600 /* he/she refer to a person named within this many tokens (a few paragraphs) */
#define VERB_GROUP_TOKENS 6      /* "would have been obliged to": auxiliaries, participles and "to" */
#define NO_TIME 0xFF             /* time_len of a token that starts no time expression */

/* One article's working state for the event and quote rules (see above). */
typedef struct ev_ctx {
    arena *a;
    const lexicons *lx;
    const pipeline_limits *lim;
    const char *body;
    const tokens *tk;
    const entity_set *es;
    const char *published_at;
    const form_entry *lex; /* per token: form and lemma ids */
    const uint8_t *heads;  /* per token: sym_heads of its lemma and of its form together (which trigger and
                            * cue indexes it may start a pattern in), one byte read instead of four */
    uint8_t *cue_len[LEX_CUE_CLASSES]; /* per token with its cue_bits bit: the last token of the shortest cue
                                        * of that class starting there, minus the token (a cue lies within
                                        * its sentence, at most TEXT_MAX_SENTENCE_TOKENS long) */
    uint8_t *cue_bits;     /* per token: bit m when a cue of class m starts there, for the sentences in cue_done */
    uint8_t *cue_done;     /* per sentence: its cues are in cue_bits/cue_end (found on first use) */
    int *country_of;       /* per entity: the country entity a demonym or capital stands for; -2 until first asked */
    uint8_t *time_len;     /* per token of the sentence scanned last: a time expression's last token minus
                            * its first, or NO_TIME (1 byte a token: time phrases are a few words) */
    int8_t *official;      /* per entity: speaks as an official (1/0), -1 until first asked */
    long times_sent;       /* the sentence time_end was last filled for */
    int anchor_state;      /* published_at: 0 not parsed yet, 1 parsed into anchor, -1 none or not a date */
    civil_date anchor;
    uint8_t *in_quote;     /* per token: inside quotation marks (the quoted person's words, not reported events) */
    const int *ment;       /* per token: the entity it names for the event rules: the tagger's mentions and
                            * the descriptions that refer back to one ("the ministry", "the Russian leader") */
    uint8_t *type_kind;    /* per event type: 1 + its kind in events.c, 0 until first asked */
    event *ev;
    size_t n, cap;
    ingest_error *err;
} ev_ctx;

/* ---- inline helpers: tokens and entities ---------------------------------- */

/* Token k is the word with symbol id w, as its form or its lemma (both compared: one branch
 * fewer to mispredict than with ||). */
static inline bool is_w(const ev_ctx *C, size_t k, int32_t w) { return (C->lex[k].lemma == w) | (C->lex[k].form == w); }

/* Tokens a and b are in the same sentence. */
static inline bool same_sent(const ev_ctx *C, size_t a, size_t b) { return C->tk->t[a].sent == C->tk->t[b].sent; }

/* First token of the sentence holding token k: a search that doubles its step back and then
 * halves it (tokens are in sentence order), rather than a walk. */
static inline size_t sentence_first(const ev_ctx *C, size_t k)
{
    uint32_t s = C->tk->t[k].sent;
    size_t hi = k, step = 8; /* the first token of sentence s is at hi or before */
    while (hi >= step && C->tk->t[hi - step].sent == s) {
        hi -= step;
        step *= 2;
    }
    for (; step; step /= 2)
        if (hi >= step && C->tk->t[hi - step].sent == s)
            hi -= step;
    return hi;
}

/* Last token of the sentence holding token k: tokens are in sentence order, so a search that
 * doubles its step and then halves it, rather than a walk. */
static inline size_t sentence_last(const ev_ctx *C, size_t k)
{
    uint32_t s = C->tk->t[k].sent;
    size_t lo = k, step = 8; /* the last token of sentence s is at lo or after */
    while (lo + step < C->tk->n && C->tk->t[lo + step].sent == s) {
        lo += step;
        step *= 2;
    }
    for (; step; step /= 2)
        if (lo + step < C->tk->n && C->tk->t[lo + step].sent == s)
            lo += step;
    return lo;
}

/* Entities that can act or be acted on (places may stand for their governments). */
static inline bool actor_like(entity_type t)
{
    return t == ENT_PERSON || t == ENT_ORG || t == ENT_GPE || t == ENT_NORP;
}
static inline bool place_like(entity_type t) { return t == ENT_GPE || t == ENT_LOC || t == ENT_FAC; }
static inline int ent_at(const ev_ctx *C, size_t k) { return C->ment[k]; }
static inline entity_type ent_type(const ev_ctx *C, int e) { return C->es->ents[e].type; }

/* Token k is the one-byte punctuation c. */
static inline bool is_punct(const ev_ctx *C, size_t k, char c)
{
    const token *t = &C->tk->t[k];
    return t->kind == TOK_PUNCT && t->end - t->start == 1 && C->body[t->start] == c;
}

/* Token k is an em dash (a dateline's or an aside's). */
static inline bool is_dash(const ev_ctx *C, size_t k)
{
    const token *t = &C->tk->t[k];
    return t->end - t->start == 3 && !memcmp(C->body + t->start, "\xE2\x80\x94", 3);
}

/* ---- word classes of the builtin words ----------------------------------------- */

enum {
    WC_PREP = 1,          /* prepositions whose object is not a clause's subject */
    WC_SUBORD = 2,        /* words that open a clause as well as a phrase: after, before, as, while, when */
    WC_DET = 4,           /* determiners and possessives (as the token's own form) */
    WC_VERB_CONTEXT = 8,  /* a modal or subject pronoun: the next word is a verb (own form) */
    WC_AUX = 16,          /* auxiliaries and adverbs between a subject and its verb */
    WC_COORD_AUX = 32,    /* what may stand between "and" and a coordinated verb */
    WC_TARGET_PREP = 64,  /* prepositions that introduce a target: with, to, on, against, for, of */
    WC_AND_BUT = 128,     /* and, but */
    WC_DAY_WORD = 256,    /* today, yesterday, tomorrow */
    WC_NEXT_LAST = 512,   /* next, last (before week, month, year) */
    WC_PERIOD = 1024,     /* week, month, year */
    WC_IN_AT = 2048,      /* in, at: before a place */
};

/* Per builtin word id (LEX_BUILTIN_WORDS), its WC_* classes; constant data. */
extern const uint16_t ev_word_class[LEX_W_COUNT_];

/* Without a branch: whether a token is a builtin word follows no pattern a predictor could learn,
 * and an id past the builtins reads entry 0 (no class). */
static inline unsigned class_of(int32_t id)
{
    uint32_t u = (uint32_t)id;
    return ev_word_class[u & -(uint32_t)(u < LEX_W_COUNT_)];
}

/* The classes of token k through its lemma or its form. */
static inline unsigned word_class(const ev_ctx *C, size_t k)
{
    return class_of(C->lex[k].lemma) | class_of(C->lex[k].form);
}

/* Prepositions whose object is not a clause's subject. */
static inline bool ev_is_prep(const ev_ctx *C, size_t k) { return word_class(C, k) & WC_PREP; }

/* Words that open a clause as well as a phrase: "after Russia invaded", "as Iran expanded". */
static inline bool ev_is_subordinator(const ev_ctx *C, size_t k) { return word_class(C, k) & WC_SUBORD; }

/* Determiners and possessives before a noun: the, a, this, his, their, 's, any, no, first, new. */
static inline bool ev_is_determiner(const ev_ctx *C, size_t k) { return class_of(C->lex[k].form) & WC_DET; }

/* A modal or a subject pronoun before a word makes it a verb ("they talk"). */
static inline bool ev_is_verb_context(const ev_ctx *C, size_t k) { return class_of(C->lex[k].form) & WC_VERB_CONTEXT; }

/* A , ; : ( ) or em dash: the edge of a clause, an apposition or a list item (the tokenizer's
 * TOKF_BREAK: one bit test, no byte comparisons). */
static inline bool ev_is_clause_break(const ev_ctx *C, size_t k) { return C->tk->t[k].flags & TOKF_BREAK; }

/* A capitalised word inside a sentence is a name or title ("Secretary of
 * State"), never a trigger, cue or speech verb; after an opening quotation
 * mark or a dateline's dash ("VIENNA — Negotiations resumed") it starts a clause. */
bool ev_is_name_word(const char *body, const tokens *tk, size_t i);

/* The form and lemma of token k, capitalised name words included ("Association" in "the Odesa
 * Grain Traders Association", which events_lemmas leaves empty so that names never trigger). */
form_entry ev_any_form(const ev_ctx *C, size_t k);

/* The first token starting at or after byte offset off (binary search; tokens are in text order). */
size_t ev_token_at(const ev_ctx *C, uint32_t off);

/* Matches pattern words (LEX_GAP: up to GAP_MAX_TOKENS tokens, stopping at
 * the first token equal to the next word) from token i within its sentence;
 * returns the last matched token or -1. */
long ev_match_words(const ev_ctx *C, size_t i, const int32_t *words, int n);

/* False when a pattern starting at token i cannot match because its second word (when it is
 * not a gap) is not the next token: most candidates fail there, without a call. */
static inline bool may_match(const ev_ctx *C, size_t i, const int32_t *words, int n)
{
    if (n < 2 || words[1] == LEX_GAP)
        return true;
    return i + 1 < C->tk->n && same_sent(C, i + 1, i) && is_w(C, i + 1, words[1]);
}

/* The mention at token s names the party of a people noun that opens the clause at cs ("Leaders
 * of the Group of Seven ended ...", "Officials from Iran said", "The foreign ministers of India and
 * China met"): that party is a subject, not a prepositional object. */
bool ev_people_of_subject(const ev_ctx *C, size_t s, size_t cs);

/* First token of the entity mention holding token k. */
size_t ev_mention_start(const ev_ctx *C, size_t k, size_t first);

/* Last token of the entity mention holding token k, not after last. */
size_t ev_mention_end(const ev_ctx *C, size_t k, size_t last);

/* The mention starting at token s is the object of a preposition ("for the
 * Chinese Foreign Ministry", "in Kabul"), determiners between. */
bool ev_after_prep(const ev_ctx *C, size_t s, size_t lo);

/* First token of the clause holding token trig (after the last break), not before first. */
size_t ev_clause_start(const ev_ctx *C, size_t first, size_t trig);

/* First token at or after trig that is a clause break, or last + 1. */
size_t ev_clause_end(const ev_ctx *C, size_t trig, size_t last);

/* Tokens [from, to) are at most three auxiliaries or adverbs ("it has also", "they would not"):
 * what precedes them is the verb's subject. */
bool ev_only_auxiliaries(const ev_ctx *C, size_t from, size_t to);

/* Tokens [from, to) are a verb group before the verb at to: at most VERB_GROUP_TOKENS
 * auxiliaries, adverbs, participles and "to" ("has also", "would have been obliged to"). */
bool ev_verb_group(const ev_ctx *C, size_t from, size_t to);

/* The trigger follows "and"/"but" (an adverb between) with no subject of its own. */
bool ev_coordinated_verb(const ev_ctx *C, size_t cs, size_t ts);

/* Token k's folded word in out (cap bytes), or 0 when it is not a word or too long. */
size_t ev_folded(const ev_ctx *C, size_t k, char *out, size_t cap);

/* Marks the tokens between an opening and a closing double quotation mark. */
int ev_compute_quoted(ev_ctx *C);

/* t is a double quotation mark: a straight one, or the curly opening (open) or closing one. */
bool ev_is_double_quote(const char *body, const token *t, bool open);

#endif
