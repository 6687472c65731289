/* text.h - tokenizer and sentence splitter for English news. Pure.
 *
 * Tokens carry UTF-8 byte offsets into the text they were cut from.
 * Abbreviations (Gen., Rep., U.S., Aug., R-Wisc.) and initials keep their
 * dot; possessive 's and n't are split off; hyphenated names (Al-Thani,
 * ISIS-K) stay one token; curly quotes are their own tokens.
 */
#ifndef INGEST_TEXT_H
#define INGEST_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "pipeline.h"

typedef enum { TOK_WORD, TOK_NUM, TOK_PUNCT } token_kind;

/* Longest sentence in tokens: longer runs are split (news sentences are far
 * shorter; unbounded ones would make per-sentence work quadratic). */
#define TEXT_MAX_SENTENCE_TOKENS 200

enum {
    TOKF_CAP = 1,      /* first letter upper-case */
    TOKF_ALLCAP = 2,   /* every letter upper-case, at least two letters */
    TOKF_ABBREV = 4,   /* ends with a dot that is not a sentence end */
    TOKF_QUOTE = 8,    /* a quotation mark: " “ ” ‘ ’ (as its own token) */
    TOKF_OPENQ = 16,   /* opening quotation mark */
    TOKF_CLOSEQ = 32,  /* closing quotation mark */
    TOKF_PARA = 64,    /* first token of a paragraph */
    TOKF_NONASCII = 128, /* has a byte >= 0x80 */
    TOKF_BREAK = 256,  /* , ; : ( ) or an em dash: the edge of a clause, an apposition or a list item */
};

typedef struct token {
    uint32_t start, end; /* byte offsets */
    uint16_t kind, flags;
    uint32_t sent;       /* sentence index */
} token;

typedef struct tokens {
    token *t; /* owned by the arena */
    size_t n;
    /* Per token, the strmap_word_hash of its two lookup forms (arena-owned):
     * hkey of the text_key_copy form (case kept), hfold of the text_fold
     * form. Lexicon maps are keyed by these forms joined with spaces, so a
     * span's key hash is its tokens' hashes joined (strmap.h). */
    uint64_t *hkey, *hfold;
    span *sents; /* sentence spans, owned by the arena */
    size_t n_sents;
} tokens;

/* Tokenizes s[0..len) (valid UTF-8) and hashes the tokens. Returns 0, or
 * -1 when the arena is exhausted. */
int text_tokenize(arena *a, const char *s, size_t len, tokens *out);

/* The first token of tk starting at or after byte offset off, or tk->n (binary search: tokens are in
 * text order). */
size_t text_token_at(const tokens *tk, size_t off);

/* True when the word (len bytes) is a known abbreviation that keeps its dot
 * ("Gen", "Aug", "Wisc" - without the dot). */
bool text_is_abbreviation(const char *w, size_t len);

/* True when s (len bytes, no NUL needed) is one of the n words, which are
 * sorted in strcmp order. */
bool text_in_sorted(const char *const *words, size_t n, const char *s, size_t len);

/* For the unit test: the abbreviation table is sorted for binary search, no
 * entry is longer than the tokenizer's quick length check allows, and the
 * first-letter-and-length filter in front of the search is exactly the table's. */
bool text_abbreviations_sorted(void);

/* Writes the ASCII-lower-cased, quote-folded form of s into out (cap bytes)
 * and returns its length (truncated to cap-1). Curly apostrophes become '. */
size_t text_fold(const char *s, size_t len, char *out, size_t cap);

/* Copies s (len bytes) into out (room for len + 1) as a lookup key: case
 * kept, the curly apostrophe U+2019 written as ' so that "People’s" finds
 * "People's". Returns the key's length. */
size_t text_key_copy(const char *s, size_t len, char *out);

#endif
