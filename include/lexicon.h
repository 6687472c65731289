/* lexicon.h - the entity and event schema as data, loaded once.
 *
 * Sources are the files under schemas/ (gazetteer.tsv, titles.tsv,
 * lemmas.tsv, events.json, modality.json, boilerplate.tsv). The build
 * embeds them in the binary (lexicon_embedded.S); `--schemas-dir` can load
 * them from disk instead. Loading parses them into immutable lookup tables;
 * a loaded `lexicons` is read-only and may be shared by threads.
 */
#ifndef INGEST_LEXICON_H
#define INGEST_LEXICON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline.h"
#include "strmap.h"

/* The raw text of each source file (not necessarily NUL-terminated). */
typedef struct lexicon_sources {
    const char *gazetteer, *titles, *lemmas, *events, *modality, *boilerplate;
    size_t gazetteer_len, titles_len, lemmas_len, events_len, modality_len, boilerplate_len;
} lexicon_sources;

typedef struct gaz_entry {
    const char *id, *name, *country; /* country: ISO3 or NULL */
    entity_type type;
    const char *role;       /* head_of_state, foreign_minister, ... or NULL */
    const char *capital_of; /* ISO3 or NULL */
    const char *demonym_of; /* entity id or NULL */
    const char *role_title; /* the title news give a PERSON ("Emir"), or NULL */
} gaz_entry;

typedef enum { TITLE_PREFIX, TITLE_ROLE_NOUN, TITLE_STATE_ABBREV, TITLE_OTHER } title_kind;

typedef struct title_entry {
    const char *text; /* folded */
    title_kind kind;
    const char *role;
} title_entry;

#define TRIGGER_MAX_WORDS 8
#define LEX_GAP (-1) /* a "..." entry in a pattern: up to 5 tokens within the sentence */

/* Words the event and quote rules name in code. The loader interns them
 * first, so each has the fixed symbol id of its enum value (LEX_W_THE is
 * the id of "the"); rules compare ints, never strings. */
#define LEX_BUILTIN_WORDS(X)                                                                              \
    X(THE, "the") X(A, "a") X(AN, "an") X(HE, "he") X(SHE, "she") X(IN, "in") X(AT, "at") X(TO, "to")     \
    X(FROM, "from") X(ON, "on") X(DURING, "during") X(BY, "by") X(AND, "and") X(WITH, "with") X(OF, "of") \
    X(FOR, "for") X(BETWEEN, "between") X(TODAY, "today") X(YESTERDAY, "yesterday")                       \
    X(TOMORROW, "tomorrow") X(NEXT, "next") X(LAST, "last") X(WEEK, "week") X(MONTH, "month")             \
    X(YEAR, "year") X(SAY, "say") X(TELL, "tell") X(ADD, "add") X(WRITE, "write") X(STATE, "state")       \
    X(ACCORDING, "according") X(BE, "be") X(HAVE, "have") X(WHO, "who") X(WHICH, "which")                \
    X(THAT, "that") X(THIS, "this") X(THESE, "these") X(THOSE, "those") X(ITS, "its") X(HIS, "his")       \
    X(HER, "her") X(THEIR, "their") X(OUR, "our") X(MY, "my") X(YOUR, "your") X(POSS, "'s") X(ANY, "any") \
    X(EACH, "each") X(EVERY, "every") X(NO, "no") X(WILL, "will") X(WOULD, "would") X(CAN, "can")        \
    X(COULD, "could") X(SHOULD, "should") X(MAY, "may") X(MIGHT, "might") X(MUST, "must") X(THEY, "they")  \
    X(WE, "we") X(I, "i") X(YOU, "you") X(IT, "it") X(ALSO, "also") X(NOT, "not") X(NT, "n't")            \
    X(WHOSE, "whose") X(AS, "as") X(OFFICIAL, "official") X(SPOKESMAN, "spokesman")                         \
    X(SPOKESWOMAN, "spokeswoman") X(SPOKESPERSON, "spokesperson") X(FIRST, "first") X(NEW, "new")         \
    X(AFTER, "after") X(BEFORE, "before") X(WHILE, "while") X(WHEN, "when") X(BUT, "but") X(OR, "or")  \
    X(AGAINST, "against") X(THEN, "then") X(TWO, "two") X(BOTH, "both") X(DO, "do")                 \
    X(OVER, "over") X(ABOUT, "about") X(MAN, "man") X(HIM, "him")             \
    X(NEAR, "near") X(AROUND, "around") X(GOVERNMENT, "government")

#define LEX_W_ENUM_(name, str) LEX_W_##name,
enum { LEX_W_NONE_ = 0, LEX_BUILTIN_WORDS(LEX_W_ENUM_) LEX_W_COUNT_ };
#undef LEX_W_ENUM_

/* How a token's form reached its lemma (so a noun pattern does not match
 * the verb forms 'met'/'meeting' of 'meet' through the suffix rules). */
typedef enum { INFL_NONE, INFL_S, INFL_ED, INFL_ING, INFL_IRREG } infl_kind;

/* A folded word form known to the lexicon: its own symbol id (0 when the
 * form is not itself a lemma), its lemma's id and how it was inflected. */
typedef struct form_entry {
    int32_t form, lemma;
    uint8_t infl;
} form_entry;

/* A slot of lexicons.form_index: a form's strmap_hash and its entry. */
typedef struct form_slot {
    uint64_t hash;
    form_entry f;
} form_slot;

typedef struct trigger {
    int type;                             /* index into event_types */
    int32_t words[TRIGGER_MAX_WORDS];     /* symbol ids; LEX_GAP entries are gaps */
    int n_words;
    bool noun, passive;
    const char *actor_from, *target_from, *location_from; /* preposition or "object", or NULL */
    int32_t target_prep, location_prep;   /* their symbol ids (0: none / "object") */
    int32_t actor_prep;                   /* "of": the actor is named in the pattern ("withdrawal of Israeli forces") */
    bool target_object;                   /* target_from is "object": the noun phrase right after */
    bool requires_target;                 /* "requires": "target" (or "object"): no event without one */
    bool requires_object;                 /* "requires": "object": the target right after the verb */
    int next; /* next trigger with the same first word, or -1 */
} trigger;

typedef struct event_type {
    const char *type, *cameo; /* cameo NULL for evacuate */
    int quad_class;
    bool reciprocal; /* "A and B met": B is a target too */
} event_type;

/* Modality cue classes of modality.json. A condition is a hypothetical cue
 * that reaches across the comma from the sentence start ("If talks fail,
 * ..."); the others count in the trigger's clause. */
typedef enum { CUE_PLANNED, CUE_HYPOTHETICAL, CUE_NEGATED, CUE_CONDITION, LEX_CUE_CLASSES } cue_class;

#define LEX_HEAD_TRIGGER 1u

typedef struct cue {
    int32_t words[TRIGGER_MAX_WORDS]; /* symbol ids, LEX_GAP gaps */
    int n_words;
    int next; /* next cue of the same class with the same first word, or -1 */
} cue;

#define LEXICON_BP_FILTER_BITS 16 /* 65536 bits (8 KB, in L1): few false hits for ~1000 phrases */
#define LEXICON_BP_FILTER_WORDS ((1u << LEXICON_BP_FILTER_BITS) / 64)

/* Hash of one folded word and of a phrase (the words' hashes combined in
 * order); the boilerplate classifier computes the same while scanning.
 * Bytes are packed eight to a 64-bit chunk and each chunk mixed once: one
 * multiply per eight bytes rather than one per byte keeps the per-byte
 * cost of the normalizer's scan at a shift and an or. */
#define LEXICON_HASH_SEED 1469598103934665603ull

static inline uint64_t lexicon_hash_chunk(uint64_t h, uint64_t chunk)
{
    h = (h ^ chunk) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
}

/* Finishes a word of n bytes whose last n % 8 bytes are packed in acc. */
static inline uint64_t lexicon_hash_end(uint64_t h, uint64_t acc, size_t n)
{
    return lexicon_hash_chunk(h, acc ^ ((uint64_t)(n & 0xFF) << 56));
}

static inline uint64_t lexicon_word_hash(const char *w, size_t n)
{
    uint64_t h = LEXICON_HASH_SEED, acc = 0;
    unsigned k = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8) | (unsigned char)w[i];
        if (++k == 8) {
            h = lexicon_hash_chunk(h, acc);
            acc = 0;
            k = 0;
        }
    }
    return lexicon_hash_end(h, acc, n);
}

static inline uint64_t lexicon_phrase_step(uint64_t phrase, uint64_t word)
{
    return (phrase * 0x9E3779B97F4A7C15ull) ^ word;
}

static inline bool lexicon_bp_maybe(const uint64_t *filter, uint64_t h)
{
    unsigned bit = (unsigned)(h >> (64 - LEXICON_BP_FILTER_BITS)); /* the top bits */
    return (filter[bit >> 6] >> (bit & 63)) & 1;
}

typedef struct bp_term {
    removed_kind kind;
    double weight; /* positive: boilerplate evidence; negative: article evidence */
} bp_term;

/* A language identifier the shell may plug in (e.g. libexttextcat): returns an
 * ISO 639-1 code or NULL when unsure. The returned string must stay valid
 * until the next call; callers copy it. */
typedef const char *(*langid_fn)(void *ctx, const char *text, size_t len);

/* Walk maps let a matcher extend a span token by token and stop as soon as
 * no longer entry can match: one lookup for the many tokens that start
 * nothing, instead of one per candidate length. */
enum { LEXICON_WALK_EXTENDS = 1, /* a longer entry starts with these tokens */
       LEXICON_WALK_FULL = 2 };   /* these tokens are an entry (index in the main map) */

struct lexicons {
    arena *arena;
    langid_fn langid;  /* optional; NULL: the built-in function-word model only */
    void *langid_ctx;  /* not thread-safe when set: one lexicons per worker thread */
    gaz_entry *gaz;
    size_t n_gaz;
    strmap alias;      /* token-joined surface form -> gaz index */
    strmap alias_walk; /* alias or token prefix of one -> LEXICON_WALK_* bits (see below) */
    strmap gaz_by_id;  /* id -> gaz index */
    strmap country_row; /* ISO 3166-1 alpha-3 -> gaz index of the country itself */
    strmap demonym_by_id; /* gaz id of a country -> gaz index of its (first) demonym */
    strmap fac_by_name;   /* name of a FAC row -> gaz index: the building reading of a body
                             ("at the White House") */
    strmap surname;    /* last name token of a PERSON -> gaz index, -1 when shared */
    strmap tagger_words; /* closed-class word -> its TW_* classes (tagger_words.h) */
    uint64_t tagger_words_filter[LEXICON_BP_FILTER_WORDS]; /* their folded hashes: most tokens skip the map */
    title_entry *titles;
    size_t n_titles;
    strmap title_map; /* folded title -> title index */
    strmap title_walk; /* folded title or token prefix of one -> LEXICON_WALK_* bits */
    /* The event vocabulary as a symbol table: every lemma of lemmas.tsv, of a
     * trigger or cue pattern and of LEX_BUILTIN_WORDS has an id 1..n_syms. */
    strmap sym;            /* folded word -> symbol id */
    const char **sym_str;  /* id -> word; [0] is "" */
    bool *sym_inflects;    /* id -> the suffix rules aim at it (a lemma of the data files) */
    bool *sym_light;       /* id -> a light verb of events.json ("hold talks"): a nominal trigger's support */
    bool *sym_people;      /* id -> a people noun of events.json ("envoys from Britain"): stands for its country */
    bool *sym_private;     /* id -> a private role or body of events.json ("analyst", "relief"): not an official */
    bool *sym_office;      /* id -> a public office of events.json ("councillor", "delegation"): an official */
    uint8_t *sym_heads;    /* id -> bit LEX_HEAD_TRIGGER when a trigger starts with it, bit 1 << (1 + class)
                            * when a cue of that class does: most tokens skip both indexes */
    size_t n_syms, sym_cap;
    strmap forms;          /* folded form -> index into form_tab: irregular forms, regular inflections
                            * of every inflecting symbol (generated at load) and the symbols themselves */
    form_entry *form_tab;
    size_t n_forms, form_cap;
    form_slot *form_index; /* the forms again, by hash alone (open addressing, at most half full; an empty
                            * slot has lemma 0): the lemma pass's one probe per word (lexicon_form_by_hash) */
    size_t form_index_mask;
    event_type *types;
    size_t n_types;
    trigger *triggers;
    size_t n_triggers;
    int *trigger_head;   /* symbol id -> first trigger starting with it, or -1 */
    cue *cues[LEX_CUE_CLASSES]; /* indexed by cue_class */
    size_t n_cues[LEX_CUE_CLASSES];
    int *cue_head[LEX_CUE_CLASSES]; /* symbol id -> first cue of that class starting with it, or -1 */
    strmap country_by_iso3; /* ISO3 -> gaz index of the country itself (a row some demonym names) */
    bp_term *bp;
    size_t n_bp;
    strmap bp_map; /* folded 1-3 word phrase -> bp index */
    uint64_t bp_filter[LEXICON_BP_FILTER_WORDS]; /* bitset of phrase hashes: most words skip bp_map */
    uint64_t bp_last_filter[LEXICON_BP_FILTER_WORDS]; /* of the phrases' last words: most words end none */
    uint64_t head_filter[LEXICON_BP_FILTER_WORDS]; /* folded hash (tokens.hfold) of the first token of every
                                                      alias: most tokens start none */
    uint64_t title_head_filter[LEXICON_BP_FILTER_WORDS]; /* the same for titles */
};

/* Parses the sources. Returns a lexicons the caller frees with
 * lexicons_free(), or NULL with a message ("gazetteer.tsv:12: ...") in err. */
lexicons *lexicons_load(const lexicon_sources *src, char *err, size_t errlen);

void lexicons_free(lexicons *lx);

/* Plugs in a language identifier for texts the built-in model is unsure of.
 * lx does not own ctx. */
void lexicons_set_langid(lexicons *lx, langid_fn fn, void *ctx);

/* The form entry of a folded word: its lemma through lemmas.tsv or the
 * regular suffix rules (-s/-es/-ies/-ed/-ied/-ing, with -e drop and
 * consonant doubling, toward inflecting symbols only). Words the event
 * vocabulary does not know give {0, 0, INFL_NONE}. One hash lookup. */
form_entry lexicon_form(const lexicons *lx, const char *folded, size_t len);

/* The same for a word whose strmap_hash of the folded form is h (a token's
 * tokens.hfold): w (len bytes) is that folded form, or the word itself when
 * folding only changes its ASCII case. No hashing, no copy: the lemma pass
 * calls it for every word, so it is inline. */
static inline form_entry lexicon_form_hashed(const lexicons *lx, uint64_t h, const char *w, size_t len)
{
    const char *key;
    size_t kl;
    int idx;
    if (!strmap_get_hashed(&lx->forms, h, &key, &kl, &idx) || kl != len)
        return (form_entry){0, 0, INFL_NONE};
    for (size_t i = 0; i < len; i++) { /* the key is folded: w may differ from it in ASCII case only */
        unsigned char x = (unsigned char)key[i], y = (unsigned char)w[i];
        if (x != y && ((x | 0x20) != (y | 0x20) || (unsigned char)((x | 0x20) - 'a') > 'z' - 'a'))
            return (form_entry){0, 0, INFL_NONE};
    }
    return lx->form_tab[idx];
}

/* The form entry of the folded word whose strmap_hash is h, by the hash alone: the word's bytes are
 * not compared. The forms' hashes are unique (strmap_put refuses a second key with the same 64-bit
 * hash), so a word finds a wrong entry only when its hash equals another word's, a chance of about
 * one in 2^64 / (number of forms) per word, and the cost is one wrong lemma. The lemma pass looks up
 * every ASCII word this way: one probe of one 24-byte slot, no key, no byte loop. */
static inline form_entry lexicon_form_by_hash(const lexicons *lx, uint64_t h)
{
    for (size_t j = h & lx->form_index_mask;; j = (j + 1) & lx->form_index_mask) {
        const form_slot *s = &lx->form_index[j];
        if (!s->f.lemma)
            return (form_entry){0, 0, INFL_NONE};
        if (s->hash == h)
            return s->f;
    }
}

/* The symbol id of a folded word, or 0. */
int32_t lexicon_sym(const lexicons *lx, const char *folded, size_t len);

#endif
