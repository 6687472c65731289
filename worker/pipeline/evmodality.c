/* evmodality.c - modality cues and scopes; see include/evmodality.h. */
#include "evmodality.h"

#define NOUN_PREDICATE_WINDOW 8  /* tokens after a nominal trigger that hold its predicate */
#define MODALITY_WINDOW_TOKENS 40 /* cues farther before the trigger do not govern it */

int ev_compute_cues(ev_ctx *C)
{
    size_t n = C->tk->n;
    for (int m = 0; m < LEX_CUE_CLASSES; m++) {
        C->cue_len[m] = arena_alloc_raw(C->a, n + 1);
        if (!C->cue_len[m])
            return -1;
    }
    C->cue_bits = arena_alloc_raw(C->a, n + 1);
    C->cue_done = arena_alloc(C->a, C->tk->n_sents + 1);
    return C->cue_bits && C->cue_done ? 0 : -1;
}

/* The cues starting at token k, for each class the end of the shortest one. */
static void cues_at(const ev_ctx *C, size_t k)
{
    const form_entry *f = &C->lex[k];
    unsigned heads_bits = C->heads[k];
    C->cue_bits[k] = 0;
    /* a word that names an entity is no cue ("May said" once May is a person) */
    if (!(heads_bits & ~LEX_HEAD_TRIGGER) || C->es->tok_entity[k] >= 0)
        return;
    for (int m = 0; m < LEX_CUE_CLASSES; m++) {
        if (!(heads_bits & (1u << (1 + m))))
            continue;
        long best = -1;
        int32_t heads[2] = {f->lemma, f->form != f->lemma ? f->form : 0};
        for (int h = 0; h < 2; h++) {
            if (!heads[h])
                continue;
            for (int ci = C->lx->cue_head[m][heads[h]]; ci >= 0; ci = C->lx->cues[m][ci].next) {
                const cue *c = &C->lx->cues[m][ci];
                long end = may_match(C, k, c->words, c->n_words) ? ev_match_words(C, k, c->words, c->n_words) : -1;
                if (end >= 0 && (best < 0 || end < best))
                    best = end;
            }
        }
        if (best >= 0) {
            C->cue_len[m][k] = (uint8_t)(best - (long)k);
            C->cue_bits[k] |= (uint8_t)(1u << m);
        }
    }
}

void ev_cues_of(const ev_ctx *C, size_t k)
{
    uint32_t s = C->tk->t[k].sent;
    for (size_t j = sentence_first(C, k); j < C->tk->n && C->tk->t[j].sent == s; j++)
        cues_at(C, j);
    C->cue_done[s] = 1;
}

/* A cue of class m starts in [from, to) and ends before end; cues inside quotation marks are
 * the speaker's words and qualify nothing outside them. With complements false, a cue that ends
 * in to/of/that ("accuse ... of", "threaten to", "call on ... to") does not count: it governs its
 * own complement only. */
static bool cue_between(const ev_ctx *C, int m, size_t from, size_t to, size_t end, bool complements)
{
    if (from >= to)
        return false;
    ev_cue_end(C, m, from); /* the sentences' cues are found */
    ev_cue_end(C, m, to - 1);
    for (size_t k = from; k < to; k++) {
        if (!((C->cue_bits[k] >> m) & 1))
            continue;
        int32_t ce = (int32_t)(k + C->cue_len[m][k]);
        if ((size_t)ce >= end || (C->in_quote && C->in_quote[k]))
            continue;
        if (!complements && (is_w(C, (size_t)ce, LEX_W_TO) || is_w(C, (size_t)ce, LEX_W_OF) ||
                             is_w(C, (size_t)ce, LEX_W_THAT)))
            continue;
        return true;
    }
    return false;
}

static bool cue_in(const ev_ctx *C, int m, size_t from, size_t to) { return cue_between(C, m, from, to, to, true); }

/* Token k opens a subordinate clause with a subject of its own before the trigger: "after Kim
 * met", "before Saudi Arabia met", a relative clause after a plural noun ("the jets that Kyiv has
 * requested"); not a complement ("denied that Russia attacked" stays under "denied"). */
static bool opens_subordinate(const ev_ctx *C, size_t k, size_t trig)
{
    if (k + 1 >= trig)
        return false;
    bool pronoun = is_w(C, k + 1, LEX_W_IT) || is_w(C, k + 1, LEX_W_THEY) || is_w(C, k + 1, LEX_W_HE) ||
                   is_w(C, k + 1, LEX_W_SHE);
    if (!pronoun && ent_at(C, k + 1 + ev_is_determiner(C, k + 1)) < 0)
        return false;
    if (ev_is_subordinator(C, k))
        return true; /* "as it had hinted during negotiations" */
    if (!(is_w(C, k, LEX_W_THAT) || is_w(C, k, LEX_W_WHICH)) || k == 0 || C->tk->t[k - 1].kind != TOK_WORD)
        return false;
    /* a plural noun before it ("jets that", "missiles which"), or a verb whose object is the gap
     * ("the body that the Taliban had promised."); "denied again that Russia was planning to
     * invade Ukraine" is a complement */
    bool gap = trig + 1 < C->tk->n && (C->tk->t[trig + 1].kind == TOK_PUNCT || ev_is_prep(C, trig + 1));
    for (size_t j = k > 6 ? k - 6 : 0; j < k; j++)
        for (int m = 0; m < LEX_CUE_CLASSES; m++)
            if (ev_cue_end(C, m, j) >= 0 && (size_t)ev_cue_end(C, m, j) + 3 >= k)
                return false; /* a cue right before it governs the clause: "denied again that" */
    return (C->lex[k - 1].infl == INFL_S && !C->lx->sym_heads[C->lex[k - 1].form]) || gap;
}

modality ev_find_modality(const ev_ctx *C, size_t first, size_t trig, size_t trig_end, size_t last, bool noun,
                              bool speech)
{
    if (trig > first + MODALITY_WINDOW_TOKENS)
        first = trig - MODALITY_WINDOW_TOKENS;
    /* most events have no cue anywhere near: asserted, whatever the clauses */
    size_t stop = noun ? ev_clause_end(C, trig_end, last) : trig;
    if (stop > trig_end + 1 + NOUN_PREDICATE_WINDOW)
        stop = trig_end + 1 + NOUN_PREDICATE_WINDOW;
    if (stop < trig)
        stop = trig;
    if (stop <= first)
        return MOD_ASSERTED; /* nothing before the trigger, nothing after it */
    /* a cue starts with a cue head word: none in the window, no cue (and no cue search) */
    unsigned heads = 0;
    for (size_t k = first; k < stop; k++)
        heads |= C->heads[k];
    if (!(heads & ~LEX_HEAD_TRIGGER))
        return MOD_ASSERTED;
    ev_cue_end(C, 0, first);
    ev_cue_end(C, 0, stop - 1);
    unsigned any = 0;
    for (size_t k = first; k < stop; k++)
        any |= C->cue_bits[k];
    if (!any)
        return MOD_ASSERTED;
    size_t clause = ev_clause_start(C, first, trig), own_clause = clause;
    /* "may have benefited ... after Kim met Putin": a subordinate clause with its own subject is
     * its own scope; "will fly home after meeting X" (no subject) stays in the outer one */
    for (size_t k = trig; k-- > clause;)
        if (opens_subordinate(C, k, trig)) {
            clause = own_clause = k + 1;
            break;
        }
    /* "warned that X would not ... and said": a coordinated verb starts its own clause */
    if (ev_coordinated_verb(C, clause, trig))
        for (size_t k = trig; k-- > clause;)
            if (is_w(C, k, LEX_W_AND) || is_w(C, k, LEX_W_BUT)) {
                clause = k + 1;
                break;
            }
    /* a nominal trigger takes its modality from the predicate after it too:
     * "a meeting between X and Y could take place", "recognition should come" */
    size_t after = trig_end + 1, after_stop = trig_end + 1;
    if (noun) {
        after_stop = ev_clause_end(C, trig_end, last);
        if (after_stop > trig_end + 1 + NOUN_PREDICATE_WINDOW)
            after_stop = trig_end + 1 + NOUN_PREDICATE_WINDOW;
        /* "ended a summit on Sunday promising to ...": a participle starts another predicate */
        for (size_t k = after; k < after_stop; k++)
            if (C->lex[k].infl == INFL_ING) {
                after_stop = k;
                break;
            }
    }
    if (cue_in(C, CUE_NEGATED, clause, trig) || (noun && cue_in(C, CUE_NEGATED, after, after_stop)))
        return MOD_NEGATED;
    /* "accused the G7 of interfering and said ...": a speech act coordinated after a complement cue
     * is outside it; a modal ("could attack and seize") governs both verbs */
    if (cue_in(C, CUE_CONDITION, first, trig) || cue_in(C, CUE_HYPOTHETICAL, clause, trig) ||
        cue_between(C, CUE_HYPOTHETICAL, own_clause, clause, trig, !speech) ||
        (noun && (cue_in(C, CUE_HYPOTHETICAL, after, after_stop) || cue_in(C, CUE_CONDITION, after, after_stop))))
        return MOD_HYPOTHETICAL;
    if (cue_in(C, CUE_PLANNED, clause, trig) || (noun && cue_in(C, CUE_PLANNED, after, after_stop)))
        return MOD_PLANNED;
    return MOD_ASSERTED;
}
