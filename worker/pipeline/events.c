/* events.c - triggers, arguments, modality, time and quotes; see include/events.h.
 *
 * Everything compares integer symbol ids: each token gets its form and
 * lemma id once (events_lemmas), modality cues are found once per token
 * through the lexicon's first-word index (cue_end), and per event the rules
 * only walk the few tokens around the trigger.
 */
#include "events.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dates.h"

#define GAP_MAX_TOKENS 5          /* a "..." in a pattern spans at most this many tokens */
#define NOUN_PREDICATE_WINDOW 8   /* tokens after a nominal trigger that hold its predicate */
#define MODALITY_WINDOW_TOKENS 40 /* cues farther before the trigger do not govern it */
#define ARGUMENT_WINDOW_TOKENS 60 /* actor, target, place and time lie within this of the trigger */
#define MAX_TARGETS 8             /* "met A, B, C and D": one event per listed target, at most this many */
#define POSSESSOR_REACH 3         /* "Iran's new government demanding": possessor up to 3 words back */

typedef struct ev_ctx {
    arena *a;
    const lexicons *lx;
    const pipeline_limits *lim;
    const char *body;
    const tokens *tk;
    const entity_set *es;
    const char *published_at;
    const form_entry *lex; /* per token: form and lemma ids */
    int32_t *cue_end[LEX_CUE_CLASSES]; /* per token: last token of the shortest cue of that class starting there, or -1 */
    int *country_of;       /* per entity: the country entity a demonym or capital stands for; -2 until first asked */
    int32_t *time_end;     /* per token of the sentences scanned so far: end of a time expression, or -1 */
    int8_t *official;      /* per entity: speaks as an official (1/0), -1 until first asked */
    long times_sent;       /* the sentence time_end was last filled for */
    uint8_t *in_quote;     /* per token: inside quotation marks (the quoted person's words, not reported events) */
    event *ev;
    size_t n, cap;
    ingest_error *err;
} ev_ctx;

/* ---- tokens as symbols -------------------------------------------------------- */

static bool is_w(const ev_ctx *C, size_t k, int32_t w) { return C->lex[k].lemma == w || C->lex[k].form == w; }

/* A capitalised word inside a sentence is a name or title ("Secretary of
 * State"), never a trigger, cue or speech verb; after an opening quotation
 * mark or a dateline's dash ("VIENNA — Negotiations resumed") it starts a clause. */
static bool is_name_word(const char *body, const tokens *tk, size_t i)
{
    const token *t = &tk->t[i], *p = i > 0 ? &tk->t[i - 1] : NULL;
    if (!(t->flags & TOKF_CAP) || !p || p->sent != t->sent || (p->flags & TOKF_QUOTE))
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
        if (t->kind != TOK_WORD || n >= sizeof fold || is_name_word(body, tk, i)) {
            lex[i] = (form_entry){0, 0, INFL_NONE};
            continue;
        }
        if (!(t->flags & TOKF_NONASCII)) { /* folding changes only its case: look it up by its folded hash */
            lex[i] = lexicon_form_hashed(lx, tk->hfold[i], body + t->start, n);
            continue;
        }
        size_t fl = text_fold(body + t->start, n, fold, sizeof fold);
        lex[i] = lexicon_form_hashed(lx, tk->hfold[i], fold, fl);
    }
    return lex;
}

static bool same_sent(const ev_ctx *C, size_t a, size_t b) { return C->tk->t[a].sent == C->tk->t[b].sent; }

/* The first token starting at or after byte offset off (binary search; tokens are in text order). */
static size_t token_at(const ev_ctx *C, uint32_t off)
{
    size_t lo = 0, hi = C->tk->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (C->tk->t[mid].start < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Matches pattern words (LEX_GAP: up to GAP_MAX_TOKENS tokens, stopping at
 * the first token equal to the next word) from token i within its sentence;
 * returns the last matched token or -1. */
static long match_words(const ev_ctx *C, size_t i, const int32_t *words, int n)
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

/* For every token and modality class, the end of the shortest cue starting
 * there: computed once per article, so that a cue search is an int compare. */
static int compute_cues(ev_ctx *C)
{
    size_t n = C->tk->n;
    for (int m = 0; m < LEX_CUE_CLASSES; m++) {
        C->cue_end[m] = arena_alloc_raw(C->a, (n + 1) * sizeof *C->cue_end[m]);
        if (!C->cue_end[m])
            return -1;
    }
    for (size_t k = 0; k < n; k++) {
        const form_entry *f = &C->lex[k];
        unsigned heads_bits = C->lx->sym_heads[f->lemma] | C->lx->sym_heads[f->form];
        for (int m = 0; m < LEX_CUE_CLASSES; m++)
            C->cue_end[m][k] = -1;
        if (!(heads_bits & ~LEX_HEAD_TRIGGER))
            continue;
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
                    long end = match_words(C, k, c->words, c->n_words);
                    if (end >= 0 && (best < 0 || end < best))
                        best = end;
                }
            }
            C->cue_end[m][k] = (int32_t)best;
        }
    }
    return 0;
}

/* A cue of class m starts in [from, to) and ends before to; cues inside
 * quotation marks are the speaker's words and qualify nothing outside them. */
static bool cue_in(const ev_ctx *C, int m, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++)
        if (C->cue_end[m][k] >= 0 && (size_t)C->cue_end[m][k] < to && !(C->in_quote && C->in_quote[k]))
            return true;
    return false;
}

/* ---- entities ---------------------------------------------------------------- */

static bool actor_like(entity_type t) { return t == ENT_PERSON || t == ENT_ORG || t == ENT_GPE || t == ENT_NORP; }
static bool place_like(entity_type t) { return t == ENT_GPE || t == ENT_LOC || t == ENT_FAC; }
static int ent_at(const ev_ctx *C, size_t k) { return C->es->tok_entity[k]; }
static entity_type ent_type(const ev_ctx *C, int e) { return C->es->ents[e].type; }

/* Demonyms and capitals stand for their country's government when the
 * article names the country ("American officials met ..." and "Washington
 * said" -> United States, "Riyadh broke off relations" -> Saudi Arabia),
 * the way event datasets code actors by country; otherwise the entity itself. */
static int compute_countries(ev_ctx *C)
{
    C->country_of = arena_alloc_raw(C->a, (C->es->n + 1) * sizeof *C->country_of);
    C->official = arena_alloc_raw(C->a, C->es->n + 1);
    if (!C->country_of || !C->official)
        return -1;
    for (size_t e = 0; e < C->es->n; e++) {
        C->country_of[e] = -2; /* resolved on first use: most entities never take part in an event */
        C->official[e] = -1;
    }
    return 0;
}

static int as_participant(const ev_ctx *C, int e)
{
    if (e < 0)
        return -1;
    if (C->country_of[e] != -2)
        return C->country_of[e];
    const entity_set *es = C->es;
    const lexicons *lx = C->lx;
    int g, c, r = e;
    const char *want = NULL;
    if (es->ents[e].id && strmap_get(&lx->gaz_by_id, es->ents[e].id, strlen(es->ents[e].id), &g)) {
        if (es->ents[e].type == ENT_NORP)
            want = lx->gaz[g].demonym_of;
        else if (es->ents[e].type == ENT_GPE && lx->gaz[g].capital_of &&
                 strmap_get(&lx->country_by_iso3, lx->gaz[g].capital_of, strlen(lx->gaz[g].capital_of), &c))
            want = lx->gaz[c].id;
    }
    for (size_t k = 0; want && k < es->n; k++)
        if (es->ents[k].type == ENT_GPE && es->ents[k].id && !strcmp(es->ents[k].id, want))
            r = (int)k;
    C->country_of[e] = r; /* a cache: the ctx's table, not the entities, changes */
    return r;
}

/* First token of the entity mention holding token k. */
static size_t mention_start(const ev_ctx *C, size_t k, size_t first)
{
    int e = ent_at(C, k);
    while (k > first && ent_at(C, k - 1) == e)
        k--;
    return k;
}

static size_t mention_end(const ev_ctx *C, size_t k, size_t last)
{
    int e = ent_at(C, k);
    while (k < last && ent_at(C, k + 1) == e)
        k++;
    return k;
}

/* Prepositions whose object is not a clause's subject. */
static bool is_prep(const ev_ctx *C, size_t k)
{
    static const int32_t preps[] = {LEX_W_IN, LEX_W_AT, LEX_W_FROM, LEX_W_ON, LEX_W_DURING, LEX_W_BY, LEX_W_WITH,
                                    LEX_W_OF, LEX_W_FOR, LEX_W_TO, LEX_W_BETWEEN, LEX_W_AFTER, LEX_W_BEFORE,
                                    LEX_W_AS};
    for (size_t i = 0; i < sizeof preps / sizeof *preps; i++)
        if (is_w(C, k, preps[i]))
            return true;
    return false;
}

static bool is_determiner(const ev_ctx *C, size_t k);

/* The mention starting at token s is the object of a preposition ("for the
 * Chinese Foreign Ministry", "in Kabul"), determiners between. */
static bool after_prep(const ev_ctx *C, size_t s, size_t lo)
{
    size_t k = s;
    while (k > lo && is_determiner(C, k - 1))
        k--;
    return k > lo && is_prep(C, k - 1);
}

static bool is_determiner(const ev_ctx *C, size_t k)
{
    static const int32_t dets[] = {LEX_W_THE,   LEX_W_A,    LEX_W_AN,  LEX_W_THIS, LEX_W_THESE, LEX_W_THOSE,
                                   LEX_W_ITS,   LEX_W_HIS,  LEX_W_HER, LEX_W_THEIR, LEX_W_OUR,  LEX_W_MY,
                                   LEX_W_YOUR,  LEX_W_POSS, LEX_W_ANY, LEX_W_EACH, LEX_W_EVERY, LEX_W_NO,
                                   LEX_W_FIRST, LEX_W_NEW};
    for (size_t i = 0; i < sizeof dets / sizeof *dets; i++)
        if (C->lex[k].form == dets[i])
            return true;
    return false;
}

/* A modal or a subject pronoun before a word makes it a verb ("they talk"). */
static bool is_verb_context(const ev_ctx *C, size_t k)
{
    static const int32_t ws[] = {LEX_W_WILL, LEX_W_WOULD, LEX_W_CAN,  LEX_W_COULD, LEX_W_SHOULD, LEX_W_MAY,
                                 LEX_W_MIGHT, LEX_W_MUST, LEX_W_HE,  LEX_W_SHE,   LEX_W_THEY,   LEX_W_WE,
                                 LEX_W_I,    LEX_W_YOU,  LEX_W_NT,  LEX_W_NOT,   LEX_W_WHO};
    for (size_t i = 0; i < sizeof ws / sizeof *ws; i++)
        if (C->lex[k].form == ws[i])
            return true;
    return false;
}

static bool is_punct(const ev_ctx *C, size_t k, char c)
{
    const token *t = &C->tk->t[k];
    return t->kind == TOK_PUNCT && t->end - t->start == 1 && C->body[t->start] == c;
}

static bool is_dash(const ev_ctx *C, size_t k)
{
    const token *t = &C->tk->t[k];
    return t->end - t->start == 3 && !memcmp(C->body + t->start, "\xE2\x80\x94", 3);
}

/* A , ; : ( or em dash: the edge of a clause, an apposition or a list item. */
static bool is_clause_break(const ev_ctx *C, size_t k)
{
    return is_punct(C, k, ',') || is_punct(C, k, ';') || is_punct(C, k, ':') || is_punct(C, k, '(') ||
           is_punct(C, k, ')') || is_dash(C, k);
}

/* First token of the clause holding token trig (after the last break), not before first. */
static size_t clause_start(const ev_ctx *C, size_t first, size_t trig)
{
    for (size_t k = trig; k-- > first;)
        if (is_clause_break(C, k))
            return k + 1;
    return first;
}

/* First token at or after trig that is a clause break, or last + 1. */
static size_t clause_end(const ev_ctx *C, size_t trig, size_t last)
{
    for (size_t k = trig + 1; k <= last; k++)
        if (is_clause_break(C, k))
            return k;
    return last + 1;
}

#define PRONOUN_REACH_TOKENS 600 /* he/she refer to a person named within this many tokens (a few paragraphs) */

/* Last PERSON mentioned before token i (for he/she), within PRONOUN_REACH_TOKENS. */
static int last_person_before(const ev_ctx *C, size_t i)
{
    size_t stop = i > PRONOUN_REACH_TOKENS ? i - PRONOUN_REACH_TOKENS : 0;
    while (i-- > stop) {
        int e = ent_at(C, i);
        if (e >= 0 && ent_type(C, e) == ENT_PERSON)
            return e;
    }
    return -1;
}

/* A name standing in apposition after a role: "Russia's envoy, Mikhail
 * Ulyanov," and "Qatar's foreign minister, Sheikh X" name the person. From
 * the mention ending at token k: if "'s" + up to 4 words + "," + a PERSON
 * follow, that PERSON; else the entity itself. */
static int resolve_role(const ev_ctx *C, int e, size_t k, size_t last)
{
    if (k + 1 > last || C->lex[k + 1].form != LEX_W_POSS)
        return e;
    /* "China's Foreign Ministry", "Russia's Security Council": the body named right after */
    if (k + 2 <= last && ent_at(C, k + 2) >= 0 && ent_at(C, k + 2) != e && ent_type(C, ent_at(C, k + 2)) == ENT_ORG)
        return ent_at(C, k + 2);
    bool titled = true; /* only capitalised title words between: "Russia's Vladimir Putin", "Iran's Foreign Minister X" */
    for (size_t j = k + 2; j <= last && j <= k + 8; j++) {
        if (ent_at(C, j) >= 0 && ent_type(C, ent_at(C, j)) == ENT_PERSON)
            return (j > k + 2 && is_punct(C, j - 1, ',')) || titled ? ent_at(C, j) : e;
        if (C->tk->t[j].kind == TOK_PUNCT && !is_punct(C, j, ','))
            break;
        titled &= (C->tk->t[j].flags & TOKF_CAP) != 0;
    }
    return e;
}

/* A nationality or country before a named person is part of the person's
 * title ("British Prime Minister Boris Johnson"): the person is meant. */
static int prefer_titled_person(const ev_ctx *C, int e, size_t k, size_t last)
{
    if (ent_type(C, e) == ENT_PERSON)
        return e;
    for (size_t j = k + 1; j <= last && j <= k + 5; j++) {
        int f = ent_at(C, j);
        if (f >= 0 && f != e)
            return ent_type(C, f) == ENT_PERSON ? f : e;
        /* "his Iranian counterpart, Hossein Amir-Abdollahian": the role's name in apposition */
        if (j > k + 1 && is_punct(C, j, ',') && j + 1 <= last && ent_at(C, j + 1) >= 0 &&
            ent_type(C, ent_at(C, j + 1)) == ENT_PERSON)
            return ent_at(C, j + 1);
        /* title words, capitalised or not ("Egyptian intelligence chief Abbas Kamel"), but no
         * punctuation, preposition, determiner or conjunction */
        if (C->tk->t[j].kind != TOK_WORD || is_prep(C, j) || is_determiner(C, j) || is_w(C, j, LEX_W_AND) ||
            C->lex[j].infl == INFL_ED || C->lex[j].infl == INFL_ING)
            break;
    }
    return e;
}

/* A fronted adverbial segment ("In Moscow,", "On Tuesday,", "Speaking
 * first at a news conference,") rather than the subject noun phrase. */
static bool adverbial_segment(const ev_ctx *C, size_t k)
{
    return is_prep(C, k) || C->lex[k].infl == INFL_ING || is_w(C, k, LEX_W_WHILE) || is_w(C, k, LEX_W_WHEN) ||
           is_w(C, k, LEX_W_BUT) || (C->tk->t[k].kind == TOK_WORD && C->tk->t[k].end - C->tk->t[k].start > 3 &&
                                     !memcmp(C->body + C->tk->t[k].end - 2, "ly", 2));
}

/* The subject noun phrase of the sentence, when the trigger follows an
 * apposition or relative clause ("Zabihullah Mujahid, the group's
 * spokesman, said"): the first segment that is not a fronted adverbial; its
 * first entity that is not a prepositional object, or -1 when it names none
 * ("A senior official, speaking on condition of anonymity, said"). */
static int resolve_pronoun(const ev_ctx *C, size_t k);

static int leading_subject_of(const ev_ctx *C, size_t first, size_t before, int location, bool pronouns)
{
    size_t k = first;
    /* a dateline ("KABUL, Afghanistan — ...") is not part of the sentence */
    for (size_t j = first; j < before && j < first + 8; j++)
        if (is_dash(C, j))
            k = j + 1;
    while (k < before && (C->tk->t[k].flags & TOKF_QUOTE))
        k++;
    /* skip fronted adverbials */
    while (k < before && adverbial_segment(C, k)) {
        size_t end = clause_end(C, k, before - 1);
        if (end >= before)
            return -1;
        k = end + 1;
    }
    size_t seg_end = clause_end(C, k > first ? k - 1 : k, before - 1);
    if (seg_end > before)
        seg_end = before;
    if (k < seg_end && (is_w(C, k, LEX_W_HE) || is_w(C, k, LEX_W_SHE)))
        return pronouns ? resolve_pronoun(C, k) : -1;
    for (; k < seg_end; k++) {
        int e = ent_at(C, k);
        if (e < 0 || e == location || !actor_like(ent_type(C, e)))
            continue;
        size_t s = mention_start(C, k, first), end = mention_end(C, k, before - 1);
        if (after_prep(C, s, first)) {
            k = end;
            continue;
        }
        return resolve_role(C, prefer_titled_person(C, e, end, before - 1), end, before - 1);
    }
    return -1;
}

static int leading_subject(const ev_ctx *C, size_t first, size_t before, int location)
{
    return leading_subject_of(C, first, before, location, true);
}

/* The person a sentence is about: its leading subject when that is a named person. */
static int sentence_subject_person(const ev_ctx *C, size_t sent_first, size_t sent_last)
{
    int e = leading_subject_of(C, sent_first, sent_last + 1, -1, false);
    if (e >= 0)
        return ent_type(C, e) == ENT_PERSON ? e : -1;
    /* a quotation first ("'...,' Stoltenberg told reporters"): the first person named outside it */
    for (size_t k = sent_first; k <= sent_last; k++) {
        int p = ent_at(C, k);
        if (p >= 0 && ent_type(C, p) == ENT_PERSON && !(C->in_quote && C->in_quote[k]) &&
            !after_prep(C, mention_start(C, k, sent_first), sent_first))
            return p;
    }
    return -1;
}

/* "he"/"she" at token k: the person last named as a sentence's subject
 * (in this sentence before k, or the few sentences before), else the last
 * person named at all. */
static int resolve_pronoun(const ev_ctx *C, size_t k)
{
    size_t s_first = k;
    while (s_first > 0 && same_sent(C, s_first - 1, k))
        s_first--;
    int e = k > s_first ? sentence_subject_person(C, s_first, k - 1) : -1;
    if (e >= 0)
        return e;
    size_t end = s_first;
    for (int back = 0; back < 3 && end > 0; back++) {
        size_t last = end - 1, first = last;
        while (first > 0 && same_sent(C, first - 1, last))
            first--;
        e = sentence_subject_person(C, first, last);
        if (e >= 0)
            return e;
        end = first;
    }
    return last_person_before(C, k);
}

/* Tokens [from, to) are at most three auxiliaries or adverbs ("it has also", "they would not"):
 * what precedes them is the verb's subject. */
static bool only_auxiliaries(const ev_ctx *C, size_t from, size_t to)
{
    if (to > from + 3)
        return false;
    for (size_t k = from; k < to; k++) {
        const token *t = &C->tk->t[k];
        bool ly = t->kind == TOK_WORD && t->end - t->start > 3 && !memcmp(C->body + t->end - 2, "ly", 2);
        if (!(ly || is_w(C, k, LEX_W_HAVE) || is_w(C, k, LEX_W_BE) || is_w(C, k, LEX_W_DO) ||
              is_w(C, k, LEX_W_WILL) || is_w(C, k, LEX_W_WOULD) || is_w(C, k, LEX_W_COULD) ||
              is_w(C, k, LEX_W_CAN) || is_w(C, k, LEX_W_MAY) || is_w(C, k, LEX_W_MIGHT) || is_w(C, k, LEX_W_MUST) ||
              is_w(C, k, LEX_W_SHOULD) || is_w(C, k, LEX_W_ALSO) || is_w(C, k, LEX_W_NOT) || is_w(C, k, LEX_W_NT) ||
              is_w(C, k, LEX_W_THEN)))
            return false;
    }
    return true;
}

/* "it"/"they" as a subject at token k: the government, group or body last
 * named as a sentence's subject ("China said on Friday that it was
 * suspending ..."), in this sentence before k or the two before. */
static int resolve_it(const ev_ctx *C, size_t k)
{
    size_t s_first = k;
    while (s_first > 0 && same_sent(C, s_first - 1, k))
        s_first--;
    size_t end = k;
    for (int back = 0; back < 3; back++) {
        size_t first = back == 0 ? s_first : end;
        if (back > 0) {
            if (end == 0)
                break;
            size_t last = end - 1;
            first = last;
            while (first > 0 && same_sent(C, first - 1, last))
                first--;
            end = last + 1;
        }
        if (end > first) {
            int e = leading_subject_of(C, first, end, -1, false);
            if (e >= 0 && ent_type(C, e) != ENT_PERSON)
                return e;
        }
        end = first;
    }
    return -1;
}

/* The trigger follows "and"/"but" (an adverb between) with no subject of its own. */
static bool coordinated_verb(const ev_ctx *C, size_t cs, size_t ts)
{
    size_t k = ts;
    /* "and has demanded", "but did not commit", "and also warned" */
    while (k > cs && ts - k < 3 &&
           (is_w(C, k - 1, LEX_W_ALSO) || is_w(C, k - 1, LEX_W_THEN) || is_w(C, k - 1, LEX_W_HAVE) ||
            is_w(C, k - 1, LEX_W_BE) || is_w(C, k - 1, LEX_W_DO) || is_w(C, k - 1, LEX_W_NOT) ||
            is_w(C, k - 1, LEX_W_NT) || is_w(C, k - 1, LEX_W_WILL) || is_w(C, k - 1, LEX_W_WOULD) ||
            is_w(C, k - 1, LEX_W_COULD)))
        k--;
    return k > cs && (is_w(C, k - 1, LEX_W_AND) || is_w(C, k - 1, LEX_W_BUT));
}

/* The subject of the trigger at ts: the nearest actor-like entity before it
 * in its clause that is not the object of a preposition nor a distant
 * possessor; through a relative pronoun its antecedent; "he"/"she" the last
 * person named; with nothing in the clause, the sentence's leading subject. */
static int find_actor(const ev_ctx *C, size_t first, size_t ts, int location)
{
    size_t cs = clause_start(C, first, ts);
    /* "X warned Madrid ... and accused Y": a coordinated verb shares the sentence's subject */
    if (coordinated_verb(C, cs, ts)) {
        int e = leading_subject(C, first, ts, location);
        if (e >= 0)
            return e;
    }
    for (size_t k = ts; k-- > cs;) {
        if (is_w(C, k, LEX_W_WHO) || is_w(C, k, LEX_W_WHICH)) {
            /* "Qatar, which hosted ...": the antecedent before the comma */
            size_t j = k;
            while (j > first && is_clause_break(C, j - 1))
                j--;
            if (j > first && ent_at(C, j - 1) >= 0 && actor_like(ent_type(C, ent_at(C, j - 1))))
                return ent_at(C, j - 1);
            return -1;
        }
        if (is_w(C, k, LEX_W_HE) || is_w(C, k, LEX_W_SHE))
            return resolve_pronoun(C, k);
        if ((is_w(C, k, LEX_W_IT) || is_w(C, k, LEX_W_THEY)) && only_auxiliaries(C, k + 1, ts))
            return resolve_it(C, k);
        /* "Borrell said the bloc was ready to ...", "it showed that regulators were willing to ...": a
         * reported clause has its own subject after the speech verb or "that"; none named, no actor */
        if (is_w(C, k, LEX_W_SAY) || is_w(C, k, LEX_W_TELL)) {
            /* ... unless a government or body speaks: "France said the conditions were not right to
             * recognize ...", "Turkish diplomats said parliament could refuse ..." speak for it */
            int sp = find_actor(C, first, k, location);
            return sp >= 0 && ent_type(C, sp) != ENT_PERSON ? sp : -1;
        }
        if (is_w(C, k, LEX_W_THAT))
            return -1;
        int e = ent_at(C, k);
        if (e < 0 || e == location || !actor_like(ent_type(C, e)))
            continue;
        size_t s = mention_start(C, k, cs);
        /* "with Iran's new government demanding that ...": the subject of an absolute participle */
        bool absolute = C->lex[ts].infl == INFL_ING && s > cs && is_w(C, s - 1, LEX_W_WITH);
        if (!absolute && after_prep(C, s, cs)) {
            k = s;
            continue;
        }
        /* "the Taliban's political office in Qatar and signed": a possessor far back is an object's modifier */
        if (k + 1 < ts && C->lex[k + 1].form == LEX_W_POSS && ts - k - 1 > POSSESSOR_REACH + 1) {
            k = s;
            continue;
        }
        return resolve_role(C, prefer_titled_person(C, e, mention_end(C, k, ts - 1), ts - 1),
                            mention_end(C, k, ts - 1), ts - 1);
    }
    /* nothing but the verb (and auxiliaries) after a break: the subject precedes an apposition */
    if (cs > first && ts - cs <= 3)
        return leading_subject(C, first, cs, location);
    return -1;
}

static int find_location(const ev_ctx *C, size_t first, size_t last, size_t trig_end, int32_t prep)
{
    int fallback = -1;
    for (size_t k = first; k < last; k++) {
        /* "to" names a place only for triggers that say so ("travel to"); else it is a target ("ambassador to Spain") */
        bool p = prep ? is_w(C, k, prep) : (is_w(C, k, LEX_W_IN) || is_w(C, k, LEX_W_AT));
        if (!p)
            continue;
        size_t j = k + 1;
        if (j <= last && is_w(C, j, LEX_W_THE))
            j++;
        int e = j <= last ? ent_at(C, j) : -1;
        if (e >= 0 && place_like(ent_type(C, e))) {
            if (k >= trig_end)
                return e;
            if (fallback < 0)
                fallback = e;
        }
    }
    return fallback;
}

#define OBJECT_REACH 3 /* words (determiners, adjectives) before the object's name: "an American offer" */

/* Prepositions that introduce a target ("called on China", "accused the G7
 * of", "sanctions on Pelosi", "aid to Afghanistan", "talks with Iran"). */
static bool is_target_prep(const ev_ctx *C, size_t k)
{
    return is_w(C, k, LEX_W_WITH) || is_w(C, k, LEX_W_TO) || is_w(C, k, LEX_W_ON) || is_w(C, k, LEX_W_AGAINST) ||
           is_w(C, k, LEX_W_FOR) || is_w(C, k, LEX_W_OF);
}

/* Targets: the entities of the noun phrase right after the trigger's head
 * (its object, or the object of its target preposition), with coordinated
 * ones: "met China and Russia" gives two. The phrase must start within
 * OBJECT_REACH words after the pattern (its own words and gaps are free;
 * "and" starts a new conjunct: "his team and the Joint Chiefs"); places,
 * that-clauses and later phrases are not targets, except that a "demand
 * that"-type pattern takes the clause's subject ("demanded that
 * Washington lift ...") and people nouns give their country ("envoys from
 * Britain"). */
static size_t find_targets(const ev_ctx *C, const trigger *tr, size_t ts, size_t te, size_t last, int actor,
                           int *out, size_t max)
{
    bool that_pattern = tr->words[tr->n_words - 1] == LEX_W_THAT;
    size_t k = ts + 1, stop = clause_end(C, te, last);
    size_t reach = OBJECT_REACH; /* words after the pattern; the pattern's own and its gap's are free */
    if (that_pattern)
        k = te + 1; /* "demanded that Washington ...": the clause's subject */
    if (tr->target_prep) {
        /* "spoke by phone with X": the preposition may come a few words on */
        size_t p = k;
        while (p < stop && p <= te + 6 && !is_w(C, p, tr->target_prep))
            p++;
        if (p < stop && is_w(C, p, tr->target_prep) && p > te)
            k = p + 1;
    }
    size_t n = 0, words = 0, people_of = 0;
    for (; k <= last && n < max; k++) {
        if (k >= stop) {
            /* a comma inside a list of names continues it */
            if (!(is_punct(C, k, ',') && n && k + 1 <= last && ent_at(C, k + 1) >= 0))
                break;
            stop = clause_end(C, k, last);
            continue;
        }
        int e = ent_at(C, k);
        if (e < 0) {
            if (n)
                break;
            if (is_w(C, k, LEX_W_THAT) && !that_pattern)
                break;
            /* "met envoys from Britain": the people stand for the country or group after from/of */
            if ((is_w(C, k, LEX_W_FROM) || is_w(C, k, LEX_W_OF)) && k > ts + 1 &&
                (C->lx->sym_people[C->lex[k - 1].lemma] || C->lx->sym_people[C->lex[k - 1].form])) {
                people_of = k + 1;
                continue;
            }
            if (is_target_prep(C, k) || is_determiner(C, k) || k <= te)
                continue; /* the pattern's own words, "the", "on" do not count */
            if (is_w(C, k, LEX_W_AND) && k + 1 <= last && (is_determiner(C, k + 1) || ent_at(C, k + 1) >= 0)) {
                words = 0; /* "his security team and the Joint Chiefs of Staff": the next conjunct */
                continue;
            }
            if (++words > reach)
                break;
            continue;
        }
        size_t s = mention_start(C, k, ts + 1), end = mention_end(C, k, last), p = s;
        k = end;
        while (p > ts + 1 && is_determiner(C, p - 1))
            p--;
        if (p > ts + 1 && p != people_of &&
            (is_w(C, p - 1, LEX_W_IN) || is_w(C, p - 1, LEX_W_AT) || is_w(C, p - 1, LEX_W_FROM) ||
             is_w(C, p - 1, LEX_W_DURING)))
            break; /* a place or time phrase ends the object */
        if (p == people_of && place_like(ent_type(C, e)) && !actor_like(ent_type(C, e)))
            break;
        if (tr->requires_object && p > te + 1)
            break; /* "called Erdogan": the object right after the verb */
        if (tr->location_prep && p > ts + 1 && is_w(C, p - 1, tr->location_prep) && place_like(ent_type(C, e)))
            break; /* "travel to Qatar": the trigger's own place preposition names the place */
        if (!actor_like(ent_type(C, e)))
            break;
        int named = e;
        e = resolve_role(C, prefer_titled_person(C, e, end, last), end, last);
        if (e != named) /* step to the titled person's name ("Egyptian intelligence chief Abbas Kamel") */
            for (size_t j = k + 1; j <= last && j <= k + 8; j++)
                if (ent_at(C, j) == e) {
                    k = j;
                    break;
                }
        while (k + 1 <= last && ent_at(C, k + 1) == e)
            k++; /* the rest of a titled name ("British Prime Minister Boris Johnson") */
        bool dup = e == actor;
        for (size_t j = 0; j < n; j++)
            dup |= out[j] == e;
        if (!dup)
            out[n++] = e;
        /* coordination continues the list: "China and Russia", "Britain, France and Germany" */
        size_t nx = k + 1;
        if (nx <= last && (is_w(C, nx, LEX_W_AND) || (is_punct(C, nx, ',') && nx + 1 <= last && ent_at(C, nx + 1) >= 0))) {
            if (nx >= stop)
                stop = clause_end(C, nx, last); /* the list's comma is not the clause's end */
            k = nx;
            if (nx + 1 <= last && is_w(C, nx + 1, LEX_W_AND))
                k++;
            continue;
        }
        break;
    }
    return n;
}

/* ---- modality ------------------------------------------------------------------- */

/* Negation outranks hypothesis outranks plan: a negated or hypothetical
 * event must never come out as asserted. Negated and planned cues count in
 * the trigger's clause; a condition ("If talks fail, ...") reaches across
 * the comma from the sentence start. */
static modality find_modality(const ev_ctx *C, size_t first, size_t trig, size_t trig_end, size_t last, bool noun)
{
    if (trig > first + MODALITY_WINDOW_TOKENS)
        first = trig - MODALITY_WINDOW_TOKENS;
    size_t clause = clause_start(C, first, trig), own_clause = clause;
    /* "warned that X would not ... and said": a coordinated verb starts its own clause */
    if (coordinated_verb(C, clause, trig))
        for (size_t k = trig; k-- > clause;)
            if (is_w(C, k, LEX_W_AND) || is_w(C, k, LEX_W_BUT)) {
                clause = k + 1;
                break;
            }
    /* a nominal trigger takes its modality from the predicate after it too:
     * "a meeting between X and Y could take place", "recognition should come" */
    size_t after = trig_end + 1, after_stop = trig_end + 1;
    if (noun) {
        after_stop = clause_end(C, trig_end, last);
        if (after_stop > trig_end + 1 + NOUN_PREDICATE_WINDOW)
            after_stop = trig_end + 1 + NOUN_PREDICATE_WINDOW;
    }
    if (cue_in(C, CUE_NEGATED, clause, trig) || (noun && cue_in(C, CUE_NEGATED, after, after_stop)))
        return MOD_NEGATED;
    if (cue_in(C, CUE_CONDITION, first, trig) || cue_in(C, CUE_HYPOTHETICAL, own_clause, trig) ||
        (noun && (cue_in(C, CUE_HYPOTHETICAL, after, after_stop) || cue_in(C, CUE_CONDITION, after, after_stop))))
        return MOD_HYPOTHETICAL;
    if (cue_in(C, CUE_PLANNED, clause, trig) || (noun && cue_in(C, CUE_PLANNED, after, after_stop)))
        return MOD_PLANNED;
    return MOD_ASSERTED;
}

/* ---- time --------------------------------------------------------------------- */

static bool anchor_date(const char *anchor, civil_date *base)
{
    char norm[48];
    if (!anchor || !date_normalize_rfc3339(anchor, strlen(anchor), norm, sizeof norm))
        return false;
    *base = (civil_date){(norm[0] - '0') * 1000 + (norm[1] - '0') * 100 + (norm[2] - '0') * 10 + (norm[3] - '0'),
                         (norm[5] - '0') * 10 + (norm[6] - '0'), (norm[8] - '0') * 10 + (norm[9] - '0')};
    return true;
}

/* "Aug. 31" without a year, at text[i] (a word of w bytes): the anchor's year. */
static bool month_day(const char *text, size_t len, size_t i, size_t w, civil_date base, civil_date *out)
{
    int m = date_month_from_name(text + i, w);
    if (!m)
        return false;
    size_t j = i + w;
    while (j < len && text[j] == ' ')
        j++;
    int day = 0;
    size_t dn = 0;
    while (j + dn < len && text[j + dn] >= '0' && text[j + dn] <= '9' && dn < 2)
        day = day * 10 + (text[j + dn++] - '0');
    *out = (civil_date){base.y, m, day};
    return dn && date_valid(*out);
}

bool events_resolve_time(const char *text, size_t len, const char *anchor, bool forward, char out[11])
{
    civil_date base, d;
    if (!anchor_date(anchor, &base))
        return false;
    if (date_find(text, len, &d, NULL, NULL)) {
        date_format(d, out);
        return true;
    }
    for (size_t i = 0; i < len; i++) {
        size_t w = 0;
        while (i + w < len && ((text[i + w] | 0x20) >= 'a' && (text[i + w] | 0x20) <= 'z'))
            w++;
        if (!w)
            continue;
        size_t wd_len = w;
        if (i + w < len && text[i + w] == '.')
            w++;
        if (month_day(text, len, i, w, base, &d)) {
            date_format(d, out);
            return true;
        }
        int wd = date_weekday_from_name(text + i, wd_len);
        if (wd >= 0) {
            /* a weekday is the last one (reported) or the next one (planned); the same day is today */
            int diff = wd - date_weekday(base);
            if (forward)
                diff = diff <= 0 ? diff + 7 : diff;
            else
                diff = diff > 0 ? diff - 7 : diff;
            date_format(date_add_days(base, diff), out);
            return true;
        }
        i += w - 1;
    }
    static const struct { const char *w; int days; } rel[] = {{"today", 0}, {"yesterday", -1}, {"tomorrow", 1}};
    for (size_t r = 0; r < sizeof rel / sizeof *rel; r++)
        if (len >= strlen(rel[r].w) && !strncasecmp(text, rel[r].w, strlen(rel[r].w))) {
            date_format(date_add_days(base, rel[r].days), out);
            return true;
        }
    return false;
}

/* The last token of a time expression starting at token k ("Monday",
 * "Aug. 31", "Aug. 31, 2021", "next week", "today"), or -1. */
static int32_t time_at(const ev_ctx *C, size_t k, size_t sent_last)
{
    const token *t = &C->tk->t[k];
    if (t->kind != TOK_WORD)
        return -1;
    if (is_w(C, k, LEX_W_TODAY) || is_w(C, k, LEX_W_YESTERDAY) || is_w(C, k, LEX_W_TOMORROW))
        return (int32_t)k;
    if ((is_w(C, k, LEX_W_NEXT) || is_w(C, k, LEX_W_LAST)) && k + 1 <= sent_last &&
        (is_w(C, k + 1, LEX_W_WEEK) || is_w(C, k + 1, LEX_W_MONTH) || is_w(C, k + 1, LEX_W_YEAR)))
        return (int32_t)k + 1;
    if (!(t->flags & TOKF_CAP)) /* weekday and month names are capitalised */
        return -1;
    const char *s = C->body + t->start;
    size_t n = t->end - t->start;
    if (date_weekday_from_name(s, n) >= 0)
        return (int32_t)k;
    if (k + 1 <= sent_last && C->tk->t[k + 1].kind == TOK_NUM && date_month_from_name(s, n)) {
        if (k + 3 <= sent_last && is_punct(C, k + 2, ',') && C->tk->t[k + 3].kind == TOK_NUM)
            return (int32_t)k + 3;
        return (int32_t)k + 1;
    }
    return -1;
}

/* Time expressions of the sentence [sent_first, sent_last], found once
 * however many events it holds. */
static void scan_times(ev_ctx *C, size_t sent_first, size_t sent_last)
{
    if (C->times_sent == (long)C->tk->t[sent_first].sent)
        return;
    C->times_sent = (long)C->tk->t[sent_first].sent;
    for (size_t k = sent_first; k <= sent_last; k++)
        C->time_end[k] = time_at(C, k, sent_last);
}

/* The time expression nearest the trigger in [first, last]. Returns its token span. */
static bool find_time(const ev_ctx *C, size_t first, size_t last, size_t trig, size_t *ts, size_t *te)
{
    bool found = false;
    size_t best_dist = 0;
    for (size_t k = first; k <= last; k++) {
        if (C->time_end[k] < 0 || (size_t)C->time_end[k] > last)
            continue;
        size_t dist = k > trig ? k - trig : trig - k;
        if (!found || dist < best_dist) {
            found = true;
            best_dist = dist;
            *ts = k;
            *te = (size_t)C->time_end[k];
        }
        k = (size_t)C->time_end[k];
    }
    return found;
}

/* ---- events --------------------------------------------------------------------- */

static bool is_double_quote(const char *body, const token *t, bool open);

/* Marks the tokens between an opening and a closing double quotation mark. */
static int compute_quoted(ev_ctx *C)
{
    const tokens *tk = C->tk;
    C->in_quote = arena_alloc(C->a, tk->n + 1);
    if (!C->in_quote)
        return -1;
    for (size_t i = 0; i < tk->n; i++) {
        if (!(tk->t[i].flags & TOKF_OPENQ) || !is_double_quote(C->body, &tk->t[i], true))
            continue;
        size_t j = i + 1;
        while (j < tk->n && !((tk->t[j].flags & TOKF_CLOSEQ) && is_double_quote(C->body, &tk->t[j], false)))
            j++;
        if (j >= tk->n)
            continue;
        memset(C->in_quote + i + 1, 1, j - i - 1);
        i = j;
    }
    return 0;
}

/* The first token of a conjunct whose name starts at s: its title words and nationality
 * ("Finnish President Sauli Niinisto") belong to it; stops at "and", commas and lower-case words. */
static size_t conjunct_start(const ev_ctx *C, size_t s, size_t first)
{
    while (s > first && C->tk->t[s - 1].kind == TOK_WORD && !is_w(C, s - 1, LEX_W_AND) &&
           ((C->tk->t[s - 1].flags & TOKF_CAP) || ent_at(C, s - 1) >= 0))
        s--;
    return s;
}

/* "A and B met", "A, B and C signed": the subject is coordinated; the
 * first conjunct acts and the others, when the trigger names no target of
 * its own, are the targets. Writes them to partners; returns how many. */
static size_t coordinated_partners(const ev_ctx *C, int *actor, size_t first, size_t ts, int *partners, size_t max)
{
    /* find the actor's mention nearest before the trigger */
    size_t k = ts;
    while (k > first && ent_at(C, k - 1) != *actor)
        k--;
    if (k <= first)
        return 0;
    size_t s = mention_start(C, k - 1, first);
    /* the conjunct's title and nationality ("and Russian Foreign Minister Sergey Lavrov") */
    while (s > first + 1 && !is_w(C, s - 1, LEX_W_AND) &&
           ((C->tk->t[s - 1].flags & TOKF_CAP) || ent_at(C, s - 1) >= 0 || is_w(C, s - 1, LEX_W_THE)) &&
           C->tk->t[s - 1].kind == TOK_WORD)
        s--;
    if (s < first + 2 || !is_w(C, s - 1, LEX_W_AND))
        return 0;
    size_t j = s - 1; /* "and"; the conjunct before it ends at j - 1 */
    if (ent_at(C, j - 1) < 0 || !actor_like(ent_type(C, ent_at(C, j - 1))))
        return 0;
    size_t n = 0;
    int last = *actor;
    /* walk the list back to its first item: "France, Germany and Italy", "President X, Finnish
     * President Y and Swedish Prime Minister Z" (an item's title and nationality belong to it) */
    size_t s0 = conjunct_start(C, mention_start(C, j - 1, first), first);
    int item = resolve_role(C, prefer_titled_person(C, ent_at(C, j - 1), j - 1, ts - 1), j - 1, ts - 1);
    while (s0 >= first + 2 && is_punct(C, s0 - 1, ',') && ent_at(C, s0 - 2) >= 0 &&
           actor_like(ent_type(C, ent_at(C, s0 - 2)))) {
        size_t e1 = s0 - 2;
        if (n < max && item != last)
            partners[n++] = item;
        item = resolve_role(C, prefer_titled_person(C, ent_at(C, e1), e1, ts - 1), e1, ts - 1);
        s0 = conjunct_start(C, mention_start(C, e1, first), first);
    }
    /* the item may be a title's nationality: step back over the title to its start */
    if (after_prep(C, s0, first))
        return 0;
    *actor = item;
    if (n < max && last != item)
        partners[n++] = last;
    return n;
}

#define ANTECEDENT_SENTENCES 20 /* how far back "condemned the launch" looks for the launch */
#define STEM_BYTES 5              /* shared folded prefix of "launch"/"launched", "suspension"/"suspending" */

/* The folded first STEM_BYTES of token k, or 0 when it is shorter or not a word. */
static size_t stem_of(const ev_ctx *C, size_t k, char out[16])
{
    const token *t = &C->tk->t[k];
    if (t->kind != TOK_WORD || t->end - t->start < STEM_BYTES || t->end - t->start >= 64)
        return 0;
    char buf[64];
    text_fold(C->body + t->start, t->end - t->start, buf, sizeof buf);
    memcpy(out, buf, STEM_BYTES);
    return STEM_BYTES;
}

/* "condemned the launch", "criticized the suspension of climate talks": the object names an act
 * the article reported before; its doer, the subject of the first sentence that mentions the act
 * (news states the act first: "North Korea launched ...", "China ... was suspending ..."), is the
 * target. */
static int act_doer(const ev_ctx *C, size_t te, size_t last, int actor)
{
    size_t k = te + 1;
    while (k <= last && is_determiner(C, k))
        k++;
    /* the head noun: the last word before a preposition, punctuation or name, within 3 words */
    size_t head = 0;
    for (size_t n = 0; k <= last && n < 3 && C->tk->t[k].kind == TOK_WORD && ent_at(C, k) < 0 && !is_prep(C, k);
         k++, n++)
        head = k;
    char want[16], got[16];
    if (!head || !stem_of(C, head, want))
        return -1;
    size_t s_first = te;
    while (s_first > 0 && same_sent(C, s_first - 1, te))
        s_first--;
    /* the first sentence of the last ANTECEDENT_SENTENCES before this one that mentions the act */
    size_t from = s_first;
    for (int back = 0; back < ANTECEDENT_SENTENCES && from > 0; back++) {
        from--;
        while (from > 0 && same_sent(C, from - 1, from))
            from--;
    }
    for (size_t j = from; j < s_first; j++) {
        if ((C->in_quote && C->in_quote[j]) || ent_at(C, j) >= 0 || !stem_of(C, j, got) ||
            memcmp(want, got, STEM_BYTES))
            continue;
        size_t f = j;
        while (f > 0 && same_sent(C, f - 1, j))
            f--;
        int e = leading_subject_of(C, f, j, -1, false);
        e = e >= 0 ? as_participant(C, e) : -1;
        return e >= 0 && e != as_participant(C, actor) && ent_type(C, e) != ENT_NORP ? e : -1;
    }
    return -1;
}

/* "A and his Iranian counterpart, B, are expected to meet": the conjunct after the actor's
 * mention, before the trigger. Writes it to partner; returns 1 or 0. */
static size_t following_conjunct(const ev_ctx *C, int actor, size_t first, size_t ts, int *partner)
{
    size_t k = first;
    while (k < ts && ent_at(C, k) != actor)
        k++;
    if (k >= ts)
        return 0;
    k = mention_end(C, k, ts - 1) + 1;
    if (k >= ts || !is_w(C, k, LEX_W_AND))
        return 0;
    for (size_t j = k + 1; j < ts && j <= k + 8; j++) {
        int e = ent_at(C, j);
        if (e >= 0 && e != actor && actor_like(ent_type(C, e))) {
            size_t end = mention_end(C, j, ts - 1);
            *partner = resolve_role(C, prefer_titled_person(C, e, end, ts - 1), end, ts - 1);
            return *partner != actor;
        }
        if (C->tk->t[j].kind == TOK_PUNCT && !is_punct(C, j, ','))
            return 0;
    }
    return 0;
}

/* "The two leaders met", "both sides agreed": the pair of the latest event
 * of this or the previous sentence that had an actor and a target. */
static bool the_two(const ev_ctx *C, size_t cs, size_t ts, int *actor, int *target)
{
    bool pair = false;
    for (size_t k = cs; k < ts && k < cs + 4; k++)
        pair |= is_w(C, k, LEX_W_BOTH) || (is_w(C, k, LEX_W_TWO) && k > cs && is_w(C, k - 1, LEX_W_THE));
    if (!pair)
        return false;
    uint32_t sent = C->tk->t[ts].sent;
    for (size_t i = C->n; i-- > 0;) {
        const event *e = &C->ev[i];
        /* events are in text order; look back at most three sentences */
        size_t tok = token_at(C, e->trigger.start);
        if (tok < C->tk->n && C->tk->t[tok].sent + 1 < sent)
            break; /* the pair was named in this sentence or the one before */
        if (e->actor >= 0 && e->target >= 0 && e->actor != e->target) {
            *actor = e->actor;
            *target = e->target;
            return true;
        }
    }
    return false;
}

#define SUPPORT_REACH 8 /* tokens between a light verb and its nominal trigger ("announced $1.85 billion in military aid") */

/* The actor of a nominal trigger (see light_verbs in events.json): a
 * possessor ("Biden's meeting"), the subject of a light verb before it ("X
 * held talks"), or, when it stands in a fronted phrase ("In a call late
 * Saturday, Blinken thanked ..."), the main clause's subject; else none. */
static int noun_actor(const ev_ctx *C, size_t first, size_t ts, size_t last, int location)
{
    for (size_t k = ts; k-- > first && ts - k <= 3;) {
        if (C->lex[k].form == LEX_W_POSS && k > first && ent_at(C, k - 1) >= 0 &&
            actor_like(ent_type(C, ent_at(C, k - 1))))
            return ent_at(C, k - 1);
        if (C->tk->t[k].kind == TOK_PUNCT || ent_at(C, k) >= 0)
            break;
    }
    for (size_t k = ts, hops = 0; k-- > first && hops < SUPPORT_REACH; hops++) {
        /* "travel to Geneva for his first meeting with X": a purpose phrase belongs to the verb's subject */
        if (C->lx->sym_light[C->lex[k].lemma] || C->lx->sym_light[C->lex[k].form] || is_w(C, k, LEX_W_FOR))
            return find_actor(C, first, k, location);
        if (is_w(C, k, LEX_W_HIS) || is_w(C, k, LEX_W_HER))
            return resolve_pronoun(C, k); /* "his meeting with": the person last named as a subject */
        /* amounts belong to the noun phrase: "announced $1.85 billion in military aid"; a
         * clause or phrase boundary does not ("had seen nothing to suggest that the talks") */
        bool amount = C->tk->t[k].kind == TOK_NUM || is_punct(C, k, '$');
        if ((C->tk->t[k].kind != TOK_WORD && !amount) || ent_at(C, k) >= 0 || is_w(C, k, LEX_W_THAT) ||
            is_w(C, k, LEX_W_TO) || is_w(C, k, LEX_W_WHICH) || is_w(C, k, LEX_W_WHO) || is_w(C, k, LEX_W_AND) ||
            is_w(C, k, LEX_W_BUT) || is_w(C, k, LEX_W_OR))
            break;
    }
    size_t s = first;
    for (size_t j = first; j < ts && j < first + 8; j++)
        if (is_dash(C, j))
            s = j + 1;
    if (s < ts && (is_w(C, s, LEX_W_IN) || is_w(C, s, LEX_W_AT) || is_w(C, s, LEX_W_DURING)) &&
        clause_start(C, s, ts) == s) {
        size_t end = clause_end(C, ts, last);
        return end <= last ? leading_subject(C, end + 1, last + 1, location) : -1;
    }
    return -1;
}

/* The country a place belongs to, as an entity of the article (a country is its own). */
static int country_of_place(const ev_ctx *C, int e)
{
    const entity *p = &C->es->ents[e];
    int c;
    if (!p->country || !strmap_get(&C->lx->country_by_iso3, p->country, strlen(p->country), &c))
        return -1;
    const char *want = C->lx->gaz[c].id;
    for (size_t k = 0; k < C->es->n; k++)
        if (C->es->ents[k].type == ENT_GPE && C->es->ents[k].id && !strcmp(C->es->ents[k].id, want))
            return (int)k;
    return -1;
}

/* A pattern that ends in its place preposition ("arrive in", "travel to",
 * "welcome ... at") holds only when a place follows: "arrived in time" is no visit. */
static bool place_follows(const ev_ctx *C, const trigger *tr, size_t te, size_t sent_last)
{
    if (!tr->location_prep || tr->words[tr->n_words - 1] != tr->location_prep)
        return true;
    size_t j = te + 1;
    if (j <= sent_last && is_w(C, j, LEX_W_THE))
        j++;
    return j <= sent_last && ent_at(C, j) >= 0 && place_like(ent_type(C, ent_at(C, j)));
}

/* "talks between A and B", "a meeting between A and B": A acts, B is the target. */
static bool between_pair(const ev_ctx *C, size_t te, size_t last, int *a, int *b)
{
    size_t k = is_w(C, te, LEX_W_BETWEEN) ? te : te + 1; /* "meeting between" is itself a pattern */
    if (k > last || !is_w(C, k, LEX_W_BETWEEN))
        return false;
    *a = *b = -1;
    for (k++; k <= last && k <= te + 16; k++) {
        int e = ent_at(C, k);
        if (e < 0 || !actor_like(ent_type(C, e)))
            continue;
        size_t end = mention_end(C, k, last);
        e = resolve_role(C, prefer_titled_person(C, e, end, last), end, last);
        if (*a < 0) {
            *a = e;
            /* "between Ali Shamkhani, the secretary of ..., and X": skip to the "and" */
            while (k <= last && k <= te + 16 && !is_w(C, k, LEX_W_AND))
                k++;
        } else if (e != *a) {
            *b = e;
            return true;
        }
    }
    return *a >= 0;
}

static int push_event(ev_ctx *C, const event *e)
{
    if (C->n >= C->lim->max_events)
        return 0;
    if (C->n == C->cap) {
        size_t ncap = C->cap ? C->cap * 2 : 16;
        event *ne = arena_grow(C->a, C->ev, C->n, ncap, sizeof *ne);
        if (!ne)
            return ingest_fail(C->err, INGEST_ERR_INTERNAL, "out of memory");
        C->ev = ne;
        C->cap = ncap;
    }
    C->ev[C->n++] = *e;
    return 0;
}

/* A past participle after a form of "be" (adverbs between): the subject is
 * the patient and "by X" the agent ("were evacuated by the RAF"). */
static bool is_passive(const ev_ctx *C, size_t ts, size_t first)
{
    if (C->lex[ts].infl != INFL_ED && C->lex[ts].infl != INFL_IRREG)
        return false;
    for (size_t k = ts, hops = 0; k-- > first && hops < 3; hops++) {
        if (is_w(C, k, LEX_W_BE) && C->lex[k].form != LEX_W_POSS)
            return true;
        if (C->tk->t[k].kind != TOK_WORD || !(is_w(C, k, LEX_W_NOT) || is_w(C, k, LEX_W_ALSO) ||
                                                (C->tk->t[k].end - C->tk->t[k].start > 2 &&
                                                 !memcmp(C->body + C->tk->t[k].end - 2, "ly", 2))))
            return false;
    }
    return false;
}

/* The agent of a passive: the entity after "by" following the trigger. */
static int by_agent(const ev_ctx *C, size_t te, size_t last)
{
    for (size_t k = te + 1; k < last && k <= te + 6; k++)
        if (is_w(C, k, LEX_W_BY)) {
            size_t j = k + 1 <= last && is_w(C, k + 1, LEX_W_THE) ? k + 2 : k + 1;
            return j <= last ? ent_at(C, j) : -1;
        }
    return -1;
}

/* The folded words of tokens [a, b] joined by single spaces (the title table's key form). */
static size_t words_key(const ev_ctx *C, size_t a, size_t b, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t k = a; k <= b; k++) {
        const token *t = &C->tk->t[k];
        if (o + (t->end - t->start) + 2 > cap)
            return 0;
        if (k > a)
            out[o++] = ' ';
        o += text_fold(C->body + t->start, t->end - t->start, out + o, cap - o);
    }
    return o;
}

#define TITLE_MAX_TOKENS 7 /* tokens of the longest title in titles.tsv */

/* A title of titles.tsv ends at token k ("Foreign Minister", "spokesman"). */
static bool title_ends_at(const ev_ctx *C, size_t k, size_t lo)
{
    char key[128];
    int ti;
    for (size_t n = 1; n <= TITLE_MAX_TOKENS && n <= k + 1 - lo; n++) {
        size_t kl = words_key(C, k + 1 - n, k, key, sizeof key);
        if (kl && strmap_get(&C->lx->title_map, key, kl, &ti))
            return true;
    }
    return false;
}

/* A person speaking in an official capacity: one who serves a country, is
 * known to the gazetteer (international officials), or is introduced with a
 * title ("Spokesperson Lin Jian", "Petro Kovalchuk, a member of the city
 * council, ..." is not; "Jay Tarriela, the coast guard spokesman" is). */
static bool official_uncached(const ev_ctx *C, int e)
{
    const entity *p = &C->es->ents[e];
    int g;
    bool known = p->country || (p->id && strmap_get(&C->lx->gaz_by_id, p->id, strlen(p->id), &g)), titled = false;
    for (size_t m = 0; m < p->n_mentions; m++) {
        /* the token where the mention starts and the one after it ends */
        size_t ms = token_at(C, p->mentions[m].start), me = ms;
        if (ms >= C->tk->n)
            continue;
        while (me + 1 < C->tk->n && C->tk->t[me + 1].end <= p->mentions[m].end)
            me++;
        /* an apposition: "X, the group's chief spokesman," / "X, Russia's deputy defense minister,"
         * / "X, an analyst at the Geneva Centre," - or the name in apposition to a role: "Russia's
         * envoy to the talks, X," */
        if (me + 2 < C->tk->n && is_punct(C, me + 1, ',') &&
            (is_w(C, me + 2, LEX_W_A) || is_w(C, me + 2, LEX_W_AN) || is_w(C, me + 2, LEX_W_THE) ||
             title_ends_at(C, me + 2, me + 2) || (me + 3 < C->tk->n && C->lex[me + 3].form == LEX_W_POSS)))
            for (size_t k = me + 2; k < C->tk->n && k <= me + 14 && !is_clause_break(C, k); k++) {
                if (C->lx->sym_private[C->lex[k].lemma] || C->lx->sym_private[C->lex[k].form])
                    return false; /* a private role or body: no official */
                titled |= k <= me + 9 && title_ends_at(C, k, k);
            }
        if (ms >= 2 && is_punct(C, ms - 1, ','))
            for (size_t k = ms - 1; k-- > 0 && k + 10 > ms && !is_clause_break(C, k) && same_sent(C, k, ms);) {
                if (C->lx->sym_private[C->lex[k].lemma] || C->lx->sym_private[C->lex[k].form])
                    return false;
                titled |= title_ends_at(C, k, k);
            }
        if (ms > 0 && (C->lx->sym_private[C->lex[ms - 1].lemma] || C->lx->sym_private[C->lex[ms - 1].form]))
            return false; /* "privacy activist X" */
        titled |= ms > 0 && title_ends_at(C, ms - 1, ms > 4 ? ms - 4 : 0);
    }
    return known || titled;
}

/* official_uncached once per entity and article. */
static bool is_official(const ev_ctx *C, int e)
{
    if (C->official[e] < 0)
        C->official[e] = official_uncached(C, e);
    return C->official[e] != 0;
}

/* A statement needs a named person as its speaker: the subject right before
 * the verb (auxiliaries and adverbs between), through an apposition, or
 * after it ("said Jane Doe"). "Officials said", "the Pentagon said" are
 * attributions of the news, not a person's public statement. */
static int statement_speaker(const ev_ctx *C, size_t first, size_t ts, size_t te, size_t last)
{
    size_t k = ts;
    while (k > first && (is_w(C, k - 1, LEX_W_HAVE) || is_w(C, k - 1, LEX_W_ALSO) ||
                         (C->tk->t[k - 1].end - C->tk->t[k - 1].start > 3 && C->tk->t[k - 1].kind == TOK_WORD &&
                          !memcmp(C->body + C->tk->t[k - 1].end - 2, "ly", 2))))
        k--;
    int e = -1;
    if (coordinated_verb(C, first, k))
        e = leading_subject(C, first, k, -1);
    else if (k > first && ent_at(C, k - 1) >= 0)
        e = ent_at(C, k - 1);
    else if (k > first && (is_w(C, k - 1, LEX_W_HE) || is_w(C, k - 1, LEX_W_SHE)))
        e = resolve_pronoun(C, k - 1);
    else if (k > first && is_clause_break(C, k - 1) && !is_punct(C, k - 1, ':'))
        e = leading_subject(C, first, k - 1, -1);
    if (e < 0 && te + 1 <= last) {
        size_t j = te + 1 + (te + 2 <= last && is_w(C, te + 1, LEX_W_THE));
        e = ent_at(C, j);
    }
    return e >= 0 && ent_type(C, e) == ENT_PERSON && is_official(C, e) ? e : -1;
}

/* One event per type, actor and target in a sentence: "He said he had told ...", "agreed on
 * Thursday to invite ...", "offered to work together" are one act each. */
static bool event_known(const ev_ctx *C, const event *e)
{
    for (size_t i = C->n; i-- > 0 && C->ev[i].sentence.start == e->sentence.start;)
        if (C->ev[i].type == e->type && C->ev[i].actor == e->actor &&
            (C->ev[i].target == e->target || !strcmp(e->type, "statement")))
            return true;
    return false;
}

static int emit(ev_ctx *C, const trigger *tr, size_t ts, size_t te, size_t sent_first, size_t sent_last)
{
    const event_type *et = &C->lx->types[tr->type];
    size_t first = sent_first, last = sent_last;
    if (ts > first + ARGUMENT_WINDOW_TOKENS)
        first = ts - ARGUMENT_WINDOW_TOKENS;
    if (last > te + ARGUMENT_WINDOW_TOKENS)
        last = te + ARGUMENT_WINDOW_TOKENS;
    bool statement = !strcmp(et->type, "statement");
    int location = statement ? -1 : find_location(C, first, last, te, tr->location_prep);
    int actor, targets[MAX_TARGETS], speakers[MAX_TARGETS];
    size_t nt = 0, ns = 0;
    if (statement) {
        /* "..., saying ...": a participle elaborates the main act, it is not a statement of its own */
        if (C->lex[ts].infl == INFL_ING)
            return 0;
        actor = statement_speaker(C, first, ts, te, last);
        if (actor < 0)
            return 0;
        /* "Simon Harris and Jonas Gahr Store announced": each official speaks */
        ns = coordinated_partners(C, &actor, first, ts, speakers, MAX_TARGETS);
    } else if (tr->passive || (!tr->noun && is_passive(C, ts, first))) {
        /* the subject underwent the event; the agent follows "by" */
        int patient = find_actor(C, first, ts, location);
        actor = by_agent(C, te, last);
        if (patient >= 0 && patient != actor && actor_like(ent_type(C, patient)))
            targets[nt++] = patient;
    } else {
        int a, b;
        actor = tr->noun ? noun_actor(C, first, ts, last, location) : find_actor(C, first, ts, location);
        if (tr->actor_prep) {
            /* "the full withdrawal of Israeli forces": the forces' side withdraws */
            for (size_t k = ts; k < te; k++)
                if (is_w(C, k, tr->actor_prep)) {
                    for (size_t j = k + 1; j <= te; j++)
                        if (ent_at(C, j) >= 0 && actor_like(ent_type(C, ent_at(C, j)))) {
                            actor = ent_at(C, j);
                            break;
                        }
                    break;
                }
        }
        if (tr->noun && between_pair(C, te, last, &a, &b)) {
            actor = a;
            if (b >= 0)
                targets[nt++] = b;
        } else {
            int partners[MAX_TARGETS];
            size_t np = actor >= 0 ? coordinated_partners(C, &actor, first, ts, partners, MAX_TARGETS) : 0;
            nt = find_targets(C, tr, ts, te, last, actor, targets, MAX_TARGETS);
            if (nt == 0 && np == 0 && et->reciprocal && actor >= 0)
                np = following_conjunct(C, actor, first, ts, partners);
            if (nt == 0 && et->reciprocal)
                for (size_t k = 0; k < np; k++)
                    targets[nt++] = partners[k];
            if (actor < 0 && !tr->noun && the_two(C, clause_start(C, first, ts), ts, &a, &b)) {
                actor = a;
                if (nt == 0)
                    targets[nt++] = b;
            }
        }
    }
    /* who did it is the point of an event record: without an actor there is none */
    if (actor < 0)
        return 0;
    for (size_t k = 0; k < nt; k++)
        if (targets[k] == location)
            location = -1; /* "demanded that Washington ...": a participant, not the place */
    /* "sending the F-16 jets that Kyiv has requested": aid goes to the party named after it */
    if (nt == 0 && !strcmp(et->type, "provide_aid")) {
        size_t stop = clause_end(C, te, last);
        for (size_t k = te + 1; k < stop && k <= te + 10; k++) {
            int d = ent_at(C, k);
            if (d >= 0 && actor_like(ent_type(C, d)) && as_participant(C, d) != as_participant(C, actor)) {
                targets[nt++] = d;
                break;
            }
        }
    }
    /* "warned that any Russian forces ...", "rejected accusations that Russia was behind attacks on
     * American companies": the first party of another country in the clause that follows */
    if (nt == 0 && (!strcmp(et->type, "threaten") || !strcmp(et->type, "demand") || !strcmp(et->type, "reject"))) {
        const char *own = C->es->ents[as_participant(C, actor)].country;
        size_t k = te + 1;
        while (k <= last && k <= te + 6 && !is_w(C, k, LEX_W_THAT))
            k++;
        bool clause = k <= last && is_w(C, k, LEX_W_THAT);
        for (size_t j = k + 1; clause && j <= last && j <= k + 16 && !is_punct(C, j, ';'); j++) {
            int d = ent_at(C, j);
            if (d < 0 || !actor_like(ent_type(C, d)))
                continue;
            int pd = as_participant(C, d);
            const char *theirs = C->es->ents[pd].country;
            if (pd != as_participant(C, actor) && !(own && theirs && !strcmp(own, theirs))) {
                targets[nt++] = pd;
                break;
            }
            j = mention_end(C, j, last);
        }
    }
    /* "condemned the launch": the doer of the act the object names */
    if (nt == 0 && !statement && (!strcmp(et->type, "criticize") || !strcmp(et->type, "praise") ||
                                  !strcmp(et->type, "reject"))) {
        int d = act_doer(C, te, last, actor);
        if (d >= 0)
            targets[nt++] = d;
    }
    /* "recalled its ambassador from Vilnius", "withdraw troops from Niger": the country left */
    if (nt == 0 && (!strcmp(et->type, "reduce_relations") || !strcmp(et->type, "withdraw"))) {
        for (size_t k = te + 1; k + 1 <= last && k <= te + 6 && !is_clause_break(C, k); k++)
            if (is_w(C, k, LEX_W_FROM) && ent_at(C, k + 1) >= 0 && place_like(ent_type(C, ent_at(C, k + 1)))) {
                int c = ent_type(C, ent_at(C, k + 1)) == ENT_GPE ? country_of_place(C, ent_at(C, k + 1)) : -1;
                if (c >= 0 && c != as_participant(C, actor))
                    targets[nt++] = c;
                break;
            }
    }
    /* a visit's target is the country visited ("visited Tehran" -> Iran), its place the city */
    if (nt == 0 && location >= 0 && (!strcmp(et->type, "visit") || !strcmp(et->type, "withdraw"))) {
        int c = country_of_place(C, location);
        if (c >= 0 && c != as_participant(C, actor))
            targets[nt++] = c;
    }
    event e = {.type = et->type, .cameo = et->cameo, .quad_class = et->quad_class,
               .trigger = {C->tk->t[ts].start, C->tk->t[te].end}, .actor = as_participant(C, actor), .target = -1,
               .location = location, .sentence = {C->tk->t[sent_first].start, C->tk->t[sent_last].end}};
    e.mod = find_modality(C, first, ts, te, last, tr->noun);
    size_t ms, me;
    scan_times(C, sent_first, sent_last);
    if (find_time(C, first, last, ts, &ms, &me)) {
        size_t n = C->tk->t[me].end - C->tk->t[ms].start;
        e.time_text = arena_strndup(C->a, C->body + C->tk->t[ms].start, n);
        if (!e.time_text)
            return ingest_fail(C->err, INGEST_ERR_INTERNAL, "out of memory");
        char d[11];
        if (events_resolve_time(e.time_text, n, C->published_at, e.mod == MOD_PLANNED, d))
            e.time_date = arena_strndup(C->a, d, 10);
    }
    e.confidence = 0.4 + (actor >= 0 ? 0.25 : 0) + (nt ? 0.15 : 0) + (tr->n_words > 1 ? 0.1 : 0);
    if (statement) {
        for (size_t k = 0; k < ns; k++) {
            event o = e;
            o.actor = speakers[k];
            if (ent_type(C, o.actor) == ENT_PERSON && is_official(C, o.actor) && !event_known(C, &o) &&
                push_event(C, &o))
                return -1;
        }
        if (ent_type(C, actor) != ENT_PERSON || !is_official(C, actor))
            return 0;
    }
    if (statement && event_known(C, &e))
        return 0;
    if (tr->requires_target && nt == 0)
        return 0;
    if (nt == 0)
        return event_known(C, &e) ? 0 : push_event(C, &e);
    for (size_t k = 0; k < nt; k++) {
        e.target = as_participant(C, targets[k]);
        if (e.target == e.actor || event_known(C, &e))
            continue;
        if (push_event(C, &e))
            return -1;
    }
    return 0;
}

/* The part of speech the trigger declares must fit the head word's context:
 * a noun pattern does not match a verb form reached through -ed/-ing ('met'
 * is not 'meeting') nor a word after a modal or subject pronoun; a verb
 * pattern does not match a word after a determiner ('the attack'). */
static bool head_fits(const ev_ctx *C, const trigger *tr, size_t i, size_t sent_first)
{
    const form_entry *f = &C->lex[i];
    bool has_prev = i > sent_first;
    if (tr->noun) {
        if (f->form != tr->words[0] && (f->infl == INFL_ED || f->infl == INFL_ING))
            return false;
        return !(has_prev && is_verb_context(C, i - 1));
    }
    return !(has_prev && is_determiner(C, i - 1));
}

int events_extract(arena *a, const lexicons *lx, const pipeline_limits *lim, const char *body, const tokens *tk,
                   const entity_set *es, const char *published_at, const form_entry *lemmas, event **out,
                   size_t *n_out, ingest_error *err)
{
    ev_ctx C = {.a = a, .lx = lx, .lim = lim, .body = body, .tk = tk, .es = es, .published_at = published_at,
                .err = err, .times_sent = -1};
    *out = NULL;
    *n_out = 0;
    C.lex = lemmas ? lemmas : events_lemmas(a, lx, body, tk);
    C.time_end = arena_alloc_raw(a, (tk->n + 1) * sizeof *C.time_end);
    if (!C.lex || !C.time_end || compute_cues(&C) || compute_countries(&C) || compute_quoted(&C))
        return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
    long covered_until = -1; /* one event per trigger span: the longest pattern wins */
    size_t sent_first = 0, sent_last = 0;
    for (size_t i = 0; i < tk->n; i++) {
        if (i == 0 || !same_sent(&C, i, i - 1)) {
            sent_first = i;
            for (sent_last = i; sent_last + 1 < tk->n && same_sent(&C, sent_last + 1, i);)
                sent_last++;
        }
        if (tk->t[i].kind != TOK_WORD || (long)i <= covered_until || es->tok_entity[i] >= 0 || C.in_quote[i])
            continue;
        if (is_name_word(body, tk, i))
            continue;
        const form_entry *f = &C.lex[i];
        if (!((lx->sym_heads[f->lemma] | lx->sym_heads[f->form]) & LEX_HEAD_TRIGGER))
            continue;
        const trigger *best = NULL;
        long best_end = -1;
        bool best_by_form = false;
        int32_t heads[2] = {f->lemma, f->form != f->lemma ? f->form : 0};
        for (int h = 0; h < 2; h++) {
            if (!heads[h])
                continue;
            for (int ti = lx->trigger_head[heads[h]]; ti >= 0; ti = lx->triggers[ti].next) {
                const trigger *tr = &lx->triggers[ti];
                long end = match_words(&C, i, tr->words, tr->n_words);
                if (end < 0 || !head_fits(&C, tr, i, sent_first) || !place_follows(&C, tr, (size_t)end, sent_last))
                    continue;
                bool by_form = f->form == tr->words[0];
                if (end > best_end || (end == best_end && (tr->n_words > best->n_words ||
                                                           (tr->n_words == best->n_words && by_form && !best_by_form)))) {
                    best = tr;
                    best_end = end;
                    best_by_form = by_form;
                }
            }
        }
        if (!best)
            continue;
        if (emit(&C, best, i, (size_t)best_end, sent_first, sent_last))
            return -1;
        covered_until = best_end;
    }
    *out = C.ev;
    *n_out = C.n;
    return 0;
}

/* ---- quotes ----------------------------------------------------------------- */

static bool speech_near(const ev_ctx *C, size_t k)
{
    return is_w(C, k, LEX_W_SAY) || is_w(C, k, LEX_W_TELL) || is_w(C, k, LEX_W_ADD) || is_w(C, k, LEX_W_WRITE) ||
           is_w(C, k, LEX_W_STATE) || is_w(C, k, LEX_W_ACCORDING);
}

/* The entity's first mention in [from, to) modifies a people noun ("a senior U.S. official",
 * "Pentagon spokesman"): the speaker is that unnamed person, not the entity. */
static bool modifies_people(const ev_ctx *C, int e, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++)
        if (ent_at(C, k) == e) {
            size_t n = mention_end(C, k, to - 1) + 1;
            if (n >= to)
                return false;
            int32_t l = C->lex[n].lemma, f = C->lex[n].form;
            return C->lx->sym_people[l] || C->lx->sym_people[f] || l == LEX_W_OFFICIAL || l == LEX_W_SPOKESMAN ||
                   l == LEX_W_SPOKESWOMAN || l == LEX_W_SPOKESPERSON;
        }
    return false;
}

/* The speaker of a quote closing at token close: "..., X said", "..., said
 * X", "..., he said", "according to X"; or before an opening "X said: ...". */
static int quote_speaker(const ev_ctx *C, size_t open, size_t close)
{
    size_t last = close + 8 < C->tk->n ? close + 8 : C->tk->n - 1;
    for (size_t k = close + 1; k <= last; k++) {
        /* the attribution follows in the quotation's sentence ("..., Blinken said."), not the next one */
        if ((C->tk->t[k].flags & TOKF_OPENQ) || !same_sent(C, k, close))
            break;
        if (!speech_near(C, k))
            continue;
        /* subject before the verb, or after it ("said Jane Doe") */
        for (size_t j = k; j-- > close + 1;) {
            int e = ent_at(C, j);
            if (e >= 0 && ent_type(C, e) == ENT_PERSON)
                return e;
            if (is_w(C, j, LEX_W_HE) || is_w(C, j, LEX_W_SHE))
                return resolve_pronoun(C, j);
        }
        /* "said Jane Doe" / "said the envoy, Jane Doe": right after the verb, same sentence */
        for (size_t j = k + 1; j <= last && j < k + 3 && same_sent(C, j, k); j++) {
            int e = ent_at(C, j);
            if (e >= 0 && ent_type(C, e) == ENT_PERSON)
                return e;
            if (!is_w(C, j, LEX_W_THE) && C->tk->t[j].kind != TOK_WORD)
                break;
        }
        return -1; /* a speech verb with no named person: anonymous */
    }
    /* "X said: “...”" */
    if (open >= 2 && is_punct(C, open - 1, ':'))
        for (size_t j = open - 1; j-- > 0 && j + 8 > open;) {
            int e = ent_at(C, j);
            if (e >= 0 && ent_type(C, e) == ENT_PERSON)
                return e;
        }
    /* a quotation inside a sentence ("Heiko Maas said the lineup “does very little ...”"): the
     * sentence's subject, a person or a body (the State Department), when a speech or other verb
     * stands between it and the quotation */
    size_t s_first = open;
    while (s_first > 0 && same_sent(C, s_first - 1, open))
        s_first--;
    if (open > s_first + 1) {
        int e = leading_subject(C, s_first, open, -1);
        if (e >= 0 && actor_like(ent_type(C, e)) && ent_type(C, e) != ENT_NORP && !modifies_people(C, e, s_first, open))
            return e;
    }
    return -1;
}

static bool is_double_quote(const char *body, const token *t, bool open)
{
    return body[t->start] == '"' ||
           (t->end - t->start == 3 && !memcmp(body + t->start, open ? "\xE2\x80\x9C" : "\xE2\x80\x9D", 3));
}

int quotes_extract(arena *a, const lexicons *lx, const char *body, const tokens *tk, const entity_set *es,
                   const form_entry *lemmas, quote **out, size_t *n_out, ingest_error *err)
{
    ev_ctx C = {.a = a, .lx = lx, .body = body, .tk = tk, .es = es, .err = err};
    *out = NULL;
    *n_out = 0;
    C.lex = lemmas ? lemmas : events_lemmas(a, lx, body, tk);
    if (!C.lex)
        return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
    size_t cap = 0, n = 0;
    quote *q = NULL;
    for (size_t i = 0; i < tk->n; i++) {
        if (!(tk->t[i].flags & TOKF_OPENQ) || !is_double_quote(body, &tk->t[i], true))
            continue;
        size_t j = i + 1;
        while (j < tk->n && !((tk->t[j].flags & TOKF_CLOSEQ) && is_double_quote(body, &tk->t[j], false)))
            j++;
        if (j >= tk->n || j == i + 1)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            quote *nq = arena_grow(a, q, n, ncap, sizeof *nq);
            if (!nq)
                return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
            q = nq;
            cap = ncap;
        }
        q[n++] = (quote){{tk->t[i + 1].start, tk->t[j - 1].end}, quote_speaker(&C, i, j)};
        i = j;
    }
    *out = q;
    *n_out = n;
    return 0;
}
