/* text.c - tokenizer and sentence splitter; see include/text.h. */
#include "text.h"

#include <string.h>
#include <strings.h>

#include "strmap.h"
#include "utf8util.h"

/* Words that keep their trailing dot. Titles, months, US state forms used in
 * party-state suffixes (R-Wisc.), corporate suffixes. Lower-case, no dot. */
/* Sorted (strcmp order) for binary search; a unit test checks the order. */
static const char *const ABBREVIATIONS[] = {
    "adm", "ala", "alas", "amb", "approx", "apr", "ariz", "ark", "aug", "ave", "blvd", "brig", "calif",
    "capt", "cmdr", "co", "col", "colo", "conn", "corp", "cpl", "dec", "del", "dept", "dr", "e.g", "est",
    "etc", "feb", "fig", "fla", "ft", "ga", "gen", "gov", "gov't", "hon", "i.e", "ida", "ill", "inc", "ind",
    "jan", "jr", "kan", "kans", "ky", "la", "lt", "ltd", "maj", "mar", "mass", "md", "me", "mich", "minn",
    "miss", "mo", "mont", "mr", "mrs", "ms", "mt", "nc", "nd", "neb", "nebr", "nev", "nh", "nj", "nm", "no",
    "nov", "ny", "oct", "okla", "ore", "pa", "pres", "prof", "pvt", "rep", "rev", "ri", "sc", "sd", "sec",
    "sen", "sep", "sept", "sgt", "sr", "st", "tenn", "tex", "ut", "va", "vs", "vt", "wash", "wis", "wisc",
    "wv", "wva", "wyo",
};
#define N_ABBREVIATIONS (sizeof ABBREVIATIONS / sizeof *ABBREVIATIONS)
#define ABBREVIATION_MAX 6 /* bytes of the longest ("approx"); the unit test checks it */

/* Per first letter a..z, bit n set when an abbreviation of n bytes starts with it: every word
 * before a full stop is asked about, and most fail this test without a search. The unit test
 * checks that it is exactly the list's (text_abbreviations_sorted). */
static const uint8_t ABBREVIATION_LENGTHS[26] = {
    0x58, 0x10, 0x3C, 0x1C, 0x08, 0x0C, 0x2C, 0x08, 0x08, 0x0C, 0x1C, 0x0C, 0x1C,
    0x1C, 0x18, 0x1C, 0x00, 0x0C, 0x1C, 0x18, 0x04, 0x04, 0x1C, 0x00, 0x00, 0x00,
};

static bool abbreviation_filter(const char *w, size_t n)
{
    unsigned c = ((unsigned char)w[0] | 0x20) - 'a';
    return c < 26 && ((ABBREVIATION_LENGTHS[c] >> n) & 1);
}

bool text_is_abbreviation(const char *w, size_t len)
{
    char buf[16];
    if (len == 0 || len >= sizeof buf)
        return false;
    /* a party-state suffix "R-Wisc": check the part after the hyphen */
    const char *h = memchr(w, '-', len);
    const char *base = h ? h + 1 : w;
    size_t n = len - (size_t)(base - w);
    if (n == 0 || n > ABBREVIATION_MAX || !abbreviation_filter(base, n))
        return false; /* most words that end a sentence: longer than any abbreviation, or no first
                       * letter and length of one */
    for (size_t i = 0; i < n; i++)
        buf[i] = (base[i] >= 'A' && base[i] <= 'Z') ? (char)(base[i] + 32) : base[i];
    buf[n] = '\0';
    return text_in_sorted(ABBREVIATIONS, N_ABBREVIATIONS, buf, n);
}

bool text_in_sorted(const char *const *words, size_t n, const char *s, size_t len)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *w = words[mid];
        /* the first bytes decide most steps: no call for them */
        int c = len && (unsigned char)s[0] != (unsigned char)w[0] ? (unsigned char)s[0] - (unsigned char)w[0]
                                                                   : strncmp(s, w, len);
        if (c == 0)
            c = w[len] ? -1 : 0; /* s is a prefix of w: it sorts first */
        if (c == 0)
            return true;
        if (c > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

bool text_abbreviations_sorted(void)
{
    uint8_t lengths[26] = {0};
    for (size_t i = 0; i < N_ABBREVIATIONS; i++) {
        size_t n = strlen(ABBREVIATIONS[i]);
        if (n > ABBREVIATION_MAX || (i && strcmp(ABBREVIATIONS[i - 1], ABBREVIATIONS[i]) >= 0) ||
            ABBREVIATIONS[i][0] < 'a' || ABBREVIATIONS[i][0] > 'z')
            return false;
        lengths[ABBREVIATIONS[i][0] - 'a'] |= (uint8_t)(1u << n);
    }
    return !memcmp(lengths, ABBREVIATION_LENGTHS, sizeof lengths);
}

size_t text_key_copy(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] == 0x99) {
            out[o++] = '\'';
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return o;
}

size_t text_fold(const char *s, size_t len, char *out, size_t cap)
{
    size_t o = 0, i = 0;
    while (i < len && o + 1 < cap) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) { /* ASCII: the common case, no decoding */
            out[o++] = (b >= 'A' && b <= 'Z') ? (char)(b + 32) : (char)b;
            i++;
            continue;
        }
        int32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (cp == 0x2019 || cp == 0x2018 || cp == 0x02BC) {
            out[o++] = '\'';
        } else if (cp == 0x201C || cp == 0x201D) {
            out[o++] = '"';
        } else if (cp == 0x2013 || cp == 0x2014) {
            out[o++] = '-';
        } else if (cp < 0x80) {
            out[o++] = (cp >= 'A' && cp <= 'Z') ? (char)(cp + 32) : (char)cp;
        } else {
            if (o + n >= cap)
                break;
            memcpy(out + o, s + i, n);
            o += n;
        }
        i += n;
    }
    out[o] = '\0';
    return o;
}

static bool is_space_cp(int32_t cp)
{
    return cp == ' ' || cp == '\n' || cp == '\r' || cp == '\t' || cp == 0xA0 || cp == 0x2009 ||
           cp == 0x202F || cp == 0x2007 || cp == 0x200B;
}

static bool is_alnum_cp(int32_t cp)
{
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'))
        return true;
    /* Latin-1 and Latin Extended letters, Greek, Cyrillic, Arabic, CJK: letters */
    return cp >= 0xC0 && cp != 0xD7 && cp != 0xF7 && !(cp >= 0x2000 && cp <= 0x206F) &&
           !(cp >= 0x3000 && cp <= 0x303F) && cp != 0xFEFF;
}

static bool is_apostrophe(int32_t cp) { return cp == '\'' || cp == 0x2019; }

static bool is_quote_cp(int32_t cp)
{
    return cp == '"' || cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019 ||
           cp == 0x00AB || cp == 0x00BB;
}

typedef struct tok_builder {
    arena *a;
    tokens *out;
    size_t cap;
} tok_builder;

/* Grows the token array (doubling): the tokenizer sized it for the usual
 * token density up front, so this is rare. */
static int grow_tokens(tok_builder *b)
{
    token *nt = arena_reserve(b->a, b->out->t, b->out->n, &b->cap, 256, sizeof *nt);
    if (!nt)
        return -1;
    b->out->t = nt;
    return 0;
}

static inline int push(tok_builder *b, size_t start, size_t end, token_kind kind, uint16_t flags)
{
    if (b->out->n == b->cap && grow_tokens(b))
        return -1;
    b->out->t[b->out->n++] = (token){(uint32_t)start, (uint32_t)end, (uint16_t)kind, flags, 0};
    return 0;
}

static uint16_t case_flags(const char *s, size_t len)
{
    size_t upper = 0, lower = 0;
    unsigned high = 0;
    bool first_upper = false, seen_letter = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z';
        if (!seen_letter && (up || lo || c >= 0x80)) {
            first_upper = up || (c == 0xC3 && i + 1 < len && (unsigned char)s[i + 1] < 0x9F);
            seen_letter = true;
        }
        upper += up;
        lower += lo;
        high |= c;
    }
    uint16_t f = high >= 0x80 ? TOKF_NONASCII : 0;
    if (first_upper)
        f |= TOKF_CAP;
    if (upper >= 2 && lower == 0)
        f |= TOKF_ALLCAP;
    return f;
}

/* ASCII letters and digits by class (0: anything else, bytes >= 0x80 too). */
enum { AC_UPPER = 1, AC_LOWER = 2, AC_DIGIT = 4 };
#define AC_U AC_UPPER
#define AC_L AC_LOWER
#define AC_D AC_DIGIT
static const uint8_t ASCII_CLASS[256] = {
    ['0'] = AC_D, ['1'] = AC_D, ['2'] = AC_D, ['3'] = AC_D, ['4'] = AC_D, ['5'] = AC_D, ['6'] = AC_D, ['7'] = AC_D,
    ['8'] = AC_D, ['9'] = AC_D,
    ['A'] = AC_U, ['B'] = AC_U, ['C'] = AC_U, ['D'] = AC_U, ['E'] = AC_U, ['F'] = AC_U, ['G'] = AC_U, ['H'] = AC_U,
    ['I'] = AC_U, ['J'] = AC_U, ['K'] = AC_U, ['L'] = AC_U, ['M'] = AC_U, ['N'] = AC_U, ['O'] = AC_U, ['P'] = AC_U,
    ['Q'] = AC_U, ['R'] = AC_U, ['S'] = AC_U, ['T'] = AC_U, ['U'] = AC_U, ['V'] = AC_U, ['W'] = AC_U, ['X'] = AC_U,
    ['Y'] = AC_U, ['Z'] = AC_U,
    ['a'] = AC_L, ['b'] = AC_L, ['c'] = AC_L, ['d'] = AC_L, ['e'] = AC_L, ['f'] = AC_L, ['g'] = AC_L, ['h'] = AC_L,
    ['i'] = AC_L, ['j'] = AC_L, ['k'] = AC_L, ['l'] = AC_L, ['m'] = AC_L, ['n'] = AC_L, ['o'] = AC_L, ['p'] = AC_L,
    ['q'] = AC_L, ['r'] = AC_L, ['s'] = AC_L, ['t'] = AC_L, ['u'] = AC_L, ['v'] = AC_L, ['w'] = AC_L, ['x'] = AC_L,
    ['y'] = AC_L, ['z'] = AC_L,
};
#undef AC_U
#undef AC_L
#undef AC_D

static inline bool ascii_alnum(unsigned char c)
{
    return ASCII_CLASS[c] != 0;
}

/* is_alnum_cp for the code point cp, without a call for ASCII (most of the text). */
static inline bool alnum_cp(int32_t cp) { return cp < 0x80 ? ascii_alnum((unsigned char)cp) : is_alnum_cp(cp); }

/* Prefixes that attach to a name with a hyphen without being part of it. */
static bool is_split_prefix(const char *w, size_t n)
{
    static const char *const prefixes[] = {"non", "anti", "pro", "pan", "ex", "post", "pre", "neo", NULL};
    for (int k = 0; prefixes[k]; k++)
        if (strlen(prefixes[k]) == n && !strncasecmp(w, prefixes[k], n))
            return true;
    return false;
}

/* Scans a word starting at i; returns its end. Internal hyphens, dots of
 * acronyms (U.S.) and apostrophes of names (O'Brien) stay inside. */
static size_t scan_word(const char *s, size_t len, size_t i)
{
    size_t j = i;
    while (j < len) {
        unsigned char c = (unsigned char)s[j];
        if (ascii_alnum(c)) { /* the common case: no decoding */
            j++;
            continue;
        }
        int32_t cp = c;
        size_t n = 1;
        if (c >= 0x80)
            n = utf8_decode(s + j, len - j, &cp);
        if (is_alnum_cp(cp)) {
            j += n;
            continue;
        }
        if (cp != '-' && cp != '.' && cp != '&' && !is_apostrophe(cp))
            break;
        if (cp == '-' && j + 1 < len && s[j + 1] >= 'A' && s[j + 1] <= 'Z' && is_split_prefix(s + i, j - i))
            break; /* "non-NATO", "anti-Western": the name stands alone */
        int32_t next = 0;
        size_t nn = j + n < len ? utf8_decode(s + j + n, len - j - n, &next) : 0;
        (void)nn;
        if ((cp == '-' || cp == '.' || cp == '&') && j + n < len && is_alnum_cp(next)) {
            j += n;
            continue;
        }
        if (is_apostrophe(cp) && j + n < len && is_alnum_cp(next)) {
            /* split possessive 's and negation n't; keep O'Brien */
            size_t rest = j + n;
            bool s_suffix = (s[rest] == 's' || s[rest] == 'S') &&
                            (rest + 1 >= len || !is_alnum_cp((unsigned char)s[rest + 1]));
            bool t_suffix = j > i && (s[j - 1] == 'n' || s[j - 1] == 'N') && (s[rest] == 't') &&
                            (rest + 1 >= len || !is_alnum_cp((unsigned char)s[rest + 1]));
            if (s_suffix || t_suffix)
                return t_suffix ? j - 1 : j;
            j += n;
            continue;
        }
        break;
    }
    return j;
}

/* The fast path of scan_word and case_flags together, for a word of ASCII
 * letters and digits that ends at a byte no word continues over (a space,
 * a comma, a full stop not followed by a letter...): returns its end with
 * its flags in *flags, or 0 to let the general path scan it. */
/* Per byte of x, 0x80 when the byte lies in [lo, hi]; every byte of x must be < 0x80 (then no
 * sum carries into the next byte) and 1 <= lo <= hi < 0x80. */
static inline uint64_t bytes_in_range(uint64_t x, unsigned lo, unsigned hi)
{
    const uint64_t ones = 0x0101010101010101ull;
    return (x + ones * (0x80 - lo)) & ~(x + ones * (0x7F - hi)) & (ones * 0x80);
}

/* The ASCII letters and digits at s[j..] 8 bytes at a time while 8 bytes remain: advances *j past
 * them, adds what it saw to *upper (capitals, counted up to 2 per block: the caller only asks
 * whether there are two) and *seen (AC_* bits); true when the word ended within the text read. */
static inline bool scan_ascii_blocks(const char *s, size_t len, size_t *j, unsigned *upper, unsigned *seen)
{
    const uint64_t high = 0x8080808080808080ull;
    while (*j + 8 <= len) {
        uint64_t x;
        memcpy(&x, s + *j, 8);
        uint64_t low = x & ~high; /* bytes >= 0x80 end the word: cleared here, flagged below */
        uint64_t up = bytes_in_range(low, 'A', 'Z'), lo = bytes_in_range(low, 'a', 'z'),
                 dg = bytes_in_range(low, '0', '9');
        uint64_t stop = (~(up | lo | dg) & high) | (x & high);
        size_t n = 8;
        if (stop) { /* little-endian: the lowest flagged byte is the first one in the text */
            n = (size_t)__builtin_ctzll(stop) / 8;
            uint64_t keep = n ? ~0ull >> (64 - 8 * n) : 0;
            up &= keep, lo &= keep, dg &= keep;
        }
        *upper += (up != 0) + ((up & (up - 1)) != 0);
        *seen |= (up ? AC_UPPER : 0) | (lo ? AC_LOWER : 0) | (dg ? AC_DIGIT : 0);
        *j += n;
        if (stop)
            return true;
    }
    return false;
}

static size_t scan_ascii_word(const char *s, size_t len, size_t i, uint16_t *flags)
{
    size_t j = i;
    unsigned upper = 0, seen = 0;
    bool ended = scan_ascii_blocks(s, len, &j, &upper, &seen);
    while (!ended && j < len) { /* the last bytes of the text, one at a time */
        unsigned k = ASCII_CLASS[(unsigned char)s[j]];
        if (!k)
            break;
        upper += k & AC_UPPER;
        seen |= k;
        j++;
    }
    if (j < len) {
        unsigned char e = (unsigned char)s[j];
        if (e >= 0x80 || e == '-' || e == '&' || e == '\'')
            return 0;
        if (e == '.' && j + 1 < len && (ascii_alnum((unsigned char)s[j + 1]) || (unsigned char)s[j + 1] >= 0x80))
            return 0; /* "U.S." */
    }
    if (ASCII_CLASS[(unsigned char)s[i]] & AC_DIGIT) {
        *flags = case_flags(s + i, j - i); /* "3M", "82nd": the first letter decides */
        return j;
    }
    uint16_t f = 0;
    if (ASCII_CLASS[(unsigned char)s[i]] & AC_UPPER)
        f |= TOKF_CAP;
    if (upper >= 2 && !(seen & AC_LOWER))
        f |= TOKF_ALLCAP;
    *flags = f;
    return j;
}

static bool is_terminal(const char *s, const token *t)
{
    size_t n = t->end - t->start;
    const char *p = s + t->start;
    return t->kind == TOK_PUNCT &&
           ((n == 1 && (*p == '.' || *p == '!' || *p == '?')) || (n == 3 && !memcmp(p, "\xE2\x80\xA6", 3)));
}

/* A sentence ends after . ! ? (plus closing quotes and brackets) and at
 * every paragraph break. Abbreviation dots never end one: they are inside
 * their word token. */
static int split_sentences(arena *a, const char *s, tokens *out)
{
    size_t cap = 16, n = 0;
    span *sp = arena_alloc(a, cap * sizeof *sp);
    if (!sp)
        return -1;
    size_t start_tok = 0;
    for (size_t i = 0; i < out->n; i++) {
        /* a run without sentence ends (a scraped blob) is cut so that per-sentence
         * work downstream stays linear in the text */
        bool end = i + 1 == out->n || (out->t[i + 1].flags & TOKF_PARA) || i + 1 - start_tok >= TEXT_MAX_SENTENCE_TOKENS;
        if (!end && is_terminal(s, &out->t[i])) {
            while (i + 1 < out->n && !(out->t[i + 1].flags & TOKF_PARA) &&
                   ((out->t[i + 1].flags & TOKF_CLOSEQ) || s[out->t[i + 1].start] == ')'))
                i++;
            end = true;
        }
        if (!end)
            continue;
        span *ns = arena_reserve(a, sp, n, &cap, 16, sizeof *ns);
        if (!ns)
            return -1;
        sp = ns;
        for (size_t k = start_tok; k <= i; k++)
            out->t[k].sent = (uint32_t)n;
        sp[n++] = (span){out->t[start_tok].start, out->t[i].end};
        start_tok = i + 1;
    }
    out->sents = sp;
    out->n_sents = n;
    return 0;
}

enum { HASH_FORM_MAX = 256 }; /* longer tokens are hashed on their first bytes: no lexicon key is that long */

/* The ASCII capitals of 8 ASCII bytes turned lower-case: a byte gets 0x20
 * when it is >= 'A' and not > 'Z' (no byte carries into the next, all
 * being < 0x80). */
static inline uint64_t ascii_lower8(uint64_t x)
{
    uint64_t ge_a = x + 0x3F3F3F3F3F3F3F3Full, gt_z = x + 0x2525252525252525ull;
    return x | ((ge_a & ~gt_z & 0x8080808080808080ull) >> 2);
}

/* Both hashes of an ASCII token of n bytes at w, with readable bytes
 * readable from w: whole 8-byte loads, the last one masked, when they stay
 * inside the text; the same values as strmap_word_hash of the bytes and of
 * their lower-case form. */
static inline void hash_ascii(const char *w, size_t n, size_t readable, uint64_t *hk, uint64_t *hf)
{
    uint64_t k = strmap_hash_begin(n), f = k, x;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&x, w + i, 8);
        k = strmap_hash_chunk(k, x);
        f = strmap_hash_chunk(f, ascii_lower8(x));
    }
    size_t rest = n - i;
    if (i + 8 <= readable) {
        memcpy(&x, w + i, 8);
        x &= rest ? ~0ull >> (64 - 8 * rest) : 0;
    } else {
        x = 0;
        for (size_t b = 0; b < rest; b++)
            x |= (uint64_t)(unsigned char)w[i + b] << (8 * b);
    }
    *hk = strmap_hash_end(k, x);
    *hf = strmap_hash_end(f, ascii_lower8(x));
}

/* Fills out->hkey and out->hfold (see text.h). ASCII tokens, nearly all,
 * hash their bytes in place; others go through text_key_copy and
 * text_fold. */
static int hash_tokens(arena *a, const char *s, size_t len, tokens *out)
{
    out->hkey = arena_alloc_raw(a, (out->n + 1) * sizeof *out->hkey);
    out->hfold = arena_alloc_raw(a, (out->n + 1) * sizeof *out->hfold);
    if (!out->hkey || !out->hfold)
        return -1;
    char buf[HASH_FORM_MAX + 1];
    for (size_t i = 0; i < out->n; i++) {
        const token *t = &out->t[i];
        const char *w = s + t->start;
        size_t n = t->end - t->start;
        if (!(t->flags & TOKF_NONASCII)) {
            hash_ascii(w, n, len - t->start, &out->hkey[i], &out->hfold[i]);
            continue;
        }
        size_t m = n < HASH_FORM_MAX ? n : HASH_FORM_MAX;
        out->hkey[i] = strmap_word_hash(buf, text_key_copy(w, m, buf));
        out->hfold[i] = strmap_word_hash(buf, text_fold(w, n, buf, sizeof buf));
    }
    return 0;
}

size_t text_token_at(const tokens *tk, size_t off)
{
    size_t lo = 0, hi = tk->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tk->t[mid].start < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int text_tokenize(arena *a, const char *s, size_t len, tokens *out)
{
    memset(out, 0, sizeof *out);
    tok_builder b = {a, out, 0};
    /* news text has about one token per five bytes: sized for that up front, the
     * array rarely grows (each growth leaves the old copy in the arena) */
    b.cap = len / 4 + 16;
    out->t = arena_alloc_raw(a, b.cap * sizeof *out->t);
    if (!out->t)
        return -1;
    size_t i = 0;
    bool para_start = true;
    while (i < len) {
        if (s[i] == ' ') { /* most frequent byte */
            i++;
            continue;
        }
        int32_t cp = (unsigned char)s[i];
        size_t n = cp < 0x80 ? 1 : utf8_decode(s + i, len - i, &cp);
        if (is_space_cp(cp)) {
            if (cp == '\n' && i + 1 < len && s[i + 1] == '\n')
                para_start = true;
            i += n;
            continue;
        }
        uint16_t pf = para_start ? TOKF_PARA : 0;
        para_start = false;
        if (is_apostrophe(cp) && i + n < len && (s[i + n] == 's' || s[i + n] == 'S') &&
            (i + n + 1 >= len || !is_alnum_cp((unsigned char)s[i + n + 1])) && out->n &&
            out->t[out->n - 1].end == i) {
            if (push(&b, i, i + n + 1, TOK_WORD, pf | (n > 1 ? TOKF_NONASCII : 0)))
                return -1;
            i += n + 1;
            continue;
        }
        if ((cp == 'n' || cp == 'N') && i + 1 < len && out->n && out->t[out->n - 1].end == i) {
            int32_t ap;
            size_t an = utf8_decode(s + i + 1, len - i - 1, &ap);
            if (is_apostrophe(ap) && i + 1 + an < len && s[i + 1 + an] == 't') {
                if (push(&b, i, i + 2 + an, TOK_WORD, pf | (an > 1 ? TOKF_NONASCII : 0)))
                    return -1;
                i += 2 + an;
                continue;
            }
        }
        if (alnum_cp(cp)) {
            uint16_t f;
            size_t j = scan_ascii_word(s, len, i, &f);
            if (!j) { /* a word with inner punctuation or non-ASCII letters */
                j = scan_word(s, len, i);
                if (j == i)
                    j = i + n;
                f = case_flags(s + i, j - i);
            }
            f |= pf;
            bool digit = s[i] >= '0' && s[i] <= '9';
            /* keep the dot of abbreviations, initials and acronyms */
            if (j < len && s[j] == '.') {
                bool initial = (j - i == 1) && (f & TOKF_CAP);
                bool acronym = memchr(s + i, '.', j - i) != NULL;
                if (initial || acronym || text_is_abbreviation(s + i, j - i)) {
                    j++;
                    f |= TOKF_ABBREV;
                }
            }
            if (push(&b, i, j, digit ? TOK_NUM : TOK_WORD, f))
                return -1;
            i = j;
            continue;
        }
        uint16_t f = pf | (cp >= 0x80 ? TOKF_NONASCII : 0);
        if (cp == ',' || cp == ';' || cp == ':' || cp == '(' || cp == ')' || cp == 0x2014)
            f |= TOKF_BREAK;
        if (is_quote_cp(cp)) {
            f |= TOKF_QUOTE;
            bool prev_space = i == 0 || s[i - 1] == ' ' || s[i - 1] == '\n' || s[i - 1] == '(';
            if (cp == 0x201C || cp == 0x2018 || cp == 0x00AB)
                f |= TOKF_OPENQ;
            else if (cp == 0x201D || cp == 0x00BB || (cp == 0x2019))
                f |= TOKF_CLOSEQ;
            else
                f |= prev_space ? TOKF_OPENQ : TOKF_CLOSEQ;
        }
        if (push(&b, i, i + n, TOK_PUNCT, f))
            return -1;
        i += n;
    }
    return split_sentences(a, s, out) || hash_tokens(a, s, len, out) ? -1 : 0;
}
