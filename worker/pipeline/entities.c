/* entities.c - see include/entities.h.
 *
 * Passes run in order of confidence; a token belongs to at most one
 * mention, so an earlier, surer pass wins over a later, looser one.
 */
#include "entities.h"

#include "tagger_words.h"
#include "utf8util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

enum { MAX_ROLE_HOLDERS = 64 };

typedef struct tok_list {
    uint32_t *at; /* token indexes, ascending */
    size_t n, cap;
} tok_list;

/* Appends token i to l, doubling it in the arena when full (lists start
 * small: most hold a small fraction of the tokens). Returns 0, or -1 when
 * memory ran out. */
static int tok_list_push(arena *a, tok_list *l, size_t i)
{
    uint32_t *na = arena_reserve(a, l->at, l->n, &l->cap, 64, sizeof *na);
    if (!na)
        return -1;
    l->at = na;
    l->at[l->n++] = (uint32_t)i;
    return 0;
}

typedef struct tagger {
    arena *a;
    const lexicons *lx;
    const pipeline_limits *lim;
    const char *body;
    const tokens *tk;
    entity_set *es;
    ingest_error *err;
    /* people with a known office ("foreign_minister"), for "the secretary";
     * title: the words of the office as introduced ("emir", "Foreign Minister";
     * compared ignoring case), or NULL */
    struct {
        int ent;
        const char *role, *title;
    } holders[MAX_ROLE_HOLDERS];
    size_t n_holders;
    uint16_t *wclass;   /* per token: its tagger_words classes (TW_* bits) */
    /* entity ids -> index in es: open addressing on the id's hash, so that
     * finding an entity does not compare its id with every other one */
    uint64_t *id_hash;
    int32_t *id_ent; /* entity index + 1; 0 when the slot is empty */
    size_t id_cap;   /* a power of two, kept at least twice the entity count */
    /* Where each pass may match, found in one scan of the tokens (in text
     * order): a pass visits its candidates, not every token. */
    tok_list cap_words;    /* capitalised words */
    tok_list alias_starts; /* tokens that may start an alias (head filter) */
    tok_list title_starts; /* words that may start a title */
    tok_list speech_verbs; /* "said", "told" ... */
    tok_list heads;        /* organisation and facility head nouns */
    tok_list thes;         /* "the", "The" */
} tagger;

/* Remembers that entity e holds role, introduced with title (NULL when not
 * known); the latest statement wins. */
static void note_role(tagger *T, int e, const char *role, const char *title)
{
    if (e < 0 || !role || !strcmp(role, "other") || !strcmp(role, "honorific"))
        return;
    for (size_t k = 0; k < T->n_holders; k++)
        if (T->holders[k].ent == e) {
            T->holders[k].role = role;
            T->holders[k].title = title;
            return;
        }
    if (T->n_holders < MAX_ROLE_HOLDERS) {
        T->holders[T->n_holders].ent = e;
        T->holders[T->n_holders].title = title;
        T->holders[T->n_holders++].role = role;
    }
}

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

/* The tagger_words classes of token i (TW_* bits): the exact word, then,
 * for a word with capitals, its folded form for the case-blind classes.
 * Always inlined into the candidate scan that asks it for every token: gcc's
 * size limits otherwise leave it a call there (1M more instructions per
 * 80 KB of text, callgrind). */
static inline __attribute__((always_inline)) unsigned word_classes(const tagger *T, size_t i)
{
    const tokens *tk = T->tk;
    /* every listed word is ASCII; the filter holds the folded hashes of all of them */
    if (tk->t[i].kind != TOK_WORD || (tk->t[i].flags & TOKF_NONASCII) ||
        !lexicon_bp_maybe(T->lx->tagger_words_filter, tk->hfold[i]))
        return 0;
    unsigned bits = 0;
    size_t len, kl;
    const char *s = tok_text(T, i, &len), *key;
    int v;
    if (strmap_get_hashed(&T->lx->tagger_words, tk->hkey[i], &key, &kl, &v) && kl == len && !memcmp(key, s, len))
        bits = (unsigned)v;
    if (tk->hfold[i] != tk->hkey[i] && strmap_get_hashed(&T->lx->tagger_words, tk->hfold[i], &key, &kl, &v) &&
        kl == len && !strncasecmp(key, s, len))
        bits |= (unsigned)v & TW_CASE_BLIND;
    return bits;
}

static bool tok_in(const tagger *T, size_t i, unsigned word_class)
{
    return T->wclass[i] & word_class;
}

static bool is_cap_word(const tagger *T, size_t i)
{
    const token *t = &T->tk->t[i];
    return t->kind == TOK_WORD && (t->flags & TOKF_CAP);
}

static bool is_org_head(const tagger *T, size_t i);
static bool is_possessive_tok(const tagger *T, size_t i);
static bool known_id(const lexicons *lx, const char *id);

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

/* Room for one more entity in es. Returns 0, or -1 when memory ran out. */
static int reserve_entity(arena *a, entity_set *es)
{
    entity *ne = arena_reserve(a, es->ents, es->n, &es->cap, 16, sizeof *ne);
    if (!ne)
        return -1;
    es->ents = ne;
    return 0;
}

/* Puts entity e (its id hashed to h) into the id index. */
static void id_index_put(tagger *T, uint64_t h, int e)
{
    size_t j = h & (T->id_cap - 1);
    while (T->id_ent[j])
        j = (j + 1) & (T->id_cap - 1);
    T->id_hash[j] = h;
    T->id_ent[j] = e + 1;
}

/* Doubles the id index. Returns 0, or -1 when memory ran out. */
static int id_index_grow(tagger *T)
{
    size_t old_cap = T->id_cap;
    uint64_t *oh = T->id_hash;
    int32_t *oe = T->id_ent;
    T->id_cap = old_cap ? old_cap * 2 : 64;
    T->id_hash = arena_alloc_raw(T->a, T->id_cap * sizeof *T->id_hash);
    T->id_ent = arena_alloc(T->a, T->id_cap * sizeof *T->id_ent);
    if (!T->id_hash || !T->id_ent)
        return -1;
    for (size_t j = 0; j < old_cap; j++)
        if (oe[j])
            id_index_put(T, oh[j], oe[j] - 1);
    return 0;
}

/* Finds or adds the entity with this id; returns its index, -1 when the
 * entity limit is reached, -2 on memory exhaustion. */
static int entity_for(tagger *T, const char *id, const char *name, entity_type type, const char *country)
{
    entity_set *es = T->es;
    uint64_t h = strmap_word_hash(id, strlen(id));
    if (T->id_cap)
        for (size_t j = h & (T->id_cap - 1); T->id_ent[j]; j = (j + 1) & (T->id_cap - 1))
            if (T->id_hash[j] == h && !strcmp(es->ents[T->id_ent[j] - 1].id, id))
                return T->id_ent[j] - 1;
    if (es->n >= T->lim->max_entities)
        return -1;
    if (reserve_entity(T->a, es) || ((es->n + 1) * 2 > T->id_cap && id_index_grow(T)))
        return -2;
    es->ents[es->n] = (entity){.id = id, .name = name, .type = type, .country = country};
    id_index_put(T, h, (int)es->n);
    return (int)es->n++;
}

static int add_mention(tagger *T, int e, size_t first_tok, size_t last_tok)
{
    entity *en = &T->es->ents[e];
    span *nm = arena_reserve(T->a, en->mentions, en->n_mentions, &en->cap_mentions, 4, sizeof *nm);
    if (!nm)
        return -1;
    en->mentions = nm;
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
    if (ge->type == ENT_PERSON)
        note_role(T, e, ge->role, ge->role_title);
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
    return o + text_key_copy(s, len, buf + o);
}

enum { WALK_MAX_TOKENS = 12 };

/* True when key (klen bytes) is tokens [i, i+n) joined by single spaces, in
 * their text_fold form (fold) or text_key_copy form: a hash lookup found
 * key, this rules out a collision. */
static bool span_is_key(const tagger *T, size_t i, size_t n, bool fold, const char *key, size_t klen)
{
    char buf[256];
    size_t o = 0;
    for (size_t k = i; k < i + n; k++) {
        if (k > i && (o >= klen || key[o++] != ' '))
            return false;
        size_t len;
        const char *s = tok_text(T, k, &len);
        if (T->tk->t[k].flags & TOKF_NONASCII) {
            if (len >= sizeof buf)
                return false;
            len = fold ? text_fold(s, len, buf, sizeof buf) : text_key_copy(s, len, buf);
            s = buf;
        }
        if (len > klen - o || (fold ? strncasecmp(s, key + o, len) : memcmp(s, key + o, len)))
            return false;
        o += len;
    }
    return o == klen;
}

/* Walks a walk map from token i within its sentence (and before token
 * limit), joining the tokens' hashes (folded ones when fold); writes the
 * token counts n (ascending) at which the tokens [i, i+n) are a full entry,
 * with the entries' hashes, for a lookup in the main map. Returns how many.
 * The walk trusts hashes; span_lookup checks the text of what it found. */
static size_t walk_matches(const tagger *T, const strmap *walk, size_t i, size_t limit, bool fold, size_t *ns,
                           uint64_t *hs)
{
    const tokens *tk = T->tk;
    const uint64_t *th = fold ? tk->hfold : tk->hkey;
    uint64_t h = 0;
    size_t found = 0;
    for (size_t n = 1; n <= WALK_MAX_TOKENS && i + n <= limit && tk->t[i + n - 1].sent == tk->t[i].sent; n++) {
        h = n == 1 ? th[i] : strmap_hash_join(h, th[i + n - 1]);
        const char *key;
        size_t kl;
        int v;
        if (!strmap_get_hashed(walk, h, &key, &kl, &v))
            break;
        if (v & LEXICON_WALK_FULL) {
            ns[found] = n;
            hs[found++] = h;
        }
        if (!(v & LEXICON_WALK_EXTENDS))
            break;
    }
    return found;
}

/* The value of the entry of m with hash h that is tokens [i, i+n) (see
 * span_is_key), as found by walk_matches. */
static bool span_lookup(const tagger *T, const strmap *m, uint64_t h, size_t i, size_t n, bool fold, int *value)
{
    const char *key;
    size_t kl;
    int v;
    if (!strmap_get_hashed(m, h, &key, &kl, &v) || !span_is_key(T, i, n, fold, key, kl))
        return false;
    *value = v;
    return true;
}

/* Metonymy: a capital standing for its government ("Beijing has refused",
 * "talks between Washington and Tehran", "Moscow's response"). A capital
 * after a preposition of place or motion ("in Moscow", "flew to Beijing")
 * is the city; so is one that opens its paragraph in capitals (a dateline,
 * handled before). */
static bool capital_for_government(const tagger *T, int g, size_t i)
{
    /* a capital naming where something happens: "the Vienna talks", "a Beijing summit" */
    if (!T->lx->gaz[g].capital_of || (T->tk->t[i].flags & TOKF_ALLCAP))
        return false;
    bool possessive = i + 1 < T->tk->n && is_possessive_tok(T, i + 1); /* "Moscow's demands": the government */
    if (!possessive && i > 0 && T->tk->t[i - 1].sent == T->tk->t[i].sent && tok_in(T, i - 1, TW_PLACE_PREP))
        return false; /* case-blind: "In Moscow, ..." opens sentences */
    for (size_t k = i + 1; k <= i + 2 && k < T->tk->n && T->tk->t[k].sent == T->tk->t[i].sent; k++) {
        if (tok_in(T, k, TW_VENUE_NOUN))
            return false; /* "the Vienna talks", "Vienna nuclear talks" */
        if (T->tk->t[k].kind != TOK_WORD || (T->tk->t[k].flags & TOKF_CAP))
            break;
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

/* "at the White House", "outside the Kremlin": a body named after its seat
 * read as the building (the FAC row of the same name, when there is one). */
static bool place_reading(const tagger *T, size_t i)
{
    if (i >= 1 && T->tk->t[i - 1].sent == T->tk->t[i].sent && tok_in(T, i - 1, TW_SEAT_PREP))
        return true; /* headlines drop the article: "meets Biden at White House" */
    return i >= 2 && tok_is(T, i - 1, "the") && T->tk->t[i - 2].sent == T->tk->t[i].sent && tok_in(T, i - 2, TW_SEAT_PREP);
}

/* "Russia's Foreign Ministry" is one organisation and a mention of Russia:
 * the country before the possessive is tagged too (the tokens then point
 * at the country; the organisation keeps its whole-span mention). */
static int tag_possessor(tagger *T, size_t first, size_t last)
{
    for (size_t p = first + 1; p < last; p++) {
        if (!is_possessive_tok(T, p))
            continue;
        char key[256];
        size_t kl = 0;
        for (size_t k = first; k < p; k++)
            if (!(kl = key_append(T, k, false, key, kl, sizeof key)))
                return 0;
        int g;
        if (strmap_get(&T->lx->alias, key, kl, &g) && T->lx->gaz[g].type == ENT_GPE)
            return add_gaz(T, g, first, p - 1);
        return 0;
    }
    return 0;
}

/* Pass 1: longest gazetteer alias at each token, within one sentence. */
static int pass_gazetteer(tagger *T)
{
    const tokens *tk = T->tk;
    size_t ns[WALK_MAX_TOKENS];
    uint64_t hs[WALK_MAX_TOKENS];
    for (size_t c = 0, next = 0; c < T->alias_starts.n; c++) {
        size_t i = T->alias_starts.at[c];
        if (i < next)
            continue; /* inside what the last match took */
        if (T->es->tok_entity[i] >= 0)
            continue;
        size_t found = walk_matches(T, &T->lx->alias_walk, i, tk->n, false, ns, hs);
        /* the longest alias wins */
        int g = -1;
        while (found > 0 && !span_lookup(T, &T->lx->alias, hs[found - 1], i, ns[found - 1], false, &g))
            found--;
        if (found) {
            size_t n = ns[found - 1];
            if (n == 1 && capital_for_government(T, g, i))
                strmap_get(&T->lx->country_row, T->lx->gaz[g].capital_of, strlen(T->lx->gaz[g].capital_of), &g);
            if (T->lx->gaz[g].type == ENT_ORG && place_reading(T, i))
                strmap_get(&T->lx->fac_by_name, T->lx->gaz[g].name, strlen(T->lx->gaz[g].name), &g);
            if (add_gaz(T, g, i, i + n - 1) || (n > 2 && T->lx->gaz[g].type == ENT_ORG && tag_possessor(T, i, i + n - 1)))
                return -1;
            next = i + n;
        }
    }
    return 0;
}

static bool is_name_particle(const tagger *T, size_t i)
{
    return tok_in(T, i, TW_NAME_PARTICLE);
}

/* Lower-case particles that join a name with a hyphen: the Arabic article
 * and its assimilated forms, "bin"/"ibn"/"abu" (sorted for text_in_sorted). */
static const char *const HYPHEN_PARTICLES[] = {"abu", "ad", "al", "an", "ar", "as", "ash", "at",
                                               "az",  "ben", "bin", "el", "ibn", "ud", "ul"};

/* The length of the particle that opens s (len bytes) with a hyphen after
 * it and more after that ("al" of "al-Burhan", "bin" of "bin-Salman"), 0
 * when none. */
static size_t hyphen_particle(const char *s, size_t len)
{
    for (size_t p = 2; p <= 4; p++) /* particles have 2-4 letters */
        if (p + 1 < len && s[p] == '-')
            return text_in_sorted(HYPHEN_PARTICLES, sizeof HYPHEN_PARTICLES / sizeof *HYPHEN_PARTICLES, s, p) ? p : 0;
    return 0;
}

/* "al-Kaabi", "el-Sisi", "bin-Salman": a lower-case particle joined by a
 * hyphen to a capitalised name is a name word, like a capitalised one. */
static bool is_prefixed_name(const tagger *T, size_t i)
{
    const token *t = &T->tk->t[i];
    if (t->kind != TOK_WORD || (t->flags & TOKF_CAP))
        return false;
    size_t len;
    const char *s = tok_text(T, i, &len);
    if (len < 4 || s[0] < 'a' || s[0] > 'z')
        return false;
    size_t p = hyphen_particle(s, len);
    return p && s[p + 1] >= 'A' && s[p + 1] <= 'Z';
}

/* A word that may continue a name: capitalised or particle-prefixed. */
static bool is_name_word(const tagger *T, size_t i)
{
    return is_cap_word(T, i) || is_prefixed_name(T, i);
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
        if (is_name_word(T, k) && !(tk->t[k].flags & TOKF_ALLCAP && k > i + 1)) {
            last = k;
            continue;
        }
        if (is_name_particle(T, k) && k + 1 < tk->n && is_name_word(T, k + 1))
            continue;
        break;
    }
    return last;
}

/* Words that are capitalised in news but never start a person's name. */
static bool is_stop_cap(const tagger *T, size_t i)
{
    return tok_in(T, i, TW_STOP_CAP);
}

/* The token count of the longest prefix title ("Sheikh", "Dr.") at token
 * i, 0 when none starts there. */
static size_t title_prefix_at(const tagger *T, size_t i)
{
    const tokens *tk = T->tk;
    if (tk->t[i].kind != TOK_WORD || !lexicon_bp_maybe(T->lx->title_head_filter, tk->hfold[i]))
        return 0;
    size_t ns[WALK_MAX_TOKENS];
    uint64_t hs[WALK_MAX_TOKENS];
    size_t found = walk_matches(T, &T->lx->title_walk, i, tk->n - 1, true, ns, hs);
    for (size_t m = found; m-- > 0;) {
        int ti;
        if (span_lookup(T, &T->lx->title_map, hs[m], i, ns[m], true, &ti) && T->lx->titles[ti].kind == TITLE_PREFIX)
            return ns[m];
    }
    return 0;
}

/* Pass 2: people introduced by a title: "Foreign Minister Wang Yi". */
static int pass_titles(tagger *T)
{
    const tokens *tk = T->tk;
    size_t ns[WALK_MAX_TOKENS];
    uint64_t hs[WALK_MAX_TOKENS];
    for (size_t c = 0, next = 0; c < T->title_starts.n; c++) {
        size_t i = T->title_starts.at[c];
        if (i < next || T->es->tok_entity[i] >= 0)
            continue; /* inside what the last match took, or a name's own word ("Sheikh Tamim bin Hamad") */
        /* a title needs a name after it: the walk stops one token short of the end */
        size_t found = walk_matches(T, &T->lx->title_walk, i, tk->n - 1, true, ns, hs);
        /* the longest title first; a title that is not a name prefix lets a shorter one try */
        for (size_t m = found; m-- > 0;) {
            size_t n = ns[m];
            int ti;
            if (!span_lookup(T, &T->lx->title_map, hs[m], i, n, true, &ti) || T->lx->titles[ti].kind != TITLE_PREFIX)
                continue;
            size_t first = i + n;
            const char *role = T->lx->titles[ti].role, *title = T->lx->titles[ti].text;
            /* "Foreign Minister Sheikh Abdullah ...", "President Dr. X": the name is after the
             * second title too, and the first one tells the office */
            for (size_t hop = 0; hop < 2 && first + 1 < tk->n && tk->t[first].sent == tk->t[i].sent; hop++) {
                size_t inner = title_prefix_at(T, first);
                if (!inner)
                    break;
                first += inner;
            }
            if (first < tk->n && T->es->tok_entity[first] >= 0 &&
                T->es->ents[T->es->tok_entity[first]].type == ENT_PERSON) {
                /* "Secretary of State Antony Blinken", the name known already: the title tells the office */
                note_role(T, T->es->tok_entity[first], role, title);
                break;
            }
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
            note_role(T, T->es->tok_entity[first], role, title);
            next = last + 1;
            break;
        }
    }
    return 0;
}

/* Pass 3: "Jane Doe said" / "said Jane Doe": two or more capitalised words. */
static int pass_speech_subjects(tagger *T)
{
    const tokens *tk = T->tk;
    for (size_t c = 0; c < T->speech_verbs.n; c++) {
        size_t i = T->speech_verbs.at[c];
        /* before the verb */
        if (i >= 2 && is_name_word(T, i - 1) && T->es->tok_entity[i - 1] < 0) {
            size_t b = i - 1;
            while (b > 0 && i - b < 4 && (is_name_word(T, b - 1) || is_name_particle(T, b - 1)) &&
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


/* Nouns that describe a person in an apposition ("Jane Doe, a spokeswoman
 * for ..."); an organisation is described by other nouns ("a coalition"). */
static bool is_person_role_noun(const tagger *T, size_t i)
{
    return tok_in(T, i, TW_PERSON_ROLE);
}

/* Pass 3b: an unknown name in apposition: "Farida Sultani, a coordinator
 * with ...", "Alexander Fomin, Russia's deputy defense minister, said",
 * "Nasrin Hakimi, who ran a school". Two to five capitalised words, a
 * comma, then "who" or a person noun within a few tokens. */
static int pass_appositive_persons(tagger *T)
{
    const tokens *tk = T->tk;
    for (size_t c = 0, next = 0; c < T->cap_words.n; c++) {
        size_t i = T->cap_words.at[c];
        if (i < next)
            continue; /* inside what the last match took */
        if (i + 3 >= tk->n)
            break;
        if (T->es->tok_entity[i] >= 0 || is_stop_cap(T, i) || (tk->t[i].flags & TOKF_ALLCAP))
            continue;
        size_t last = name_extent(T, i, 5);
        if (last == i || last + 2 >= tk->n || T->body[tk->t[last + 1].start] != ',' ||
            tk->t[last + 1].end - tk->t[last + 1].start != 1 || tk->t[last + 2].sent != tk->t[i].sent)
            continue;
        if (is_org_head(T, last))
            continue; /* "Khartoum Relief Network, a coalition of ..." */
        bool tagged = false;
        for (size_t k = i; k <= last; k++)
            tagged |= T->es->tok_entity[k] >= 0 || (tk->t[k].flags & TOKF_ALLCAP);
        if (tagged)
            continue;
        size_t d = last + 2; /* the description */
        bool person = tok_is(T, d, "who");
        for (size_t k = d; !person && k < d + 6 && k < tk->n && tk->t[k].sent == tk->t[i].sent; k++) {
            if (T->body[tk->t[k].start] == ',' || tok_is(T, k, "which") || tok_is(T, k, "that"))
                break;
            person = is_person_role_noun(T, k);
        }
        if (!person)
            continue;
        if (add_new(T, ENT_PERSON, i, last))
            return -1;
        next = last + 1;
    }
    return 0;
}

/* Head nouns that end an organisation's name: "Interior Ministry",
 * "Africa Command", "Gulf Research Forum". */
static bool is_org_head(const tagger *T, size_t i)
{
    size_t tl = T->tk->t[i].end - T->tk->t[i].start;
    if (tl < 4 || !is_cap_word(T, i)) /* every head has 4+ letters */
        return false;
    return tok_in(T, i, TW_ORG_HEAD);
}

/* Head nouns that end a facility's name: "Dolmabahçe Palace", "Bagram Air Base". */
static bool is_fac_head(const tagger *T, size_t i)
{
    size_t tl = T->tk->t[i].end - T->tk->t[i].start;
    if (tl < 3 || !is_cap_word(T, i))
        return false;
    return tok_in(T, i, TW_FAC_HEAD);
}

static bool is_possessive_tok(const tagger *T, size_t i)
{
    size_t n;
    const char *s = tok_text(T, i, &n);
    return (n == 2 && !memcmp(s, "'s", 2)) || (n == 4 && !memcmp(s, "\xE2\x80\x99s", 4));
}

static bool free_name_word(const tagger *T, size_t i)
{
    return T->es->tok_entity[i] < 0 && is_cap_word(T, i) && !is_stop_cap(T, i);
}

/* Takes the mention that ends at token k out of its entity (a demonym, a
 * country or a city that turns out to open an organisation's name) and
 * returns its first token, or -1 when token k is not the end of a mention.
 * Entities left without mentions are dropped at the end of tagging. */
static long detach_mention_ending_at(tagger *T, size_t k)
{
    int e = T->es->tok_entity[k];
    if (e < 0 || (k + 1 < T->tk->n && T->es->tok_entity[k + 1] == e))
        return -1;
    entity *en = &T->es->ents[e];
    for (size_t m = 0; m < en->n_mentions; m++) {
        if (en->mentions[m].end != T->tk->t[k].end)
            continue;
        size_t first = k;
        while (first > 0 && T->tk->t[first - 1].start >= en->mentions[m].start)
            first--;
        memmove(en->mentions + m, en->mentions + m + 1, (en->n_mentions - m - 1) * sizeof *en->mentions);
        en->n_mentions--;
        for (size_t t = first; t <= k; t++)
            T->es->tok_entity[t] = -1;
        return (long)first;
    }
    return -1;
}

/* The demonym of a country entity ("Russian" for Russia), or NULL. */
static const char *demonym_of(const tagger *T, const entity *country)
{
    int g;
    if (!strmap_get(&T->lx->demonym_by_id, country->id, strlen(country->id), &g))
        return NULL;
    return T->lx->gaz[g].name;
}

/* An organisation whose canonical name is given ("Russian Foreign
 * Ministry" for "Russia's Foreign Ministry"), serving country. */
static int add_named(tagger *T, entity_type type, size_t first, size_t last, const char *name, const char *country)
{
    char *id = entities_slug(T->a, type, name);
    if (!id)
        return ingest_fail(T->err, INGEST_ERR_INTERNAL, "out of memory");
    int e = entity_for(T, id, name, type, country);
    if (e == -2 || (e >= 0 && add_mention(T, e, first, last)))
        return ingest_fail(T->err, INGEST_ERR_INTERNAL, "out of memory in entity tagger");
    return 0;
}

/* "U.S. Army" -> "United States Army": a country opening an organisation's
 * name is written canonically (its mention ended at token opener_last); a
 * city keeps its surface form. */
static const char *canonical_opened_name(tagger *T, const entity *place, size_t opener_first, size_t opener_last,
                                         size_t last)
{
    if (place->type != ENT_GPE || !place->country || opener_last >= last)
        return NULL;
    /* only a country written as one of its own names ("U.S."): a city, or a capital
     * read as its government, stays as written ("Kabul Women's Relief Network") */
    char key[256];
    size_t kl = 0;
    for (size_t k = opener_first; k <= opener_last; k++)
        if (!(kl = key_append(T, k, false, key, kl, sizeof key)))
            return NULL;
    int row, g;
    if (!strmap_get(&T->lx->country_row, place->country, strlen(place->country), &row) ||
        strcmp(T->lx->gaz[row].id, place->id) || !strmap_get(&T->lx->alias, key, kl, &g) || g != row)
        return NULL;
    size_t pl = strlen(place->name), from = T->tk->t[opener_last].end, n = T->tk->t[last].end - from;
    char *name = arena_alloc_raw(T->a, pl + n + 1);
    if (!name)
        return NULL;
    memcpy(name, place->name, pl);
    memcpy(name + pl, T->body + from, n);
    name[pl + n] = '\0';
    return name;
}

/* "Russia's Foreign Ministry": the name a reader would give it, with the
 * country's demonym; NULL when the span is not preceded by a country's
 * possessive. */
static const char *possessor_name(tagger *T, size_t b, size_t last, const char **country)
{
    /* only a generic name needs its country: "Foreign Ministry", not "National Cyber Security Centre" */
    if (b < 2 || last > b + 1 || !is_possessive_tok(T, b - 1) || T->es->tok_entity[b - 2] < 0)
        return NULL;
    const entity *c = &T->es->ents[T->es->tok_entity[b - 2]];
    const char *dem = c->type == ENT_GPE ? demonym_of(T, c) : NULL;
    if (!dem)
        return NULL;
    size_t n = T->tk->t[last].end - T->tk->t[b].start, dl = strlen(dem);
    char *name = arena_alloc_raw(T->a, dl + n + 2);
    if (!name)
        return NULL;
    memcpy(name, dem, dl);
    name[dl] = ' ';
    memcpy(name + dl + 1, T->body + T->tk->t[b].start, n);
    name[dl + 1 + n] = '\0';
    *country = c->country;
    return name;
}

/* Pass 4: organisations by head noun. Backwards from the head over
 * capitalised words, a possessive inside the name ("Kabul Women's Relief
 * Network") and of/for/and between capitalised words ("Centre for Arms
 * Control Studies"); a demonym or country just before joins the name
 * ("Chinese Foreign Ministry"); "of"/"for" and capitalised words after the
 * head complete it ("Ministry of Defense", "Security Council of Russia"). */
static int pass_org_suffix(tagger *T)
{
    const tokens *tk = T->tk;
    for (size_t c = 0, next = 0; c < T->heads.n; c++) {
        size_t i = T->heads.at[c];
        if (i < next)
            continue; /* inside what the last match took */
        if (i == 0 || T->es->tok_entity[i] >= 0)
            continue;
        entity_type type = is_org_head(T, i) ? ENT_ORG : ENT_FAC;
        if (type == ENT_FAC && !is_fac_head(T, i))
            continue;
        uint32_t sent = tk->t[i].sent;
        size_t b = i;
        while (b > 0 && i - b < 7 && tk->t[b - 1].sent == sent) {
            size_t p = b - 1;
            if (free_name_word(T, p)) {
                b = p;
            } else if (p > 0 && is_possessive_tok(T, p) && free_name_word(T, p - 1) && p < i) {
                b = p - 1;
            } else if (p > 0 && (tok_is(T, p, "for") || tok_is(T, p, "of") || tok_is(T, p, "and")) &&
                       free_name_word(T, p - 1) && b < i + 1 && is_cap_word(T, b)) {
                b = p - 1;
            } else {
                break;
            }
        }
        while (b < i && (tok_is(T, b, "for") || tok_is(T, b, "of") || tok_is(T, b, "and")))
            b++;
        size_t last = i;
        /* "Ministry of Defense", "Security Council of Russia" */
        if (i + 2 < tk->n && tk->t[i + 2].sent == sent && (tok_is(T, i + 1, "of") || tok_is(T, i + 1, "for")) &&
            is_cap_word(T, i + 2) && !is_stop_cap(T, i + 2)) {
            int e = T->es->tok_entity[i + 2];
            if (e < 0) {
                last = name_extent(T, i + 2, 4);
            } else if (T->es->ents[e].type == ENT_GPE && (i + 3 >= tk->n || !is_cap_word(T, i + 3)) &&
                       detach_mention_ending_at(T, i + 2) == (long)(i + 2)) {
                last = i + 2;
            }
        }
        /* an ordinal: "82nd Airborne Division" */
        if (b > 0 && b < i && tk->t[b - 1].kind == TOK_NUM && tk->t[b - 1].sent == sent &&
            T->es->tok_entity[b - 1] < 0 && !(T->body[tk->t[b - 1].end - 1] >= '0' && T->body[tk->t[b - 1].end - 1] <= '9'))
            b--;
        /* a demonym, country or city right before opens the name: "Chinese Foreign
         * Ministry", "United States Marine Corps", "Kabul Women's Relief Network" */
        const entity *opener = NULL; /* "Qatar Airways", "U.S. Army": the place opens the name */
        size_t opener_last = b ? b - 1 : 0, opener_first = opener_last;
        if (b > 0 && tk->t[b - 1].sent == sent && T->es->tok_entity[b - 1] >= 0) {
            const entity *pe = &T->es->ents[T->es->tok_entity[b - 1]];
            long first = pe->type == ENT_NORP || pe->type == ENT_GPE || pe->type == ENT_LOC
                             ? detach_mention_ending_at(T, b - 1)
                             : -1;
            if (first >= 0) {
                opener = pe;
                b = opener_first = (size_t)first;
                while (b < i && (tok_is(T, b, "the") || tok_is(T, b, "The")))
                    b++; /* "the Gulf" is a place; "Gulf Research Forum" the name */
            }
        }
        if (b == i && last == i)
            continue; /* a head alone ("Ministry") names nothing */
        const char *country = opener && opener->type == ENT_GPE ? opener->country : NULL;
        const char *name = opener ? canonical_opened_name(T, opener, opener_first, opener_last, last)
                                  : possessor_name(T, b, last, &country);
        if (name ? add_named(T, type, b, last, name, country) : add_new(T, type, b, last))
            return -1;
        next = last + 1;
    }
    return 0;
}

/* One past the start of entity e's last mention before byte pos, 0 when none. */
static size_t mentioned_before(const entity *en, size_t pos)
{
    size_t at = 0;
    for (size_t m = 0; m < en->n_mentions; m++)
        if (en->mentions[m].start < pos && en->mentions[m].start + 1 > at)
            at = en->mentions[m].start + 1;
    return at;
}

/* True when text (len bytes, any case) is a prefix title of role ("Emir"
 * and "president" are head_of_state titles). */
static bool is_role_title(const tagger *T, const char *text, size_t len, const char *role)
{
    char buf[128];
    if (len >= sizeof buf)
        return false;
    size_t n = text_fold(text, len, buf, sizeof buf);
    int ti;
    return strmap_get(&T->lx->title_map, buf, n, &ti) && T->lx->titles[ti].kind == TITLE_PREFIX &&
           T->lx->titles[ti].role && !strcmp(T->lx->titles[ti].role, role);
}

/* True when w (len bytes) is one of the words of title, ignoring case. */
static bool title_has_word(const char *title, const char *w, size_t len)
{
    for (const char *p = title; *p;) {
        size_t n = strcspn(p, " -");
        if (n == len && !strncasecmp(p, w, len))
            return true;
        p += n;
        p += *p != '\0';
    }
    return false;
}

/* The person a role description refers to: desc is the description without
 * its article ("emir", "secretary of state"), for role, at byte pos;
 * country (or NULL) the country it names ("the emir of Qatar").
 * People introduced with a title that has the description's head word
 * ("Emir" for "the emir") come first: the one mentioned last before pos,
 * or the only one, named later in the text. Else the holder of the role
 * mentioned last before pos, leaving out those whose title is another
 * office of the same role ("President" for "the emir"; a military rank is
 * no office): no referent is better than a wrong one. Returns -1 when none. */
static int holder_for(const tagger *T, const char *role, const char *desc, const char *country, size_t pos)
{
    const char *head = strrchr(desc, ' ');
    head = head ? head + 1 : desc;
    size_t head_len = strlen(head);
    /* military titles are ranks, held with any command ("Gen. X, the commander of ..."); the
     * other roles' titles name offices one person does not hold together */
    bool desc_is_title = strcmp(role, "military") && is_role_title(T, desc, strlen(desc), role);
    for (int titled = 1; titled >= 0; titled--) {
        int best = -1, only = -1;
        size_t best_at = 0, n_titled = 0;
        for (size_t k = 0; k < T->n_holders; k++) {
            const char *title = T->holders[k].title;
            const entity *en = &T->es->ents[T->holders[k].ent];
            if (strcmp(T->holders[k].role, role) || (country && en->country && strcmp(country, en->country)))
                continue;
            bool has_head = title && title_has_word(title, head, head_len);
            if (titled ? !has_head
                       : title && desc_is_title && is_role_title(T, title, strlen(title), role))
                continue;
            if (only != T->holders[k].ent)
                n_titled++;
            only = T->holders[k].ent;
            size_t at = mentioned_before(en, pos);
            if (at > best_at) {
                best = T->holders[k].ent;
                best_at = at;
            }
        }
        if (titled && n_titled)
            return best >= 0 ? best : n_titled == 1 ? only : -1;
        if (!titled)
            return best;
    }
    return -1;
}

/* The country a description names after "of" ("the emir of Qatar"): the
 * country entity at token i, or NULL. */
static const char *country_after_of(const tagger *T, size_t i)
{
    if (i + 1 >= T->tk->n || !tok_is(T, i, "of") || T->es->tok_entity[i + 1] < 0)
        return NULL;
    const entity *en = &T->es->ents[T->es->tok_entity[i + 1]];
    return en->type == ENT_GPE ? en->country : NULL;
}

/* Pass 4b: role descriptions. "the secretary of state", "the president"
 * (lower-case, no name after it) refer to the last person named earlier
 * with that office; the mention is the description without "the". */
static int pass_role_descriptions(tagger *T)
{
    const tokens *tk = T->tk;
    size_t ns[WALK_MAX_TOKENS];
    uint64_t hs[WALK_MAX_TOKENS];
    for (size_t c = 0, next = 0; c < T->thes.n; c++) {
        size_t i = T->thes.at[c];
        if (i < next)
            continue; /* inside what the last match took */
        if (i + 1 >= tk->n)
            break;
        size_t found = walk_matches(T, &T->lx->title_walk, i, tk->n, true, ns, hs);
        for (size_t m = found; m-- > 0;) {
            int ti;
            size_t n = ns[m], last = i + n - 1;
            if (n < 2 || !span_lookup(T, &T->lx->title_map, hs[m], i, n, true, &ti) ||
                T->lx->titles[ti].kind != TITLE_ROLE_NOUN || !T->lx->titles[ti].role)
                continue;
            if (last + 1 < tk->n && is_cap_word(T, last + 1) && tk->t[last + 1].sent == tk->t[i].sent)
                break; /* "the foreign minister Wang Yi": an introduction, handled by titles */
            bool free = true;
            for (size_t k = i + 1; k <= last; k++)
                free &= T->es->tok_entity[k] < 0 && !(tk->t[k].flags & TOKF_CAP);
            const char *desc = strchr(T->lx->titles[ti].text, ' '); /* the title without "the" */
            int e = free && desc ? holder_for(T, T->lx->titles[ti].role, desc + 1, country_after_of(T, last + 1),
                                              tk->t[i].start)
                                 : -1;
            if (e >= 0 && add_mention(T, e, i + 1, last))
                return ingest_fail(T->err, INGEST_ERR_INTERNAL, "out of memory");
            if (e >= 0)
                next = last + 1;
            break;
        }
    }
    return 0;
}

/* ---- person names and their short forms ------------------------------------------
 *
 * A person named in full ("Ali Bagheri Kani", "Abdel Fattah al-Burhan",
 * "Chen Wei-ting") is later written shorter: the surname ("Kani"), a
 * two-word surname ("Bagheri Kani"), the surname without its article
 * ("Burhan"), the family name written first ("Chen"), a given name after an
 * honorific ("Sheikh Tamim"), or without the accents ("Erdogan" for
 * "Erdoğan"). The name index holds these short forms of every multi-word
 * PERSON name, folded (name_fold), hashed: a capitalised token is one
 * probe of the index, and a short name the other passes made an entity of
 * ("Bagheri Kani said", "Sheikh Tamim") is merged into the full name. */

enum { NAME_MAX_TOKENS = 8, NAME_FOLD_MAX = 160 };
/* How surely a short form names its person: a surname (or a family name
 * written first) more surely than a given name. */
enum { KEY_GIVEN = 1, KEY_SURNAME = 2 };

typedef struct name_key {
    uint64_t h;       /* strmap_hash of text (its words' hashes joined) */
    const char *text; /* folded, words joined by single spaces; arena */
    uint32_t len;
    int ent;
    uint8_t ntok, strength;
} name_key;

typedef struct name_index {
    name_key *keys;
    size_t n, cap;
    int32_t *slot;   /* open addressing on h: key index + 1, 0 when empty */
    size_t slot_cap; /* a power of two, at least twice cap */
    int *into;       /* per entity: the entity its mentions went to (itself when none) */
    const char **fold; /* per entity: a person's name folded (arena), NULL for others */
    uint64_t *fold_hash; /* its strmap_hash */
    uint16_t *fold_len;
    uint8_t *words;    /* per entity: the words of that name */
} name_index;

/* Writes the form names are compared in into out (cap bytes): ASCII
 * lower-case, combining marks dropped and other letters case-folded
 * ("Erdoğan" -> "erdogan"), the curly apostrophe as '. For ASCII it is the
 * text_fold form, so an ASCII token's hfold is the hash of its name form.
 * Returns the length, 0 when it does not fit. */
static size_t name_fold(const char *s, size_t len, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (o + 1 >= cap)
                return 0;
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
            continue;
        }
        int32_t cp;
        i += utf8_decode(s + i, len - i, &cp);
        utf8proc_int32_t d[8];
        int bound = 0;
        utf8proc_ssize_t nd = cp == 0x2019 ? 0 : utf8proc_decompose_char(cp, d, 8,
            UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD, &bound);
        if (cp == 0x2019) {
            d[0] = '\'';
            nd = 1;
        } else if (nd < 0 || nd > 8) {
            d[0] = cp;
            nd = 1;
        }
        for (utf8proc_ssize_t k = 0; k < nd; k++) {
            if (o + 5 >= cap)
                return 0;
            o += utf8_encode(d[k], out + o);
        }
    }
    return o;
}

/* The name form of tokens [first, last] joined by spaces, into out (cap
 * bytes). Returns the length, 0 when it does not fit. */
static size_t fold_tokens(const tagger *T, size_t first, size_t last, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t k = first; k <= last; k++) {
        size_t len;
        const char *s = tok_text(T, k, &len);
        if (k > first) {
            if (o + 2 >= cap)
                return 0;
            out[o++] = ' ';
        }
        size_t n = name_fold(s, len, out + o, cap - o);
        if (!n)
            return 0;
        o += n;
    }
    return o;
}

static int name_resolved(const name_index *ix, int e)
{
    while (ix->into[e] != e)
        e = ix->into[e];
    return e;
}

static void name_key_add(name_index *ix, uint64_t h, const char *text, size_t len, size_t ntok, int ent, int strength)
{
    if (ix->n == ix->cap || !len)
        return;
    ix->keys[ix->n] = (name_key){h, text, (uint32_t)len, ent, (uint8_t)ntok, (uint8_t)strength};
    size_t j = h & (ix->slot_cap - 1);
    while (ix->slot[j])
        j = (j + 1) & (ix->slot_cap - 1);
    ix->slot[j] = (int32_t)++ix->n;
}

/* Names written family name first: "Wang" for Wang Yi, "Kim" for Kim Jong Un. */
static bool family_name_first(const entity *en)
{
    const char *c = en->country;
    if (!c || !c[0] || !c[1] || !c[2] || c[3]) /* ISO3 codes: the first letter rules out most */
        return false;
    switch (c[0]) {
    case 'C': return c[1] == 'H' && c[2] == 'N';
    case 'K': return c[1] == 'O' && c[2] == 'R';
    case 'P': return c[1] == 'R' && c[2] == 'K';
    case 'T': return c[1] == 'W' && c[2] == 'N';
    default: return false;
    }
}

/* Folds person e's name into ix and adds its short forms to ix (whose
 * arrays have room). Returns 0, or -1 when memory ran out. */
static int name_index_person(tagger *T, name_index *ix, int e)
{
    const entity *en = &T->es->ents[e];
    size_t nl = strlen(en->name), fl = 0, off[NAME_MAX_TOKENS + 1], ntok = 0;
    if (!nl || nl >= NAME_FOLD_MAX)
        return 0;
    char *text = arena_alloc_raw(T->a, NAME_FOLD_MAX); /* folding never outgrows it (name_fold checks) */
    if (!text)
        return -1;
    /* ASCII, nearly every name: lower-cased in the same scan that finds the words */
    for (const unsigned char *p = (const unsigned char *)en->name; fl < nl; p++, fl++) {
        if (*p >= 0x80) {
            fl = name_fold(en->name, nl, text, NAME_FOLD_MAX);
            ntok = 0;
            for (size_t k = 0; k < fl; k++)
                if ((k == 0 || text[k - 1] == ' ') && ntok < NAME_MAX_TOKENS + 1)
                    off[ntok++] = k;
            break;
        }
        if (fl == 0 || p[-1] == ' ') {
            if (ntok == NAME_MAX_TOKENS + 1)
                break;
            off[ntok++] = fl;
        }
        text[fl] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    }
    if (!fl || ntok > NAME_MAX_TOKENS)
        return 0; /* no person's name is that long */
    off[ntok] = fl + 1;
    uint64_t wh[NAME_MAX_TOKENS] = {0};
    for (size_t k = 0; k < ntok; k++)
        wh[k] = strmap_word_hash(text + off[k], off[k + 1] - 1 - off[k]);
    ix->fold[e] = text;
    ix->fold_len[e] = (uint16_t)fl;
    ix->words[e] = (uint8_t)ntok;
    ix->fold_hash[e] = wh[0];
    for (size_t k = 1; k < ntok; k++)
        ix->fold_hash[e] = strmap_hash_join(ix->fold_hash[e], wh[k]);
    if (ntok < 2)
        return 0;
    /* every proper tail: "kani", "bagheri kani", "von der leyen" (a key's hash is its words' joined) */
    for (size_t s = 1; s < ntok; s++) {
        uint64_t h = wh[s];
        for (size_t k = s + 1; k < ntok; k++)
            h = strmap_hash_join(h, wh[k]);
        name_key_add(ix, h, text + off[s], fl - off[s], ntok - s, e, KEY_SURNAME);
    }
    /* the surname without its article: "burhan" for al-Burhan */
    const char *last = text + off[ntok - 1];
    size_t ll = fl - off[ntok - 1];
    size_t p = hyphen_particle(last, ll);
    if (p)
        name_key_add(ix, strmap_word_hash(last + p + 1, ll - p - 1), last + p + 1, ll - p - 1, 1, e, KEY_SURNAME);
    /* the first word: a family name written first, else a given name */
    name_key_add(ix, wh[0], text, off[1] - 1, 1, e, family_name_first(en) ? KEY_SURNAME : KEY_GIVEN);
    return 0;
}

/* Indexes the short forms of every PERSON named in more than one word.
 * Returns 0, or -1 with T->err when memory ran out. */
static int name_index_build(tagger *T, name_index *ix)
{
    memset(ix, 0, sizeof *ix);
    size_t ne = T->es->n + 1;
    ix->into = arena_alloc_raw(T->a, ne * sizeof *ix->into);
    ix->fold = arena_alloc(T->a, ne * sizeof *ix->fold);
    ix->fold_len = arena_alloc_raw(T->a, ne * sizeof *ix->fold_len);
    ix->words = arena_alloc_raw(T->a, ne);
    ix->fold_hash = arena_alloc_raw(T->a, ne * sizeof *ix->fold_hash);
    if (!ix->into || !ix->fold || !ix->fold_len || !ix->words || !ix->fold_hash)
        return ingest_fail(T->err, INGEST_ERR_INTERNAL, "out of memory");
    size_t people = 0;
    for (size_t e = 0; e < T->es->n; e++) {
        ix->into[e] = (int)e;
        people += T->es->ents[e].type == ENT_PERSON;
    }
    /* a name's keys: its tails (one fewer than its words), the article-less surname, the first word */
    ix->cap = people * (NAME_MAX_TOKENS + 1);
    for (ix->slot_cap = 16; ix->slot_cap < 2 * ix->cap; ix->slot_cap *= 2)
        ;
    ix->keys = arena_alloc_raw(T->a, (ix->cap + 1) * sizeof *ix->keys);
    ix->slot = arena_alloc(T->a, ix->slot_cap * sizeof *ix->slot);
    if (!ix->keys || !ix->slot)
        return ingest_fail(T->err, INGEST_ERR_INTERNAL, "out of memory");
    for (size_t e = 0; e < T->es->n; e++)
        if (T->es->ents[e].type == ENT_PERSON && T->es->ents[e].n_mentions && name_index_person(T, ix, (int)e))
            return ingest_fail(T->err, INGEST_ERR_INTERNAL, "out of memory");
    return 0;
}

/* The person a short form names: the folded text (len bytes, ntok words,
 * hashed to h) matched against the index, leaving out entity self (-1 for
 * none). Of the matching keys the surest kind counts; several people of it
 * are told apart by surname only, the one mentioned last before byte pos
 * (two people sharing a given name: neither). Sets *strength; returns -1
 * when none or undecided. */
static int name_lookup(const tagger *T, const name_index *ix, uint64_t h, const char *text, size_t len, size_t ntok,
                       int self, size_t pos, int *strength)
{
    enum { MAX_CANDIDATES = 8 };
    int cand[MAX_CANDIDATES], best_strength = 0;
    size_t n = 0;
    for (size_t j = h & (ix->slot_cap - 1); ix->slot[j]; j = (j + 1) & (ix->slot_cap - 1)) {
        const name_key *k = &ix->keys[ix->slot[j] - 1];
        if (k->h != h || k->ntok != ntok || k->len != len || memcmp(k->text, text, len) || k->strength < best_strength)
            continue;
        int e = name_resolved(ix, k->ent);
        if (e == self)
            continue;
        if (k->strength > best_strength) {
            best_strength = k->strength;
            n = 0;
        }
        bool seen = false;
        for (size_t c = 0; c < n; c++)
            seen |= cand[c] == e;
        if (!seen && n < MAX_CANDIDATES)
            cand[n++] = e;
    }
    *strength = best_strength;
    if (n <= 1)
        return n ? cand[0] : -1;
    if (best_strength == KEY_GIVEN)
        return -1;
    int best = -1;
    size_t best_at = 0;
    bool tie = false;
    for (size_t c = 0; c < n; c++) {
        size_t at = mentioned_before(&T->es->ents[cand[c]], pos);
        if (at > best_at)
            best = cand[c], best_at = at, tie = false;
        else if (at == best_at)
            tie = true;
    }
    return tie ? -1 : best;
}

/* Moves every mention of entity from to entity to (tokens too). Returns 0,
 * or -1 when memory ran out. */
static int move_mentions(tagger *T, int from, int to)
{
    entity *src = &T->es->ents[from];
    const tokens *tk = T->tk;
    for (size_t m = 0; m < src->n_mentions; m++) {
        span sp = src->mentions[m];
        size_t lo = text_token_at(tk, sp.start); /* the first token of the mention */
        size_t last = lo;
        while (last + 1 < tk->n && tk->t[last + 1].end <= sp.end)
            last++;
        if (lo >= tk->n || add_mention(T, to, lo, last))
            return lo >= tk->n ? 0 : -1;
    }
    src->n_mentions = 0;
    for (size_t k = 0; k < T->n_holders; k++)
        if (T->holders[k].ent == from)
            T->holders[k].ent = to;
    return 0;
}

/* Pass 4a: short names other passes made people of ("Bagheri Kani said",
 * "Sheikh Tamim") join the one person whose full name they shorten. Only
 * names the gazetteer does not know; longer ones first, so that "Kani"
 * finds "Ali Bagheri Kani" through "Bagheri Kani". */
static int pass_merge_short_names(tagger *T, name_index *ix)
{
    /* the candidates: few people, so a pass over them per word count is cheap */
    int *cand = arena_alloc_raw(T->a, (T->es->n + 1) * sizeof *cand);
    if (!cand)
        return ingest_fail(T->err, INGEST_ERR_INTERNAL, "out of memory");
    size_t n = 0, most = 0;
    for (size_t e = 0; e < T->es->n; e++)
        if (ix->fold[e] && !memcmp(T->es->ents[e].id, "slug:", 5)) {
            cand[n++] = (int)e;
            most = ix->words[e] > most ? ix->words[e] : most;
        }
    for (size_t nt = most < NAME_MAX_TOKENS ? most : NAME_MAX_TOKENS - 1; nt >= 1 && n; nt--) {
        for (size_t c = 0; c < n; c++) {
            int e = cand[c];
            if (ix->words[e] != nt)
                continue;
            const char *f = ix->fold[e];
            size_t fl = ix->fold_len[e];
            int strength, b = name_lookup(T, ix, ix->fold_hash[e], f, fl, nt, e, T->es->ents[e].mentions[0].start,
                                          &strength);
            if (b < 0 || known_id(T->lx, T->es->ents[e].id))
                continue;
            if (move_mentions(T, e, b))
                return ingest_fail(T->err, INGEST_ERR_INTERNAL, "out of memory");
            ix->into[e] = b;
        }
    }
    return 0;
}

/* A given name standing alone for a person ("Park said"): not an English
 * word the event lexicon knows ("Will", "May" opening a sentence), and no
 * other capitalised word next to it (that would be someone else's name). */
static bool lone_given_name(const tagger *T, size_t i)
{
    const tokens *tk = T->tk;
    const char *key;
    size_t kl;
    int v;
    size_t len;
    const char *s = tok_text(T, i, &len);
    if (strmap_get_hashed(&T->lx->sym, tk->hfold[i], &key, &kl, &v) && kl == len && !strncasecmp(key, s, len))
        return false;
    if (i + 1 < tk->n && tk->t[i + 1].sent == tk->t[i].sent && T->es->tok_entity[i + 1] < 0 && is_name_word(T, i + 1))
        return false;
    return !(i > 0 && tk->t[i - 1].sent == tk->t[i].sent && T->es->tok_entity[i - 1] < 0 && is_cap_word(T, i - 1) &&
             !is_stop_cap(T, i - 1) && !(tk->t[i - 1].flags & TOKF_PARA));
}

/* Pass 5: coreference. A lone capitalised token that is a short form of a
 * PERSON's name (name index) is a mention of that person, with the words
 * of the name written before it ("Bagheri Kani", "von der Leyen");
 * "Washington" alone is the United States government (metonymy). */
static int pass_coreference(tagger *T, const name_index *ix)
{
    const tokens *tk = T->tk;
    char buf[NAME_FOLD_MAX];
    for (size_t c = 0; c < T->cap_words.n; c++) {
        size_t i = T->cap_words.at[c];
        if (T->es->tok_entity[i] >= 0 || (tk->t[i].flags & TOKF_ALLCAP))
            continue;
        size_t len;
        const char *s = tok_text(T, i, &len);
        if (len == 10 && !memcmp(s, "Washington", 10)) {
            int g;
            if (strmap_get(&T->lx->gaz_by_id, "Q30", 3, &g) && add_gaz(T, g, i, i))
                return -1;
            continue;
        }
        uint64_t h = tk->hfold[i];
        bool ascii = !(tk->t[i].flags & TOKF_NONASCII);
        if (!ascii) {
            if (!(len = fold_tokens(T, i, i, buf, sizeof buf)))
                continue;
            h = strmap_word_hash(buf, len);
        }
        /* the probe misses for nearly every token: an ASCII one is folded on a hit only */
        bool hit = false;
        for (size_t j = h & (ix->slot_cap - 1); ix->slot[j] && !hit; j = (j + 1) & (ix->slot_cap - 1))
            hit = ix->keys[ix->slot[j] - 1].h == h;
        if (!hit || (ascii && !(len = fold_tokens(T, i, i, buf, sizeof buf))))
            continue;
        int strength, e = name_lookup(T, ix, h, buf, len, 1, -1, tk->t[i].start, &strength);
        if (e < 0 || (strength == KEY_GIVEN && !lone_given_name(T, i)))
            continue;
        /* the words before it that complete a longer tail of the name */
        size_t first = i;
        for (size_t k = 1; k <= 3 && k <= i; k++) {
            size_t j = i - k;
            if (tk->t[j].sent != tk->t[i].sent || T->es->tok_entity[j] >= 0 ||
                !(is_name_word(T, j) || is_name_particle(T, j)))
                break;
            size_t fl = fold_tokens(T, j, i, buf, sizeof buf);
            int st;
            if (fl && name_lookup(T, ix, strmap_hash(buf, fl), buf, fl, k + 1, -1, tk->t[i].start, &st) == e)
                first = j;
        }
        if (add_mention(T, e, first, i))
            return ingest_fail(T->err, INGEST_ERR_INTERNAL, "out of memory");
    }
    return 0;
}

#define KNOWN_SURNAME_MIN 5 /* bytes: shorter surnames ("Wu", "Hunt", "Khan") are too often someone else's */

/* Pass 6: a lone capitalised word that coreference left alone and that is the surname of exactly
 * one gazetteer person ("Putin said", "spoke by phone with Blinken"): that person, as wires write
 * people the reader knows. Not when a capitalised word stands beside it (then it is part of a name
 * the gazetteer does not know), nor a word of the event vocabulary, nor a short one, nor at the
 * start of a sentence unless a speech verb follows. */
static int pass_known_surnames(tagger *T)
{
    const tokens *tk = T->tk;
    for (size_t c = 0; c < T->cap_words.n; c++) {
        size_t i = T->cap_words.at[c];
        if (T->es->tok_entity[i] >= 0 || (tk->t[i].flags & TOKF_ALLCAP))
            continue;
        size_t len;
        const char *s = tok_text(T, i, &len);
        if (len < KNOWN_SURNAME_MIN)
            continue;
        bool cap_before = i > 0 && tk->t[i - 1].sent == tk->t[i].sent && is_name_word(T, i - 1);
        bool cap_after = i + 1 < tk->n && tk->t[i + 1].sent == tk->t[i].sent && is_name_word(T, i + 1);
        /* at a sentence's start any noun is capitalised ("Price rises ...", "Store closures ..."):
         * there only a speaker ("Putin said") */
        bool opens = i == 0 || tk->t[i - 1].sent != tk->t[i].sent || tk->t[i - 1].kind == TOK_PUNCT;
        if (cap_before || cap_after || (opens && !(i + 1 < tk->n && (T->wclass[i + 1] & TW_SPEECH_VERB))))
            continue;
        /* the surname index is keyed as written (the token's key form, hkey); the hit is compared */
        const char *key;
        size_t kl;
        int g;
        if (!strmap_get_hashed(&T->lx->surname, tk->hkey[i], &key, &kl, &g) || g < 0 || kl != len ||
            memcmp(key, s, len))
            continue;
        if (!(tk->t[i].flags & TOKF_NONASCII) && lexicon_form_by_hash(T->lx, tk->hfold[i]).lemma)
            continue; /* a word the event vocabulary knows */
        if (add_gaz(T, g, i, i))
            return -1;
    }
    return 0;
}

/* Scales raw salience scores so that the highest is 1 (three decimals). */
static void normalize_salience(entity_set *es)
{
    double max = 0;
    for (size_t i = 0; i < es->n; i++)
        if (es->ents[i].salience > max)
            max = es->ents[i].salience;
    for (size_t i = 0; i < es->n; i++)
        es->ents[i].salience = max > 0 ? (double)((int)(es->ents[i].salience / max * 1000 + 0.5)) / 1000 : 0;
}

/* Salience: mention count, with the lead paragraph counting double. */
static void compute_salience(entity_set *es, size_t lead_end)
{
    for (size_t i = 0; i < es->n; i++) {
        double s = 0;
        for (size_t m = 0; m < es->ents[i].n_mentions; m++)
            s += es->ents[i].mentions[m].start < lead_end ? 2.0 : 1.0;
        es->ents[i].salience = s;
    }
    normalize_salience(es);
}

static int cmp_span(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static bool spans_sorted(const span *sp, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (sp[i].start < sp[i - 1].start)
            return false;
    return true;
}

/* Removes entities whose mentions all went to longer names, renumbering
 * the token map. */
static void drop_entities_without_mentions(entity_set *es, size_t n_tokens)
{
    size_t o = 0;
    for (size_t i = 0; i < es->n; i++) {
        if (!es->ents[i].n_mentions)
            continue;
        if (o != i) {
            es->ents[o] = es->ents[i];
            for (size_t k = 0; k < n_tokens; k++)
                if (es->tok_entity[k] == (int)i)
                    es->tok_entity[k] = (int)o;
        }
        o++;
    }
    es->n = o;
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
    T.wclass = arena_alloc_raw(a, (tk->n + 1) * sizeof *T.wclass);
    if (!T.wclass)
        return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
    uint64_t h_the = strmap_word_hash("the", 3); /* rules out nearly every other token before a compare */
    for (size_t i = 0; i < tk->n; i++) {
        T.wclass[i] = 0;
        if (tk->t[i].kind == TOK_PUNCT)
            continue;
        T.wclass[i] = (uint16_t)word_classes(&T, i);
        if ((is_cap_word(&T, i) && tok_list_push(a, &T.cap_words, i)) ||
            (lexicon_bp_maybe(lx->head_filter, tk->hfold[i]) && tok_list_push(a, &T.alias_starts, i)) ||
            (tk->t[i].kind == TOK_WORD && lexicon_bp_maybe(lx->title_head_filter, tk->hfold[i]) &&
             tok_list_push(a, &T.title_starts, i)) ||
            ((T.wclass[i] & TW_SPEECH_VERB) && tok_list_push(a, &T.speech_verbs, i)) ||
            ((T.wclass[i] & (TW_ORG_HEAD | TW_FAC_HEAD)) && tok_list_push(a, &T.heads, i)) ||
            (tk->hfold[i] == h_the && (tok_is(&T, i, "the") || tok_is(&T, i, "The")) && tok_list_push(a, &T.thes, i)))
            return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
    }
    name_index names;
    if (pass_datelines(&T) || pass_gazetteer(&T) || pass_titles(&T) || pass_org_suffix(&T) || pass_speech_subjects(&T) ||
        pass_appositive_persons(&T) || name_index_build(&T, &names) || pass_merge_short_names(&T, &names) ||
        pass_role_descriptions(&T) || pass_coreference(&T, &names) || pass_known_surnames(&T))
        return -1;
    drop_entities_without_mentions(out, tk->n);
    for (size_t i = 0; i < out->n; i++)
        if (!spans_sorted(out->ents[i].mentions, out->ents[i].n_mentions)) /* passes add them mostly in order */
            qsort(out->ents[i].mentions, out->ents[i].n_mentions, sizeof(span), cmp_span);
    const char *lead = memchr(body, '\n', body_len);
    compute_salience(out, lead ? (size_t)(lead - body) : body_len);
    return 0;
}

/* True when the gazetteer has a row with this id (slugs included). */
static bool known_id(const lexicons *lx, const char *id)
{
    int g;
    return strmap_get(&lx->gaz_by_id, id, strlen(id), &g);
}

/* Finds the entity with this id in es, or -1. */
static int find_entity(const entity_set *es, const char *id)
{
    for (size_t i = 0; i < es->n; i++)
        if (!strcmp(es->ents[i].id, id))
            return (int)i;
    return -1;
}

int entities_add_heading(arena *a, const lexicons *lx, const pipeline_limits *lim, const char *text, size_t len,
                         bool title_case, double boost, entity_set *es, ingest_error *err)
{
    tokens tk;
    entity_set hs;
    if (text_tokenize(a, text, len, &tk))
        return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory in tokenizer");
    if (entities_tag(a, lx, lim, text, len, &tk, &hs, err))
        return -1;
    for (size_t i = 0; i < hs.n; i++) {
        const entity *he = &hs.ents[i];
        int e = find_entity(es, he->id);
        if (e >= 0) {
            es->ents[e].salience += boost;
            continue;
        }
        /* Title Case makes every word look like a name: from a headline only what the
         * gazetteer knows, never a slug the capitalised-words rules made */
        if ((title_case && !strncmp(he->id, "slug:", 5) && !known_id(lx, he->id)) || es->n >= lim->max_entities)
            continue;
        if (reserve_entity(a, es))
            return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
        es->ents[es->n++] = (entity){.id = he->id, .name = he->name, .type = he->type, .country = he->country,
                                     .salience = boost}; /* no mention: offsets are into the body */
    }
    normalize_salience(es);
    return 0;
}
