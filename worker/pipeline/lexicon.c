/* lexicon.c - parse schemas/ data into lookup tables; see include/lexicon.h. */
#include "lexicon.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define LEXICON_ARENA_CAP (256u * 1024u * 1024u) /* bytes; the data is a few MB */
#define FIELD_MAX 16

typedef struct loader {
    lexicons *lx;
    char *err;
    size_t errlen;
    const char *file;
    int line;
    size_t gaz_cap, title_cap, lemma_cap, bp_cap; /* capacities of the growing tables */
} loader;

static int fail(loader *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = snprintf(L->err, L->errlen, "%s:%d: ", L->file, L->line);
    if (n >= 0 && (size_t)n < L->errlen)
        vsnprintf(L->err + n, L->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* Calls fn for each non-comment, non-blank line split on tabs. */
typedef int (*row_fn)(loader *L, char **f, int nf);

static int each_row(loader *L, const char *file, const char *data, size_t len, row_fn fn)
{
    L->file = file;
    L->line = 0;
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && data[j] != '\n')
            j++;
        L->line++;
        size_t e = j;
        if (e > i && data[e - 1] == '\r')
            e--;
        if (e > i && data[i] != '#') {
            char *line = arena_strndup(L->lx->arena, data + i, e - i);
            if (!line)
                return fail(L, "out of memory");
            char *f[FIELD_MAX];
            int nf = 0;
            char *p = line;
            f[nf++] = p;
            while ((p = strchr(p, '\t')) && nf < FIELD_MAX) {
                *p++ = '\0';
                f[nf++] = p;
            }
            if (fn(L, f, nf))
                return -1;
        }
        i = j + 1;
    }
    return 0;
}

/* Tokenizes a phrase and joins its tokens with single spaces (case kept),
 * so that lookups built from body tokens use the same key. */
static int token_key(arena *a, const char *s, char *out, size_t cap, int *ntok)
{
    tokens tk;
    if (text_tokenize(a, s, strlen(s), &tk))
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < tk.n; i++) {
        size_t n = tk.t[i].end - tk.t[i].start;
        if (o + n + 2 > cap)
            return -1;
        if (i)
            out[o++] = ' ';
        o += text_key_copy(s + tk.t[i].start, n, out + o);
    }
    out[o] = '\0';
    *ntok = (int)tk.n;
    return (int)o;
}

/* Marks key (tokens joined by single spaces) as an entry of a walk map and
 * each of its token prefixes as extended. */
static int walk_put(strmap *m, uint64_t *head_filter, const char *key, size_t n)
{
    const char *sp = memchr(key, ' ', n);
    unsigned bit = (unsigned)(lexicon_head_hash(key, sp ? (size_t)(sp - key) : n) >> (64 - LEXICON_BP_FILTER_BITS));
    head_filter[bit >> 6] |= (uint64_t)1 << (bit & 63);
    for (size_t i = 0; i <= n; i++) {
        if (i < n && key[i] != ' ')
            continue;
        int v = 0;
        strmap_get(m, key, i, &v);
        v |= i == n ? LEXICON_WALK_FULL : LEXICON_WALK_EXTENDS;
        if (strmap_put(m, key, i, v))
            return -1;
    }
    return 0;
}

static const char *dup_or_null(loader *L, const char *s)
{
    return (s && *s) ? arena_strndup(L->lx->arena, s, strlen(s)) : NULL;
}

/* ---- gazetteer -------------------------------------------------------------- */

static const char *attr_value(loader *L, const char *attrs, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = attrs; p && *p;) {
        const char *end = strchr(p, ';');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n > kl && !strncmp(p, key, kl) && p[kl] == '=')
            return arena_strndup(L->lx->arena, p + kl + 1, n - kl - 1);
        p = end ? end + 1 : NULL;
    }
    return NULL;
}

static int add_alias(loader *L, const char *surface, int idx)
{
    lexicons *lx = L->lx;
    char key[512];
    int ntok;
    int n = token_key(lx->arena, surface, key, sizeof key, &ntok);
    if (n <= 0)
        return n < 0 ? fail(L, "alias too long: %s", surface) : 0;
    int prev;
    /* first entry wins: the file lists the stronger reading first */
    if (!strmap_get(&lx->alias, key, (size_t)n, &prev) && strmap_put(&lx->alias, key, (size_t)n, idx))
        return fail(L, "out of memory");
    return walk_put(&lx->alias_walk, lx->head_filter, key, (size_t)n) ? fail(L, "out of memory") : 0;
}

static int gaz_row(loader *L, char **f, int nf)
{
    lexicons *lx = L->lx;
    if (nf < 5)
        return fail(L, "expected 6 tab-separated columns, got %d", nf);
    entity_type t;
    if (entity_type_parse(f[1], &t))
        return fail(L, "unknown entity type '%s'", f[1]);
    if (lx->n_gaz == L->gaz_cap) {
        size_t ncap = L->gaz_cap ? L->gaz_cap * 2 : 1024;
        gaz_entry *ng = arena_grow(lx->arena, lx->gaz, lx->n_gaz, ncap, sizeof *ng);
        if (!ng)
            return fail(L, "out of memory");
        lx->gaz = ng;
        L->gaz_cap = ncap;
    }
    int idx = (int)lx->n_gaz;
    const char *attrs = nf > 5 ? f[5] : "";
    gaz_entry *g = &lx->gaz[lx->n_gaz++];
    *g = (gaz_entry){dup_or_null(L, f[0]), dup_or_null(L, f[2]), dup_or_null(L, f[3]), t,
                     attr_value(L, attrs, "role"), attr_value(L, attrs, "capital_of"),
                     attr_value(L, attrs, "demonym_of")};
    if (!g->id || !g->name)
        return fail(L, "id and name are required");
    int dup;
    if (strmap_get(&lx->gaz_by_id, g->id, strlen(g->id), &dup))
        return fail(L, "duplicate id %s", g->id);
    if (strmap_put(&lx->gaz_by_id, g->id, strlen(g->id), idx))
        return fail(L, "out of memory");
    if (add_alias(L, g->name, idx))
        return -1;
    /* the countries come first in the file: the first GPE row of a code is the country */
    int prev_country;
    if (t == ENT_GPE && g->country && !g->capital_of &&
        !strmap_get(&lx->country_row, g->country, strlen(g->country), &prev_country) &&
        strmap_put(&lx->country_row, g->country, strlen(g->country), idx))
        return fail(L, "out of memory");
    int prev_fac;
    if (t == ENT_FAC && !strmap_get(&lx->fac_by_name, g->name, strlen(g->name), &prev_fac) &&
        strmap_put(&lx->fac_by_name, g->name, strlen(g->name), idx))
        return fail(L, "out of memory");
    int prev_dem;
    if (t == ENT_NORP && g->demonym_of &&
        !strmap_get(&lx->demonym_by_id, g->demonym_of, strlen(g->demonym_of), &prev_dem) &&
        strmap_put(&lx->demonym_by_id, g->demonym_of, strlen(g->demonym_of), idx))
        return fail(L, "out of memory");
    if (t == ENT_PERSON) {
        /* surname index for "President Biden" when only the surname is written */
        const char *last = strrchr(g->name, ' ');
        last = last ? last + 1 : g->name;
        int prev;
        int v = strmap_get(&lx->surname, last, strlen(last), &prev) && prev != idx ? -1 : idx;
        if (strmap_put(&lx->surname, last, strlen(last), v))
            return fail(L, "out of memory");
    }
    for (char *p = f[4]; p && *p;) {
        char *bar = strchr(p, '|');
        if (bar)
            *bar = '\0';
        if (*p && add_alias(L, p, idx))
            return -1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

/* ---- titles ------------------------------------------------------------------ */

static int title_row(loader *L, char **f, int nf)
{
    lexicons *lx = L->lx;
    if (nf < 2)
        return fail(L, "expected title<TAB>kind<TAB>role");
    title_kind k = !strcmp(f[1], "prefix")         ? TITLE_PREFIX
                   : !strcmp(f[1], "role_noun")    ? TITLE_ROLE_NOUN
                   : !strcmp(f[1], "state_abbrev") ? TITLE_STATE_ABBREV
                                                   : TITLE_OTHER;
    if (lx->n_titles == L->title_cap) {
        size_t ncap = L->title_cap ? L->title_cap * 2 : 256;
        title_entry *nt = arena_grow(lx->arena, lx->titles, lx->n_titles, ncap, sizeof *nt);
        if (!nt)
            return fail(L, "out of memory");
        lx->titles = nt;
        L->title_cap = ncap;
    }
    char key[256], folded[256];
    int ntok;
    int n = token_key(lx->arena, f[0], key, sizeof key, &ntok);
    if (n <= 0)
        return n < 0 ? fail(L, "title too long") : 0;
    size_t fl = text_fold(key, (size_t)n, folded, sizeof folded);
    int idx = (int)lx->n_titles;
    lx->titles[lx->n_titles++] =
        (title_entry){arena_strndup(lx->arena, folded, fl), k, dup_or_null(L, nf > 2 ? f[2] : NULL)};
    if (walk_put(&lx->title_walk, lx->head_filter, folded, fl))
        return fail(L, "out of memory");
    return strmap_put(&lx->title_map, folded, fl, idx) ? fail(L, "out of memory") : 0;
}

/* ---- lemmas ------------------------------------------------------------------- */

static int lemma_row(loader *L, char **f, int nf)
{
    lexicons *lx = L->lx;
    if (nf < 2)
        return fail(L, "expected form<TAB>lemma");
    const size_t grow = 512;
    if (L->lemma_cap == 0 || (size_t)lx->lemma_map.n + 1 >= L->lemma_cap) {
        size_t ncap = L->lemma_cap + grow;
        const char **ns = arena_grow(lx->arena, (void *)lx->lemma_strs, L->lemma_cap, ncap, sizeof *ns);
        if (!ns)
            return fail(L, "out of memory");
        lx->lemma_strs = ns;
        L->lemma_cap = ncap;
    }
    int idx = (int)lx->lemma_map.n;
    lx->lemma_strs[idx] = dup_or_null(L, f[1]);
    if (!lx->lemma_strs[idx])
        return fail(L, "empty lemma");
    if (strmap_put(&lx->lemma_map, f[0], strlen(f[0]), idx) ||
        strmap_put(&lx->known_lemma, f[1], strlen(f[1]), 1))
        return fail(L, "out of memory");
    return 0;
}

/* ---- boilerplate --------------------------------------------------------------- */

static int removed_kind_parse(const char *s, removed_kind *out)
{
    for (int k = 0; k < REMOVED__COUNT; k++)
        if (!strcmp(s, removed_kind_name((removed_kind)k))) {
            *out = (removed_kind)k;
            return 0;
        }
    return -1;
}

static int bp_row(loader *L, char **f, int nf)
{
    lexicons *lx = L->lx;
    if (nf < 3)
        return fail(L, "expected phrase<TAB>kind<TAB>weight");
    removed_kind k;
    if (removed_kind_parse(f[1], &k))
        return fail(L, "unknown kind '%s'", f[1]);
    char *end;
    double w = strtod(f[2], &end);
    if (*end || end == f[2])
        return fail(L, "bad weight '%s'", f[2]);
    if (lx->n_bp == L->bp_cap) {
        size_t ncap = L->bp_cap ? L->bp_cap * 2 : 128;
        bp_term *nb = arena_grow(lx->arena, lx->bp, lx->n_bp, ncap, sizeof *nb);
        if (!nb)
            return fail(L, "out of memory");
        lx->bp = nb;
        L->bp_cap = ncap;
    }
    char folded[256];
    size_t fl = text_fold(f[0], strlen(f[0]), folded, sizeof folded);
    int words = 1;
    for (size_t i = 0; i < fl; i++)
        words += folded[i] == ' ';
    if (words > 3)
        return fail(L, "boilerplate phrases have at most 3 words");
    lx->bp[lx->n_bp] = (bp_term){k, w};
    /* the filter bit of the phrase, hashed word by word as the classifier will */
    uint64_t ph = 0, last = 0;
    for (size_t i = 0; i < fl;) {
        size_t j = i;
        while (j < fl && folded[j] != ' ')
            j++;
        last = lexicon_word_hash(folded + i, j - i);
        ph = lexicon_phrase_step(ph, last);
        i = j + 1;
    }
    unsigned bit = (unsigned)(ph >> (64 - LEXICON_BP_FILTER_BITS));
    lx->bp_filter[bit >> 6] |= (uint64_t)1 << (bit & 63);
    bit = (unsigned)(last >> (64 - LEXICON_BP_FILTER_BITS));
    lx->bp_last_filter[bit >> 6] |= (uint64_t)1 << (bit & 63);
    return strmap_put(&lx->bp_map, folded, fl, (int)lx->n_bp++) ? fail(L, "out of memory") : 0;
}

/* ---- events and modality (JSON) ----------------------------------------------- */

/* Splits a lemma pattern into words; "..." stays a word (a gap). */
static int split_pattern(loader *L, const char *pat, const char **words, int *n)
{
    char folded[256];
    text_fold(pat, strlen(pat), folded, sizeof folded);
    *n = 0;
    for (char *p = folded, *tok; (tok = strtok_r(p, " ", &p));) {
        if (*n == TRIGGER_MAX_WORDS)
            return fail(L, "pattern '%s' has more than %d words", pat, TRIGGER_MAX_WORDS);
        words[(*n)++] = arena_strndup(L->lx->arena, tok, strlen(tok));
        if (!words[*n - 1])
            return fail(L, "out of memory");
        if (strcmp(tok, "...") && strmap_put(&L->lx->known_lemma, tok, strlen(tok), 1))
            return fail(L, "out of memory");
    }
    if (*n == 0 || !strcmp(words[0], "..."))
        return fail(L, "pattern '%s' must start with a word", pat);
    return 0;
}

static const char *json_str(loader *L, json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? dup_or_null(L, json_string_value(v)) : NULL;
}

static int load_events(loader *L, const char *data, size_t len)
{
    lexicons *lx = L->lx;
    L->file = "events.json";
    L->line = 0;
    json_error_t je;
    json_t *root = json_loadb(data, len, 0, &je);
    if (!root) {
        L->line = je.line;
        return fail(L, "%s", je.text);
    }
    int rc = -1;
    json_t *types = json_object_get(root, "types");
    if (!json_is_array(types)) {
        fail(L, "'types' must be an array");
        goto out;
    }
    size_t nt = json_array_size(types), ntrig = 0;
    for (size_t i = 0; i < nt; i++)
        ntrig += json_array_size(json_object_get(json_array_get(types, i), "triggers"));
    lx->types = arena_alloc(lx->arena, (nt + 1) * sizeof *lx->types);
    lx->triggers = arena_alloc(lx->arena, (ntrig + 1) * sizeof *lx->triggers);
    if (!lx->types || !lx->triggers) {
        fail(L, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < nt; i++) {
        json_t *t = json_array_get(types, i);
        event_type *et = &lx->types[lx->n_types];
        et->type = json_str(L, t, "type");
        et->cameo = json_str(L, t, "cameo");
        et->quad_class = (int)json_integer_value(json_object_get(t, "quad_class"));
        if (!et->type || et->quad_class < 1 || et->quad_class > 4) {
            fail(L, "type %zu: needs 'type' and 'quad_class' 1..4", i);
            goto out;
        }
        json_t *trs = json_object_get(t, "triggers");
        for (size_t k = 0; k < json_array_size(trs); k++) {
            json_t *tr = json_array_get(trs, k);
            const char *pat = json_is_string(tr) ? json_string_value(tr)
                                                 : json_string_value(json_object_get(tr, "pattern"));
            if (!pat) {
                fail(L, "type %s: trigger %zu has no pattern", et->type, k);
                goto out;
            }
            trigger *g = &lx->triggers[lx->n_triggers];
            memset(g, 0, sizeof *g);
            g->type = (int)lx->n_types;
            if (split_pattern(L, pat, g->words, &g->n_words))
                goto out;
            if (json_is_object(tr)) {
                const char *pos = json_string_value(json_object_get(tr, "pos"));
                g->noun = pos && !strcmp(pos, "noun");
                g->passive = json_is_true(json_object_get(tr, "passive"));
                g->actor_from = json_str(L, tr, "actor_from");
                g->target_from = json_str(L, tr, "target_from");
                g->location_from = json_str(L, tr, "location_from");
            }
            int head = -1;
            strmap_get(&lx->trigger_head, g->words[0], strlen(g->words[0]), &head);
            g->next = head;
            if (strmap_put(&lx->trigger_head, g->words[0], strlen(g->words[0]), (int)lx->n_triggers)) {
                fail(L, "out of memory");
                goto out;
            }
            lx->n_triggers++;
        }
        lx->n_types++;
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}

static int load_modality(loader *L, const char *data, size_t len)
{
    static const char *const keys[3] = {"planned", "hypothetical", "negated"};
    lexicons *lx = L->lx;
    L->file = "modality.json";
    L->line = 0;
    json_error_t je;
    json_t *root = json_loadb(data, len, 0, &je);
    if (!root) {
        L->line = je.line;
        return fail(L, "%s", je.text);
    }
    int rc = -1;
    for (int m = 0; m < 3; m++) {
        json_t *arr = json_object_get(root, keys[m]);
        if (!json_is_array(arr)) {
            fail(L, "'%s' must be an array of patterns", keys[m]);
            goto out;
        }
        lx->cues[m] = arena_alloc(lx->arena, (json_array_size(arr) + 1) * sizeof(cue));
        if (!lx->cues[m]) {
            fail(L, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < json_array_size(arr); i++) {
            const char *pat = json_string_value(json_array_get(arr, i));
            if (!pat) {
                fail(L, "'%s'[%zu] must be a string", keys[m], i);
                goto out;
            }
            cue *c = &lx->cues[m][lx->n_cues[m]++];
            if (split_pattern(L, pat, c->words, &c->n_words))
                goto out;
        }
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}

/* ---- public ---------------------------------------------------------------------- */

lexicons *lexicons_load(const lexicon_sources *src, char *err, size_t errlen)
{
    lexicons *lx = calloc(1, sizeof *lx);
    if (!lx) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    loader L = {.lx = lx, .err = err, .errlen = errlen, .file = "lexicons"};
    lx->arena = arena_new(LEXICON_ARENA_CAP);
    if (!lx->arena || strmap_init(&lx->alias, lx->arena, 8192) ||
        strmap_init(&lx->alias_walk, lx->arena, 8192) || strmap_init(&lx->gaz_by_id, lx->arena, 4096) ||
        strmap_init(&lx->country_row, lx->arena, 512) || strmap_init(&lx->demonym_by_id, lx->arena, 512) ||
        strmap_init(&lx->fac_by_name, lx->arena, 512) ||
        strmap_init(&lx->surname, lx->arena, 1024) ||
        strmap_init(&lx->title_map, lx->arena, 256) || strmap_init(&lx->title_walk, lx->arena, 512) || strmap_init(&lx->lemma_map, lx->arena, 1024) ||
        strmap_init(&lx->known_lemma, lx->arena, 1024) ||
        strmap_init(&lx->trigger_head, lx->arena, 512) || strmap_init(&lx->bp_map, lx->arena, 256)) {
        fail(&L, "out of memory");
        goto bad;
    }
    if (each_row(&L, "gazetteer.tsv", src->gazetteer, src->gazetteer_len, gaz_row) ||
        each_row(&L, "titles.tsv", src->titles, src->titles_len, title_row) ||
        each_row(&L, "lemmas.tsv", src->lemmas, src->lemmas_len, lemma_row) ||
        each_row(&L, "boilerplate.tsv", src->boilerplate, src->boilerplate_len, bp_row) ||
        load_events(&L, src->events, src->events_len) ||
        load_modality(&L, src->modality, src->modality_len))
        goto bad;
    if (lx->n_gaz == 0 || lx->n_types == 0) {
        snprintf(err, errlen, "lexicons: gazetteer and event taxonomy must not be empty");
        goto bad;
    }
    return lx;
bad:
    lexicons_free(lx);
    return NULL;
}

void lexicons_set_langid(lexicons *lx, langid_fn fn, void *ctx)
{
    lx->langid = fn;
    lx->langid_ctx = ctx;
}

void lexicons_free(lexicons *lx)
{
    if (!lx)
        return;
    arena_destroy(lx->arena);
    free(lx);
}

static bool known(const lexicons *lx, const char *w, size_t n)
{
    int v;
    return strmap_get(&lx->known_lemma, w, n, &v);
}

/* Tries a stem and its usual repairs (+e, undoubled consonant) against the
 * lemmas the lexicons use; regular inflection needs no table. */
static const char *try_stem(const lexicons *lx, const char *w, size_t n, char *buf, size_t cap)
{
    if (n == 0 || n + 2 > cap)
        return NULL;
    memcpy(buf, w, n);
    buf[n] = '\0';
    if (known(lx, buf, n))
        return buf;
    buf[n] = 'e';
    buf[n + 1] = '\0';
    if (known(lx, buf, n + 1))
        return buf;
    if (n >= 2 && buf[n - 1] == buf[n - 2]) {
        buf[n - 1] = '\0';
        if (known(lx, buf, n - 1))
            return buf;
    }
    return NULL;
}

const char *lexicon_lemma(const lexicons *lx, const char *w, size_t len, char *buf, size_t cap)
{
    int idx;
    if (strmap_get(&lx->lemma_map, w, len, &idx)) {
        snprintf(buf, cap, "%s", lx->lemma_strs[idx]);
        return buf;
    }
    const char *r = NULL;
    if (len > 4 && !memcmp(w + len - 3, "ies", 3)) {
        if (len + 1 < cap) {
            memcpy(buf, w, len - 3);
            memcpy(buf + len - 3, "y", 2);
            if (known(lx, buf, len - 2))
                return buf;
        }
    }
    if (len > 4 && !memcmp(w + len - 3, "ied", 3) && len + 1 < cap) {
        memcpy(buf, w, len - 3);
        memcpy(buf + len - 3, "y", 2);
        if (known(lx, buf, len - 2))
            return buf;
    }
    if (!r && len > 4 && !memcmp(w + len - 3, "ing", 3))
        r = try_stem(lx, w, len - 3, buf, cap);
    if (!r && len > 3 && !memcmp(w + len - 2, "ed", 2))
        r = try_stem(lx, w, len - 2, buf, cap);
    if (!r && len > 3 && !memcmp(w + len - 2, "es", 2))
        r = try_stem(lx, w, len - 2, buf, cap);
    if (!r && len > 2 && w[len - 1] == 's')
        r = try_stem(lx, w, len - 1, buf, cap);
    if (r)
        return r;
    size_t n = len < cap - 1 ? len : cap - 1;
    memcpy(buf, w, n);
    buf[n] = '\0';
    return buf;
}
