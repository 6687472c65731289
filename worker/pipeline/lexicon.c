/* lexicon.c - parse schemas/ data into lookup tables; see include/lexicon.h. */
#include "lexicon.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tagger_words.h"
#include "text.h"

#define LEXICON_ARENA_CAP (256u * 1024u * 1024u) /* bytes; the data is a few MB */
#define FIELD_MAX 16

typedef struct loader {
    lexicons *lx;
    char *err;
    size_t errlen;
    const char *file;
    int line;
    size_t gaz_cap, title_cap, bp_cap; /* capacities of the growing tables */
    /* irregular rows of lemmas.tsv (form, lemma id), kept until the form table is built */
    const char **irr_form;
    int32_t *irr_lemma;
    size_t n_irr, irr_cap;
    int32_t light[128]; /* light verbs of events.json, until build_heads */
    size_t n_light;
    int32_t people[64]; /* people nouns of events.json, until build_heads */
    size_t n_people;
    int32_t priv[64]; /* private cues of events.json, until build_heads */
    size_t n_priv;
    int32_t office[64]; /* office cues of events.json, until build_heads */
    size_t n_office;
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
    char first[256];
    size_t fl = text_fold(key, sp ? (size_t)(sp - key) : n, first, sizeof first);
    unsigned bit = (unsigned)(strmap_word_hash(first, fl) >> (64 - LEXICON_BP_FILTER_BITS));
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

/* The surname index ("President Biden" when only the surname is written): the last word of
 * name, a PERSON's name or alias, names gazetteer row idx, or -1 when rows share it. */
static int index_surname(loader *L, const char *name, int idx)
{
    const char *last = strrchr(name, ' ');
    last = last ? last + 1 : name;
    int prev;
    int v = strmap_get(&L->lx->surname, last, strlen(last), &prev) && prev != idx ? -1 : idx;
    return strmap_put(&L->lx->surname, last, strlen(last), v) ? fail(L, "out of memory") : 0;
}

static int gaz_row(loader *L, char **f, int nf)
{
    lexicons *lx = L->lx;
    if (nf < 5)
        return fail(L, "expected 6 tab-separated columns, got %d", nf);
    entity_type t;
    if (entity_type_parse(f[1], &t))
        return fail(L, "unknown entity type '%s'", f[1]);
    gaz_entry *ng = arena_reserve(lx->arena, lx->gaz, lx->n_gaz, &L->gaz_cap, 1024, sizeof *ng);
    if (!ng)
        return fail(L, "out of memory");
    lx->gaz = ng;
    int idx = (int)lx->n_gaz;
    const char *attrs = nf > 5 ? f[5] : "";
    gaz_entry *g = &lx->gaz[lx->n_gaz++];
    *g = (gaz_entry){dup_or_null(L, f[0]), dup_or_null(L, f[2]), dup_or_null(L, f[3]), t,
                     attr_value(L, attrs, "role"), attr_value(L, attrs, "capital_of"),
                     attr_value(L, attrs, "demonym_of"), attr_value(L, attrs, "role_title")};
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
    if (t == ENT_PERSON && index_surname(L, g->name, idx))
        return -1;
    for (char *p = f[4]; p && *p;) {
        char *bar = strchr(p, '|');
        if (bar)
            *bar = '\0';
        /* an alias's surname too: "Erdogan" from "Recep Tayyip Erdogan", as wires write it */
        if (*p && (add_alias(L, p, idx) || (t == ENT_PERSON && strchr(p, ' ') && index_surname(L, p, idx))))
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
    title_entry *nt = arena_reserve(lx->arena, lx->titles, lx->n_titles, &L->title_cap, 256, sizeof *nt);
    if (!nt)
        return fail(L, "out of memory");
    lx->titles = nt;
    char key[256], folded[256];
    int ntok;
    int n = token_key(lx->arena, f[0], key, sizeof key, &ntok);
    if (n <= 0)
        return n < 0 ? fail(L, "title too long") : 0;
    size_t fl = text_fold(key, (size_t)n, folded, sizeof folded);
    int idx = (int)lx->n_titles;
    lx->titles[lx->n_titles++] =
        (title_entry){arena_strndup(lx->arena, folded, fl), k, dup_or_null(L, nf > 2 ? f[2] : NULL)};
    if (walk_put(&lx->title_walk, lx->title_head_filter, folded, fl))
        return fail(L, "out of memory");
    return strmap_put(&lx->title_map, folded, fl, idx) ? fail(L, "out of memory") : 0;
}

/* ---- symbols and lemmas ---------------------------------------------------------- */

/* Interns a folded word; returns its id (> 0) or -1 when out of memory.
 * inflects: the suffix rules may aim at it (a lemma of the data files). */
static int32_t intern(loader *L, const char *w, size_t n, bool inflects)
{
    lexicons *lx = L->lx;
    int id;
    if (strmap_get(&lx->sym, w, n, &id)) {
        lx->sym_inflects[id] |= inflects;
        return id;
    }
    if (lx->n_syms + 1 >= lx->sym_cap) {
        size_t ncap = lx->sym_cap ? lx->sym_cap * 2 : 1024;
        const char **ns = arena_grow(lx->arena, (void *)lx->sym_str, lx->sym_cap, ncap, sizeof *ns);
        bool *ni = arena_grow(lx->arena, lx->sym_inflects, lx->sym_cap, ncap, sizeof *ni);
        if (!ns || !ni)
            return -1;
        lx->sym_str = ns;
        lx->sym_inflects = ni;
        lx->sym_cap = ncap;
    }
    id = (int)++lx->n_syms;
    lx->sym_str[id] = arena_strndup(lx->arena, w, n);
    lx->sym_inflects[id] = inflects;
    if (!lx->sym_str[id] || strmap_put(&lx->sym, w, n, id))
        return -1;
    return id;
}

/* The builtin words get the ids of their enum values (LEX_W_THE == id of "the"). */
static int intern_builtins(loader *L)
{
#define LEX_W_STR_(name, str) str,
    static const char *const words[] = {"", LEX_BUILTIN_WORDS(LEX_W_STR_)};
#undef LEX_W_STR_
    for (int i = 1; i < LEX_W_COUNT_; i++)
        if (intern(L, words[i], strlen(words[i]), false) != i)
            return fail(L, "builtin word '%s' repeated or out of memory", words[i]);
    return 0;
}

static int lemma_row(loader *L, char **f, int nf)
{
    if (nf < 2 || !*f[0] || !*f[1])
        return fail(L, "expected form<TAB>lemma");
    int32_t id = intern(L, f[1], strlen(f[1]), true);
    if (id < 0)
        return fail(L, "out of memory");
    if (L->n_irr == L->irr_cap) {
        size_t ncap = L->irr_cap ? L->irr_cap * 2 : 512;
        const char **nf2 = arena_grow(L->lx->arena, (void *)L->irr_form, L->irr_cap, ncap, sizeof *nf2);
        int32_t *nl = arena_grow(L->lx->arena, L->irr_lemma, L->irr_cap, ncap, sizeof *nl);
        if (!nf2 || !nl)
            return fail(L, "out of memory");
        L->irr_form = nf2;
        L->irr_lemma = nl;
        L->irr_cap = ncap;
    }
    L->irr_form[L->n_irr] = f[0]; /* f[0] lives in the lexicon arena (each_row copies lines) */
    L->irr_lemma[L->n_irr++] = id;
    return 0;
}

/* Adds form -> (lemma, infl) unless the form already has an entry: entries
 * are added in the order the rules take precedence. */
static int add_form(loader *L, const char *form, size_t n, int32_t lemma, infl_kind infl)
{
    lexicons *lx = L->lx;
    int idx;
    if (strmap_get(&lx->forms, form, n, &idx))
        return 0;
    form_entry *nt = arena_reserve(lx->arena, lx->form_tab, lx->n_forms, &lx->form_cap, 4096, sizeof *nt);
    if (!nt)
        return -1;
    lx->form_tab = nt;
    int own = 0;
    strmap_get(&lx->sym, form, n, &own);
    lx->form_tab[lx->n_forms] = (form_entry){own, lemma, (uint8_t)(own == lemma ? INFL_NONE : infl)};
    return strmap_put(&lx->forms, form, n, (int)lx->n_forms++);
}

/* Regular inflections of every inflecting symbol, generated once so that a
 * token needs one lookup. Rule order (and within a rule: stem, stem with -e
 * dropped, doubled consonant) is the precedence of the former suffix
 * analyser: -ies, -ied, -ing, -ed, -es, -s; lemmas.tsv comes before all. */
static int build_forms(loader *L)
{
    lexicons *lx = L->lx;
    for (size_t i = 0; i < L->n_irr; i++)
        if (add_form(L, L->irr_form[i], strlen(L->irr_form[i]), L->irr_lemma[i], INFL_IRREG))
            return fail(L, "out of memory");
    static const struct { const char *suf; infl_kind k; size_t min_len; } rules[] = {
        {"ing", INFL_ING, 5}, {"ed", INFL_ED, 4}, {"es", INFL_S, 4}, {"s", INFL_S, 3}};
    char buf[80];
    for (int y = 0; y < 2; y++) /* -ies, -ied: y -> i */
        for (size_t id = 1; id <= lx->n_syms; id++) {
            const char *w = lx->sym_str[id];
            size_t m = strlen(w);
            if (!lx->sym_inflects[id] || m < 2 || w[m - 1] != 'y' || m + 2 >= sizeof buf || m + 2 <= 4)
                continue;
            snprintf(buf, sizeof buf, "%.*s%s", (int)(m - 1), w, y ? "ied" : "ies");
            if (add_form(L, buf, m + 2, (int32_t)id, y ? INFL_ED : INFL_S))
                return fail(L, "out of memory");
        }
    for (size_t r = 0; r < sizeof rules / sizeof *rules; r++)
        for (int variant = 0; variant < 3; variant++)
            for (size_t id = 1; id <= lx->n_syms; id++) {
                const char *w = lx->sym_str[id];
                size_t m = strlen(w), sl = strlen(rules[r].suf);
                if (!lx->sym_inflects[id] || m < 1 || m + sl + 2 >= sizeof buf)
                    continue;
                int n;
                if (variant == 0)
                    n = snprintf(buf, sizeof buf, "%s%s", w, rules[r].suf);
                else if (variant == 1 && m >= 2 && w[m - 1] == 'e')
                    n = snprintf(buf, sizeof buf, "%.*s%s", (int)(m - 1), w, rules[r].suf);
                else if (variant == 2)
                    n = snprintf(buf, sizeof buf, "%s%c%s", w, w[m - 1], rules[r].suf);
                else
                    continue;
                if ((size_t)n >= rules[r].min_len && add_form(L, buf, (size_t)n, (int32_t)id, rules[r].k))
                    return fail(L, "out of memory");
            }
    for (size_t id = 1; id <= lx->n_syms; id++)
        if (add_form(L, lx->sym_str[id], strlen(lx->sym_str[id]), (int32_t)id, INFL_NONE))
            return fail(L, "out of memory");
    return 0;
}

/* lexicons.form_index: every form's hash and entry in one open-addressing table, at most half full. */
static int build_form_index(loader *L)
{
    lexicons *lx = L->lx;
    size_t cap = 16;
    while (cap < 2 * lx->n_forms)
        cap *= 2;
    lx->form_index = arena_alloc(lx->arena, cap * sizeof *lx->form_index); /* zeroed: lemma 0 is empty */
    if (!lx->form_index)
        return fail(L, "out of memory");
    lx->form_index_mask = cap - 1;
    for (size_t i = 0; i < lx->forms.n; i++) {
        int idx;
        uint64_t h = strmap_entry_hash(&lx->forms, i, &idx);
        size_t j = h & lx->form_index_mask;
        while (lx->form_index[j].f.lemma)
            j = (j + 1) & lx->form_index_mask;
        lx->form_index[j] = (form_slot){h, lx->form_tab[idx]};
    }
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
    bp_term *nb = arena_reserve(lx->arena, lx->bp, lx->n_bp, &L->bp_cap, 128, sizeof *nb);
    if (!nb)
        return fail(L, "out of memory");
    lx->bp = nb;
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

/* Splits a lemma pattern into symbol ids; "..." becomes LEX_GAP. */
static int split_pattern(loader *L, const char *pat, int32_t *words, int *n)
{
    char folded[256];
    text_fold(pat, strlen(pat), folded, sizeof folded);
    *n = 0;
    for (char *p = folded, *tok; (tok = strtok_r(p, " ", &p));) {
        if (*n == TRIGGER_MAX_WORDS)
            return fail(L, "pattern '%s' has more than %d words", pat, TRIGGER_MAX_WORDS);
        int32_t id = strcmp(tok, "...") ? intern(L, tok, strlen(tok), true) : LEX_GAP;
        if (id == -1 && strcmp(tok, "..."))
            return fail(L, "out of memory");
        words[(*n)++] = id;
    }
    if (*n == 0 || words[0] == LEX_GAP)
        return fail(L, "pattern '%s' must start with a word", pat);
    if (words[*n - 1] == LEX_GAP)
        return fail(L, "pattern '%s' must end with a word", pat);
    return 0;
}

/* A head index: symbol id -> first item, items chained through next. */
static int *new_head_index(loader *L)
{
    int *h = arena_alloc_raw(L->lx->arena, (L->lx->n_syms + 1) * sizeof *h);
    if (h)
        for (size_t i = 0; i <= L->lx->n_syms; i++)
            h[i] = -1;
    return h;
}

/* Chains triggers and cues by first word, in file order (earlier first). */
static int build_heads(loader *L)
{
    lexicons *lx = L->lx;
    if (!(lx->sym_heads = arena_alloc(lx->arena, (lx->n_syms + 1) * sizeof *lx->sym_heads)))
        return fail(L, "out of memory");
    if (!(lx->trigger_head = new_head_index(L)) ||
        !(lx->sym_light = arena_alloc(lx->arena, (lx->n_syms + 1) * sizeof *lx->sym_light)))
        return fail(L, "out of memory");
    for (size_t i = 0; i < L->n_light; i++)
        lx->sym_light[L->light[i]] = true;
    if (!(lx->sym_people = arena_alloc(lx->arena, (lx->n_syms + 1) * sizeof *lx->sym_people)) ||
        !(lx->sym_private = arena_alloc(lx->arena, (lx->n_syms + 1) * sizeof *lx->sym_private)) ||
        !(lx->sym_office = arena_alloc(lx->arena, (lx->n_syms + 1) * sizeof *lx->sym_office)))
        return fail(L, "out of memory");
    for (size_t i = 0; i < L->n_people; i++)
        lx->sym_people[L->people[i]] = true;
    for (size_t i = 0; i < L->n_priv; i++)
        lx->sym_private[L->priv[i]] = true;
    for (size_t i = 0; i < L->n_office; i++)
        lx->sym_office[L->office[i]] = true;
    for (size_t i = lx->n_triggers; i-- > 0;) {
        trigger *g = &lx->triggers[i];
        g->next = lx->trigger_head[g->words[0]];
        lx->trigger_head[g->words[0]] = (int)i;
        lx->sym_heads[g->words[0]] |= LEX_HEAD_TRIGGER;
    }
    for (int m = 0; m < LEX_CUE_CLASSES; m++) {
        if (!(lx->cue_head[m] = new_head_index(L)))
            return fail(L, "out of memory");
        for (size_t i = lx->n_cues[m]; i-- > 0;) {
            cue *c = &lx->cues[m][i];
            c->next = lx->cue_head[m][c->words[0]];
            lx->cue_head[m][c->words[0]] = (int)i;
            lx->sym_heads[c->words[0]] |= (uint8_t)(1u << (1 + m));
        }
    }
    return 0;
}

/* Countries are the rows a demonym points at ("Afghan" -> Q889): indexed by
 * ISO3 so that a capital standing for its government ("Riyadh broke off
 * relations") can name the country. */
static int build_country_index(loader *L)
{
    lexicons *lx = L->lx;
    for (size_t i = 0; i < lx->n_gaz; i++) {
        int c;
        const char *d = lx->gaz[i].demonym_of;
        if (d && strmap_get(&lx->gaz_by_id, d, strlen(d), &c) && lx->gaz[c].country &&
            strmap_put(&lx->country_by_iso3, lx->gaz[c].country, strlen(lx->gaz[c].country), c))
            return fail(L, "out of memory");
    }
    return 0;
}

/* The symbol id of an argument preposition ("with", "to"), 0 for none or "object". */
static int32_t prep_id(loader *L, const char *p)
{
    if (!p || !strcmp(p, "object"))
        return 0;
    return intern(L, p, strlen(p), false);
}

static const char *json_str(loader *L, json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? dup_or_null(L, json_string_value(v)) : NULL;
}

/* Interns the strings of the optional array root[key] (inflecting) into ids[max]. */
static int word_list(loader *L, json_t *root, const char *key, int32_t *ids, size_t max, size_t *n)
{
    json_t *arr = json_object_get(root, key);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const char *w = json_string_value(json_array_get(arr, i));
        if (!w || *n == max)
            return fail(L, "'%s' must be at most %zu strings", key, max);
        if ((ids[(*n)++] = intern(L, w, strlen(w), true)) < 0)
            return fail(L, "out of memory");
    }
    return 0;
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
    if (word_list(L, root, "light_verbs", L->light, sizeof L->light / sizeof *L->light, &L->n_light) ||
        word_list(L, root, "people_nouns", L->people, sizeof L->people / sizeof *L->people, &L->n_people) ||
        word_list(L, root, "private_cues", L->priv, sizeof L->priv / sizeof *L->priv, &L->n_priv) ||
        word_list(L, root, "office_cues", L->office, sizeof L->office / sizeof *L->office, &L->n_office))
        goto out;
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
        et->reciprocal = json_is_true(json_object_get(t, "reciprocal"));
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
                g->target_object = g->target_from && !strcmp(g->target_from, "object");
                const char *req = json_string_value(json_object_get(tr, "requires"));
                g->requires_object = req && !strcmp(req, "object");
                g->requires_target = req && (!strcmp(req, "target") || g->requires_object);
                g->target_prep = prep_id(L, g->target_from);
                g->location_prep = prep_id(L, g->location_from);
                g->actor_prep = g->actor_from && strcmp(g->actor_from, "by") ? prep_id(L, g->actor_from) : 0;
                if (g->target_prep < 0 || g->location_prep < 0 || g->actor_prep < 0) {
                    fail(L, "out of memory");
                    goto out;
                }
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
    static const char *const keys[LEX_CUE_CLASSES] = {"planned", "hypothetical", "negated", "condition"};
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
    for (int m = 0; m < LEX_CUE_CLASSES; m++) {
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
        strmap_init(&lx->surname, lx->arena, 1024) || strmap_init(&lx->tagger_words, lx->arena, 512) ||
        strmap_init(&lx->title_map, lx->arena, 256) || strmap_init(&lx->title_walk, lx->arena, 512) ||
        strmap_init(&lx->sym, lx->arena, 2048) || strmap_init(&lx->forms, lx->arena, 4096) ||
        strmap_init(&lx->country_by_iso3, lx->arena, 256) ||
        strmap_init(&lx->bp_map, lx->arena, 256)) {
        fail(&L, "out of memory");
        goto bad;
    }
    if (tagger_words_index(&lx->tagger_words, lx->tagger_words_filter, LEXICON_BP_FILTER_BITS)) {
        fail(&L, "out of memory");
        goto bad;
    }
    if (intern_builtins(&L) ||
        each_row(&L, "gazetteer.tsv", src->gazetteer, src->gazetteer_len, gaz_row) ||
        each_row(&L, "titles.tsv", src->titles, src->titles_len, title_row) ||
        each_row(&L, "lemmas.tsv", src->lemmas, src->lemmas_len, lemma_row) ||
        each_row(&L, "boilerplate.tsv", src->boilerplate, src->boilerplate_len, bp_row) ||
        load_events(&L, src->events, src->events_len) ||
        load_modality(&L, src->modality, src->modality_len) || build_forms(&L) || build_form_index(&L) || build_heads(&L) ||
        build_country_index(&L))
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

form_entry lexicon_form(const lexicons *lx, const char *w, size_t len)
{
    return lexicon_form_hashed(lx, strmap_hash(w, len), w, len);
}

int32_t lexicon_sym(const lexicons *lx, const char *w, size_t len)
{
    int id;
    return strmap_get(&lx->sym, w, len, &id) ? id : 0;
}
