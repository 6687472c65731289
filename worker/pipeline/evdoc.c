/* evdoc.c - tokens as symbols, word classes, clauses, mentions and quotation marks; see include/evdoc.h. */
#include "evdoc.h"

#include <string.h>

#include "events.h"

#define GAP_MAX_TOKENS 5 /* a "..." in a pattern spans at most this many tokens */

/* Word classes of the builtin words (ev_word_class in evdoc.h): one load instead of a loop over a
 * list per test. */
const uint16_t ev_word_class[LEX_W_COUNT_] = {
    [LEX_W_IN] = WC_PREP | WC_IN_AT,
    [LEX_W_AT] = WC_PREP | WC_IN_AT,
    [LEX_W_FROM] = WC_PREP,
    [LEX_W_ON] = WC_PREP | WC_TARGET_PREP,
    [LEX_W_DURING] = WC_PREP,
    [LEX_W_BY] = WC_PREP,
    [LEX_W_WITH] = WC_PREP | WC_TARGET_PREP,
    [LEX_W_OF] = WC_PREP | WC_TARGET_PREP,
    [LEX_W_FOR] = WC_PREP | WC_TARGET_PREP,
    [LEX_W_TO] = WC_PREP | WC_TARGET_PREP,
    [LEX_W_AGAINST] = WC_TARGET_PREP,
    [LEX_W_BETWEEN] = WC_PREP,
    [LEX_W_AFTER] = WC_PREP | WC_SUBORD,
    [LEX_W_BEFORE] = WC_PREP | WC_SUBORD,
    [LEX_W_AS] = WC_PREP | WC_SUBORD,
    [LEX_W_WHILE] = WC_SUBORD,
    [LEX_W_WHEN] = WC_SUBORD,
    [LEX_W_THE] = WC_DET,
    [LEX_W_A] = WC_DET,
    [LEX_W_AN] = WC_DET,
    [LEX_W_THIS] = WC_DET,
    [LEX_W_THESE] = WC_DET,
    [LEX_W_THOSE] = WC_DET,
    [LEX_W_ITS] = WC_DET,
    [LEX_W_HIS] = WC_DET,
    [LEX_W_HER] = WC_DET,
    [LEX_W_THEIR] = WC_DET,
    [LEX_W_OUR] = WC_DET,
    [LEX_W_MY] = WC_DET,
    [LEX_W_YOUR] = WC_DET,
    [LEX_W_POSS] = WC_DET,
    [LEX_W_ANY] = WC_DET,
    [LEX_W_EACH] = WC_DET,
    [LEX_W_EVERY] = WC_DET,
    [LEX_W_NO] = WC_DET,
    [LEX_W_FIRST] = WC_DET,
    [LEX_W_NEW] = WC_DET,
    [LEX_W_WILL] = WC_VERB_CONTEXT | WC_AUX | WC_COORD_AUX,
    [LEX_W_WOULD] = WC_VERB_CONTEXT | WC_AUX | WC_COORD_AUX,
    [LEX_W_CAN] = WC_VERB_CONTEXT | WC_AUX,
    [LEX_W_COULD] = WC_VERB_CONTEXT | WC_AUX | WC_COORD_AUX,
    [LEX_W_SHOULD] = WC_VERB_CONTEXT | WC_AUX,
    [LEX_W_MAY] = WC_VERB_CONTEXT | WC_AUX,
    [LEX_W_MIGHT] = WC_VERB_CONTEXT | WC_AUX,
    [LEX_W_MUST] = WC_VERB_CONTEXT | WC_AUX,
    [LEX_W_HE] = WC_VERB_CONTEXT,
    [LEX_W_SHE] = WC_VERB_CONTEXT,
    [LEX_W_THEY] = WC_VERB_CONTEXT,
    [LEX_W_WE] = WC_VERB_CONTEXT,
    [LEX_W_I] = WC_VERB_CONTEXT,
    [LEX_W_YOU] = WC_VERB_CONTEXT,
    [LEX_W_NT] = WC_VERB_CONTEXT | WC_AUX | WC_COORD_AUX,
    [LEX_W_NOT] = WC_VERB_CONTEXT | WC_AUX | WC_COORD_AUX,
    [LEX_W_WHO] = WC_VERB_CONTEXT,
    [LEX_W_HAVE] = WC_AUX | WC_COORD_AUX,
    [LEX_W_BE] = WC_AUX | WC_COORD_AUX,
    [LEX_W_DO] = WC_AUX | WC_COORD_AUX,
    [LEX_W_ALSO] = WC_AUX | WC_COORD_AUX,
    [LEX_W_THEN] = WC_AUX | WC_COORD_AUX,
    [LEX_W_AND] = WC_AND_BUT,
    [LEX_W_TODAY] = WC_DAY_WORD,
    [LEX_W_YESTERDAY] = WC_DAY_WORD,
    [LEX_W_TOMORROW] = WC_DAY_WORD,
    [LEX_W_NEXT] = WC_NEXT_LAST,
    [LEX_W_LAST] = WC_NEXT_LAST,
    [LEX_W_WEEK] = WC_PERIOD,
    [LEX_W_MONTH] = WC_PERIOD,
    [LEX_W_YEAR] = WC_PERIOD,
    [LEX_W_BUT] = WC_AND_BUT,
};

bool ev_is_name_word(const char *body, const tokens *tk, size_t i)
{
    const token *t = &tk->t[i], *p = i > 0 ? &tk->t[i - 1] : NULL;
    if (!(t->flags & TOKF_CAP) || !p || p->sent != t->sent || (p->flags & TOKF_QUOTE))
        return false;
    return !(p->end - p->start == 3 && !memcmp(body + p->start, "\xE2\x80\x94", 3));
}

/* A capitalised word inside a sentence (ev_is_name_word), inlined for the lemma pass. */
static inline bool name_word(const char *body, const tokens *tk, size_t i)
{
    const token *t = &tk->t[i];
    if (!(t->flags & TOKF_CAP) || i == 0)
        return false;
    const token *p = &tk->t[i - 1];
    if (p->sent != t->sent || (p->flags & TOKF_QUOTE))
        return false;
    return !(p->end - p->start == 3 && !memcmp(body + p->start, "\xE2\x80\x94", 3));
}

const form_entry *events_lemmas(arena *a, const lexicons *lx, const char *body, const tokens *tk)
{
    form_entry *lex = arena_alloc_raw(a, (tk->n + 1) * sizeof *lex);
    if (!lex)
        return NULL;
    for (size_t i = 0; i < tk->n; i++) {
        const token *t = &tk->t[i];
        size_t n = t->end - t->start;
        char fold[64];
        if (t->kind != TOK_WORD || n >= sizeof fold || name_word(body, tk, i)) {
            lex[i] = (form_entry){0, 0, INFL_NONE};
            continue;
        }
        if (!(t->flags & TOKF_NONASCII)) { /* folding changes only its case: look it up by its folded hash */
            lex[i] = lexicon_form_by_hash(lx, tk->hfold[i]);
            continue;
        }
        size_t fl = text_fold(body + t->start, n, fold, sizeof fold);
        lex[i] = lexicon_form_hashed(lx, tk->hfold[i], fold, fl);
    }
    return lex;
}

bool ev_people_of_subject(const ev_ctx *C, size_t s, size_t cs)
{
    size_t p = s;
    while (p > cs && ev_is_determiner(C, p - 1))
        p--;
    if (p < cs + 2 || !(is_w(C, p - 1, LEX_W_OF) || is_w(C, p - 1, LEX_W_FROM) || is_w(C, p - 1, LEX_W_FOR)))
        return false;
    form_entry f = ev_any_form(C, p - 2);
    if (!C->lx->sym_people[f.lemma] && !C->lx->sym_people[f.form])
        return false;
    size_t n = p - 2; /* the noun phrase before it starts the clause: "Senior leaders of" */
    for (size_t k = cs; k < n; k++)
        if (!ev_is_determiner(C, k) && C->tk->t[k].kind == TOK_WORD && ent_at(C, k) >= 0)
            return false;
    return n <= cs + 2 && !(n > cs && ev_is_prep(C, cs));
}

form_entry ev_any_form(const ev_ctx *C, size_t k)
{
    const token *t = &C->tk->t[k];
    char fold[64];
    if (C->lex[k].lemma || t->kind != TOK_WORD || t->end - t->start >= sizeof fold)
        return C->lex[k];
    if (!(t->flags & TOKF_NONASCII)) /* as events_lemmas: by the token's folded hash */
        return lexicon_form_by_hash(C->lx, C->tk->hfold[k]);
    size_t n = text_fold(C->body + t->start, t->end - t->start, fold, sizeof fold);
    return lexicon_form(C->lx, fold, n);
}

size_t ev_token_at(const ev_ctx *C, uint32_t off) { return text_token_at(C->tk, off); }

long ev_match_words(const ev_ctx *C, size_t i, const int32_t *words, int n)
{
    size_t k = i;
    for (int w = 0; w < n; w++) {
        if (words[w] == LEX_GAP) {
            int32_t next = words[++w]; /* patterns never end with a gap (loader) */
            size_t lim = k + GAP_MAX_TOKENS + 1;
            while (k < C->tk->n && k < lim && same_sent(C, k, i) && !is_w(C, k, next))
                k++;
            if (k >= C->tk->n || k >= lim || !same_sent(C, k, i))
                return -1;
            k++;
            continue;
        }
        if (k >= C->tk->n || !same_sent(C, k, i) || !is_w(C, k, words[w]))
            return -1;
        k++;
    }
    return (long)k - 1;
}

size_t ev_mention_start(const ev_ctx *C, size_t k, size_t first)
{
    int e = ent_at(C, k);
    while (k > first && ent_at(C, k - 1) == e)
        k--;
    return k;
}

size_t ev_mention_end(const ev_ctx *C, size_t k, size_t last)
{
    int e = ent_at(C, k);
    while (k < last && ent_at(C, k + 1) == e)
        k++;
    return k;
}

bool ev_after_prep(const ev_ctx *C, size_t s, size_t lo)
{
    size_t k = s;
    while (k > lo && ev_is_determiner(C, k - 1))
        k--;
    return k > lo && ev_is_prep(C, k - 1);
}

size_t ev_clause_start(const ev_ctx *C, size_t first, size_t trig)
{
    for (size_t k = trig; k-- > first;)
        if (ev_is_clause_break(C, k))
            return k + 1;
    return first;
}

size_t ev_clause_end(const ev_ctx *C, size_t trig, size_t last)
{
    for (size_t k = trig + 1; k <= last; k++)
        if (ev_is_clause_break(C, k))
            return k;
    return last + 1;
}

bool ev_only_auxiliaries(const ev_ctx *C, size_t from, size_t to)
{
    if (to > from + 3)
        return false;
    for (size_t k = from; k < to; k++) {
        const token *t = &C->tk->t[k];
        bool ly = t->kind == TOK_WORD && t->end - t->start > 3 && !memcmp(C->body + t->end - 2, "ly", 2);
        if (!(ly || (word_class(C, k) & WC_AUX)))
            return false;
    }
    return true;
}

bool ev_verb_group(const ev_ctx *C, size_t from, size_t to)
{
    if (to > from + VERB_GROUP_TOKENS)
        return false;
    for (size_t k = from; k < to; k++) {
        const token *t = &C->tk->t[k];
        bool ed = t->kind == TOK_WORD && t->end - t->start > 3 && !memcmp(C->body + t->end - 2, "ed", 2);
        if (!ev_only_auxiliaries(C, k, k + 1) && !is_w(C, k, LEX_W_TO) && !ed)
            return false;
    }
    return true;
}

bool ev_coordinated_verb(const ev_ctx *C, size_t cs, size_t ts)
{
    size_t k = ts;
    /* "and has demanded", "but did not commit", "and also warned" */
    while (k > cs && ts - k < 3 && (word_class(C, k - 1) & WC_COORD_AUX))
        k--;
    return k > cs && (word_class(C, k - 1) & WC_AND_BUT);
}

size_t ev_folded(const ev_ctx *C, size_t k, char *out, size_t cap)
{
    const token *t = &C->tk->t[k];
    if (t->kind != TOK_WORD || t->end - t->start >= cap)
        return 0;
    return text_fold(C->body + t->start, t->end - t->start, out, cap);
}

int ev_compute_quoted(ev_ctx *C)
{
    const tokens *tk = C->tk;
    C->in_quote = arena_alloc(C->a, tk->n + 1);
    if (!C->in_quote)
        return -1;
    for (size_t i = 0; i < tk->n; i++) {
        if (!(tk->t[i].flags & TOKF_OPENQ) || !ev_is_double_quote(C->body, &tk->t[i], true))
            continue;
        size_t j = i + 1;
        while (j < tk->n && !((tk->t[j].flags & TOKF_CLOSEQ) && ev_is_double_quote(C->body, &tk->t[j], false)))
            j++;
        if (j >= tk->n)
            continue;
        memset(C->in_quote + i + 1, 1, j - i - 1);
        i = j;
    }
    return 0;
}

bool ev_is_double_quote(const char *body, const token *t, bool open)
{
    return body[t->start] == '"' ||
           (t->end - t->start == 3 && !memcmp(body + t->start, open ? "\xE2\x80\x9C" : "\xE2\x80\x9D", 3));
}
