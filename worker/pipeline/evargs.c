/* evargs.c - actors, targets and places of events; see include/evargs.h. */
#include "evargs.h"

#include <string.h>

#include "evmodality.h"
#include "evrefs.h"

#define POSSESSOR_REACH 3 /* "Iran's new government demanding": possessor up to 3 words back */

/* The verb at token v has its object (ending at obj_end) before the "to" at token to, and the
 * infinitive after it is a purpose clause of the verb's subject: v is a verb (a trigger word or a past form) that
 * starts no control cue reaching that "to" ("urge ... to", "invite ... to" are control verbs:
 * their object acts). */
static bool purpose_infinitive(const ev_ctx *C, size_t v, size_t obj_end, size_t to)
{
    /* "said Biden had no plans to travel": a finite verb after the name makes it a subject */
    for (size_t k = obj_end + 1; k < to; k++)
        if (ev_only_auxiliaries(C, k, k + 1) || C->lex[k].infl == INFL_ED || C->lex[k].infl == INFL_IRREG)
            return false;
    if (is_w(C, v, LEX_W_SAY) || is_w(C, v, LEX_W_TELL))
        return false;
    const token *t = &C->tk->t[v];
    bool past = t->kind == TOK_WORD && t->end - t->start > 3 && !memcmp(C->body + t->end - 2, "ed", 2);
    bool verb = past || C->lex[v].infl == INFL_IRREG ||
                (C->heads[v] & LEX_HEAD_TRIGGER);
    if (!verb || ev_is_prep(C, v) || ev_is_determiner(C, v))
        return false;
    for (int m = 0; m < LEX_CUE_CLASSES; m++)
        if (ev_cue_end(C, m, v) >= (int32_t)to)
            return false;
    return true;
}

int ev_find_actor(const ev_ctx *C, size_t first, size_t ts, int location)
{
    size_t cs = ev_clause_start(C, first, ts);
    /* "X is expected to meet Y before flying to Brussels": a participle after a subordinator has
     * the main clause's subject */
    if (C->lex[ts].infl == INFL_ING && ts > cs && ev_is_subordinator(C, ts - 1)) {
        int e = ev_leading_subject(C, first, ts, location);
        if (e >= 0)
            return e;
    }
    /* "X warned Madrid ... and accused Y": a coordinated verb shares the sentence's subject */
    if (ev_coordinated_verb(C, cs, ts)) {
        int e = ev_leading_subject(C, first, ts, location);
        if (e >= 0)
            return e;
    }
    for (size_t k = ts; k-- > cs;) {
        if (is_w(C, k, LEX_W_WHO) || is_w(C, k, LEX_W_WHICH)) {
            /* "Qatar, which hosted ...": the antecedent before the comma; "Siamak Namazi, a
             * businessman who was detained": the name the apposition describes */
            size_t j = k;
            while (j > first && ev_is_clause_break(C, j - 1))
                j--;
            if (j > first && ent_at(C, j - 1) >= 0 && actor_like(ent_type(C, ent_at(C, j - 1))))
                return ent_at(C, j - 1);
            size_t a = j;
            while (a > first && a + 4 > j && C->tk->t[a - 1].kind == TOK_WORD && ent_at(C, a - 1) < 0)
                a--;
            if (a < j && a > first + 1 && is_punct(C, a - 1, ',') && (is_w(C, a, LEX_W_A) || is_w(C, a, LEX_W_AN)) &&
                ent_at(C, a - 2) >= 0 && actor_like(ent_type(C, ent_at(C, a - 2))))
                return ent_at(C, a - 2);
            return -1;
        }
        if (is_w(C, k, LEX_W_HE) || is_w(C, k, LEX_W_SHE))
            return ev_resolve_pronoun(C, k);
        if ((is_w(C, k, LEX_W_IT) || is_w(C, k, LEX_W_THEY)) && ev_only_auxiliaries(C, k + 1, ts))
            return ev_resolve_it(C, k);
        /* "Borrell said the bloc was ready to ...", "it showed that regulators were willing to ...": a
         * reported clause has its own subject after the speech verb or "that"; none named, no actor */
        if (is_w(C, k, LEX_W_SAY) || is_w(C, k, LEX_W_TELL)) {
            /* ... unless a government or body speaks: "France said the conditions were not right to
             * recognize ...", "Turkish diplomats said parliament could refuse ..." speak for it */
            int sp = ev_find_actor(C, first, k, location);
            return sp >= 0 && ent_type(C, sp) != ENT_PERSON ? sp : -1;
        }
        if (is_w(C, k, LEX_W_THAT))
            return -1;
        int e = ent_at(C, k);
        if (e < 0 || e == location || !actor_like(ent_type(C, e)))
            continue;
        size_t s = ev_mention_start(C, k, cs);
        /* "with Iran's new government demanding that ...": the subject of an absolute participle */
        bool absolute = C->lex[ts].infl == INFL_ING && s > cs && is_w(C, s - 1, LEX_W_WITH);
        /* "after Kim Jong Un met Putin", "after the Taliban took Kabul": a subordinate clause's subject */
        size_t p = s;
        while (p > cs && ev_is_determiner(C, p - 1))
            p--;
        bool subordinate =
            p > cs && ev_is_subordinator(C, p - 1) && ev_only_auxiliaries(C, ev_mention_end(C, k, ts - 1) + 1, ts);
        if (!absolute && !subordinate && !ev_people_of_subject(C, s, cs) && ev_after_prep(C, s, cs)) {
            k = s;
            continue;
        }
        /* "had called Erdoğan earlier to urge him": a verb's object is not the subject of a purpose
         * infinitive after it; a control verb's object is ("urged Iran to negotiate") */
        if (s > cs && is_w(C, ts - 1, LEX_W_TO) && purpose_infinitive(C, s - 1, ev_mention_end(C, k, ts - 1), ts - 1))
            return ev_find_actor(C, first, s - 1, location);
        /* "the Taliban's political office in Qatar and signed": a possessor far back is an object's modifier */
        if (k + 1 < ts && C->lex[k + 1].form == LEX_W_POSS && ts - k - 1 > POSSESSOR_REACH + 1) {
            k = s;
            continue;
        }
        return ev_resolve_role(C, ev_prefer_titled_person(C, e, ev_mention_end(C, k, ts - 1), ts - 1),
                            ev_mention_end(C, k, ts - 1), ts - 1);
    }
    /* nothing but the verb group after a break ("..., would have been obliged to arrest"): the
     * subject precedes an apposition */
    if (cs > first && ev_verb_group(C, cs, ts))
        return ev_leading_subject(C, first, cs, location);
    return -1;
}

int ev_find_location(const ev_ctx *C, size_t first, size_t last, size_t trig_end, int32_t prep)
{
    int fallback = -1;
    for (size_t k = first; k < last; k++) {
        /* "to" names a place only for triggers that say so ("travel to"); else it is a target ("ambassador to Spain") */
        bool p = prep ? is_w(C, k, prep) : (word_class(C, k) & WC_IN_AT) != 0;
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
    return word_class(C, k) & WC_TARGET_PREP;
}

/* Token k is "him", or "her" as an object ("urged her to", "met her on"), not a possessive. */
static bool object_pronoun(const ev_ctx *C, size_t k, size_t last)
{
    if (is_w(C, k, LEX_W_HIM))
        return true;
    return is_w(C, k, LEX_W_HER) && (k == last || C->tk->t[k + 1].kind != TOK_WORD || ev_is_prep(C, k + 1));
}

/* After the comma at token k comes another item of a list of names: a name followed by a comma,
 * "and"/"or" or the sentence's end ("Britain, China, France and Germany"), not the subject of
 * a new clause ("struck Kherson, Ukrainian officials said"). */
static bool list_item_after(const ev_ctx *C, size_t k, size_t last)
{
    if (k + 1 > last || ent_at(C, k + 1) < 0)
        return false;
    size_t end = ev_mention_end(C, k + 1, last);
    return end == last || is_punct(C, end + 1, ',') || is_w(C, end + 1, LEX_W_AND) || is_w(C, end + 1, LEX_W_OR) ||
           is_punct(C, end + 1, '.');
}

size_t ev_find_targets(const ev_ctx *C, const trigger *tr, size_t ts, size_t te, size_t last, int actor,
                           int *out, size_t max)
{
    bool that_pattern = tr->words[tr->n_words - 1] == LEX_W_THAT;
    size_t k = ts + 1, stop = ev_clause_end(C, te, last);
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
            if (!(is_punct(C, k, ',') && n && list_item_after(C, k, last)))
                break;
            stop = ev_clause_end(C, k, last);
            continue;
        }
        int e = ent_at(C, k);
        if (e < 0 && n == 0 && object_pronoun(C, k, last)) {
            /* "urge him to", "arrest him": the person last named who is not the actor */
            int p = ev_person_before(C, k, actor);
            if (p >= 0)
                out[n++] = p;
            break;
        }
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
            /* "an offer to work together against ISIS-K": cooperation's opponent is no target */
            if (is_w(C, k, LEX_W_AGAINST) && C->lx->types[tr->type].quad_class <= 2 && k > te)
                break;
            if (is_target_prep(C, k) || ev_is_determiner(C, k) || k <= te)
                continue; /* the pattern's own words, "the", "on" do not count */
            if (is_w(C, k, LEX_W_AND) && k + 1 <= last && (ev_is_determiner(C, k + 1) || ent_at(C, k + 1) >= 0)) {
                words = 0; /* "his security team and the Joint Chiefs of Staff": the next conjunct */
                continue;
            }
            if (++words > reach)
                break;
            continue;
        }
        size_t s = ev_mention_start(C, k, ts + 1), end = ev_mention_end(C, k, last), p = s;
        k = end;
        while (p > ts + 1 && ev_is_determiner(C, p - 1))
            p--;
        if (p > ts + 1 && p != people_of &&
            (is_w(C, p - 1, LEX_W_IN) || is_w(C, p - 1, LEX_W_AT) || is_w(C, p - 1, LEX_W_FROM) ||
             is_w(C, p - 1, LEX_W_DURING) || is_w(C, p - 1, LEX_W_OVER) || is_w(C, p - 1, LEX_W_ABOUT) ||
             is_w(C, p - 1, LEX_W_NEAR) || is_w(C, p - 1, LEX_W_AROUND)))
            break; /* a place, time or topic phrase ends the object ("discussions over Ukraine") */
        if (p == people_of && place_like(ent_type(C, e)) && !actor_like(ent_type(C, e)))
            break;
        if (tr->requires_object && p > te + 1)
            break; /* "called Erdogan": the object right after the verb */
        if (tr->location_prep && p > ts + 1 && is_w(C, p - 1, tr->location_prep) && place_like(ent_type(C, e)))
            break; /* "travel to Qatar": the trigger's own place preposition names the place */
        if (!actor_like(ent_type(C, e)))
            break;
        int named = e;
        e = ev_resolve_role(C, ev_prefer_titled_person(C, e, end, last), end, last);
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
        if (nx <= last && (is_w(C, nx, LEX_W_AND) || (is_punct(C, nx, ',') && list_item_after(C, nx, last)))) {
            if (nx >= stop)
                stop = ev_clause_end(C, nx, last); /* the list's comma is not the clause's end */
            k = nx;
            if (nx + 1 <= last && is_w(C, nx + 1, LEX_W_AND))
                k++;
            continue;
        }
        break;
    }
    return n;
}

#define ANTECEDENT_SENTENCES 20 /* how far back "condemned the launch" looks for the launch */
#define STEM_BYTES 5              /* shared folded prefix of "launch"/"launched", "suspension"/"suspending" */
#define ACT_WORD_MIN 3            /* shorter words ("it", "us") name no act */

/* The folded word at token k (at most 15 bytes kept), its length, or 0 when k is not a word of
 * at least ACT_WORD_MIN bytes. */
static size_t act_word(const ev_ctx *C, size_t k, char out[16])
{
    const token *t = &C->tk->t[k];
    if (t->kind != TOK_WORD || t->end - t->start < ACT_WORD_MIN || t->end - t->start >= 64)
        return 0;
    char buf[64];
    size_t n = text_fold(C->body + t->start, t->end - t->start, buf, sizeof buf);
    n = n < 15 ? n : 15;
    memcpy(out, buf, n);
    return n;
}

/* Two words name the same act: the same first STEM_BYTES ("launch"/"launched",
 * "suspension"/"suspending"), or, when the wanted word is shorter, the word itself or its
 * plural ("trip"/"trips"). */
static bool same_act(const char *want, size_t nw, const char *got, size_t ng)
{
    if (nw >= STEM_BYTES)
        return ng >= STEM_BYTES && !memcmp(want, got, STEM_BYTES);
    return (ng == nw || (ng == nw + 1 && got[nw] == 's')) && !memcmp(want, got, nw);
}

#define OPENING_WORDS 3 /* words ("The", "Senior American") a lead sentence's subject may follow */

/* The entity e is named in the opening words of the sentence starting at f (after a dateline):
 * the subject of "The Group of 20 admitted ...", not the object of "A convoy reached El Fasher". */
static bool opens_sentence(const ev_ctx *C, size_t f, size_t l, int e)
{
    size_t k = f;
    for (size_t j = f; j <= l && j < f + 8; j++)
        if (is_dash(C, j))
            k = j + 1;
    for (size_t n = 0; k <= l && n <= OPENING_WORDS; k++, n++)
        if (ent_at(C, k) == e)
            return true;
    return false;
}

/* The leading subject of the sentence starting at f, as a participant of another side than
 * actor (not a demonym), or -1. */
static int other_subject(const ev_ctx *C, size_t f, int actor, bool opening)
{
    size_t l = f;
    while (l + 1 < C->tk->n && same_sent(C, l + 1, f))
        l++;
    int e = ev_leading_subject_of(C, f, l + 1, -1, false);
    if (e >= 0 && opening && !opens_sentence(C, f, l, e))
        return -1;
    e = e >= 0 ? ev_as_participant(C, e) : -1;
    return e >= 0 && e != ev_as_participant(C, actor) && ent_type(C, e) != ENT_NORP ? e : -1;
}

int ev_act_doer(const ev_ctx *C, size_t k, size_t last, int actor)
{
    bool demonstrative = false, definite = false;
    for (; k <= last && ev_is_determiner(C, k); k++) {
        demonstrative |= is_w(C, k, LEX_W_THIS) || is_w(C, k, LEX_W_THESE) || is_w(C, k, LEX_W_THOSE);
        definite |= is_w(C, k, LEX_W_THE);
    }
    /* the head noun: the last word before a preposition, punctuation or name, within 3 words */
    size_t head = 0;
    for (size_t n = 0; k <= last && n < 3 && C->tk->t[k].kind == TOK_WORD && ent_at(C, k) < 0 && !ev_is_prep(C, k);
         k++, n++)
        head = k;
    char want[16], got[16];
    size_t nw = head ? act_word(C, head, want) : 0;
    if (!nw)
        return -1;
    size_t s_first = sentence_first(C, head);
    /* the first sentence of the last ANTECEDENT_SENTENCES before this one that mentions the act */
    size_t from = s_first;
    for (int back = 0; back < ANTECEDENT_SENTENCES && from > 0; back++)
        from = sentence_first(C, from - 1);
    for (size_t j = from; j < s_first; j++) {
        size_t ng;
        const token *t = &C->tk->t[j];
        size_t tl = t->end - t->start;
        /* an ASCII word shorter than the stem, or with another first letter, names another act */
        if (t->kind != TOK_WORD ||
            (!(t->flags & TOKF_NONASCII) && (((C->body[t->start] | 0x20) != want[0] && want[0] >= 'a' &&
                                               want[0] <= 'z') ||
                                              tl < (nw < STEM_BYTES ? nw : STEM_BYTES))))
            continue;
        if ((C->in_quote && C->in_quote[j]) || ent_at(C, j) >= 0 || !(ng = act_word(C, j, got)) ||
            !same_act(want, nw, got, ng))
            continue;
        int d = other_subject(C, sentence_first(C, j), actor, false);
        if (d >= 0)
            return d;
        j = sentence_first(C, j);
        while (j + 1 < s_first && same_sent(C, j, j + 1))
            j++; /* "The decision finds that ...": no subject; the next sentence that names it */
    }
    if (demonstrative && s_first > 0)
        return other_subject(C, sentence_first(C, s_first - 1), actor, false);
    if (definite && s_first > 0)
        return other_subject(C, 0, actor, true);
    return -1;
}

int ev_other_party(const ev_ctx *C, size_t from, size_t to, int actor)
{
    const char *own = C->es->ents[ev_as_participant(C, actor)].country;
    for (size_t j = from; j <= to && !is_punct(C, j, ';'); j++) {
        int d = ent_at(C, j);
        if (d < 0 || !actor_like(ent_type(C, d)))
            continue;
        int pd = ev_as_participant(C, d);
        const char *theirs = C->es->ents[pd].country;
        if (pd != ev_as_participant(C, actor) && !(own && theirs && !strcmp(own, theirs)))
            return pd;
        j = ev_mention_end(C, j, to);
    }
    return -1;
}

#define SUPPORT_REACH 8 /* tokens between a light verb and its nominal trigger ("announced $1.85 billion in military aid") */

int ev_noun_actor(const ev_ctx *C, size_t first, size_t ts, size_t last, int location)
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
        bool light = (C->lx->sym_light[C->lex[k].lemma] || C->lx->sym_light[C->lex[k].form]) &&
                     !(k > first && ev_is_determiner(C, k - 1)); /* "on the steps of": a noun, no support verb */
        if (light || is_w(C, k, LEX_W_FOR))
            return ev_find_actor(C, first, k, location);
        if (is_w(C, k, LEX_W_HIS) || is_w(C, k, LEX_W_HER))
            return ev_resolve_pronoun(C, k); /* "his meeting with": the person last named as a subject */
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
        ev_clause_start(C, s, ts) == s) {
        size_t end = ev_clause_end(C, ts, last);
        return end <= last ? ev_leading_subject(C, end + 1, last + 1, location) : -1;
    }
    /* "X and Y agreed ..., at a summit in a lakeside villa": a trailing phrase after a comma has the
     * main clause's subject */
    size_t p = ts;
    while (p > s && ts - p < 4 && (ev_is_determiner(C, p - 1) || (C->tk->t[p - 1].kind == TOK_WORD &&
                                                                 !ev_is_prep(C, p - 1) && ent_at(C, p - 1) < 0)))
        p--;
    if (p > s + 1 && (is_w(C, p - 1, LEX_W_AT) || is_w(C, p - 1, LEX_W_DURING)) && is_punct(C, p - 2, ','))
        return ev_leading_subject(C, first, p - 2, location);
    return -1;
}

#define BETWEEN_REACH 8 /* "four days of talks in Beijing between", "talks to revive the agreement between" */

bool ev_between_pair(const ev_ctx *C, size_t te, size_t last, int *a, int *b)
{
    /* "meeting between" is itself a pattern; else "between" a few words on in the noun phrase, no
     * clause break, verb or other party before it */
    size_t k = te;
    while (k < last && k < te + BETWEEN_REACH && !is_w(C, k, LEX_W_BETWEEN) && !ev_is_clause_break(C, k + 1) &&
           !ev_only_auxiliaries(C, k + 1, k + 2)) {
        int e = ent_at(C, k + 1); /* a place phrase may stand between: "talks in Beijing between" */
        if (e >= 0 && !(place_like(ent_type(C, e)) && (is_w(C, k, LEX_W_IN) || ent_at(C, k) == e)))
            break;
        k++;
    }
    if (k > last || !is_w(C, k, LEX_W_BETWEEN))
        return false;
    size_t from = k;
    *a = *b = -1;
    for (k++; k <= last && k <= from + 16; k++) {
        int e = ent_at(C, k);
        if (e < 0 || !actor_like(ent_type(C, e)))
            continue;
        size_t end = ev_mention_end(C, k, last);
        e = ev_resolve_role(C, ev_prefer_titled_person(C, e, end, last), end, last);
        if (*a < 0) {
            *a = e;
            /* "between Ali Shamkhani, the secretary of ..., and X": skip to the "and" */
            while (k <= last && k <= from + 16 && !is_w(C, k, LEX_W_AND))
                k++;
        } else if (e != *a) {
            *b = e;
            return true;
        }
    }
    return *a >= 0;
}

bool ev_is_passive(const ev_ctx *C, size_t ts, size_t first)
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

int ev_by_agent(const ev_ctx *C, size_t te, size_t last)
{
    for (size_t k = te + 1; k < last && k <= te + 6; k++)
        if (is_w(C, k, LEX_W_BY)) {
            size_t j = k + 1 <= last && is_w(C, k + 1, LEX_W_THE) ? k + 2 : k + 1;
            return j <= last ? ent_at(C, j) : -1;
        }
    return -1;
}
