/* entities.c - see include/entities.h.
 *
 * Passes run in order of confidence; a token belongs to at most one
 * mention, so an earlier, surer pass wins over a later, looser one.
 */
#include "entities.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct tagger {
    arena *a;
    const lexicons *lx;
    const pipeline_limits *lim;
    const char *body;
    const tokens *tk;
    entity_set *es;
    ingest_error *err;
} tagger;

static const char *tok_text(const tagger *T, size_t i, size_t *len)
{
    *len = T->tk->t[i].end - T->tk->t[i].start;
    return T->body + T->tk->t[i].start;
}

static inline bool tok_is(const tagger *T, size_t i, const char *w)
{
    size_t n;
    const char *s = tok_text(T, i, &n);
    return n && s[0] == w[0] && !strncmp(s, w, n) && w[n] == '\0'; /* the first byte rules out most */
}

static bool is_cap_word(const tagger *T, size_t i)
{
    const token *t = &T->tk->t[i];
    return t->kind == TOK_WORD && (t->flags & TOKF_CAP);
}

char *entities_slug(arena *a, entity_type t, const char *name)
{
    char buf[160];
    int n = snprintf(buf, sizeof buf, "slug:%s:", entity_type_name(t));
    for (int i = 0; buf[i]; i++)
        if (buf[i] >= 'A' && buf[i] <= 'Z')
            buf[i] = (char)(buf[i] + 32);
    size_t o = (size_t)n;
    bool dash = false;
    for (const char *p = name; *p && o < sizeof buf - 2; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
            buf[o++] = (char)c;
            dash = false;
        } else if (c >= 'A' && c <= 'Z') {
            buf[o++] = (char)(c + 32);
            dash = false;
        } else if (!dash && o > (size_t)n) {
            buf[o++] = '-';
            dash = true;
        }
    }
    while (o > (size_t)n && buf[o - 1] == '-')
        o--;
    return arena_strndup(a, buf, o);
}

/* Finds or adds the entity with this id; returns its index, -1 when the
 * entity limit is reached, -2 on memory exhaustion. */
static int entity_for(tagger *T, const char *id, const char *name, entity_type type, const char *country)
{
    entity_set *es = T->es;
    for (size_t i = 0; i < es->n; i++)
        if (!strcmp(es->ents[i].id, id))
            return (int)i;
    if (es->n >= T->lim->max_entities)
        return -1;
    if (es->n == es->cap) {
        size_t ncap = es->cap ? es->cap * 2 : 16;
        entity *ne = arena_grow(T->a, es->ents, es->n, ncap, sizeof *ne);
        if (!ne)
            return -2;
        es->ents = ne;
        es->cap = ncap;
    }
    es->ents[es->n] = (entity){.id = id, .name = name, .type = type, .country = country};
    return (int)es->n++;
}

static int add_mention(tagger *T, int e, size_t first_tok, size_t last_tok)
{
    entity *en = &T->es->ents[e];
    if (en->n_mentions == en->cap_mentions) {
        size_t ncap = en->cap_mentions ? en->cap_mentions * 2 : 4;
        span *nm = arena_grow(T->a, en->mentions, en->n_mentions, ncap, sizeof *nm);
        if (!nm)
            return -1;
        en->mentions = nm;
        en->cap_mentions = ncap;
    }
    en->mentions[en->n_mentions++] = (span){T->tk->t[first_tok].start, T->tk->t[last_tok].end};
    for (size_t k = first_tok; k <= last_tok; k++)
        T->es->tok_entity[k] = e;
    return 0;
}

static int add_gaz(tagger *T, int g, size_t first, size_t last)
{
    const gaz_entry *ge = &T->lx->gaz[g];
    int e = entity_for(T, ge->id, ge->name, ge->type, ge->country);
    if (e == -2 || (e >= 0 && add_mention(T, e, first, last)))
        return ingest_fail(T->err, INGEST_ERR_INTERNAL, "out of memory in entity tagger");
    return 0;
}

static int add_new(tagger *T, entity_type type, size_t first, size_t last)
{
    size_t n = T->tk->t[last].end - T->tk->t[first].start;
    char *name = arena_strndup(T->a, T->body + T->tk->t[first].start, n);
    if (!name)
        return ingest_fail(T->err, INGEST_ERR_INTERNAL, "out of memory");
    for (char *p = name; *p; p++)
        if (*p == '\n')
            *p = ' ';
    char *id = entities_slug(T->a, type, name);
    if (!id)
        return ingest_fail(T->err, INGEST_ERR_INTERNAL, "out of memory");
    int e = entity_for(T, id, name, type, NULL);
    if (e == -2 || (e >= 0 && add_mention(T, e, first, last)))
        return ingest_fail(T->err, INGEST_ERR_INTERNAL, "out of memory in entity tagger");
    return 0;
}

/* Pass 0: datelines. A paragraph that opens with a city in capitals and an
 * em dash or comma ("WASHINGTON —", "PORT SUDAN, Sudan —") names the city
 * the story was filed from; "Washington" there is the city, not the
 * government. */
static int pass_datelines(tagger *T)
{
    const tokens *tk = T->tk;
    char key[128];
    for (size_t i = 0; i < tk->n; i++) {
        if (!(tk->t[i].flags & TOKF_PARA) || tk->t[i].kind != TOK_WORD || !(tk->t[i].flags & TOKF_ALLCAP))
            continue;
        size_t last = i;
        while (last + 1 < tk->n && last - i < 3 && tk->t[last + 1].kind == TOK_WORD &&
               (tk->t[last + 1].flags & TOKF_ALLCAP))
            last++;
        if (last + 1 >= tk->n)
            continue;
        size_t dl;
        const char *d = tok_text(T, last + 1, &dl);
        bool dash = dl == 3 && !memcmp(d, "\xE2\x80\x94", 3);
        if (!dash && !(dl == 1 && *d == ','))
            continue;
        /* title-case the capitals: "PORT SUDAN" -> "Port Sudan" */
        size_t o = 0;
        for (size_t k = i; k <= last && o + 2 < sizeof key; k++) {
            size_t n;
            const char *w = tok_text(T, k, &n);
            if (k > i)
                key[o++] = ' ';
            for (size_t j = 0; j < n && o + 1 < sizeof key; j++) {
                char c = w[j];
                bool word_start = j == 0 || w[j - 1] == '-' || w[j - 1] == '.' || w[j - 1] == '\'';
                key[o++] = (!word_start && c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
            }
        }
        key[o] = '\0';
        /* the capital, not the government; alias keys are tokens joined by spaces */
        if (!strcmp(key, "Washington"))
            o = (size_t)snprintf(key, sizeof key, "Washington , D.C.");
        int g;
        if (strmap_get(&T->lx->alias, key, o, &g) && T->lx->gaz[g].type == ENT_GPE && add_gaz(T, g, i, last))
            return -1;
        i = last;
    }
    return 0;
}

/* Pass 1: longest gazetteer alias at each token, within one sentence. */
/* Appends token k to a span key being built (texts joined by one space);
 * folded when fold. Returns the new length, 0 when the key would not fit. */
static size_t key_append(const tagger *T, size_t k, bool fold, char *buf, size_t o, size_t cap)
{
    size_t len;
    const char *s = tok_text(T, k, &len);
    if (o + len + 2 > cap)
        return 0;
    if (o)
        buf[o++] = ' ';
    if (fold)
        return o + text_fold(s, len, buf + o, cap - o);
    memcpy(buf + o, s, len);
    buf[o + len] = '\0';
    return o + len;
}

enum { WALK_MAX_TOKENS = 12 };

/* Walks a walk map from token i within its sentence (and before token
 * limit); writes the token counts n (ascending) at which the tokens
 * [i, i+n) are a full entry, with the keys' lengths. Returns how many. */
static size_t walk_matches(const tagger *T, const strmap *walk, size_t i, size_t limit, bool fold, char *key,
                           size_t cap, size_t *ns, size_t *kls)
{
    const tokens *tk = T->tk;
    size_t kl = 0, found = 0;
    for (size_t n = 1; n <= WALK_MAX_TOKENS && i + n <= limit && tk->t[i + n - 1].sent == tk->t[i].sent; n++) {
        size_t nk = key_append(T, i + n - 1, fold, key, kl, cap);
        if (!nk)
            break;
        kl = nk;
        int v;
        if (!strmap_get(walk, key, kl, &v))
            break;
        if (v & LEXICON_WALK_FULL) {
            ns[found] = n;
            kls[found++] = kl;
        }
        if (!(v & LEXICON_WALK_EXTENDS))
            break;
    }
    return found;
}

/* Metonymy: a capital standing for its government ("Beijing has refused",
 * "talks between Washington and Tehran", "Moscow's response"). A capital
 * after a preposition of place or motion ("in Moscow", "flew to Beijing")
 * is the city; so is one that opens its paragraph in capitals (a dateline,
 * handled before). */
static bool capital_for_government(const tagger *T, int g, size_t i)
{
    static const char *const place_preps[] = {"in", "at", "to", "from", "into", "near", "outside", "across",
                                              "around", "via", "toward", "towards", "through", "of", "visit",
                                              "visited", "visiting", "visits", "inside", NULL};
    if (!T->lx->gaz[g].capital_of || (T->tk->t[i].flags & TOKF_ALLCAP))
        return false;
    if (i > 0 && T->tk->t[i - 1].sent == T->tk->t[i].sent) {
        size_t len;
        const char *prev = tok_text(T, i - 1, &len);
        for (int k = 0; place_preps[k]; k++) /* "In Moscow, ..." opens sentences */
            if (len == strlen(place_preps[k]) && !strncasecmp(prev, place_preps[k], len))
                return false;
    }
    /* "Moscow, Russia": the city named with its country */
    if (i + 2 < T->tk->n && T->body[T->tk->t[i + 1].start] == ',' && T->es->tok_entity[i + 2] < 0) {
        size_t len;
        const char *s = tok_text(T, i + 2, &len);
        int c;
        if (strmap_get(&T->lx->alias, s, len, &c) && T->lx->gaz[c].type == ENT_GPE && !T->lx->gaz[c].capital_of)
            return false;
    }
    int country;
    return strmap_get(&T->lx->country_row, T->lx->gaz[g].capital_of, strlen(T->lx->gaz[g].capital_of), &country);
}

static int pass_gazetteer(tagger *T)
{
    const tokens *tk = T->tk;
    char key[512];
    size_t ns[WALK_MAX_TOKENS], kls[WALK_MAX_TOKENS];
    for (size_t i = 0; i < tk->n; i++) {
        if (tk->t[i].kind == TOK_PUNCT || T->es->tok_entity[i] >= 0)
            continue;
        size_t found = walk_matches(T, &T->lx->alias_walk, i, tk->n, false, key, sizeof key, ns, kls);
        if (!found)
            continue;
        /* the longest alias wins */
        size_t n = ns[found - 1];
        size_t kl = 0;
        for (size_t k = i; k < i + n; k++)
            kl = key_append(T, k, false, key, kl, sizeof key);
        int g;
        if (kl && strmap_get(&T->lx->alias, key, kl, &g)) {
            if (n == 1 && capital_for_government(T, g, i))
                strmap_get(&T->lx->country_row, T->lx->gaz[g].capital_of, strlen(T->lx->gaz[g].capital_of), &g);
            if (add_gaz(T, g, i, i + n - 1))
                return -1;
            i += n - 1;
        }
    }
    return 0;
}

static bool is_name_particle(const tagger *T, size_t i)
{
    static const char *const particles[] = {"bin", "bint", "ibn", "al", "el", "de", "da", "van", "von", "der",
                                            "la", "le", "abu", "Abu", "Al", "Bin", NULL};
    for (int k = 0; particles[k]; k++)
        if (tok_is(T, i, particles[k]))
            return true;
    return false;
}

/* Extends a name from token i: capitalised words, initials and particles
 * (bin, al) followed by a capitalised word. Returns the last token. */
static size_t name_extent(const tagger *T, size_t i, size_t max_tokens)
{
    const tokens *tk = T->tk;
    size_t last = i;
    for (size_t k = i + 1; k < tk->n && k < i + max_tokens; k++) {
        if (tk->t[k].sent != tk->t[i].sent || T->es->tok_entity[k] >= 0)
            break;
        if (is_cap_word(T, k) && !(tk->t[k].flags & TOKF_ALLCAP && k > i + 1)) {
            last = k;
            continue;
        }
        if (is_name_particle(T, k) && k + 1 < tk->n && is_cap_word(T, k + 1))
            continue;
        break;
    }
    return last;
}

/* Words that are capitalised in news but never start a person's name. */
static bool is_stop_cap(const tagger *T, size_t i)
{
    static const char *const stops[] = {"The", "A", "An", "He", "She", "It", "They", "We", "I", "In", "On", "At",
                                        "But", "And", "Of", "For", "This", "That", "After", "Before", "When",
                                        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                                        "Sunday", "Mr.", "Ms.", "Mrs.", "His", "Her", "Their", "Our", NULL};
    for (int k = 0; stops[k]; k++)
        if (tok_is(T, i, stops[k]))
            return true;
    return false;
}

/* Pass 2: people introduced by a title: "Foreign Minister Wang Yi". */
static int pass_titles(tagger *T)
{
    const tokens *tk = T->tk;
    char folded[256];
    size_t ns[WALK_MAX_TOKENS], kls[WALK_MAX_TOKENS];
    for (size_t i = 0; i < tk->n; i++) {
        if (tk->t[i].kind != TOK_WORD)
            continue;
        /* a title needs a name after it: the walk stops one token short of the end */
        size_t found = walk_matches(T, &T->lx->title_walk, i, tk->n - 1, true, folded, sizeof folded, ns, kls);
        /* the longest title first; a title that is not a name prefix lets a shorter one try */
        for (size_t m = found; m-- > 0;) {
            size_t n = ns[m];
            int ti;
            if (!strmap_get(&T->lx->title_map, folded, kls[m], &ti) || T->lx->titles[ti].kind != TITLE_PREFIX)
                continue;
            size_t first = i + n;
            if (first >= tk->n || T->es->tok_entity[first] >= 0 || !is_cap_word(T, first) ||
                is_stop_cap(T, first) || tk->t[first].sent != tk->t[i].sent)
                break;
            size_t last = name_extent(T, first, 5);
            size_t len;
            const char *s = tok_text(T, last, &len);
            int g;
            /* a lone surname after a title: a known person with that surname */
            if (first == last && strmap_get(&T->lx->surname, s, len, &g) && g >= 0) {
                if (add_gaz(T, g, first, last))
                    return -1;
            } else if (add_new(T, ENT_PERSON, first, last)) {
                return -1;
            }
            i = last;
            break;
        }
    }
    return 0;
}

static bool is_speech_lemma(const tagger *T, size_t i)
{
    static const char *const verbs[] = {"said", "says", "told", "tells", "added", "wrote", "stated", NULL};
    char c = T->body[T->tk->t[i].start];
    if (T->tk->t[i].kind != TOK_WORD || (c != 's' && c != 't' && c != 'a' && c != 'w'))
        return false; /* the verbs' first letters: most tokens stop here */
    for (int k = 0; verbs[k]; k++)
        if (tok_is(T, i, verbs[k]))
            return true;
    return false;
}

/* Pass 3: "Jane Doe said" / "said Jane Doe": two or more capitalised words. */
static int pass_speech_subjects(tagger *T)
{
    const tokens *tk = T->tk;
    for (size_t i = 0; i < tk->n; i++) {
        if (!is_speech_lemma(T, i))
            continue;
        /* before the verb */
        if (i >= 2 && is_cap_word(T, i - 1) && T->es->tok_entity[i - 1] < 0) {
            size_t b = i - 1;
            while (b > 0 && i - b < 4 && (is_cap_word(T, b - 1) || is_name_particle(T, b - 1)) &&
                   T->es->tok_entity[b - 1] < 0 && tk->t[b - 1].sent == tk->t[i].sent)
                b--;
            while (b < i - 1 && (is_stop_cap(T, b) || is_name_particle(T, b)))
                b++;
            if (i - b >= 2 && !is_stop_cap(T, b) && add_new(T, ENT_PERSON, b, i - 1))
                return -1;
        }
        /* after the verb */
        if (i + 2 < tk->n && is_cap_word(T, i + 1) && is_cap_word(T, i + 2) && T->es->tok_entity[i + 1] < 0 &&
            !is_stop_cap(T, i + 1) && tk->t[i + 1].sent == tk->t[i].sent) {
            size_t last = name_extent(T, i + 1, 4);
            if (last > i + 1 && add_new(T, ENT_PERSON, i + 1, last))
                return -1;
        }
    }
    return 0;
}

/* Pass 4: organisations by suffix: "Interior Ministry", "Africa Command". */
static int pass_org_suffix(tagger *T)
{
    static const char *const suffixes[] = {"Ministry", "Command", "Council", "Agency", "Party", "Commission",
                                           "Committee", "Department", "Office", "Organization", "Organisation",
                                           "Front", "Movement", "Brigade", "Brigades", "Forces", "Army",
                                           "Guard", "Corps", "Authority", "Institute", "Foundation", NULL};
    const tokens *tk = T->tk;
    for (size_t i = 1; i < tk->n; i++) {
        if (T->es->tok_entity[i] >= 0 || !is_cap_word(T, i))
            continue;
        bool suffix = false;
        size_t tl = tk->t[i].end - tk->t[i].start;
        for (int k = 0; tl >= 4 && suffixes[k] && !suffix; k++) /* every suffix has 4+ letters */
            suffix = tok_is(T, i, suffixes[k]);
        if (!suffix || !is_cap_word(T, i - 1) || T->es->tok_entity[i - 1] >= 0)
            continue;
        size_t b = i - 1;
        while (b > 0 && i - b < 5 && is_cap_word(T, b - 1) && T->es->tok_entity[b - 1] < 0 &&
               tk->t[b - 1].sent == tk->t[i].sent && !is_stop_cap(T, b - 1))
            b--;
        if (is_stop_cap(T, b))
            b++;
        if (b < i && add_new(T, ENT_ORG, b, i))
            return -1;
    }
    return 0;
}

/* Pass 5: coreference. A lone capitalised token that is the surname of a
 * PERSON found earlier in this document is a mention of that person;
 * "Washington" alone is the United States government (metonymy). */
static int pass_coreference(tagger *T)
{
    const tokens *tk = T->tk;
    size_t n_before = T->es->n;
    for (size_t i = 0; i < tk->n; i++) {
        if (T->es->tok_entity[i] >= 0 || !is_cap_word(T, i))
            continue;
        size_t len;
        const char *s = tok_text(T, i, &len);
        if (len == 10 && !memcmp(s, "Washington", 10)) {
            int g;
            if (strmap_get(&T->lx->gaz_by_id, "Q30", 3, &g) && add_gaz(T, g, i, i))
                return -1;
            continue;
        }
        for (size_t e = 0; e < n_before; e++) {
            entity *en = &T->es->ents[e];
            if (en->type != ENT_PERSON)
                continue;
            const char *last = strrchr(en->name, ' ');
            if (!last)
                continue;
            bool match = strlen(last + 1) == len && !memcmp(last + 1, s, len);
            /* Chinese and Korean names put the family name first: "Wang" for Wang Yi */
            if (!match && en->country && (!strcmp(en->country, "CHN") || !strcmp(en->country, "PRK") ||
                                          !strcmp(en->country, "KOR") || !strcmp(en->country, "TWN")))
                match = (size_t)(strchr(en->name, ' ') - en->name) == len && !memcmp(en->name, s, len);
            if (!match)
                continue;
            if (add_mention(T, (int)e, i, i))
                return ingest_fail(T->err, INGEST_ERR_INTERNAL, "out of memory");
            break;
        }
    }
    return 0;
}

/* Salience: mention count, with the lead paragraph counting double. */
static void compute_salience(entity_set *es, size_t lead_end)
{
    double max = 0;
    for (size_t i = 0; i < es->n; i++) {
        double s = 0;
        for (size_t m = 0; m < es->ents[i].n_mentions; m++)
            s += es->ents[i].mentions[m].start < lead_end ? 2.0 : 1.0;
        es->ents[i].salience = s;
        if (s > max)
            max = s;
    }
    for (size_t i = 0; i < es->n; i++)
        es->ents[i].salience = max > 0 ? (double)((int)(es->ents[i].salience / max * 1000 + 0.5)) / 1000 : 0;
}

static int cmp_span(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

int entities_tag(arena *a, const lexicons *lx, const pipeline_limits *lim, const char *body, size_t body_len,
                 const tokens *tk, entity_set *out, ingest_error *err)
{
    memset(out, 0, sizeof *out);
    out->tok_entity = arena_alloc(a, (tk->n + 1) * sizeof *out->tok_entity);
    if (!out->tok_entity)
        return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
    for (size_t i = 0; i < tk->n; i++)
        out->tok_entity[i] = -1;
    tagger T = {a, lx, lim, body, tk, out, err};
    if (pass_datelines(&T) || pass_gazetteer(&T) || pass_titles(&T) || pass_org_suffix(&T) || pass_speech_subjects(&T) ||
        pass_coreference(&T))
        return -1;
    for (size_t i = 0; i < out->n; i++)
        qsort(out->ents[i].mentions, out->ents[i].n_mentions, sizeof(span), cmp_span);
    const char *lead = memchr(body, '\n', body_len);
    compute_salience(out, lead ? (size_t)(lead - body) : body_len);
    return 0;
}
