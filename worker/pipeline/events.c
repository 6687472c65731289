/* events.c - triggers, arguments, modality, time; see include/events.h. */
#include "events.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dates.h"

typedef struct ev_ctx {
    arena *a;
    const lexicons *lx;
    const pipeline_limits *lim;
    const char *body;
    const tokens *tk;
    const entity_set *es;
    const char *published_at;
    const char **lemmas; /* per token, folded lemma ("" for punctuation) */
    event *ev;
    size_t n, cap;
    ingest_error *err;
} ev_ctx;

static bool lemma_is(const ev_ctx *C, size_t i, const char *w) { return !strcmp(C->lemmas[i], w); }

const char **events_lemmas(arena *a, const lexicons *lx, const char *body, const tokens *tk)
{
    const char **lemmas = arena_alloc(a, (tk->n + 1) * sizeof *lemmas);
    if (!lemmas)
        return NULL;
    for (size_t i = 0; i < tk->n; i++) {
        const token *t = &tk->t[i];
        if (t->kind == TOK_PUNCT) {
            lemmas[i] = "";
            continue;
        }
        char fold[64], lem[64];
        size_t fl = text_fold(body + t->start, t->end - t->start, fold, sizeof fold);
        const char *l = lexicon_lemma(lx, fold, fl, lem, sizeof lem);
        lemmas[i] = arena_strndup(a, l, strlen(l));
        if (!lemmas[i])
            return NULL;
    }
    return lemmas;
}

static int compute_lemmas(ev_ctx *C, const char **given)
{
    C->lemmas = given ? given : events_lemmas(C->a, C->lx, C->body, C->tk);
    return C->lemmas ? 0 : -1;
}

/* Matches words (with "..." gaps of up to 5 tokens) from token i within its
 * sentence; returns the last matched token or -1. */
static long match_words(const ev_ctx *C, size_t i, const char *const *words, int n)
{
    size_t k = i;
    uint32_t sent = C->tk->t[i].sent;
    for (int w = 0; w < n; w++) {
        if (!strcmp(words[w], "...")) {
            if (w + 1 >= n)
                return (long)k - 1;
            const char *next = words[++w];
            size_t lim = k + 6;
            while (k < C->tk->n && k < lim && C->tk->t[k].sent == sent && strcmp(C->lemmas[k], next))
                k++;
            if (k >= C->tk->n || k >= lim || C->tk->t[k].sent != sent)
                return -1;
            k++;
            continue;
        }
        if (k >= C->tk->n || C->tk->t[k].sent != sent || strcmp(C->lemmas[k], words[w]))
            return -1;
        k++;
    }
    return (long)k - 1;
}

static bool actor_like(entity_type t) { return t == ENT_PERSON || t == ENT_ORG || t == ENT_GPE || t == ENT_NORP; }
static bool place_like(entity_type t) { return t == ENT_GPE || t == ENT_LOC || t == ENT_FAC; }

static size_t sent_first_tok(const ev_ctx *C, size_t i)
{
    while (i > 0 && C->tk->t[i - 1].sent == C->tk->t[i].sent)
        i--;
    return i;
}

static size_t sent_last_tok(const ev_ctx *C, size_t i)
{
    while (i + 1 < C->tk->n && C->tk->t[i + 1].sent == C->tk->t[i].sent)
        i++;
    return i;
}

/* Last PERSON mentioned before token i (for he/she). */
static int last_person_before(const ev_ctx *C, size_t i)
{
    while (i-- > 0) {
        int e = C->es->tok_entity[i];
        if (e >= 0 && C->es->ents[e].type == ENT_PERSON)
            return e;
    }
    return -1;
}

static bool is_prep(const ev_ctx *C, size_t i, const char *const *preps)
{
    for (int k = 0; preps[k]; k++)
        if (lemma_is(C, i, preps[k]))
            return true;
    return false;
}

/* The entity mentioned right after token i, skipping "the". */
static int entity_after(const ev_ctx *C, size_t i, size_t last)
{
    size_t k = i + 1;
    if (k <= last && lemma_is(C, k, "the"))
        k++;
    return k <= last ? C->es->tok_entity[k] : -1;
}

static bool is_dash(const ev_ctx *C, size_t k)
{
    const token *t = &C->tk->t[k];
    return t->end - t->start == 3 && !memcmp(C->body + t->start, "\xE2\x80\x94", 3);
}

static int find_actor(const ev_ctx *C, size_t first, size_t trig, int location)
{
    for (size_t k = trig; k-- > first;) {
        if (is_dash(C, k))
            break; /* "KABUL, Afghanistan — ...": a dateline place is not the actor */
        int e = C->es->tok_entity[k];
        if (e >= 0 && e != location && actor_like(C->es->ents[e].type)) {
            /* "in Kabul, the Taliban said": a place after in/at is not the actor */
            size_t b = k;
            while (b > first && C->es->tok_entity[b - 1] == e)
                b--;
            static const char *const preps[] = {"in", "at", "from", NULL};
            if (b > first && is_prep(C, b - 1, preps) && C->es->ents[e].type != ENT_PERSON)
                continue;
            return e;
        }
        if (lemma_is(C, k, "he") || lemma_is(C, k, "she"))
            return last_person_before(C, first);
    }
    return -1;
}

static int find_location(const ev_ctx *C, size_t first, size_t last, size_t trig_end, const char *from)
{
    static const char *const preps[] = {"in", "at", "to", NULL};
    int fallback = -1;
    for (size_t k = first; k < last; k++) {
        bool prep = from ? lemma_is(C, k, from) : is_prep(C, k, preps);
        if (!prep)
            continue;
        int e = entity_after(C, k, last);
        if (e >= 0 && place_like(C->es->ents[e].type)) {
            if (k >= trig_end)
                return e;
            if (fallback < 0)
                fallback = e;
        }
    }
    return fallback;
}

/* Every actor-like entity after the trigger that is not the location and
 * not introduced by in/at: "met China and Russia" gives two targets. */
static bool is_clause_break(const ev_ctx *C, size_t k)
{
    const token *t = &C->tk->t[k];
    if (t->kind != TOK_PUNCT)
        return false;
    char c = C->body[t->start];
    return c == ',' || c == ';' || c == ':' || c == '(' || (t->end - t->start == 3 && !memcmp(C->body + t->start, "\xE2\x80\x94", 3));
}

static size_t find_targets(const ev_ctx *C, size_t trig_start, size_t last, int actor, int location, int *out, size_t max)
{
    static const char *const skip_preps[] = {"in", "at", "from", "on", "during", NULL};
    size_t n = 0;
    int prev = -1;
    for (size_t k = trig_start + 1; k <= last && n < max; k++) {
        /* a clause break ends the search unless it separates items of a list */
        if (is_clause_break(C, k) && !(k + 1 <= last && C->es->tok_entity[k + 1] >= 0 && prev >= 0))
            break;
        int e = C->es->tok_entity[k];
        if (e < 0 || e == prev) {
            prev = e;
            continue;
        }
        prev = e;
        if (e == actor || e == location || !actor_like(C->es->ents[e].type))
            continue;
        if (k > 0 && is_prep(C, k - 1, skip_preps))
            continue;
        bool dup = false;
        for (size_t j = 0; j < n; j++)
            dup |= out[j] == e;
        if (!dup)
            out[n++] = e;
        /* stop at the first target unless a coordination follows */
        size_t nx = k + 1;
        while (nx <= last && C->es->tok_entity[nx] == e)
            nx++;
        if (nx > last || !(lemma_is(C, nx, "and") || (C->body[C->tk->t[nx].start] == ',' && nx + 1 <= last &&
                                                       C->es->tok_entity[nx + 1] >= 0)))
            break;
    }
    return n;
}

/* First token of the clause holding token trig (after the last , ; : or dash). */
static size_t clause_start(const ev_ctx *C, size_t first, size_t trig)
{
    for (size_t k = trig; k-- > first;)
        if (is_clause_break(C, k))
            return k + 1;
    return first;
}

static bool cue_before(const ev_ctx *C, int m, size_t first, size_t trig)
{
    for (size_t i = 0; i < C->lx->n_cues[m]; i++) {
        const cue *c = &C->lx->cues[m][i];
        for (size_t k = first; k < trig; k++) {
            long end = match_words(C, k, c->words, c->n_words);
            if (end >= 0 && (size_t)end < trig)
                return true;
        }
    }
    return false;
}

/* Negation outranks hypothesis outranks plan: a negated or hypothetical
 * event must never come out as asserted. */
/* First token after the clause holding token trig ends (a , ; : or dash), or
 * one past the sentence's last token. */
static size_t clause_end(const ev_ctx *C, size_t trig, size_t last)
{
    for (size_t k = trig + 1; k <= last; k++)
        if (is_clause_break(C, k))
            return k;
    return last + 1;
}

#define NOUN_PREDICATE_WINDOW 8 /* tokens after a nominal trigger that hold its predicate */

#define MODALITY_WINDOW_TOKENS 40 /* cues farther before the trigger do not govern it */
#define ARGUMENT_WINDOW_TOKENS 60 /* actor, target, place and time lie within this of the trigger */

static modality find_modality(const ev_ctx *C, size_t first, size_t trig, size_t trig_end, size_t last, bool noun)
{
    if (trig > first + MODALITY_WINDOW_TOKENS)
        first = trig - MODALITY_WINDOW_TOKENS;
    /* negation and plans bind to their clause; a condition ("If talks fail, ...")
     * reaches across the comma into the main clause */
    size_t clause = clause_start(C, first, trig);
    /* a nominal trigger takes its modality from the predicate after it too:
     * "a meeting between X and Y could take place", "recognition should come" */
    size_t after_end = trig_end + 1, after_stop = trig_end + 1;
    if (noun) {
        after_stop = clause_end(C, trig_end, last);
        if (after_stop > trig_end + 1 + NOUN_PREDICATE_WINDOW)
            after_stop = trig_end + 1 + NOUN_PREDICATE_WINDOW;
    }
    if (cue_before(C, 2, clause, trig) || (noun && cue_before(C, 2, after_end, after_stop)))
        return MOD_NEGATED;
    if (cue_before(C, 1, first, trig) || (noun && cue_before(C, 1, after_end, after_stop)))
        return MOD_HYPOTHETICAL;
    if (cue_before(C, 0, clause, trig) || (noun && cue_before(C, 0, after_end, after_stop)))
        return MOD_PLANNED;
    return MOD_ASSERTED;
}

bool events_resolve_time(const char *text, size_t len, const char *anchor, bool forward, char out[11])
{
    civil_date base;
    char norm[48];
    if (!anchor || !date_normalize_rfc3339(anchor, strlen(anchor), norm, sizeof norm))
        return false;
    base = (civil_date){(norm[0] - '0') * 1000 + (norm[1] - '0') * 100 + (norm[2] - '0') * 10 + (norm[3] - '0'),
                        (norm[5] - '0') * 10 + (norm[6] - '0'), (norm[8] - '0') * 10 + (norm[9] - '0')};
    civil_date d;
    if (date_find(text, len, &d, NULL, NULL)) {
        date_format(d, out);
        return true;
    }
    /* "Aug. 31" without a year: the year of the anchor */
    for (size_t i = 0; i < len; i++) {
        size_t w = 0;
        while (i + w < len && ((text[i + w] | 0x20) >= 'a' && (text[i + w] | 0x20) <= 'z'))
            w++;
        if (w && i + w < len && text[i + w] == '.')
            w++;
        int m = w ? date_month_from_name(text + i, w) : 0;
        if (m) {
            size_t j = i + w;
            while (j < len && text[j] == ' ')
                j++;
            int day = 0;
            size_t dn = 0;
            while (j + dn < len && text[j + dn] >= '0' && text[j + dn] <= '9' && dn < 2)
                day = day * 10 + (text[j + dn++] - '0');
            civil_date c = {base.y, m, day};
            if (dn && date_valid(c)) {
                date_format(c, out);
                return true;
            }
        }
        int wd = -1;
        if (w)
            wd = date_weekday_from_name(text + i, w);
        if (wd >= 0) {
            int diff = wd - date_weekday(base);
            if (forward)
                diff = diff <= 0 ? diff + 7 : diff;
            else
                diff = diff > 0 ? diff - 7 : diff;
            date_format(date_add_days(base, diff), out);
            return true;
        }
        if (w)
            i += w - 1;
    }
    if (len >= 5 && !strncasecmp(text, "today", 5)) {
        date_format(base, out);
        return true;
    }
    if (len >= 9 && !strncasecmp(text, "yesterday", 9)) {
        date_format(date_add_days(base, -1), out);
        return true;
    }
    if (len >= 8 && !strncasecmp(text, "tomorrow", 8)) {
        date_format(date_add_days(base, 1), out);
        return true;
    }
    return false;
}

/* Time expression in the sentence: "on Monday", "Aug. 31", "next week",
 * "today", "yesterday". Returns the token span or false. */
static bool find_time(const ev_ctx *C, size_t first, size_t last, size_t *ts, size_t *te)
{
    for (size_t k = first; k <= last; k++) {
        const token *t = &C->tk->t[k];
        const char *s = C->body + t->start;
        size_t n = t->end - t->start;
        if (date_weekday_from_name(s, n) >= 0 || lemma_is(C, k, "today") || lemma_is(C, k, "yesterday") ||
            lemma_is(C, k, "tomorrow")) {
            *ts = *te = k;
            return true;
        }
        if (date_month_from_name(s, n) && (t->flags & TOKF_CAP) && k + 1 <= last && C->tk->t[k + 1].kind == TOK_NUM) {
            *ts = k;
            *te = k + 1;
            if (k + 3 <= last && C->body[C->tk->t[k + 2].start] == ',' && C->tk->t[k + 3].kind == TOK_NUM)
                *te = k + 3;
            return true;
        }
        if ((lemma_is(C, k, "next") || lemma_is(C, k, "last")) && k + 1 <= last &&
            (lemma_is(C, k + 1, "week") || lemma_is(C, k + 1, "month") || lemma_is(C, k + 1, "year"))) {
            *ts = k;
            *te = k + 1;
            return true;
        }
    }
    return false;
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

static int emit(ev_ctx *C, const trigger *tr, size_t ts, size_t te)
{
    const event_type *et = &C->lx->types[tr->type];
    size_t first = sent_first_tok(C, ts), last = sent_last_tok(C, ts);
    size_t sent_first = first, sent_last = last; /* the record keeps the whole sentence */
    if (ts > first + ARGUMENT_WINDOW_TOKENS)
        first = ts - ARGUMENT_WINDOW_TOKENS;
    if (last > te + ARGUMENT_WINDOW_TOKENS)
        last = te + ARGUMENT_WINDOW_TOKENS;
    int location = find_location(C, first, last, te, tr->location_from);
    int actor = find_actor(C, first, ts, location);
    if (tr->passive || (tr->actor_from && !strcmp(tr->actor_from, "by"))) {
        for (size_t k = te + 1; k < last; k++)
            if (lemma_is(C, k, "by") && entity_after(C, k, last) >= 0) {
                actor = entity_after(C, k, last);
                break;
            }
    }
    /* statements need a named speaker next to the verb ("X said", "said X"):
     * "officials said" is not attributable, and a far entity is not the speaker */
    if (!strcmp(et->type, "statement")) {
        actor = -1;
        for (size_t k = ts; k-- > first && ts - k <= 3 && actor < 0;)
            if (C->es->tok_entity[k] >= 0 && actor_like(C->es->ents[C->es->tok_entity[k]].type))
                actor = C->es->tok_entity[k];
        if (actor < 0 && te + 1 <= last && C->es->tok_entity[te + 1] >= 0)
            actor = C->es->tok_entity[te + 1];
        if (actor < 0 && te + 2 <= last && lemma_is(C, te + 1, "the") && C->es->tok_entity[te + 2] >= 0)
            actor = C->es->tok_entity[te + 2];
        if (actor < 0)
            return 0;
        location = -1;
    }
    int targets[8];
    size_t nt = strcmp(et->type, "statement") ? find_targets(C, ts, last, actor, location, targets, 8) : 0;
    event e = {.type = et->type, .cameo = et->cameo, .quad_class = et->quad_class,
               .trigger = {C->tk->t[ts].start, C->tk->t[te].end}, .actor = actor, .target = -1,
               .location = location, .sentence = {C->tk->t[sent_first].start, C->tk->t[sent_last].end}};
    e.mod = find_modality(C, first, ts, te, last, tr->noun);
    size_t ms, me;
    if (find_time(C, first, last, &ms, &me)) {
        size_t n = C->tk->t[me].end - C->tk->t[ms].start;
        e.time_text = arena_strndup(C->a, C->body + C->tk->t[ms].start, n);
        char d[11];
        if (e.time_text && events_resolve_time(e.time_text, n, C->published_at, e.mod == MOD_PLANNED, d))
            e.time_date = arena_strndup(C->a, d, 10);
    }
    e.confidence = 0.4 + (actor >= 0 ? 0.25 : 0) + (nt ? 0.15 : 0) + (tr->n_words > 1 ? 0.1 : 0);
    if (nt == 0)
        return push_event(C, &e);
    for (size_t k = 0; k < nt; k++) {
        e.target = targets[k];
        if (push_event(C, &e))
            return -1;
    }
    return 0;
}

int events_extract(arena *a, const lexicons *lx, const pipeline_limits *lim, const char *body, const tokens *tk,
                   const entity_set *es, const char *published_at, const char **lemmas, event **out, size_t *n_out,
                   ingest_error *err)
{
    ev_ctx C = {.a = a, .lx = lx, .lim = lim, .body = body, .tk = tk, .es = es, .published_at = published_at,
                .err = err};
    *out = NULL;
    *n_out = 0;
    if (compute_lemmas(&C, lemmas))
        return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
    long covered_until = -1; /* one event per trigger span: longest pattern wins */
    for (size_t i = 0; i < tk->n; i++) {
        if (tk->t[i].kind != TOK_WORD || (long)i <= covered_until || es->tok_entity[i] >= 0)
            continue;
        /* a capitalised word inside a sentence is a name or title ("Secretary of State"), not a verb */
        if ((tk->t[i].flags & TOKF_CAP) && i > 0 && tk->t[i - 1].sent == tk->t[i].sent &&
            !(tk->t[i - 1].flags & TOKF_QUOTE))
            continue;
        int ti;
        if (!strmap_get(&lx->trigger_head, C.lemmas[i], strlen(C.lemmas[i]), &ti))
            continue;
        const trigger *best = NULL;
        long best_end = -1;
        for (; ti >= 0; ti = lx->triggers[ti].next) {
            const trigger *tr = &lx->triggers[ti];
            long end = match_words(&C, i, tr->words, tr->n_words);
            if (end > best_end || (end == best_end && best && tr->n_words > best->n_words)) {
                best = tr;
                best_end = end;
            }
        }
        if (!best)
            continue;
        if (emit(&C, best, i, (size_t)best_end))
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
    return lemma_is(C, k, "say") || lemma_is(C, k, "tell") || lemma_is(C, k, "add") || lemma_is(C, k, "write") ||
           lemma_is(C, k, "state") || lemma_is(C, k, "according");
}

/* The speaker of a quote closing at token q: "..., X said", "..., said X",
 * "..., he said", "according to X"; or before an opening "X said: ...". */
static int quote_speaker(const ev_ctx *C, size_t open, size_t close)
{
    size_t last = close + 8 < C->tk->n ? close + 8 : C->tk->n - 1;
    for (size_t k = close + 1; k <= last; k++) {
        if (C->tk->t[k].flags & TOKF_OPENQ)
            break;
        if (!speech_near(C, k))
            continue;
        /* subject before the verb, or after it ("said Jane Doe") */
        for (size_t j = k; j-- > close + 1;) {
            int e = C->es->tok_entity[j];
            if (e >= 0 && C->es->ents[e].type == ENT_PERSON)
                return e;
            if (lemma_is(C, j, "he") || lemma_is(C, j, "she"))
                return last_person_before(C, open);
        }
        /* "said Jane Doe" / "said the envoy, Jane Doe": right after the verb, same sentence */
        for (size_t j = k + 1; j <= last && j < k + 3 && C->tk->t[j].sent == C->tk->t[k].sent; j++) {
            int e = C->es->tok_entity[j];
            if (e >= 0 && C->es->ents[e].type == ENT_PERSON)
                return e;
            if (!lemma_is(C, j, "the") && C->tk->t[j].kind != TOK_WORD)
                break;
        }
        return -1; /* a speech verb with no named person: anonymous */
    }
    /* "X said: “...”" */
    if (open >= 2 && C->body[C->tk->t[open - 1].start] == ':')
        for (size_t j = open - 1; j-- > 0 && j + 8 > open;) {
            int e = C->es->tok_entity[j];
            if (e >= 0 && C->es->ents[e].type == ENT_PERSON)
                return e;
        }
    return -1;
}

int quotes_extract(arena *a, const lexicons *lx, const char *body, const tokens *tk, const entity_set *es,
                   const char **lemmas, quote **out, size_t *n_out, ingest_error *err)
{
    ev_ctx C = {.a = a, .lx = lx, .body = body, .tk = tk, .es = es, .err = err};
    *out = NULL;
    *n_out = 0;
    if (compute_lemmas(&C, lemmas))
        return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
    size_t cap = 0, n = 0;
    quote *q = NULL;
    for (size_t i = 0; i < tk->n; i++) {
        const token *t = &tk->t[i];
        bool dq = body[t->start] == '"' || (t->end - t->start == 3 && !memcmp(body + t->start, "\xE2\x80\x9C", 3));
        if (!(t->flags & TOKF_OPENQ) || !dq)
            continue;
        size_t j = i + 1;
        while (j < tk->n && !((tk->t[j].flags & TOKF_CLOSEQ) &&
                              (body[tk->t[j].start] == '"' || !memcmp(body + tk->t[j].start, "\xE2\x80\x9D", 3))))
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
