/* quotes.c - quotations and their speakers; see include/quotes.h. */
#include "quotes.h"

#include <string.h>

#include "evdoc.h"
#include "events.h"
#include "evrefs.h"

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
            size_t n = ev_mention_end(C, k, to - 1) + 1;
            if (n >= to)
                return false;
            int32_t l = C->lex[n].lemma, f = C->lex[n].form;
            return C->lx->sym_people[l] || C->lx->sym_people[f] || l == LEX_W_OFFICIAL || l == LEX_W_SPOKESMAN ||
                   l == LEX_W_SPOKESWOMAN || l == LEX_W_SPOKESPERSON;
        }
    return false;
}

#define ATTRIBUTION_TOKENS 14 /* "..., Saad Sherida al-Kaabi, Qatar's energy minister, told reporters" */
#define QUOTE_UNATTRIBUTED (-2) /* no attribution at all, as opposed to an anonymous one (-1) */

/* The speaker of a quote closing at token close: "..., X said", "..., said
 * X", "..., he said", "according to X"; or before an opening "X said: ...".
 * Returns an entity, -1 for an anonymous source ("a senior official said")
 * or QUOTE_UNATTRIBUTED when nothing attributes it. */
static int quote_speaker(const ev_ctx *C, size_t open, size_t close)
{
    size_t last = close + ATTRIBUTION_TOKENS < C->tk->n ? close + ATTRIBUTION_TOKENS : C->tk->n - 1;
    for (size_t k = close + 1; k <= last; k++) {
        /* the attribution follows in the quotation's sentence ("..., Blinken said."), not the next one */
        if ((C->tk->t[k].flags & TOKF_OPENQ) || !same_sent(C, k, close))
            break;
        if (!speech_near(C, k))
            continue;
        /* "Xi called the expansion “historic” and said ...": the verb shares the sentence's subject */
        if (k >= close + 2 && k <= close + 3 && (is_w(C, k - 1, LEX_W_AND) || is_w(C, k - 1, LEX_W_BUT)) &&
            (k == close + 2 || is_punct(C, close + 1, ','))) {
            int e = ev_leading_subject(C, sentence_first(C, open), open, -1);
            return e >= 0 && ent_type(C, e) == ENT_PERSON ? e : -1;
        }
        /* subject before the verb, the first person after the quotation ("..., X, the president of
         * Y, told reporters"), or after the verb ("said Jane Doe") */
        for (size_t j = close + 1; j < k; j++) {
            int e = ent_at(C, j);
            if (e >= 0 && ent_type(C, e) == ENT_PERSON)
                return e;
            if (is_w(C, j, LEX_W_HE) || is_w(C, j, LEX_W_SHE))
                return ev_resolve_pronoun(C, j);
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
        int e = ev_leading_subject(C, s_first, open, -1);
        if (e >= 0 && actor_like(ent_type(C, e)) && ent_type(C, e) != ENT_NORP &&
            !modifies_people(C, e, s_first, open))
            return e;
    }
    return QUOTE_UNATTRIBUTED;
}

int quotes_extract(arena *a, const lexicons *lx, const char *body, const tokens *tk, const entity_set *es,
                   const form_entry *lemmas, quote **out, size_t *n_out, ingest_error *err)
{
    ev_ctx C = {.a = a, .lx = lx, .body = body, .tk = tk, .es = es, .err = err, .ment = es->tok_entity};
    *out = NULL;
    *n_out = 0;
    C.lex = lemmas ? lemmas : events_lemmas(a, lx, body, tk);
    if (!C.lex)
        return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
    size_t cap = 0, n = 0, prev_close = 0;
    quote *q = NULL;
    for (size_t i = 0; i < tk->n; i++) {
        if (!(tk->t[i].flags & TOKF_OPENQ) || !ev_is_double_quote(body, &tk->t[i], true))
            continue;
        size_t j = i + 1;
        while (j < tk->n && !((tk->t[j].flags & TOKF_CLOSEQ) && ev_is_double_quote(body, &tk->t[j], false)))
            j++;
        if (j >= tk->n || j == i + 1)
            continue;
        quote *nq = arena_reserve(a, q, n, &cap, 8, sizeof *nq);
        if (!nq)
            return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
        q = nq;
        int sp = quote_speaker(&C, i, j);
        /* "“...,” he said. “...”": a quotation that opens the sentence right after the previous
         * one's attribution, with none of its own, continues the same speaker */
        if (sp == QUOTE_UNATTRIBUTED && n > 0 && prev_close > 0 && i > 0 &&
            tk->t[i - 1].sent == tk->t[prev_close].sent && tk->t[i].sent != tk->t[i - 1].sent)
            sp = q[n - 1].speaker;
        if (sp < 0)
            sp = -1;
        q[n++] = (quote){{tk->t[i + 1].start, tk->t[j - 1].end}, sp};
        prev_close = j;
        i = j;
    }
    *out = q;
    *n_out = n;
    return 0;
}
