/* evspeaker.c - statement speakers and who speaks as an official; see include/evspeaker.h. */
#include "evspeaker.h"

#include <string.h>

#include "evrefs.h"

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
        /* the key's hash from the tokens' hashes (strmap.h); the key is built only to check a hit */
        size_t a = k + 1 - n;
        uint64_t h = C->tk->hfold[a];
        for (size_t j = a + 1; j <= k; j++)
            h = strmap_hash_join(h, C->tk->hfold[j]);
        const char *found;
        size_t fl;
        if (!strmap_get_hashed(&C->lx->title_map, h, &found, &fl, &ti))
            continue;
        size_t kl = words_key(C, a, k, key, sizeof key);
        if (kl && kl == fl && !memcmp(key, found, kl))
            return true;
    }
    return false;
}

/* What token k says about a person it describes: -1 a private role or body ("analyst", "Relief
 * Network"), 1 a public office ("councillor", "delegation") or a title of titles.tsv, else 0. */
static int role_word(const ev_ctx *C, size_t k, bool titles)
{
    form_entry f = ev_any_form(C, k);
    if (C->lx->sym_private[f.lemma] || C->lx->sym_private[f.form])
        return -1;
    if (C->lx->sym_office[f.lemma] || C->lx->sym_office[f.form])
        return 1;
    return titles && title_ends_at(C, k, k) ? 1 : 0;
}

/* The apposition after a mention ending at token me opens here: "X, the group's chief spokesman,",
 * "X, an analyst at ...", "X, Russia's deputy defense minister,", "X, who led the delegation,". */
static bool apposition_after(const ev_ctx *C, size_t me)
{
    if (me + 2 >= C->tk->n || !is_punct(C, me + 1, ','))
        return false;
    size_t k = me + 2;
    return is_w(C, k, LEX_W_A) || is_w(C, k, LEX_W_AN) || is_w(C, k, LEX_W_THE) || is_w(C, k, LEX_W_WHO) ||
           title_ends_at(C, k, k) || (k + 1 < C->tk->n && C->lex[k + 1].form == LEX_W_POSS);
}

/* A person speaking in an official capacity: one who serves a country, is
 * known to the gazetteer (international officials), or is introduced with a
 * title or an office ("Spokesperson Lin Jian", "Petro Kovalchuk, a member of
 * the city council,", "Jay Tarriela, the coast guard spokesman"), unless a
 * private role or body describes them ("Olena Marchuk, a spokeswoman for the
 * Odesa Grain Traders Association,"). */
static bool official_uncached(const ev_ctx *C, int e)
{
    const entity *p = &C->es->ents[e];
    int g;
    bool known = p->country || (p->id && strmap_get(&C->lx->gaz_by_id, p->id, strlen(p->id), &g)), titled = false;
    for (size_t m = 0; m < p->n_mentions; m++) {
        /* the token where the mention starts and the one after it ends */
        size_t ms = ev_token_at(C, p->mentions[m].start), me = ms;
        if (ms >= C->tk->n)
            continue;
        while (me + 1 < C->tk->n && C->tk->t[me + 1].end <= p->mentions[m].end)
            me++;
        /* an apposition after the name, or the name in apposition to a role: "Russia's envoy to the talks, X," */
        if (apposition_after(C, me))
            for (size_t k = me + 2; k < C->tk->n && k <= me + 14 && !ev_is_clause_break(C, k); k++) {
                int r = role_word(C, k, k <= me + 9);
                if (r < 0 && is_w(C, me + 2, LEX_W_WHO))
                    continue; /* "X, who hosted the summit at the Sandton Convention Centre,": a deed, no role */
                if (r < 0)
                    return false;
                titled |= r > 0;
            }
        if (ms >= 2 && is_punct(C, ms - 1, ','))
            for (size_t k = ms - 1; k-- > 0 && k + 10 > ms && !ev_is_clause_break(C, k) && same_sent(C, k, ms);) {
                int r = role_word(C, k, true);
                if (r < 0)
                    return false;
                titled |= r > 0;
            }
        if (ms > 0 && role_word(C, ms - 1, false) < 0)
            return false; /* "privacy activist X" */
        titled |= ms > 0 && title_ends_at(C, ms - 1, ms > 4 ? ms - 4 : 0);
    }
    return known || titled;
}

bool ev_is_official(const ev_ctx *C, int e)
{
    if (C->official[e] < 0)
        C->official[e] = official_uncached(C, e);
    return C->official[e] != 0;
}

/* "said Jane Doe", "said Commissioner Anna Lindqvist": a person right after the verb, only
 * "the" and capitalised title words between; -1 when none. */
static int inverted_speaker(const ev_ctx *C, size_t te, size_t last)
{
    for (size_t j = te + 1; j <= last && j <= te + 4; j++) {
        int e = ent_at(C, j);
        if (e >= 0) {
            /* "said Blinken had rejected ...": the person is the reported clause's subject */
            size_t end = ev_mention_end(C, j, last);
            bool ends = end == last || C->tk->t[end + 1].kind == TOK_PUNCT;
            return ent_type(C, e) == ENT_PERSON && ends ? e : -1;
        }
        if (!is_w(C, j, LEX_W_THE) && !(C->tk->t[j].kind == TOK_WORD && (C->tk->t[j].flags & TOKF_CAP)))
            break;
    }
    return -1;
}

/* A finite verb right after the speech verb ("charges he said were politically motivated",
 * "Saudi Arabia, which he said had been critical"): the clause's subject was moved out of it, so
 * the speech is parenthetical inside a relative clause, not a statement. */
static bool parenthetical_speech(const ev_ctx *C, size_t te, size_t last)
{
    size_t j = te + 1;
    if (j > last)
        return false;
    return (is_w(C, j, LEX_W_BE) || is_w(C, j, LEX_W_HAVE) || is_w(C, j, LEX_W_WILL) || is_w(C, j, LEX_W_WOULD) ||
            is_w(C, j, LEX_W_COULD)) &&
           C->lex[j].form != LEX_W_POSS;
}

int ev_statement_speaker(const ev_ctx *C, size_t first, size_t ts, size_t te, size_t last)
{
    if (parenthetical_speech(C, te, last))
        return -1;
    size_t k = ts;
    while (k > first && (is_w(C, k - 1, LEX_W_HAVE) || is_w(C, k - 1, LEX_W_ALSO) ||
                         (C->tk->t[k - 1].end - C->tk->t[k - 1].start > 3 && C->tk->t[k - 1].kind == TOK_WORD &&
                          !memcmp(C->body + C->tk->t[k - 1].end - 2, "ly", 2))))
        k--;
    int e = -1;
    bool subject_before = k > first && C->tk->t[k - 1].kind == TOK_WORD;
    if (!subject_before)
        e = inverted_speaker(C, te, last); /* "..., said David Arakhamia, a senior member ..." */
    if (e >= 0)
        ;
    else if (ev_coordinated_verb(C, first, k))
        e = ev_leading_subject(C, first, k, -1);
    else if (k > first && ent_at(C, k - 1) >= 0)
        e = ent_at(C, k - 1);
    else if (k > first && (is_w(C, k - 1, LEX_W_HE) || is_w(C, k - 1, LEX_W_SHE)))
        e = ev_resolve_pronoun(C, k - 1);
    else if (k > first && ev_is_clause_break(C, k - 1) && !is_punct(C, k - 1, ':'))
        e = ev_leading_subject(C, first, k - 1, -1);
    return e >= 0 && ent_type(C, e) == ENT_PERSON && ev_is_official(C, e) ? e : -1;
}
