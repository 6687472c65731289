/* evrefs.c - participants, pronouns, descriptions, coordination and pairs; see include/evrefs.h. */
#include "evrefs.h"

#include <string.h>
#include <strings.h>

int ev_compute_countries(ev_ctx *C)
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

int ev_as_participant(const ev_ctx *C, int e)
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

int ev_resolve_role(const ev_ctx *C, int e, size_t k, size_t last)
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

int ev_prefer_titled_person(const ev_ctx *C, int e, size_t k, size_t last)
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
        bool title_prep = (is_w(C, j, LEX_W_OF) || is_w(C, j, LEX_W_FOR)) && j + 1 <= last &&
                          (C->tk->t[j - 1].flags & TOKF_CAP) && (C->tk->t[j + 1].flags & TOKF_CAP);
        if (title_prep) /* "Commissioner for Justice Didier Reynders", "Secretary of State X" */
            continue;
        if (C->tk->t[j].kind != TOK_WORD || ev_is_prep(C, j) || ev_is_determiner(C, j) || is_w(C, j, LEX_W_AND) ||
            C->lex[j].infl == INFL_ED || C->lex[j].infl == INFL_ING)
            break;
    }
    return e;
}

/* A fronted adverbial segment ("In Moscow,", "On Tuesday,", "Speaking
 * first at a news conference,") rather than the subject noun phrase. */
static bool adverbial_segment(const ev_ctx *C, size_t k)
{
    return ev_is_prep(C, k) || C->lex[k].infl == INFL_ING || is_w(C, k, LEX_W_WHILE) || is_w(C, k, LEX_W_WHEN) ||
           is_w(C, k, LEX_W_BUT) || (C->tk->t[k].kind == TOK_WORD && C->tk->t[k].end - C->tk->t[k].start > 3 &&
                                     !memcmp(C->body + C->tk->t[k].end - 2, "ly", 2));
}

int ev_leading_subject_of(const ev_ctx *C, size_t first, size_t before, int location, bool pronouns)
{
    size_t k = first;
    /* a dateline ("KABUL, Afghanistan — ...") is not part of the sentence */
    for (size_t j = first; j < before && j < first + 8; j++)
        if (is_dash(C, j))
            k = j + 1;
    /* a quotation the sentence opens with ("“...,” X told reporters") is not its subject */
    while (k < before && ((C->tk->t[k].flags & TOKF_QUOTE) || (C->in_quote && C->in_quote[k])))
        k++;
    if (k > first && k < before && is_punct(C, k, ','))
        k++;
    /* skip fronted adverbials */
    while (k < before && adverbial_segment(C, k)) {
        size_t end = ev_clause_end(C, k, before - 1);
        if (end >= before)
            return -1;
        k = end + 1;
    }
    size_t seg_end = ev_clause_end(C, k > first ? k - 1 : k, before - 1);
    if (seg_end > before)
        seg_end = before;
    if (k < seg_end && (is_w(C, k, LEX_W_HE) || is_w(C, k, LEX_W_SHE)))
        return pronouns ? ev_resolve_pronoun(C, k) : -1;
    size_t seg_start = k;
    for (; k < seg_end; k++) {
        if (is_w(C, k, LEX_W_THAT))
            return -1; /* "The decision finds that the United States ...": a clause's subject, not the sentence's */
        int e = ent_at(C, k);
        if (e < 0 || e == location || !actor_like(ent_type(C, e)))
            continue;
        size_t s = ev_mention_start(C, k, first), end = ev_mention_end(C, k, before - 1);
        if (ev_after_prep(C, s, first)) {
            k = end;
            continue;
        }
        return ev_resolve_role(C, ev_prefer_titled_person(C, e, end, before - 1), end, before - 1);
    }
    /* "Its spokesman, Col. Amadou Abdramane, accused ...": a role that names no one, then the
     * person in apposition to it */
    if (seg_end + 1 < before && is_punct(C, seg_end, ',') && seg_end <= seg_start + 3) {
        size_t j = seg_end + 1;
        while (j < before && j < seg_end + 4 && ent_at(C, j) < 0 && (C->tk->t[j].flags & TOKF_CAP))
            j++; /* title words */
        int e = j < before ? ent_at(C, j) : -1;
        if (e >= 0 && ent_type(C, e) == ENT_PERSON) {
            size_t end = ev_mention_end(C, j, before - 1);
            if (end + 1 < before && is_punct(C, end + 1, ','))
                return e;
        }
    }
    return -1;
}

int ev_leading_subject(const ev_ctx *C, size_t first, size_t before, int location)
{
    return ev_leading_subject_of(C, first, before, location, true);
}

/* The person a sentence is about: its leading subject when that is a named person. */
static int sentence_subject_person(const ev_ctx *C, size_t sent_first, size_t sent_last)
{
    int e = ev_leading_subject_of(C, sent_first, sent_last + 1, -1, false);
    if (e >= 0)
        return ent_type(C, e) == ENT_PERSON ? e : -1;
    /* a quotation first ("'...,' Stoltenberg told reporters"): the first person named outside it */
    if (!(C->tk->t[sent_first].flags & TOKF_QUOTE) && !(C->in_quote && C->in_quote[sent_first]))
        return -1;
    for (size_t k = sent_first; k <= sent_last; k++) {
        int p = ent_at(C, k);
        if (p >= 0 && ent_type(C, p) == ENT_PERSON && !(C->in_quote && C->in_quote[k]) &&
            !ev_after_prep(C, ev_mention_start(C, k, sent_first), sent_first))
            return p;
    }
    return -1;
}

int ev_resolve_pronoun(const ev_ctx *C, size_t k)
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

int ev_resolve_it(const ev_ctx *C, size_t k)
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
            int e = ev_leading_subject_of(C, first, end, -1, false);
            if (e >= 0 && ent_type(C, e) != ENT_PERSON)
                return e;
        }
        end = first;
    }
    return -1;
}

int ev_person_before(const ev_ctx *C, size_t k, int actor)
{
    size_t stop = k > PRONOUN_REACH_TOKENS ? k - PRONOUN_REACH_TOKENS : 0;
    while (k-- > stop) {
        int e = ent_at(C, k);
        if (e >= 0 && ent_type(C, e) == ENT_PERSON && e != actor)
            return e;
    }
    return -1;
}

#define DESCRIPTION_REACH_SENTENCES 3 /* "the group" refers to a group named in this or the 3 sentences before */
#define LEADER_REACH_TOKENS 600       /* "the Russian leader": a head of state named within this many tokens */

/* Nouns for a non-state group or bloc, sorted: "the group detained", "the bloc agreed". */
static const char *const GROUP_NOUNS[] = {"alliance", "bloc", "group", "insurgents", "militants", "militia",
                                          "movement", "rebels"};
/* Nouns for the head of a government, sorted: "the Russian leader". */
static const char *const LEADER_NOUNS[] = {"leader", "premier", "president"};

static bool group_noun(const ev_ctx *C, size_t k)
{
    /* most words fail on their first letter or length before any folding */
    const token *t = &C->tk->t[k];
    size_t len = t->end - t->start;
    char c = (char)(C->body[t->start] | 0x20);
    if (len < 4 || len > 10 || !(c == 'a' || c == 'b' || c == 'g' || c == 'i' || c == 'm' || c == 'r'))
        return false;
    char w[32];
    size_t n = ev_folded(C, k, w, sizeof w);
    return n && text_in_sorted(GROUP_NOUNS, sizeof GROUP_NOUNS / sizeof *GROUP_NOUNS, w, n);
}

/* Last words of a government body's name, sorted: "the group" never means the State Department. */
static const char *const BODY_HEADS[] = {"agency", "command", "commission", "committee", "congress", "council",
                                         "court", "department", "house", "ministry", "office", "parliament",
                                         "pentagon", "senate"};

/* The ORG entity e is a government body: its name ends in one of BODY_HEADS. */
static bool government_body(const ev_ctx *C, int e)
{
    const char *name = C->es->ents[e].name, *w = strrchr(name, ' ');
    w = w ? w + 1 : name;
    char low[32];
    size_t n = strlen(w);
    if (n >= sizeof low)
        return false;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
    return text_in_sorted(BODY_HEADS, sizeof BODY_HEADS / sizeof *BODY_HEADS, low, n);
}

/* The nearest mention of a group (an ORG that is no government body) before token k, from token lo on, or -1. */
static int last_org_before(const int *ment, const ev_ctx *C, size_t lo, size_t k)
{
    while (k-- > lo)
        if (ment[k] >= 0 && C->es->ents[ment[k]].type == ENT_ORG && !government_body(C, ment[k]))
            return ment[k];
    return -1;
}

/* Tokens of ORG mentions that continue a mention (not its first token), collected in text order
 * as far as they are final: the candidates for the head word of a later "the ministry". */
typedef struct org_tails {
    uint32_t *at; /* grown in the arena as tails are found */
    size_t n, cap, scanned;
} org_tails;

/* The last ORG of two or more words whose name ends in the word at token k ("the ministry" after
 * "the Chinese Foreign Ministry", "the Commission" after "the European Commission"), or -1.
 * Tokens before k are final in ment: the list takes them in before it is searched. -2 when the
 * arena is exhausted. */
static int org_by_head(const int *ment, const ev_ctx *C, org_tails *o, size_t k)
{
    for (; o->scanned < k; o->scanned++) {
        size_t j = o->scanned;
        if (j > 0 && ment[j] >= 0 && ment[j - 1] == ment[j] && C->es->ents[ment[j]].type == ENT_ORG) {
            uint32_t *na = arena_reserve(C->a, o->at, o->n, &o->cap, 64, sizeof *na);
            if (!na)
                return -2; /* out of memory */
            o->at = na;
            o->at[o->n++] = (uint32_t)j;
        }
    }
    const token *h = &C->tk->t[k];
    size_t hn = h->end - h->start;
    for (size_t i = o->n; i-- > 0;) {
        size_t j = o->at[i];
        int e = ment[j];
        if (j + 1 < k && ment[j + 1] == e)
            continue; /* only the last token of an ORG mention */
        const token *t = &C->tk->t[j];
        if (C->tk->hfold[j] != C->tk->hfold[k] || t->end - t->start != hn ||
            strncasecmp(C->body + t->start, C->body + h->start, hn))
            continue;
        return e;
    }
    return -1;
}

/* The head of state or government of the demonym's country named last before token k ("the
 * Russian leader" -> Vladimir Putin), through the gazetteer's roles; -1 when none. */
static int leader_of(const ev_ctx *C, int norp, size_t k)
{
    const char *country = C->es->ents[norp].country;
    if (!country)
        return -1;
    size_t stop = k > LEADER_REACH_TOKENS ? k - LEADER_REACH_TOKENS : 0;
    while (k-- > stop) {
        int e = C->es->tok_entity[k];
        int g;
        if (e < 0 || C->es->ents[e].type != ENT_PERSON || !C->es->ents[e].country ||
            strcmp(C->es->ents[e].country, country) || !C->es->ents[e].id ||
            !strmap_get(&C->lx->gaz_by_id, C->es->ents[e].id, strlen(C->es->ents[e].id), &g) || !C->lx->gaz[g].role)
            continue;
        if (!strcmp(C->lx->gaz[g].role, "head_of_state") || !strcmp(C->lx->gaz[g].role, "head_of_government"))
            return e;
    }
    return -1;
}

int ev_compute_mentions(ev_ctx *C)
{
    const tokens *tk = C->tk;
    /* the tagger's mentions until a description is found; then a copy that takes them in */
    const int *m = C->es->tok_entity;
    int *own = NULL;
    C->ment = m;
    org_tails tails = {NULL, 0, 0, 0};
    for (size_t k = 1; k < tk->n; k++) {
        if (!is_w(C, k - 1, LEX_W_THE) || !same_sent(C, k - 1, k) || tk->t[k].kind != TOK_WORD)
            continue;
        size_t h = k;
        int norp = m[k] >= 0 && C->es->ents[m[k]].type == ENT_NORP ? m[k] : -1;
        if (norp >= 0 && k + 1 < tk->n && m[k + 1] < 0)
            h = k + 1; /* "the Russian leader" */
        else if (norp < 0 && m[k] < 0 && k + 1 < tk->n && m[k + 1] < 0 && !(tk->t[k].flags & TOKF_CAP) &&
                 same_sent(C, k, k + 1) && group_noun(C, k + 1))
            h = k + 1; /* "the paramilitary group", "the same group" */
        if (m[h] >= 0 || (h + 1 < tk->n && (tk->t[h + 1].flags & TOKF_CAP) && same_sent(C, h, h + 1)))
            continue;
        const token *ht = &tk->t[h];
        if (ht->kind != TOK_WORD || ht->end - ht->start >= 32)
            continue; /* not a word (ev_folded gives nothing) */
        int e = -1;
        char w[32];
        size_t n;
        if (norp >= 0 && (n = ev_folded(C, h, w, sizeof w)) &&
            text_in_sorted(LEADER_NOUNS, sizeof LEADER_NOUNS / sizeof *LEADER_NOUNS, w, n))
            e = leader_of(C, norp, k);
        else if (norp < 0 && group_noun(C, h)) {
            size_t lo = sentence_first(C, k);
            for (int back = 0; back < DESCRIPTION_REACH_SENTENCES && lo > 0; back++)
                lo = sentence_first(C, lo - 1);
            /* as a verb's object not the subject named earlier in its clause: "the army accused the
             * paramilitary group" (but "The Taliban spokesman said the group would ...") */
            uint8_t infl = k >= 2 ? C->lex[k - 2].infl : INFL_NONE; /* the word before "the" */
            bool object = (infl == INFL_ED || infl == INFL_IRREG || infl == INFL_ING) && !is_w(C, k - 2, LEX_W_SAY);
            e = last_org_before(m, C, lo, object ? ev_clause_start(C, sentence_first(C, k), k) : k);
        } else if (norp < 0)
            e = org_by_head(m, C, &tails, h);
        if (e == -2)
            return -1;
        if (e < 0)
            continue;
        if (!own) {
            if (!(own = arena_alloc_raw(C->a, (tk->n + 1) * sizeof *own)))
                return -1;
            memcpy(own, m, tk->n * sizeof *own);
            C->ment = m = own;
        }
        for (size_t j = k; j <= h; j++)
            own[j] = e;
    }
    return 0;
}

/* The first token of a conjunct whose name starts at s: its title words and nationality
 * ("Finnish President Sauli Niinisto") belong to it; stops at "and", commas and lower-case words. */
static size_t conjunct_start(const ev_ctx *C, size_t s, size_t first)
{
    while (s > first && C->tk->t[s - 1].kind == TOK_WORD && !is_w(C, s - 1, LEX_W_AND)) {
        bool title_of = s > first + 1 && is_w(C, s - 1, LEX_W_OF) && (C->tk->t[s - 2].flags & TOKF_CAP) &&
                        (C->tk->t[s].flags & TOKF_CAP); /* "Secretary of State" */
        if (!title_of && !(C->tk->t[s - 1].flags & TOKF_CAP) && ent_at(C, s - 1) < 0)
            break;
        s--;
    }
    return s;
}

size_t ev_coordinated_partners(const ev_ctx *C, int *actor, size_t first, size_t ts, int *partners, size_t max)
{
    /* find the actor's mention nearest before the trigger */
    size_t k = ts;
    while (k > first && ent_at(C, k - 1) != *actor)
        k--;
    if (k <= first)
        return 0;
    size_t s = ev_mention_start(C, k - 1, first);
    /* the conjunct's title and nationality ("and Russian Foreign Minister Sergey Lavrov") */
    while (s > first + 1 && !is_w(C, s - 1, LEX_W_AND) &&
           ((C->tk->t[s - 1].flags & TOKF_CAP) || ent_at(C, s - 1) >= 0 || is_w(C, s - 1, LEX_W_THE)) &&
           C->tk->t[s - 1].kind == TOK_WORD)
        s--;
    if (s < first + 2 || !is_w(C, s - 1, LEX_W_AND))
        return 0;
    size_t j = s - 1; /* "and"; the conjunct before it ends at j - 1 */
    /* "the Ethiopian government and Tigrayan forces": a demonym or country and its head noun */
    if (ent_at(C, j - 1) < 0 && j >= first + 2 && ent_at(C, j - 2) >= 0 && C->tk->t[j - 1].kind == TOK_WORD &&
        !(C->tk->t[j - 1].flags & TOKF_CAP) && !ev_is_prep(C, j - 1) && C->lex[j - 1].infl != INFL_ED)
        j--;
    if (ent_at(C, j - 1) < 0 || !actor_like(ent_type(C, ent_at(C, j - 1))))
        return 0;
    size_t n = 0;
    int last = *actor;
    /* walk the list back to its first item: "France, Germany and Italy", "President X, Finnish
     * President Y and Swedish Prime Minister Z" (an item's title and nationality belong to it) */
    size_t s0 = conjunct_start(C, ev_mention_start(C, j - 1, first), first);
    int item = ev_resolve_role(C, ev_prefer_titled_person(C, ent_at(C, j - 1), j - 1, ts - 1), j - 1, ts - 1);
    while (s0 >= first + 2 && is_punct(C, s0 - 1, ',') && ent_at(C, s0 - 2) >= 0 &&
           actor_like(ent_type(C, ent_at(C, s0 - 2)))) {
        size_t e1 = s0 - 2;
        if (n < max && item != last)
            partners[n++] = item;
        item = ev_resolve_role(C, ev_prefer_titled_person(C, ent_at(C, e1), e1, ts - 1), e1, ts - 1);
        s0 = conjunct_start(C, ev_mention_start(C, e1, first), first);
    }
    /* the item may be a title's nationality: step back over the title to its start; a list after
     * a preposition is its object ("talks with France and Italy"), one after a subordinator the
     * subject of its clause ("after Russian and Ukrainian negotiators held talks") */
    if (ev_after_prep(C, s0, first) && !ev_is_subordinator(C, s0 - 1) &&
        !ev_people_of_subject(C, s0, ev_clause_start(C, first, s0)))
        return 0;
    *actor = item;
    if (n < max && last != item)
        partners[n++] = last;
    return n;
}

size_t ev_following_conjunct(const ev_ctx *C, int actor, size_t first, size_t ts, int *partner)
{
    size_t k = first;
    while (k < ts && ent_at(C, k) != actor)
        k++;
    if (k >= ts)
        return 0;
    k = ev_mention_end(C, k, ts - 1) + 1;
    if (k >= ts || !is_w(C, k, LEX_W_AND))
        return 0;
    for (size_t j = k + 1; j < ts && j <= k + 8; j++) {
        int e = ent_at(C, j);
        if (e >= 0 && e != actor && actor_like(ent_type(C, e))) {
            size_t end = ev_mention_end(C, j, ts - 1);
            *partner = ev_resolve_role(C, ev_prefer_titled_person(C, e, end, ts - 1), end, ts - 1);
            return *partner != actor;
        }
        if (C->tk->t[j].kind == TOK_PUNCT && !is_punct(C, j, ','))
            return 0;
    }
    return 0;
}

#define PAIR_SENTENCES 2 /* "the two leaders" refers to a pair named in this or the 2 sentences before */

/* What "the two X" / "both X" counts: people ("leaders", "men"), sides ("countries",
 * "delegations", "governments": any party but a person), or anything ("both"). */
typedef enum { PAIR_ANY, PAIR_PERSONS, PAIR_SIDES } pair_kind;

/* Sorted nouns for sides. */
static const char *const SIDE_NOUNS[] = {"capitals", "countries", "delegations", "governments", "nations",
                                         "neighbors", "neighbours", "sides", "states"};

static bool pair_fits(const ev_ctx *C, pair_kind kind, int x, int y)
{
    if (x < 0 || y < 0 || x == y || !actor_like(ent_type(C, x)) || !actor_like(ent_type(C, y)))
        return false;
    if (kind == PAIR_PERSONS)
        return ent_type(C, x) == ENT_PERSON && ent_type(C, y) == ENT_PERSON;
    if (kind == PAIR_SIDES)
        return ent_type(C, x) != ENT_PERSON && ent_type(C, y) != ENT_PERSON;
    return true;
}

/* A pair of parties in tokens [from, to), the last one there: coordinated ("A and B"), or with
 * loose, any two different ones in turn ("Blinken told Lavrov ... the two men", "Russia could
 * exchange prisoners with the United States, and the two countries ..."). */
static bool pair_in(const ev_ctx *C, size_t from, size_t to, pair_kind kind, bool loose, int *a, int *b)
{
    bool found = false;
    int prev = -1;
    for (size_t k = from; k < to; k++) {
        int x = ent_at(C, k);
        if (x < 0 || (k > from && ent_at(C, k - 1) == x))
            continue; /* one look per mention */
        x = ev_as_participant(C, x);
        bool coordinated = k >= from + 2 && is_w(C, k - 1, LEX_W_AND) && ent_at(C, k - 2) >= 0;
        int y = coordinated ? ev_as_participant(C, ent_at(C, k - 2)) : prev;
        if ((coordinated || loose) && pair_fits(C, kind, y, x)) {
            *a = y;
            *b = x;
            found = true;
        }
        if (actor_like(ent_type(C, x)))
            prev = x;
    }
    return found;
}

/* The pair of the latest event with an actor and a target, back to token lo's sentence (with
 * talks, only meetings, negotiations and consultations), or false. */
static bool event_pair(const ev_ctx *C, size_t lo, pair_kind kind, bool recip, int *a, int *b)
{
    uint32_t sent = C->tk->t[lo].sent;
    for (size_t i = C->n; i-- > 0;) {
        const event *e = &C->ev[i];
        size_t tok = ev_token_at(C, e->trigger.start); /* events are in text order */
        if (tok < C->tk->n && C->tk->t[tok].sent < sent)
            break;
        bool talks = !strcmp(e->type, "meet") || !strcmp(e->type, "negotiate") || !strcmp(e->type, "consult");
        if (recip && !talks)
            continue;
        if (pair_fits(C, kind, e->actor, e->target)) {
            *a = e->actor;
            *b = e->target;
            return true;
        }
    }
    return false;
}

bool ev_the_two(const ev_ctx *C, size_t cs, size_t ts, int *actor, int *target)
{
    pair_kind kind = PAIR_ANY;
    bool pair = false;
    for (size_t k = cs; k < ts && k < cs + 4 && !pair; k++)
        if (is_w(C, k, LEX_W_BOTH) || (is_w(C, k, LEX_W_TWO) && k > cs && is_w(C, k - 1, LEX_W_THE))) {
            pair = true;
            char w[32];
            form_entry f = ev_any_form(C, k + 1 < ts ? k + 1 : k);
            size_t n = k + 1 < ts ? ev_folded(C, k + 1, w, sizeof w) : 0;
            if (n && text_in_sorted(SIDE_NOUNS, sizeof SIDE_NOUNS / sizeof *SIDE_NOUNS, w, n))
                kind = PAIR_SIDES; /* "the two delegations": sides, though a delegation is people */
            else if (C->lx->sym_people[f.lemma] || C->lx->sym_people[f.form] || is_w(C, k + 1, LEX_W_MAN))
                kind = PAIR_PERSONS;
        }
    if (!pair)
        return false;
    size_t s_first = sentence_first(C, ts), from = s_first;
    for (int back = 0; back < PAIR_SENTENCES && from > 0; back++)
        from = sentence_first(C, from - 1);
    /* the kind named first, then any pair near; the article's latest talks only for the kind */
    for (int any = kind == PAIR_ANY; any < 2; any++) {
        pair_kind kd = any ? PAIR_ANY : kind;
        if (pair_in(C, s_first, cs, kd, false, actor, target) ||
            (!any && pair_in(C, s_first, cs, kd, true, actor, target)) ||
            event_pair(C, from, kd, false, actor, target) || pair_in(C, from, s_first, kd, false, actor, target))
            return true;
        if (!any && event_pair(C, 0, kd, true, actor, target))
            return true;
    }
    return false;
}

bool ev_pair_object(const ev_ctx *C, size_t k, size_t last, int actor, int *a, int *b)
{
    size_t j = k;
    if (j <= last && is_w(C, j, LEX_W_THAT))
        j++;
    if (j + 1 <= last && is_w(C, j, LEX_W_THE) && is_w(C, j + 1, LEX_W_TWO))
        j += 2;
    else if (j <= last && is_w(C, j, LEX_W_BOTH))
        j++;
    else
        return false;
    /* a noun phrase follows ("both governments"), not "both of them" or "both to ..." */
    if (j > last || C->tk->t[j].kind != TOK_WORD || ev_is_prep(C, j) || is_w(C, j, LEX_W_OF))
        return false;
    size_t from = sentence_first(C, k);
    for (int back = 0; back < PAIR_SENTENCES && from > 0; back++)
        from = sentence_first(C, from - 1);
    int x, y;
    if (!pair_in(C, from, k, PAIR_SIDES, false, &x, &y) || x == actor || y == actor)
        return false;
    *a = x;
    *b = y;
    return true;
}

int ev_country_of_place(const ev_ctx *C, int e)
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

size_t ev_governments_of(const ev_ctx *C, size_t first, size_t ts, int *out, size_t max)
{
    size_t g = ts;
    while (g > first && ts - g < VERB_GROUP_TOKENS && !is_w(C, g - 1, LEX_W_GOVERNMENT))
        g--;
    if (g < first + 2 || !is_w(C, g - 1, LEX_W_GOVERNMENT) || !ev_verb_group(C, g, ts))
        return 0;
    size_t p = g - 2; /* the possessive */
    int people[MAX_TARGETS];
    size_t n = 0;
    if (is_w(C, p, LEX_W_HIS) || is_w(C, p, LEX_W_HER)) {
        people[n] = ev_resolve_pronoun(C, p);
        n += people[n] >= 0;
    } else if (is_w(C, p, LEX_W_THEIR)) {
        /* the people named last before it and those coordinated with them ("Simon Harris and
         * Jonas Gahr Støre announced that their governments ...") */
        size_t k = p;
        while (k > first && !(ent_at(C, k - 1) >= 0 && ent_type(C, ent_at(C, k - 1)) == ENT_PERSON))
            k--;
        if (k > first) {
            int last = ent_at(C, k - 1);
            n = ev_coordinated_partners(C, &last, first, k, people + 1, max - 1) + 1;
            people[0] = last;
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < n && k < max; i++) {
        int c = ent_type(C, people[i]) == ENT_PERSON ? ev_country_of_place(C, people[i]) : -1;
        if (c >= 0)
            out[k++] = c;
    }
    return k;
}
