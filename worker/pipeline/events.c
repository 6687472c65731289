/* events.c - triggers and event records; see include/events.h.
 *
 * Everything compares integer symbol ids: each token gets its form and
 * lemma id once (events_lemmas, evdoc.c), modality cues are found once per
 * token through the lexicon's first-word index (evmodality.c), and per event
 * the rules only walk the few tokens around the trigger: its actor, targets
 * and place (evargs.c, through the references of evrefs.c), a statement's
 * speaker (evspeaker.c), its modality and its time (evtime.c).
 */
#include "events.h"

#include <string.h>

#include "evargs.h"
#include "evdoc.h"
#include "evmodality.h"
#include "evrefs.h"
#include "evspeaker.h"
#include "evtime.h"

#define ARGUMENT_WINDOW_TOKENS 60 /* actor, target, place and time lie within this of the trigger */

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

static int push_event(ev_ctx *C, const event *e)
{
    if (C->n >= C->lim->max_events)
        return 0;
    event *ne = arena_reserve(C->a, C->ev, C->n, &C->cap, 16, sizeof *ne);
    if (!ne)
        return ingest_fail(C->err, INGEST_ERR_INTERNAL, "out of memory");
    C->ev = ne;
    C->ev[C->n++] = *e;
    return 0;
}

/* The contract types the rules treat specially; the others are K_OTHER. */
typedef enum {
    K_OTHER, K_STATEMENT, K_APPEAL, K_PRAISE, K_DEMAND, K_CRITICIZE, K_REJECT, K_THREATEN, K_DETAIN,
    K_PROVIDE_AID, K_REDUCE_RELATIONS, K_WITHDRAW, K_VISIT, K_KINDS
} type_kind;

static type_kind kind_of_name(const char *t)
{
    static const char *const names[K_KINDS] = {"",        "statement", "appeal",      "praise",
                                               "demand",  "criticize", "reject",      "threaten",
                                               "detain",  "provide_aid", "reduce_relations", "withdraw",
                                               "visit"};
    for (int k = 1; k < K_KINDS; k++)
        if (t[0] == names[k][0] && !strcmp(t, names[k])) /* the first letter turns most away */
            return (type_kind)k;
    return K_OTHER;
}

/* The kind of event type ti, named once per article (the names are compared on first use). */
static type_kind kind_of(ev_ctx *C, int ti)
{
    if (!C->type_kind[ti])
        C->type_kind[ti] = (uint8_t)(kind_of_name(C->lx->types[ti].type) + 1);
    return (type_kind)(C->type_kind[ti] - 1);
}

/* One event per type, actor and target in a sentence: "He said he had told ...", "agreed on
 * Thursday to invite ...", "offered to work together" are one act each. */
static bool event_known(const ev_ctx *C, const event *e, bool statement)
{
    for (size_t i = C->n; i-- > 0 && C->ev[i].sentence.start == e->sentence.start;)
        if (C->ev[i].type == e->type && C->ev[i].actor == e->actor && (C->ev[i].target == e->target || statement))
            return true;
    return false;
}

/* Types whose triggers are speech acts (CAMEO 01, 02, 051, 10-13). */
static bool speech_act(type_kind k)
{
    return k == K_APPEAL || k == K_CRITICIZE || k == K_DEMAND || k == K_PRAISE || k == K_REJECT || k == K_STATEMENT ||
           k == K_THREATEN;
}

/* "after meeting Emmanuel Macron": a one-word nominal trigger in -ing right before an actor is a
 * gerund with its object, a verb. */
static bool gerund_with_object(const ev_ctx *C, const trigger *tr, size_t ts, size_t last)
{
    const token *t = &C->tk->t[ts];
    bool ing = t->end - t->start > 4 && !memcmp(C->body + t->end - 3, "ing", 3);
    return tr->noun && tr->n_words == 1 && ing && ts + 1 <= last && ent_at(C, ts + 1) >= 0 &&
           actor_like(ent_type(C, ent_at(C, ts + 1)));
}

static int emit(ev_ctx *C, const trigger *tr, size_t ts, size_t te, size_t sent_first, size_t sent_last)
{
    bool noun = tr->noun && !gerund_with_object(C, tr, ts, sent_last);
    const event_type *et = &C->lx->types[tr->type];
    size_t first = sent_first, last = sent_last;
    if (ts > first + ARGUMENT_WINDOW_TOKENS)
        first = ts - ARGUMENT_WINDOW_TOKENS;
    if (last > te + ARGUMENT_WINDOW_TOKENS)
        last = te + ARGUMENT_WINDOW_TOKENS;
    type_kind kind = kind_of(C, tr->type);
    bool statement = kind == K_STATEMENT;
    int location = statement ? -1 : ev_find_location(C, first, last, te, tr->location_prep);
    int actor, targets[MAX_TARGETS], speakers[MAX_TARGETS];
    size_t nt = 0, ns = 0;
    if (statement) {
        /* "..., saying ...": a participle elaborates the main act, it is not a statement of its own */
        if (C->lex[ts].infl == INFL_ING)
            return 0;
        actor = ev_statement_speaker(C, first, ts, te, last);
        if (actor < 0)
            return 0;
        /* "Simon Harris and Jonas Gahr Store announced": each official speaks */
        ns = ev_coordinated_partners(C, &actor, first, ts, speakers, MAX_TARGETS);
    } else if (tr->passive || (!noun && ev_is_passive(C, ts, first))) {
        /* the subject underwent the event; the agent follows "by" */
        int patient = ev_find_actor(C, first, ts, location);
        actor = ev_by_agent(C, te, last);
        /* "was detained in Iran": with no agent named, the state that holds the place detains */
        if (actor < 0 && location >= 0 && kind == K_DETAIN)
            actor = ev_country_of_place(C, location);
        if (patient >= 0 && patient != actor && actor_like(ent_type(C, patient)))
            targets[nt++] = patient;
    } else {
        int a, b;
        actor = noun ? ev_noun_actor(C, first, ts, last, location) : ev_find_actor(C, first, ts, location);
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
        if (noun && ev_between_pair(C, te, last, &a, &b)) {
            actor = a;
            if (b >= 0)
                targets[nt++] = b;
        } else {
            int partners[MAX_TARGETS];
            size_t np = actor >= 0 ? ev_coordinated_partners(C, &actor, first, ts, partners, MAX_TARGETS) : 0;
            nt = ev_find_targets(C, tr, ts, te, last, actor, targets, MAX_TARGETS);
            if (nt == 0 && np == 0 && et->reciprocal && actor >= 0)
                np = ev_following_conjunct(C, actor, first, ts, partners);
            if (nt == 0 && et->reciprocal)
                for (size_t k = 0; k < np; k++)
                    targets[nt++] = partners[k];
            if (actor < 0 && !noun && ev_the_two(C, ev_clause_start(C, first, ts), ts, &a, &b)) {
                actor = a;
                /* "the two men could meet again after Moscow had studied it": the pair meets */
                if (nt == 0 || et->reciprocal) {
                    nt = 1;
                    targets[0] = b;
                }
            }
        }
    }
    /* "their governments would also recognize Palestine": each named person's country acts */
    int govs[MAX_TARGETS];
    size_t ngov = actor < 0 && !noun && !statement ? ev_governments_of(C, first, ts, govs, MAX_TARGETS) : 0;
    if (ngov)
        actor = govs[0];
    /* who did it is the point of an event record: without an actor there is none */
    if (actor < 0)
        return 0;
    for (size_t k = 0; k < nt; k++)
        if (targets[k] == location)
            location = -1; /* "demanded that Washington ...": a participant, not the place */
    /* "sending the F-16 jets that Kyiv has requested": aid goes to the party named after it */
    if (nt == 0 && kind == K_PROVIDE_AID) {
        size_t stop = ev_clause_end(C, te, last);
        for (size_t k = te + 1; k < stop && k <= te + 10; k++) {
            int d = ent_at(C, k);
            if (d >= 0 && actor_like(ent_type(C, d)) && ev_as_participant(C, d) != ev_as_participant(C, actor)) {
                targets[nt++] = d;
                break;
            }
        }
    }
    /* "warned that any Russian forces ...", "rejected accusations that Russia was behind attacks on
     * American companies": the first party of another country in the clause that follows */
    bool evaluative = kind == K_THREATEN || kind == K_DEMAND || kind == K_REJECT || kind == K_CRITICIZE;
    if (nt == 0 && evaluative && kind != K_CRITICIZE) {
        size_t k = te + 1;
        while (k <= last && k <= te + 6 && !is_w(C, k, LEX_W_THAT))
            k++;
        if (k <= last && is_w(C, k, LEX_W_THAT)) {
            int d = ev_other_party(C, k + 1, k + 16 < last ? k + 16 : last, actor);
            if (d >= 0)
                targets[nt++] = d;
        }
    }
    /* "rejected what he called political pressure from Washington", "warned ... its freedom to act
     * against Iran's nuclear program": the party a from/against/by phrase names */
    if (nt == 0 && evaluative)
        for (size_t k = te + 1; k < last && !is_punct(C, k, ';'); k++) {
            if (!is_w(C, k, LEX_W_FROM) && !is_w(C, k, LEX_W_AGAINST) && !is_w(C, k, LEX_W_BY))
                continue;
            size_t j = k + 1;
            while (j < last && ev_is_determiner(C, j))
                j++;
            int d = ent_at(C, j) >= 0 ? ev_other_party(C, j, j, actor) : -1;
            if (d >= 0) {
                targets[nt++] = d;
                break;
            }
        }
    /* "condemned the launch": the doer of the act the object names */
    if (nt == 0 && !statement && (kind == K_CRITICIZE || kind == K_PRAISE || kind == K_REJECT)) {
        /* the object stands in the pattern's gap ("called the expansion historic", "dismissed ... as") */
        int d = ev_act_doer(C, tr->n_words > 1 && tr->words[1] == LEX_GAP ? ts + 1 : te + 1, last, actor);
        if (d >= 0)
            targets[nt++] = d;
    }
    /* "recalled its ambassador from Vilnius", "withdraw troops from Niger": the country left */
    if (nt == 0 && (kind == K_REDUCE_RELATIONS || kind == K_WITHDRAW)) {
        for (size_t k = te + 1; k + 1 <= last && k <= te + 6 && !ev_is_clause_break(C, k); k++)
            if (is_w(C, k, LEX_W_FROM) && ent_at(C, k + 1) >= 0 && place_like(ent_type(C, ent_at(C, k + 1)))) {
                int c = ent_type(C, ent_at(C, k + 1)) == ENT_GPE ? ev_country_of_place(C, ent_at(C, k + 1)) : -1;
                if (c >= 0 && c != ev_as_participant(C, actor))
                    targets[nt++] = c;
                break;
            }
    }
    /* "praised both governments", "demanded that both Nordic countries ...": the pair named before */
    int pa, pb;
    if (nt == 0 && !statement && ev_pair_object(C, te + 1, last, ev_as_participant(C, actor), &pa, &pb)) {
        targets[nt++] = pa;
        targets[nt++] = pb;
    }
    /* a visit's target is the country visited ("visited Tehran" -> Iran), its place the city; a
     * reduction of relations in another country is against it ("suspended operations at the
     * embassy in Sudan's capital") */
    bool abroad = kind == K_REDUCE_RELATIONS;
    if (nt == 0 && location >= 0 && (kind == K_VISIT || kind == K_WITHDRAW || abroad)) {
        int c = ev_country_of_place(C, location);
        const char *own = C->es->ents[actor].country, *there = c >= 0 ? C->es->ents[c].country : NULL;
        if (c >= 0 && c != ev_as_participant(C, actor) && !(abroad && (!own || !there || !strcmp(own, there))))
            targets[nt++] = c;
        /* "will travel to Seoul" in an article that never names South Korea: the city visited, which
         * carries its country's code, as "visit Paris" does */
        else if (c < 0 && kind == K_VISIT && ent_type(C, location) == ENT_GPE && C->es->ents[location].country &&
                 !(own && !strcmp(own, C->es->ents[location].country)))
            targets[nt++] = location;
    }
    event e = {.type = et->type, .cameo = et->cameo, .quad_class = et->quad_class,
               .trigger = {C->tk->t[ts].start, C->tk->t[te].end}, .actor = ev_as_participant(C, actor), .target = -1,
               .location = location, .sentence = {C->tk->t[sent_first].start, C->tk->t[sent_last].end}};
    e.mod = ev_find_modality(C, first, ts, te, last, noun, speech_act(kind));
    size_t ms, me;
    ev_scan_times(C, sent_first, sent_last);
    if (ev_find_time(C, first, last, ts, &ms, &me)) {
        size_t n = C->tk->t[me].end - C->tk->t[ms].start;
        e.time_text = arena_strndup(C->a, C->body + C->tk->t[ms].start, n);
        if (!e.time_text)
            return ingest_fail(C->err, INGEST_ERR_INTERNAL, "out of memory");
        char d[11];
        if (ev_resolve_time(C, e.time_text, n, e.mod == MOD_PLANNED, d))
            e.time_date = arena_strndup(C->a, d, 10);
    }
    e.confidence = 0.4 + (actor >= 0 ? 0.25 : 0) + (nt ? 0.15 : 0) + (tr->n_words > 1 ? 0.1 : 0);
    if (statement) {
        for (size_t k = 0; k < ns; k++) {
            event o = e;
            o.actor = speakers[k];
            if (ent_type(C, o.actor) == ENT_PERSON && ev_is_official(C, o.actor) && !event_known(C, &o, true) &&
                push_event(C, &o))
                return -1;
        }
        if (ent_type(C, actor) != ENT_PERSON || !ev_is_official(C, actor))
            return 0;
    }
    if (statement && event_known(C, &e, statement))
        return 0;
    if (tr->requires_target && nt == 0)
        return 0;
    for (size_t g = 0; g < (ngov ? ngov : 1); g++) {
        e.actor = ev_as_participant(C, ngov ? govs[g] : actor);
        if (nt == 0 && !event_known(C, &e, statement) && push_event(C, &e))
            return -1;
        for (size_t k = 0; k < nt; k++) {
            e.target = ev_as_participant(C, targets[k]);
            if (e.target == e.actor || event_known(C, &e, statement))
                continue;
            if (push_event(C, &e))
                return -1;
        }
        e.target = -1;
    }
    return 0;
}

/* The part of speech the trigger declares must fit the head word's context:
 * a noun pattern does not match a verb form reached through -ed/-ing ('met'
 * is not 'meeting') nor a word after a modal or subject pronoun; a verb
 * pattern does not match a word after a determiner ('the attack') nor a
 * participle after a preposition ('access to frozen funds'). */
static bool head_fits(const ev_ctx *C, const trigger *tr, size_t i, size_t sent_first)
{
    const form_entry *f = &C->lex[i];
    bool has_prev = i > sent_first;
    if (tr->noun) {
        if (f->form != tr->words[0] && (f->infl == INFL_ED || f->infl == INFL_ING))
            return false;
        return !(has_prev && ev_is_verb_context(C, i - 1));
    }
    /* a participle right after a preposition is an adjective: "access to frozen funds" */
    if (has_prev && (f->infl == INFL_ED || f->infl == INFL_IRREG) && ev_is_prep(C, i - 1) &&
        !ev_is_subordinator(C, i - 1))
        return false;
    return !(has_prev && ev_is_determiner(C, i - 1));
}

/* ev_ctx.heads, one pass; 8 zero bytes after the last token so that the trigger scan may read
 * the bytes 8 at a time. */
static int compute_heads(ev_ctx *C)
{
    size_t n = C->tk->n;
    uint8_t *h = arena_alloc(C->a, n + 8);
    if (!h)
        return -1;
    for (size_t k = 0; k < n; k++)
        h[k] = C->lx->sym_heads[C->lex[k].lemma] | C->lx->sym_heads[C->lex[k].form];
    C->heads = h;
    return 0;
}

/* The first token at or after i that may start a trigger (its heads byte has LEX_HEAD_TRIGGER),
 * or n: most tokens start none, so the bytes are tested 8 at a time. */
static size_t next_trigger_head(const uint8_t *heads, size_t i, size_t n)
{
    const uint64_t bits = 0x0101010101010101ull * LEX_HEAD_TRIGGER;
    while (i + 8 <= n + 8) {
        uint64_t x;
        memcpy(&x, heads + i, 8);
        x &= bits;
        if (x)
            return i + (size_t)__builtin_ctzll(x) / 8;
        i += 8;
    }
    return n;
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
    C.time_len = arena_alloc_raw(a, tk->n + 1);
    C.type_kind = arena_alloc(a, lx->n_types + 1);
    if (!C.lex || !C.time_len || !C.type_kind || compute_heads(&C) || ev_compute_cues(&C) || ev_compute_countries(&C) ||
        ev_compute_quoted(&C) || ev_compute_mentions(&C))
        return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
    long covered_until = -1; /* one event per trigger span: the longest pattern wins */
    size_t sent_first = 0, sent_last = 0;
    long bounds_of = -1; /* the sentence sent_first and sent_last are for */
    for (size_t i = next_trigger_head(C.heads, 0, tk->n); i < tk->n; i = next_trigger_head(C.heads, i + 1, tk->n)) {
        const form_entry *f = &C.lex[i];
        if (tk->t[i].kind != TOK_WORD || (long)i <= covered_until || es->tok_entity[i] >= 0 || C.in_quote[i])
            continue;
        if (ev_is_name_word(body, tk, i))
            continue;
        if (bounds_of != (long)tk->t[i].sent) {
            bounds_of = (long)tk->t[i].sent;
            sent_first = sentence_first(&C, i);
            sent_last = sentence_last(&C, i);
        }
        const trigger *best = NULL;
        long best_end = -1;
        bool best_by_form = false;
        int32_t heads[2] = {f->lemma, f->form != f->lemma ? f->form : 0};
        for (int h = 0; h < 2; h++) {
            if (!heads[h])
                continue;
            for (int ti = lx->trigger_head[heads[h]]; ti >= 0; ti = lx->triggers[ti].next) {
                const trigger *tr = &lx->triggers[ti];
                long end = may_match(&C, i, tr->words, tr->n_words) ? ev_match_words(&C, i, tr->words, tr->n_words)
                                                                    : -1;
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
