/* normalize.c - recover the article a reader sees; see include/normalize.h.
 *
 * Paragraphs get a role (body, title, subtitle, caption, credit, removed)
 * in a fixed order of passes, each of which only looks at paragraphs still
 * undecided. Order matters: duplicate captions and credits are recognised
 * before the classifier runs, so a caption repeated with its credit is
 * reported as a duplicate caption, not as generic boilerplate.
 */
#include "normalize.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>
#include <xxhash.h>
/* SSE2 (every x86-64) checks sixteen bytes at a time; elsewhere, or built
 * with -DNORMALIZE_NO_SIMD (to test that path), eight at a time in a register. */
#if defined(__SSE2__) && !defined(NORMALIZE_NO_SIMD)
#define NORMALIZE_SSE2 1
#include <emmintrin.h>
#endif

#include "dates.h"
#include "normalize_tables.h"
#include "strbuf.h"
#include "text.h"
#include "utf8util.h"

/* ---- paragraph clean-up ------------------------------------------------------- */

static bool is_space_like(int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' || cp == 0xA0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

static bool is_invisible(int32_t cp)
{
    return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF || cp == 0xAD ||
           (cp < 0x20) || (cp >= 0x7F && cp < 0xA0);
}


/* Bytes copied as they are: printable ASCII except the space. */
static inline bool plain_byte(unsigned char b) { return b > ' ' && b < 0x7F; }

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Eight bytes at once: true when all are printable ASCII or spaces with no
 * two spaces adjacent (nor a leading space after prev_space). *sp gets the
 * chunk's space flags (the high bit of each space byte). */
static inline bool plain_chunk(uint64_t x, bool prev_space, uint64_t *sp)
{
    if (((x - ONES * 0x20) & ~x & HIGHS) || (((x + ONES) | x) & HIGHS))
        return false; /* a byte below 0x20, or 0x7F and above */
    uint64_t y = x ^ (ONES * 0x20), low7 = ONES * 0x7F;
    uint64_t spaces = ~(((y & low7) + low7) | y | low7); /* exact: high bit of each zero byte of y */
    if ((spaces & (spaces << 8)) || (prev_space && (spaces & 0x80)))
        return false;
    *sp = spaces;
    return true;
}

#ifdef NORMALIZE_SSE2
/* plain_run sixteen bytes at a time, while 17 bytes are left (the byte
 * after a space decides whether the space belongs to the run), then the
 * last 16 bytes of a text that has them. Returns where it stopped and sets
 * *at_end when that is the end of the run. */
static size_t plain_run16(const char *s, size_t len, size_t r, size_t *spaces, bool *at_end)
{
    const __m128i space = _mm_set1_epi8(' '), above = _mm_set1_epi8(' '), below = _mm_set1_epi8(0x7F);
    const __m128i lane = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), zero = _mm_setzero_si128();
    __m128i count = zero; /* spaces per byte lane, folded before a lane can overflow */
    size_t rounds = 0, total = 0;
    *at_end = false;
    while (r + 17 <= len) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + r));
        __m128i next = _mm_loadu_si128((const __m128i *)(const void *)(s + r + 1));
        /* signed compares: bytes >= 0x80 are negative, so neither plain nor space */
        __m128i plain = _mm_and_si128(_mm_cmpgt_epi8(v, above), _mm_cmplt_epi8(v, below));
        __m128i plain_next = _mm_and_si128(_mm_cmpgt_epi8(next, above), _mm_cmplt_epi8(next, below));
        __m128i sp = _mm_cmpeq_epi8(v, space);
        unsigned ok = (unsigned)_mm_movemask_epi8(_mm_or_si128(plain, _mm_and_si128(sp, plain_next)));
        if (ok != 0xFFFF) {
            unsigned j = (unsigned)__builtin_ctz(~ok);
            sp = _mm_and_si128(sp, _mm_cmplt_epi8(lane, _mm_set1_epi8((char)j))); /* the spaces before j */
            count = _mm_sub_epi8(count, sp);
            r += j;
            *at_end = true;
            break;
        }
        count = _mm_sub_epi8(count, sp); /* a space compares as -1 */
        r += 16;
        if (++rounds == 255) {
            __m128i sums = _mm_sad_epu8(count, zero);
            total += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
            count = zero;
            rounds = 0;
        }
    }
    if (!*at_end && len >= 16 && r < len) {
        /* the last bytes, from the 16 that end the text (those before r are known to be in the
         * run); the byte after the last reads as zero, so a space there ends the run */
        size_t base = len - 16;
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + base));
        __m128i next = _mm_srli_si128(v, 1);
        __m128i plain = _mm_and_si128(_mm_cmpgt_epi8(v, above), _mm_cmplt_epi8(v, below));
        __m128i plain_next = _mm_and_si128(_mm_cmpgt_epi8(next, above), _mm_cmplt_epi8(next, below));
        __m128i sp = _mm_cmpeq_epi8(v, space);
        unsigned ok = (unsigned)_mm_movemask_epi8(_mm_or_si128(plain, _mm_and_si128(sp, plain_next)));
        ok |= (1u << (r - base)) - 1;
        unsigned j = ok == 0xFFFF ? 16 : (unsigned)__builtin_ctz(~ok);
        __m128i from_r = _mm_cmpgt_epi8(lane, _mm_set1_epi8((char)(r - base - 1)));
        sp = _mm_and_si128(_mm_and_si128(sp, from_r), _mm_cmplt_epi8(lane, _mm_set1_epi8((char)j)));
        count = _mm_sub_epi8(count, sp);
        r = base + j;
        *at_end = true;
    }
    __m128i sums = _mm_sad_epu8(count, zero);
    *spaces += total + (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
    return r;
}
#endif

/* The end of the run of plain bytes and single spaces that starts at r
 * (s[r-1] is a plain byte); adds the spaces crossed to *spaces. The run
 * never ends on a space: spaces are left to the caller's rules. */
static size_t plain_run(const char *s, size_t len, size_t r, size_t *spaces)
{
#ifdef NORMALIZE_SSE2
    bool at_end;
    r = plain_run16(s, len, r, spaces, &at_end);
    if (at_end)
        return r;
    /* fewer than 17 bytes left: eight at a time as below (s[r-1] may be a space, s[r] is then plain) */
#endif
    for (;;) {
        bool prev_space = false;
        size_t chunk_start = r;
        while (r + 8 <= len) {
            uint64_t x, sp;
            memcpy(&x, s + r, 8);
            if (!plain_chunk(x, prev_space, &sp))
                break;
            *spaces += (size_t)(((sp >> 7) * ONES) >> 56); /* flags are 0/1 per byte: their sum */
            prev_space = (sp >> 63) != 0;
            r += 8;
        }
        if (r > chunk_start && s[r - 1] == ' ') {
            r--;
            (*spaces)--;
        }
        while (r < len && plain_byte((unsigned char)s[r]))
            r++;
        if (r + 1 < len && s[r] == ' ' && plain_byte((unsigned char)s[r + 1])) {
            (*spaces)++;
            r += 2;
            continue;
        }
        return r;
    }
}

/* Copies s into out with the space and invisible-character rules and counts
 * the words written (space-separated runs). With check_nfc, stops and
 * returns false at the first code point NFC could change (the caller
 * normalizes and copies again); else returns true. Runs of printable ASCII
 * and single spaces, most of any news text, are found eight bytes at a time
 * and copied in one memcpy. */
static bool copy_clean(const char *s, size_t len, char *out, size_t *out_len, size_t *words, bool check_nfc)
{
    size_t o = 0, spaces = 0;
    bool pending_space = false;
    for (size_t i = 0; i < len;) {
        unsigned char b = (unsigned char)s[i];
        if (plain_byte(b)) {
            if (pending_space) {
                out[o++] = ' ';
                spaces++;
            }
            pending_space = false;
            size_t r = plain_run(s, len, i + 1, &spaces);
            memcpy(out + o, s + i, r - i);
            o += r - i;
            i = r;
            continue;
        }
        if (b == ' ') {
            pending_space = o > 0;
            i++;
            continue;
        }
        int32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (check_nfc && cp >= 0x300 && !(cp >= 0x2002 && cp <= 0x206F))
            return false; /* below U+0300 and in U+2002..U+206F NFC changes nothing */
        if (is_space_like(cp)) {
            pending_space = o > 0;
        } else if (!is_invisible(cp)) {
            if (pending_space) {
                out[o++] = ' ';
                spaces++;
            }
            pending_space = false;
            memcpy(out + o, s + i, n);
            o += n;
        }
        i += n;
    }
    out[o] = '\0';
    *out_len = o;
    *words = o ? spaces + 1 : 0;
    return true;
}

/* normalize_paragraph, also counting the words of the result. */
static char *clean_paragraph(arena *a, const char *s, size_t len, size_t *out_len, size_t *words)
{
    char *out = arena_alloc_raw(a, len + 1);
    if (!out)
        return NULL;
    if (copy_clean(s, len, out, out_len, words, true))
        return out; /* the common case: one pass, no Unicode tables */
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &nfc,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0)
        return NULL;
    char *out2 = (size_t)n <= len ? out : arena_alloc_raw(a, (size_t)n + 1);
    if (out2)
        copy_clean((const char *)nfc, (size_t)n, out2, out_len, words, false);
    free(nfc);
    return out2;
}

char *normalize_paragraph(arena *a, const char *s, size_t len, size_t *out_len)
{
    size_t words;
    return clean_paragraph(a, s, len, out_len, &words);
}

/* ---- boilerplate classifier ---------------------------------------------------- */

/* One forward pass over a paragraph: words are folded (ASCII lower case,
 * curly apostrophes to ') and hashed once. The hashes feed simhash (all
 * words, into *hashes when non-NULL); with lx, the phrases ending at each
 * word (1-3 words, first BP_SCAN_BYTES only) are checked against the
 * lexicon's bitset and, on a hit, its map. */
enum { BP_SCAN_BYTES = 4096, WORD_MAX = 48 };

typedef struct scan_out {
    double score[REMOVED__COUNT], news;
    size_t words, hits;
    bool has_quote;
    uint64_t *hashes; /* arena array of word hashes, or NULL */
    size_t n_hashes;
} scan_out;

static inline bool ascii_word_byte(unsigned char c) { return WORD_FOLD[c] > 1; }

/* The high bit of each byte of x that is an ASCII letter. */
static inline uint64_t ascii_letters(uint64_t x)
{
    uint64_t t = (x | (ONES * 0x20)) & (ONES * 0x7F); /* lower-cased, high bit off */
    uint64_t ge_a = (t + ONES * (0x80 - 'a')) & HIGHS;
    uint64_t le_z = ~(t + ONES * (0x80 - 'z' - 1)) & HIGHS;
    return ge_a & le_z & ~x & HIGHS;
}

/* lexicon_word_hash of n folded bytes at w, eight at a time: a big-endian
 * load is the same chunk as eight shifts in. w must have 8 readable bytes
 * past n. */
static inline uint64_t folded_word_hash(const unsigned char *w, size_t n)
{
    uint64_t h = LEXICON_HASH_SEED, x;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&x, w + i, 8);
        h = lexicon_hash_chunk(h, __builtin_bswap64(x));
    }
    uint64_t acc = 0;
    if (i < n) {
        memcpy(&x, w + i, 8);
        acc = __builtin_bswap64(x) >> (8 * (8 - (n - i)));
    }
    return lexicon_hash_end(h, acc, n);
}

/* The same for a word longer than the fold buffer: folds again from the
 * text (rare: URLs, long compounds). */
static uint64_t long_word_hash(const char *s, size_t len)
{
    uint64_t h = LEXICON_HASH_SEED, acc = 0;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i], f = WORD_FOLD[c];
        if (f <= 1) {
            f = c;
            if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80) {
                f = '\'';
                i += 2;
            }
        }
        i++;
        acc = (acc << 8) | f;
        if (++n % 8 == 0) {
            h = lexicon_hash_chunk(h, acc);
            acc = 0;
        }
    }
    return lexicon_hash_end(h, acc, n);
}

/* A word of ASCII letters only that ends at an ASCII byte outside words (or
 * at the end): hashed from eight-byte loads, folded in the register. Returns
 * its end and sets *hash; 0 (nothing done) for any other word: digits, '-',
 * apostrophes and non-ASCII bytes take general_word. This is most words of
 * news text. */
static inline size_t letters_word(const char *s, size_t len, size_t i, uint64_t *hash)
{
    uint64_t h = LEXICON_HASH_SEED;
    size_t start = i;
    for (;;) {
        uint64_t x;
        if (i + 8 <= len) {
            memcpy(&x, s + i, 8);
        } else if (len >= 8) { /* the last bytes, from a load that ends at the end; zeros after them */
            memcpy(&x, s + len - 8, 8);
            x = i < len ? x >> (8 * (8 - (len - i))) : 0;
        } else {
            return 0;
        }
        uint64_t letters = ascii_letters(x);
        uint64_t folded = __builtin_bswap64(x | (letters >> 2)); /* 0x80 >> 2 = 0x20: lower case */
        if (letters == HIGHS) {
            if (i + 8 - start >= WORD_MAX)
                return 0; /* words that may pass WORD_MAX: general_word's rule for the space after them */
            h = lexicon_hash_chunk(h, folded);
            i += 8;
            continue;
        }
        unsigned k = (unsigned)__builtin_ctzll(~letters & HIGHS) / 8;
        if (WORD_FOLD[(x >> (8 * k)) & 0xFF] != 0) /* the byte after the letters (0 past the end) */
            return 0; /* the word goes on with a digit, '-', '\'' or a non-ASCII byte */
        uint64_t acc = (folded >> 1) >> (63 - 8 * k); /* the k letters; none for k = 0 */
        i += k;
        *hash = lexicon_hash_end(h, acc, i - start);
        return i;
    }
}

typedef struct word_read {
    size_t end, n; /* n: folded length, 0 for a lone punctuation sequence */
    uint64_t hash;
    bool quote; /* it ended at (or was) a curly double quote */
} word_read;

/* Any word starting at s[i] (a word byte or a byte >= 0x80), folded into a
 * buffer byte by byte where needed, then hashed. n = 0 for a lone
 * punctuation sequence such as an em dash (end is then i). */
static __attribute__((noinline)) word_read general_word(const char *s, size_t len, size_t i)
{
    bool curly_quote = false;
    unsigned char w[WORD_MAX + 16]; /* 8 bytes of slack for the hash's whole-word loads */
    size_t start = i, n = 0;
    while (i < len) {
        if (i + 8 <= len && n + 8 <= WORD_MAX) { /* letters, eight at a time */
            uint64_t x, letters;
            memcpy(&x, s + i, 8);
            if ((letters = ascii_letters(x)) != 0) {
                uint64_t folded = x | (letters >> 2);
                memcpy(w + n, &folded, 8);
                unsigned k = letters == HIGHS ? 8 : (unsigned)__builtin_ctzll(~letters & HIGHS) / 8;
                n += k;
                i += k;
                if (k == 8)
                    continue;
            }
        }
        unsigned char c = (unsigned char)s[i], f = WORD_FOLD[c];
        if (f > 1) { /* ASCII word byte, folded by the table */
            w[n < WORD_MAX ? n : WORD_MAX] = f; /* slot WORD_MAX absorbs the overflow */
            n++;
            i++;
            continue;
        }
        if (f == 0)
            break;
        if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80) {
            unsigned char t = (unsigned char)s[i + 2];
            if (t != 0x98 && t != 0x99) {
                curly_quote = t == 0x9C || t == 0x9D;
                break; /* quotes, dashes, ellipsis end the word */
            }
            f = '\'';
            i += 3;
        } else {
            f = c;
            i++;
        }
        w[n < WORD_MAX ? n : WORD_MAX] = f;
        n++;
    }
    word_read r = {i, n, 0, curly_quote};
    /* A word longer than WORD_MAX has always been hashed together with the space that
     * follows it (if one does): kept, so that simhashes of stored articles stay put. */
    if (n)
        r.hash = n <= WORD_MAX ? folded_word_hash(w, n) : long_word_hash(s + start, i - start + (i < len && s[i] == ' '));
    return r;
}

/* The folded form of the word s[0..len) as the scan reads it, at most
 * WORD_MAX bytes of it into out (for phrase keys); returns the bytes written.
 * avail: the bytes readable at s. A short word of letters is folded from one
 * load (out must have 8 bytes of room). */
static size_t fold_word(const char *s, size_t len, size_t avail, char *out)
{
    if (len <= 8 && avail >= 8) {
        uint64_t x, letters, mask = len == 8 ? HIGHS : HIGHS & ((1ull << (8 * len)) - 1);
        memcpy(&x, s, 8);
        letters = ascii_letters(x);
        if ((letters & mask) == mask) {
            x |= letters >> 2;
            memcpy(out, &x, 8);
            return len;
        }
    }
    size_t n = 0;
    for (size_t i = 0; i < len && n < WORD_MAX; i++) {
        unsigned char c = (unsigned char)s[i], f = WORD_FOLD[c];
        if (f <= 1) {
            f = c;
            if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80) {
                f = '\'';
                i += 2;
            }
        }
        out[n++] = (char)f;
    }
    return n;
}

/* The lexicon's phrases that end with word number w (the words since
 * run_start make a phrase run): longest first, each checked against the bitset and
 * on a hit looked up by its folded text, rebuilt from the source. */
typedef struct word_ring {
    uint64_t hash[4];
    size_t start[4], end[4]; /* in the paragraph */
} word_ring;

static __attribute__((noinline)) void match_phrases(const lexicons *lx, const char *s, size_t len, const word_ring *r,
                                                    size_t w, size_t run_start, scan_out *o)
{
    size_t nw = w - run_start < 3 ? w - run_start + 1 : 3;
    uint64_t h = r->hash[w & 3], h1 = nw >= 2 ? r->hash[(w - 1) & 3] : 0, h2 = nw >= 3 ? r->hash[(w - 2) & 3] : 0;
    for (size_t m = nw; m >= 1; m--) { /* the phrase of the last m words */
        uint64_t ph = m == 1 ? h
                    : m == 2 ? lexicon_phrase_step(h1, h)
                             : lexicon_phrase_step(lexicon_phrase_step(h2, h1), h);
        if (!lexicon_bp_maybe(lx->bp_filter, ph))
            continue;
        char key[3 * WORD_MAX + 2 + 8];
        size_t kl = 0;
        for (size_t j = w + 1 - m; j <= w; j++) {
            if (j > w + 1 - m)
                key[kl++] = ' ';
            kl += fold_word(s + r->start[j & 3], r->end[j & 3] - r->start[j & 3], len - r->start[j & 3], key + kl);
        }
        int idx;
        if (strmap_get(&lx->bp_map, key, kl, &idx)) {
            const bp_term *t = &lx->bp[idx];
            if (t->weight < 0) {
                o->news += t->weight;
            } else {
                o->score[t->kind] += t->weight;
                o->hits++;
            }
        }
    }
}

/* Where scan_words puts word hashes: an arena array grown by doubling, or
 * (without an arena, or once growing failed) a scratch buffer that is
 * overwritten, so the hot loop always stores and only checks for room. */
enum { HASH_SCRATCH = 64 };
typedef struct hash_out {
    arena *a;
    uint64_t *base, *end; /* the arena array, NULL when not kept */
    size_t kept;          /* hashes kept when growing failed */
    bool failed;
    uint64_t scratch[HASH_SCRATCH];
} hash_out;

typedef struct hash_room_t {
    uint64_t *p, *end;
} hash_room_t;

/* Room for more hashes once the write position reached the end. */
static __attribute__((noinline)) hash_room_t hash_room(hash_out *ho)
{
    if (ho->base && !ho->failed) {
        size_t cap = (size_t)(ho->end - ho->base);
        uint64_t *g = arena_grow(ho->a, ho->base, cap, cap * 2, sizeof *g);
        if (g) {
            ho->base = g;
            ho->end = g + cap * 2;
            return (hash_room_t){g + cap, ho->end};
        }
        ho->failed = true;
        ho->kept = cap;
    }
    return (hash_room_t){ho->scratch, ho->scratch + HASH_SCRATCH};
}

static void scan_words(const lexicons *lx, arena *a, const char *s, size_t len, scan_out *o)
{
    memset(o, 0, sizeof *o);
    hash_out ho; /* the scratch needs no zeroing */
    ho.a = a;
    ho.base = ho.end = NULL;
    ho.kept = 0;
    ho.failed = false;
    uint64_t *hp = ho.scratch, *hend = ho.scratch + HASH_SCRATCH;
    if (a) {
        size_t cap = len / 5 + 8; /* about one word per five bytes of news text; grown if not */
        ho.base = arena_alloc_raw(a, cap * sizeof *ho.base);
        if (ho.base) {
            hp = ho.base;
            hend = ho.end = ho.base + cap;
        }
    }
    size_t window = lx ? BP_SCAN_BYTES : 0; /* words starting before it meet the lexicon */
    word_ring ring;
    size_t words = 0, run_start = 0; /* the first word after the last punctuation */
    bool has_quote = false;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (WORD_FOLD[c] == 0) { /* ASCII outside words */
            has_quote |= c == '"';
            if (c != ' ')
                run_start = words; /* punctuation breaks phrases */
            i++;
            continue;
        }
        size_t start = i;
        uint64_t h;
        i = letters_word(s, len, start, &h);
        if (!i) {
            word_read r = general_word(s, len, start);
            has_quote |= r.quote;
            if (!r.n) {
                i = start + 3; /* a lone punctuation sequence */
                run_start = words;
                continue;
            }
            i = r.end;
            h = r.hash;
        }
        if (hp == hend) {
            hash_room_t room = hash_room(&ho);
            hp = room.p;
            hend = room.end;
        }
        *hp++ = h;
        size_t w = words++;
        if (start < window) {
            ring.hash[w & 3] = h;
            ring.start[w & 3] = start;
            ring.end[w & 3] = i;
            if (lexicon_bp_maybe(lx->bp_last_filter, h)) /* some phrase of the lexicon ends with this word */
                match_phrases(lx, s, len, &ring, w, run_start, o);
        }
        if (i < len && s[i] == ' ')
            i++; /* the usual separator: no need to come round the loop for it */
    }
    o->words = words;
    o->has_quote = has_quote;
    if (ho.base) {
        o->hashes = ho.base;
        o->n_hashes = ho.failed ? ho.kept : (size_t)(hp - ho.base);
    }
}

/* Scores scanned evidence: see normalize_boilerplate_score. */
static double score_scan(const scan_out *o, size_t len, size_t link_bytes, removed_kind *kind)
{
    double news = o->news;
    removed_kind best = REMOVED_COOKIE_NOTICE;
    for (int k = 1; k < REMOVED__COUNT; k++)
        if (o->score[k] > o->score[best])
            best = (removed_kind)k;
    double s_best = o->score[best];
    /* link-heavy paragraphs are navigation or related-link lists */
    if (len && link_bytes * 10 >= len * 6) {
        if (s_best < 2.0)
            best = REMOVED_RELATED_LINKS;
        s_best += 2.5;
    }
    /* evidence of news prose: speech verbs, quotations, length */
    if (o->has_quote)
        news -= 1.5;
    if (o->words > 60)
        news -= 1.0;
    /* several lexicon hits in a short paragraph are strong evidence; one is not
     * (a headline may mention cookies) */
    if (o->words && o->words <= 12 && o->hits >= 2 && s_best >= 1.0)
        s_best += 1.0;
    *kind = best;
    return s_best + news;
}

double normalize_boilerplate_score(const lexicons *lx, const char *s, size_t len, size_t link_bytes,
                                   removed_kind *kind)
{
    scan_out o;
    scan_words(lx, NULL, s, len, &o);
    return score_scan(&o, len, link_bytes, kind);
}

/* ---- structure recognisers ------------------------------------------------------ */

static bool starts_with_ci(const char *s, const char *p) { return !strncasecmp(s, p, strlen(p)); }

/* True when s[0..len) contains the n bytes of w: memchr finds the
 * candidates for w's first byte (glibc's memmem is far slower on short
 * texts). */
static bool contains(const char *s, size_t len, const char *w, size_t n)
{
    const char *end = s + len;
    for (const char *p = s; (size_t)(end - p) >= n && (p = memchr(p, w[0], (size_t)(end - p) - n + 1)) != NULL; p++)
        if (!memcmp(p + 1, w + 1, n - 1))
            return true;
    return false;
}

/* An agency mark around one of the slashes of s: "REUTERS/", "Reuters/",
 * "/AFP", "/Pool", "/ Pool". */
static bool agency_slash(const char *s, size_t len)
{
    const char *end = s + len;
    for (const char *p = memchr(s, '/', len); p; p = memchr(p + 1, '/', (size_t)(end - p - 1))) {
        size_t before = (size_t)(p - s), after = (size_t)(end - p - 1);
        if ((before >= 7 && (!memcmp(p - 7, "REUTERS", 7) || !memcmp(p - 7, "Reuters", 7))) ||
            (after >= 3 && !memcmp(p + 1, "AFP", 3)) || (after >= 4 && !memcmp(p + 1, "Pool", 4)) ||
            (after >= 5 && !memcmp(p + 1, " Pool", 5)))
            return true;
        if (!after)
            break;
    }
    return false;
}

/* Photo credits: agency patterns or an all-caps "PUBLICATION / NAME". s is
 * a cleaned paragraph (or its tail): NUL-terminated at len, no NUL before. */
static bool is_credit(const char *s, size_t len)
{
    if (len == 0 || len > 140)
        return false;
    /* every credit form below has a '/', "Getty", or starts with a photo word */
    bool slash = memchr(s, '/', len) != NULL;
    if (!slash && s[0] != 'A' && s[0] != '(' && s[0] != 'P' && s[0] != 'C' && !contains(s, len, "Getty", 5))
        return false;
    switch (s[0] | 0x20) { /* the photo words, case-insensitive */
    case 'a':
        if (starts_with_ci(s, "AP Photo"))
            return true;
        break;
    case '(':
        if (starts_with_ci(s, "(AP Photo"))
            return true;
        break;
    case 'p':
        if (starts_with_ci(s, "Photo by ") || starts_with_ci(s, "Photograph:") || starts_with_ci(s, "Photo: "))
            return true;
        break;
    case 'c':
        if (starts_with_ci(s, "Credit: "))
            return true;
        break;
    }
    if ((slash && agency_slash(s, len)) || contains(s, len, "Getty Images", 12) || contains(s, len, "AFP via", 7) ||
        contains(s, len, "EPA-EFE", 7))
        return len < 100;
    if (!slash)
        return false;
    size_t letters = 0, upper = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            letters++;
            upper += c >= 'A' && c <= 'Z';
        }
    }
    return letters >= 6 && upper * 10 >= letters * 9 && len <= 100;
}

/* True when s has a letter or digit (any non-ASCII code point counts as one,
 * except the general-punctuation block: bullets, dashes, middle dots). */
static bool has_alnum(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
                return true;
            i++;
            continue;
        }
        int32_t cp;
        i += utf8_decode(s + i, len - i, &cp);
        if (cp != 0xB7 && !(cp >= 0x2000 && cp <= 0x2BFF) && cp != 0xA6 && cp != 0xA7)
            return true;
    }
    return false;
}

/* "By Jane Doe" / "By Jane Doe and John Roe": a byline, page metadata. */
static bool is_byline(const char *s, size_t len)
{
    if (len < 5 || len > 80 || strncmp(s, "By ", 3) || s[3] < 'A' || s[3] > 'Z' || s[len - 1] == '.')
        return false;
    size_t words = 0;
    for (size_t i = 3; i < len; i++) {
        if (i == 3 || s[i - 1] == ' ') {
            words++;
            bool cap = s[i] >= 'A' && s[i] <= 'Z';
            bool joiner = !strncmp(s + i, "and ", 4) || !strncmp(s + i, "de ", 3) || !strncmp(s + i, "van ", 4);
            if (!cap && !joiner && (unsigned char)s[i] < 0x80)
                return false;
        }
    }
    return words >= 2 && words <= 8;
}

/* A photo description: one short sentence, no dateline, no speech verb,
 * no quotation. (Credits also follow body paragraphs whose photo is gone.) */
static bool looks_like_caption(const char *s, size_t len)
{
    if (len < 20 || len > 300 || strstr(s, " said") || strstr(s, " told ") || strstr(s, " says") ||
        strstr(s, "\xE2\x80\x94") || strstr(s, "\xE2\x80\x9C") || strchr(s, '"'))
        return false;
    for (size_t i = 0; i + 2 < len; i++)
        if ((s[i] == '.' || s[i] == '?' || s[i] == '!') && s[i + 1] == ' ' && s[i + 2] >= 'A' && s[i + 2] <= 'Z' &&
            !(i >= 2 && s[i - 2] == ' ') && !(i >= 1 && s[i - 1] >= 'A' && s[i - 1] <= 'Z' && (i < 2 || s[i - 2] == ' ' || s[i - 2] == '.')))
            return false; /* a second sentence (not an initial or an abbreviation like "Gen.") */
    return true;
}

/* "date 2021-08-16 Headline" or "2021-08-16 Headline": returns bytes to skip. */
static size_t dateline_prefix(const char *s, size_t len, civil_date *d)
{
    size_t i = 0;
    if (len > 5 && !strncasecmp(s, "date", 4) && (s[4] == ' ' || s[4] == ':')) {
        i = 5;
        while (i < len && (s[i] == ' ' || s[i] == ':'))
            i++;
    }
    size_t st, en;
    if (len - i >= 10 && date_find(s + i, 10, d, &st, &en) && st == 0 && en == 10) {
        i += 10;
        while (i < len && (s[i] == ' ' || s[i] == '-' || s[i] == ':'))
            i++;
        return i;
    }
    return 0;
}

/* "Watch:" / "VIDEO:" headline prefixes: returns bytes to skip and the flag. */
static size_t title_prefix(const char *s, const char **flag)
{
    static const struct {
        const char *p, *flag;
    } prefixes[] = {{"watch live:", "watch"}, {"watch:", "watch"}, {"video:", "video"}, {"live video:", "video"}};
    char c = (char)(s[0] | 0x20);
    if (c != 'w' && c != 'v' && c != 'l')
        return 0; /* no prefix starts otherwise */
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        if (c == prefixes[i].p[0] && starts_with_ci(s, prefixes[i].p)) {
            size_t n = strlen(prefixes[i].p);
            while (s[n] == ' ')
                n++;
            *flag = prefixes[i].flag;
            return n;
        }
    }
    return 0;
}

typedef enum { ROLE_UNDECIDED, ROLE_BODY, ROLE_TITLE, ROLE_SUBTITLE, ROLE_CAPTION, ROLE_CREDIT, ROLE_REMOVED } para_role;

typedef struct para {
    char *text;
    size_t len, link_bytes;
    uint64_t *wh; /* word hashes from the classifier's scan (simhash reuses them) */
    size_t n_wh;
    size_t words; /* space-separated words of text */
    block_kind kind;
    int level;
    para_role role;
    removed_kind why;
} para;

typedef struct norm {
    arena *a;
    const lexicons *lx;
    para *p;
    size_t n;
    article *art;
    const char **captions, **credits;
    size_t n_captions, n_credits;
    const char *stamp; /* RFC 3339 from a "Published ..." line, or NULL */
    ingest_error *err;
} norm;

static int push_str(norm *N, const char ***arr, size_t *n, const char *s, size_t len)
{
    const char **na = arena_grow(N->a, (void *)*arr, *n, *n + 1, sizeof *na);
    char *c = arena_strndup(N->a, s, len);
    if (!na || !c)
        return ingest_fail(N->err, INGEST_ERR_INTERNAL, "out of memory");
    na[(*n)++] = c;
    *arr = na;
    return 0;
}

static void drop(norm *N, size_t i, removed_kind why)
{
    N->p[i].role = ROLE_REMOVED;
    N->p[i].why = why;
    N->art->removed[why].count++;
    N->art->removed[why].bytes += N->p[i].len;
}

static size_t skip_sep(const char *s, size_t i, size_t len)
{
    while (i < len && (s[i] == ' ' || s[i] == '.' || s[i] == ',' || s[i] == '-' || s[i] == '|'))
        i++;
    return i;
}

/* A caption followed by the same caption with a credit appended. */
static int find_duplicate_captions(norm *N)
{
    for (size_t i = 0; i + 1 < N->n; i++) {
        para *a = &N->p[i], *b = &N->p[i + 1];
        if (a->role || b->role || a->len < 20 || b->len <= a->len || strncmp(b->text, a->text, a->len))
            continue;
        size_t r = skip_sep(b->text, a->len, b->len);
        if (r >= b->len || b->len - r > 140)
            continue;
        a->role = ROLE_CAPTION;
        if (push_str(N, &N->captions, &N->n_captions, a->text, a->len) ||
            push_str(N, &N->credits, &N->n_credits, b->text + r, b->len - r))
            return -1;
        drop(N, i + 1, REMOVED_DUPLICATE_CAPTION);
    }
    return 0;
}

/* Credit lines, "X" pop-up remnants, and captions that end with a credit. */
static int find_credits_and_popups(norm *N)
{
    for (size_t i = 0; i < N->n; i++) {
        para *p = &N->p[i];
        if (p->role)
            continue;
        if ((p->len == 1 && (p->text[0] == 'X' || p->text[0] == 'x')) || !strcmp(p->text, "\xC3\x97")) {
            drop(N, i, REMOVED_POPUP_REMNANT);
            continue;
        }
        if (!has_alnum(p->text, p->len)) { /* separators: "·", "|", "***" */
            drop(N, i, REMOVED_PAGE_CHROME);
            continue;
        }
        char stamp[48];
        if (date_stamp_line(p->text, p->len, stamp, sizeof stamp)) {
            /* "Updated June 19, 2023, 11:47 AM EDT", a <time> line: page metadata, and a date */
            if (!N->stamp)
                N->stamp = arena_strndup(N->a, stamp, strlen(stamp));
            drop(N, i, REMOVED_PAGE_CHROME);
            continue;
        }
        if (is_byline(p->text, p->len)) {
            drop(N, i, REMOVED_PAGE_CHROME);
            continue;
        }
        if (p->kind == BLOCK_CREDIT || is_credit(p->text, p->len)) {
            p->role = ROLE_CREDIT;
            if (push_str(N, &N->credits, &N->n_credits, p->text, p->len))
                return -1;
            continue;
        }
        if (p->kind == BLOCK_CAPTION) {
            p->role = ROLE_CAPTION;
            if (push_str(N, &N->captions, &N->n_captions, p->text, p->len))
                return -1;
            continue;
        }
        /* "Caption sentence. AP Photo/Jane Doe" */
        if (p->len < 600) {
            size_t stop = p->len > 142 ? p->len - 142 : 2; /* a credit is at most 140 bytes */
            /* is_credit's own first test, once for the whole tail instead of at every ". " */
            /* credits start after ". " or ") ": find those with memchr (a handful per
             * paragraph) and try them from the right */
            size_t cand[32], nc = 0;
            const char *end = p->text + p->len;
            for (int form = 0; form < 2; form++)
                for (const char *q = p->text + stop - 1;
                     nc < 32 && q + 1 < end && (q = memchr(q, form ? ')' : '.', (size_t)(end - 1 - q))) != NULL; q++)
                    if (q[1] == ' ')
                        cand[nc++] = (size_t)(q - p->text) + 2;
            for (size_t x = 1; x < nc; x++) /* ascending: a few elements */
                for (size_t y = x; y > 0 && cand[y - 1] > cand[y]; y--) {
                    size_t t = cand[y];
                    cand[y] = cand[y - 1];
                    cand[y - 1] = t;
                }
            for (size_t ci = nc; ci-- > 0;) {
                size_t k = cand[ci];
                if (k < p->len && is_credit(p->text + k, p->len - k)) {
                    p->role = ROLE_CAPTION;
                    size_t cap_end = k - 1;
                    if (push_str(N, &N->captions, &N->n_captions, p->text, cap_end) ||
                        push_str(N, &N->credits, &N->n_credits, p->text + k, p->len - k))
                        return -1;
                    break;
                }
            }
        }
    }
    return 0;
}

/* After the headline is chosen: the photo description right above a credit
 * line is its caption (the headline above a credit is not). */
static int find_captions_above_credits(norm *N)
{
    for (size_t i = 1; i < N->n; i++) {
        para *above = &N->p[i - 1];
        if (N->p[i].role != ROLE_CREDIT || above->role || above->kind == BLOCK_HEADING ||
            !looks_like_caption(above->text, above->len))
            continue;
        above->role = ROLE_CAPTION;
        if (push_str(N, &N->captions, &N->n_captions, above->text, above->len))
            return -1;
    }
    return 0;
}

/* Marketing copy speaks to the reader: an imperative call to action or "you". */
static bool addresses_reader(const char *s)
{
    static const char *const verbs[] = {"Get ", "Sign ", "Subscribe", "Join ", "Follow ", "Download ", "Try ",
                                        "Register", "Don't miss", "Never miss", "Click ", "Tap ", NULL};
    for (int i = 0; verbs[i]; i++)
        if (s[0] == verbs[i][0] && !strncmp(s, verbs[i], strlen(verbs[i])))
            return true;
    return strstr(s, " you ") || strstr(s, " your ") || strstr(s, "You ") || strstr(s, "Your ");
}

static void classify_boilerplate(norm *N)
{
    double *score = arena_alloc(N->a, (N->n + 1) * sizeof *score);
    removed_kind *kind = arena_alloc(N->a, (N->n + 1) * sizeof *kind);
    if (!score || !kind)
        return; /* keep everything rather than guess */
    for (size_t i = 0; i < N->n; i++) {
        if (N->p[i].role)
            continue;
        scan_out o;
        scan_words(N->lx, N->a, N->p[i].text, N->p[i].len, &o);
        N->p[i].wh = o.hashes;
        N->p[i].n_wh = o.n_hashes;
        score[i] = score_scan(&o, N->p[i].len, N->p[i].link_bytes, &kind[i]);
    }
    for (size_t i = 0; i < N->n; i++)
        if (!N->p[i].role && score[i] >= NORMALIZE_BOILERPLATE_THRESHOLD)
            drop(N, i, kind[i]);
    /* the tail: after the last paragraph that reads like the story (long, or with
     * speech and quotes), short leftovers next to removed prompts are the prompts' */
    size_t tail = 0;
    for (size_t i = 0; i < N->n; i++)
        if (!N->p[i].role && (N->p[i].len > 200 || score[i] < 0))
            tail = i + 1;
    /* Notices span several paragraphs: a short heading or a weakly scored
     * paragraph touching a removed one of a kind goes with it. Repeat until
     * stable so that a whole cookie dialog goes, heading to last button. */
    bool changed = true;
    while (changed) {
        changed = false;
        for (size_t i = 0; i < N->n; i++) {
            para *p = &N->p[i];
            if (p->role)
                continue;
            for (int d = -1; d <= 1; d += 2) {
                if ((d < 0 && i == 0) || (d > 0 && i + 1 >= N->n))
                    continue;
                para *q = &N->p[i + (size_t)d];
                if (q->role != ROLE_REMOVED || q->why == REMOVED_DUPLICATE_CAPTION || q->why == REMOVED_POPUP_REMNANT)
                    continue;
                bool heading_like = p->len <= 60 && p->text[p->len - 1] != '.' && p->text[p->len - 1] != '"' &&
                                    p->text[p->len - 1] != '\x9D';
                /* a heading of the same notice needs some evidence of its own (a headline
                 * after a cookie notice has none); a list of headlines after a "Related"
                 * heading needs none */
                bool same = (kind[i] == q->why && score[i] > 0.0) ||
                            (q->why == REMOVED_RELATED_LINKS && score[i] >= 0.0);
                bool tail_leftover = i >= tail && score[i] >= 0.0 && p->len <= 200 && q->why != REMOVED_COOKIE_NOTICE &&
                                     q->why != REMOVED_PAGE_CHROME && addresses_reader(p->text);
                if ((score[i] >= 0.5) || (heading_like && same) || tail_leftover) {
                    drop(N, i, q->why);
                    changed = true;
                    break;
                }
            }
        }
    }
}

static const char *strip_site_suffix(arena *a, const char *t)
{
    static const char *const seps[] = {" | ", " - ", " \xE2\x80\x94 ", " \xE2\x80\x93 "};
    const char *cut = NULL;
    for (size_t i = 0; i < 4; i++) {
        const char *p = strstr(t, seps[i]);
        while (p) {
            const char *q = strstr(p + 1, seps[i]);
            if (!q)
                break;
            p = q;
        }
        if (p && strlen(p) <= 40 && (!cut || p < cut))
            cut = p;
    }
    return cut ? arena_strndup(a, t, (size_t)(cut - t)) : t;
}

static const char *clean_meta(arena *a, const char *s)
{
    if (!s)
        return NULL;
    size_t n;
    char *c = normalize_paragraph(a, s, strlen(s), &n);
    return (c && n) ? c : NULL;
}

/* A first line longer than this is running text, not a headline: scrapers
 * that strip line breaks deliver a whole article as one line. */
#define TITLE_FROM_TEXT_MAX_BYTES 500

/* Chooses the headline: envelope, og:title, <h1>, first paragraph, <title>. */
static void recover_title(norm *N, const raw_doc *d, bool *title_from_text, size_t *title_idx)
{
    article *art = N->art;
    const char *t = clean_meta(N->a, d->env_title);
    if (!t)
        t = clean_meta(N->a, d->og_title);
    *title_from_text = false;
    *title_idx = SIZE_MAX;
    for (size_t i = 0; i < N->n; i++) {
        para *p = &N->p[i];
        if (p->role)
            continue;
        bool is_h1 = p->kind == BLOCK_HEADING && p->level == 1;
        bool first_text = p->kind != BLOCK_HEADING && strcmp(d->form, "html") &&
                          (t || p->len <= TITLE_FROM_TEXT_MAX_BYTES);
        if (!is_h1 && !first_text && !(p->kind == BLOCK_HEADING && !t))
            break;
        const char *flag = NULL;
        size_t skip = title_prefix(p->text, &flag);
        const char *text = p->text + skip;
        if (t) {
            /* the envelope gave the headline; drop its copy from the body */
            const char *tf = NULL;
            size_t ts = title_prefix(t, &tf);
            if (!strcmp(text, t + ts)) {
                p->role = ROLE_TITLE;
                *title_idx = i;
                *title_from_text = true;
                if (flag) /* the page's <h1> says "Watch:" even when og:title does not */
                    art->title_flag = flag;
            }
        } else {
            t = text;
            p->role = ROLE_TITLE;
            *title_idx = i;
            *title_from_text = true;
            if (flag)
                art->title_flag = flag;
        }
        break;
    }
    if (!t && d->html_title)
        t = strip_site_suffix(N->a, clean_meta(N->a, d->html_title) ? clean_meta(N->a, d->html_title) : "");
    if (t) {
        const char *flag = NULL;
        size_t skip = title_prefix(t, &flag);
        if (flag)
            art->title_flag = flag;
        t += skip;
    }
    art->title = (t && *t) ? t : NULL;
}

/* After the headline: a short line that only announces a video ("VIDEO: ...
 * (1:42)", "Watch: ...") is a player teaser, not article text. */
static void drop_video_teasers(norm *N)
{
    for (size_t i = 0; i < N->n; i++) {
        para *p = &N->p[i];
        const char *flag = NULL;
        if (!p->role && p->len <= 120 && title_prefix(p->text, &flag))
            drop(N, i, REMOVED_PAGE_CHROME);
    }
}

/* A dek: a short paragraph right under a headline recovered from the text. */
/* "KABUL, Afghanistan — ...": a lead paragraph opening with a dateline. */
static bool opens_with_dateline(const char *t)
{
    return strstr(t, " \xE2\x80\x94 ") && t[0] >= 'A' && t[0] <= 'Z' && t[1] >= 'A' && t[1] <= 'Z';
}

static void recover_subtitle(norm *N, size_t title_idx)
{
    for (size_t i = 0; i < N->n; i++) {
        if (N->p[i].kind == BLOCK_SUBTITLE && !N->p[i].role) {
            N->p[i].role = ROLE_SUBTITLE;
            N->art->subtitle = N->p[i].text;
            return;
        }
    }
    if (title_idx == SIZE_MAX)
        return;
    size_t i = title_idx + 1;
    while (i < N->n && N->p[i].role && N->p[i].role != ROLE_BODY && N->p[i].role != ROLE_UNDECIDED)
        i++;
    if (i >= N->n || N->p[i].role || N->p[i].kind == BLOCK_HEADING)
        return;
    para *p = &N->p[i];
    size_t later = 0;
    for (size_t k = i + 1; k < N->n; k++)
        later += !N->p[k].role;
    bool quoted = strstr(p->text, "\xE2\x80\x9C") || strchr(p->text, '"');
    bool dateline = opens_with_dateline(p->text);
    /* a short paragraph between the headline and a dateline lead is the dek, whatever it says */
    size_t next = i + 1;
    while (next < N->n && N->p[next].role)
        next++;
    if (next < N->n && opens_with_dateline(N->p[next].text) && !quoted && !dateline && p->len >= 20 &&
        p->len <= 260) {
        p->role = ROLE_SUBTITLE;
        N->art->subtitle = p->text;
        return;
    }
    /* a lead paragraph reports when (a weekday) and who said it; a dek does neither */
    bool has_weekday = false;
    static const char *const days[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    for (int d = 0; d < 7 && !has_weekday; d++)
        has_weekday = strstr(p->text, days[d]) != NULL;
    if (p->len >= 20 && p->len <= 260 && later >= 2 && !quoted && !dateline && !has_weekday &&
        !strstr(p->text, " said")) {
        p->role = ROLE_SUBTITLE;
        N->art->subtitle = p->text;
    }
}

static const char *recover_date(norm *N, const raw_doc *d, const civil_date *dateline)
{
    char buf[48];
    const char *cands[] = {d->env_published_at, d->meta_published, d->time_datetime};
    for (size_t i = 0; i < 3; i++)
        if (cands[i] && date_normalize_rfc3339(cands[i], strlen(cands[i]), buf, sizeof buf))
            return arena_strndup(N->a, buf, strlen(buf));
    civil_date cd;
    if (dateline) {
        cd = *dateline;
    } else if (N->stamp) {
        return N->stamp;
    } else {
        /* a date written in a caption ("... Aug. 31, 2021.") dates the story */
        size_t i;
        for (i = 0; i < N->n_captions; i++)
            if (date_find(N->captions[i], strlen(N->captions[i]), &cd, NULL, NULL))
                break;
        if (i == N->n_captions)
            return NULL;
    }
    date_format(cd, buf);
    return arena_strndup(N->a, buf, 10);
}

/* ---- language ------------------------------------------------------------------- */

/* Function words of the built-in model (the source of FWORD_TABLE below); mask bits
 * index LANG_CODES. Common words of several languages carry several bits. */
static const char *const LANG_CODES[] = {"en", "fr", "es", "de", "it", "pt"};
enum { L_EN = 1, L_FR = 2, L_ES = 4, L_DE = 8, L_IT = 16, L_PT = 32, N_LANGS = 6 };
static const struct fword {
    char w[8];
    unsigned mask;
} FUNCTION_WORDS[] = {
    {"and", L_EN}, {"auf", L_DE}, {"che", L_IT}, {"com", L_PT}, {"con", L_ES | L_IT}, {"da", L_PT},
    {"dans", L_FR}, {"das", L_DE}, {"del", L_ES | L_IT}, {"della", L_IT}, {"den", L_DE}, {"der", L_DE},
    {"des", L_FR}, {"di", L_IT}, {"die", L_DE}, {"do", L_PT}, {"du", L_FR}, {"el", L_ES}, {"em", L_PT},
    {"es", L_ES}, {"est", L_FR}, {"et", L_FR}, {"for", L_EN}, {"gli", L_IT}, {"il", L_IT}, {"in", L_EN},
    {"is", L_EN}, {"ist", L_DE}, {"las", L_ES}, {"le", L_FR}, {"les", L_FR}, {"los", L_ES}, {"mit", L_DE},
    {"nel", L_IT}, {"nicht", L_DE}, {"no", L_PT}, {"non", L_IT}, {"n\xc3\xa3o", L_PT}, {"o", L_PT},
    {"of", L_EN}, {"on", L_EN}, {"os", L_PT}, {"para", L_ES | L_PT}, {"pas", L_FR}, {"per", L_IT},
    {"por", L_ES}, {"pour", L_FR}, {"que", L_FR | L_ES | L_PT}, {"said", L_EN}, {"se", L_ES}, {"sich", L_DE},
    {"sono", L_IT}, {"sur", L_FR}, {"that", L_EN}, {"the", L_EN}, {"to", L_EN}, {"um", L_PT}, {"uma", L_PT},
    {"una", L_ES | L_IT}, {"und", L_DE}, {"une", L_FR}, {"von", L_DE}, {"was", L_EN}, {"with", L_EN},
    {"y", L_ES}, {"zu", L_DE},
};

/* The same words by their lexicon_word_hash (what the boilerplate scan computes for every word
 * anyway) in an open-addressing table: slot = top 7 bits of the hash, linear probing, hash 0 =
 * empty. Generated from FUNCTION_WORDS; a unit test (normalize_language_table_sorted) checks
 * that both agree. */
enum { FWORD_SLOTS = 128 };
static const struct fword_hash {
    uint64_t hash;
    unsigned mask;
} FWORD_TABLE[FWORD_SLOTS] = {
    [0] = {0x01f9ef41f70e27bfull, L_DE}, /* das */
    [2] = {0x053a68128d017de4ull, L_DE}, /* den */
    [4] = {0x08cd94343d790b7dull, L_ES}, /* se */
    [5] = {0x0a46735aedcc3889ull, L_PT}, /* o */
    [6] = {0x0c37167aea9d0264ull, L_ES}, /* es */
    [7] = {0x0f778f4b4c8aeb28ull, L_EN}, /* in */
    [9] = {0x1214daebd2af66eaull, L_FR}, /* les */
    [11] = {0x17ad420f2a0a4420ull, L_PT}, /* no */
    [12] = {0x1640b0763ded2871ull, L_ES}, /* por */
    [13] = {0x160ffdd2a16e44d7ull, L_EN}, /* with */
    [16] = {0x20b8b289f00dff99ull, L_FR}, /* une */
    [19] = {0x27b62ff0372f3e56ull, L_IT}, /* che */
    [21] = {0x2b7ebed58710b778ull, L_EN}, /* the */
    [26] = {0x342df4efb976fac0ull, L_ES}, /* las */
    [27] = {0x34232973aaf28cd7ull, L_DE}, /* sich */
    [32] = {0x416e1e162dc61752ull, L_EN}, /* and */
    [33] = {0x41a95b87ae2de9b6ull, L_ES | L_IT}, /* del */
    [34] = {0x426e810a934d2e18ull, L_EN}, /* to */
    [35] = {0x4763bafe0f4fde67ull, L_PT}, /* um */
    [37] = {0x4be682bc6aff9c6aull, L_IT}, /* il */
    [38] = {0x4d8f0d2ac84aa6cfull, L_ES | L_PT}, /* para */
    [39] = {0x4d47f7c64dfae391ull, L_FR}, /* pas */
    [40] = {0x50ebb73ec8338e64ull, L_PT}, /* com */
    [44] = {0x59116f7482855402ull, L_PT}, /* os */
    [47] = {0x5fbb6a8ffbf4422bull, L_FR}, /* et */
    [48] = {0x5eef33e5f78bb088ull, L_ES}, /* los */
    [49] = {0x638f1c23552b4488ull, L_IT}, /* della */
    [50] = {0x6183dd64daf36862ull, L_PT}, /* não */
    [51] = {0x67505fc5806bcbaeull, L_IT}, /* nel */
    [54] = {0x6dff9cc26427d393ull, L_ES}, /* el */
    [59] = {0x77bbc54cc6e2910aull, L_IT}, /* non */
    [63] = {0x7e184efb513e5a00ull, L_DE}, /* der */
    [64] = {0x7e6b024a3f76a93full, L_EN}, /* on */
    [70] = {0x8d86abe15da5206aull, L_DE}, /* nicht */
    [71] = {0x8e63f5a4aafd7334ull, L_IT}, /* di */
    [72] = {0x8f9cf9f92f5ee334ull, L_DE}, /* die */
    [73] = {0x8caf3479b4a37927ull, L_EN}, /* of */
    [74] = {0x94a2a106b1404ca0ull, L_FR}, /* dans */
    [75] = {0x9794ffaefdc37b60ull, L_IT}, /* gli */
    [76] = {0x99e4d9d568500cceull, L_EN}, /* that */
    [78] = {0x9ca827d03acfc32cull, L_PT}, /* da */
    [83] = {0xa7dacba7c648269dull, L_ES | L_IT}, /* una */
    [84] = {0xa9efcafed5eaecadull, L_DE}, /* von */
    [88] = {0xb0161008dbe9d436ull, L_IT}, /* sono */
    [89] = {0xb2b43d8745825767ull, L_ES | L_IT}, /* con */
    [90] = {0xb3d27bdd46d17635ull, L_EN}, /* said */
    [91] = {0xb14f1b7a3c6ab07full, L_ES}, /* y */
    [93] = {0xbabb6ebc210d080aull, L_FR}, /* sur */
    [95] = {0xbe65a68caa239f8full, L_EN}, /* for */
    [96] = {0xbef02c47829385e0ull, L_DE}, /* und */
    [100] = {0xc9c695b624dac7c0ull, L_DE}, /* mit */
    [101] = {0xcad2e9158ee09ec2ull, L_PT}, /* do */
    [102] = {0xc966577c9a329613ull, L_IT}, /* per */
    [103] = {0xcfc82301f2d1a1baull, L_PT}, /* em */
    [104] = {0xd153dab3ba074077ull, L_FR}, /* le */
    [111] = {0xdfe0d539ddb71849ull, L_FR}, /* des */
    [112] = {0xdf548524b9beb998ull, L_PT}, /* uma */
    [113] = {0xe01b79e3b35d9295ull, L_EN}, /* was */
    [114] = {0xe46ce9072919a043ull, L_FR}, /* est */
    [115] = {0xe6f0d59d82acd110ull, L_FR}, /* pour */
    [116] = {0xdf8cb540f27f831eull, L_DE}, /* zu */
    [117] = {0xea1dfc70e5f9e60dull, L_EN}, /* is */
    [124] = {0xf846b01d044b2c1full, L_DE}, /* auf */
    [125] = {0xf8fdaa55168dfdb8ull, L_FR}, /* du */
    [126] = {0xfd86ebd1f61db6f3ull, L_DE}, /* ist */
    [127] = {0xfae6352b534881baull, L_FR | L_ES | L_PT}, /* que */
};

/* The language mask of a word hash, 0 for words that are not function words. */
static unsigned fword_mask(uint64_t h)
{
    for (unsigned i = (unsigned)(h >> 57);; i = (i + 1) & (FWORD_SLOTS - 1)) {
        if (FWORD_TABLE[i].hash == h)
            return FWORD_TABLE[i].mask;
        if (!FWORD_TABLE[i].hash)
            return 0;
    }
}

/* Function-word counts per language over the first words of a text (up to
 * 400, fewer once one language clearly leads). */
typedef struct lang_count {
    size_t count[N_LANGS];
    size_t seen;
    bool done;
} lang_count;

static void lang_count_add(lang_count *lc, const uint64_t *wh, size_t n)
{
    for (size_t i = 0; i < n && !lc->done; i++) {
        unsigned mask = fword_mask(wh[i]);
        for (; mask; mask &= mask - 1) /* the languages of the word, lowest bit first */
            lc->count[__builtin_ctz(mask)]++;
        if (++lc->seen >= 400) {
            lc->done = true;
        } else if ((lc->seen & 15) == 0) { /* decisive evidence: stop reading */
            size_t top = 0, next = 0;
            for (int l = 0; l < N_LANGS; l++) {
                if (lc->count[l] > top) {
                    next = top;
                    top = lc->count[l];
                } else if (lc->count[l] > next) {
                    next = lc->count[l];
                }
            }
            lc->done = top >= 12 && top >= 4 * next;
        }
    }
}

/* Counts the function words of text s, hashing its words as the
 * boilerplate scan does. */
static void count_function_words(const char *s, size_t len, size_t count[N_LANGS])
{
    lang_count lc = {{0}, 0, false};
    arena *a = arena_new(len * 2 + 4096);
    if (a) {
        scan_out o;
        scan_words(NULL, a, s, len, &o);
        lang_count_add(&lc, o.hashes, o.n_hashes);
        arena_destroy(a);
    }
    memcpy(count, lc.count, sizeof lc.count);
}

/* The language the counts point to, or NULL: confident asks for more and
 * clearer evidence. */
static const char *language_verdict(const size_t count[N_LANGS], bool confident)
{
    int best = 0, second = -1;
    for (int l = 1; l < N_LANGS; l++) {
        if (count[l] > count[best]) {
            second = best;
            best = l;
        } else if (second < 0 || count[l] > count[second]) {
            second = l;
        }
    }
    if (count[best] < 3 || (second >= 0 && count[best] * 2 < count[second] * 3))
        return NULL;
    if (confident && (count[best] < 8 || (second >= 0 && count[best] < count[second] * 3)))
        return NULL;
    return LANG_CODES[best];
}

const char *normalize_detect_language(const char *s, size_t len, bool confident)
{
    size_t count[N_LANGS];
    count_function_words(s, len, count);
    return language_verdict(count, confident);
}

/* For the unit test: FUNCTION_WORDS is sorted, and FWORD_TABLE holds
 * exactly its words' hashes, each found by the probe, with the same masks. */
bool normalize_language_table_sorted(void)
{
    size_t n = sizeof FUNCTION_WORDS / sizeof *FUNCTION_WORDS, filled = 0;
    for (size_t i = 0; i < FWORD_SLOTS; i++)
        filled += FWORD_TABLE[i].hash != 0;
    if (filled != n || filled >= FWORD_SLOTS) /* a free slot ends every probe */
        return false;
    for (size_t i = 0; i < n; i++) {
        if (i && strcmp(FUNCTION_WORDS[i - 1].w, FUNCTION_WORDS[i].w) >= 0)
            return false;
        if (fword_mask(lexicon_word_hash(FUNCTION_WORDS[i].w, strlen(FUNCTION_WORDS[i].w))) != FUNCTION_WORDS[i].mask)
            return false;
    }
    return true;
}

#define LANGID_SAMPLE_BYTES 1024 /* enough for n-gram identification, bounded cost */

/* The article's language from counts already made: confident built-in
 * guess, else the plugged-in identifier on the first 1 KiB of s, else the
 * built-in guess. */
static const char *language_from_counts(const lexicons *lx, const size_t count[N_LANGS], const char *s, size_t len)
{
    const char *quick = language_verdict(count, true);
    if (quick || !lx->langid)
        return quick ? quick : language_verdict(count, false);
    size_t n = len < LANGID_SAMPLE_BYTES ? len : LANGID_SAMPLE_BYTES;
    while (n > 0 && n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--; /* do not cut a UTF-8 sequence */
    const char *lib = lx->langid(lx->langid_ctx, s, n);
    return lib ? lib : language_verdict(count, false);
}

const char *normalize_language(const lexicons *lx, const char *s, size_t len)
{
    size_t count[N_LANGS]; /* one reading serves both verdicts */
    count_function_words(s, len, count);
    return language_from_counts(lx, count, s, len);
}

/* ---- hashes and ids --------------------------------------------------------------- */

/* Simhash state. Each bit of every shingle hash is a vote; the votes are
 * counted per bit without 64 updates per shingle: groups of eight hashes
 * go through a carry-save adder tree (Harley-Seal) into vertical counters
 * ones/twos/fours, and each group's carry word (worth 8 per bit) is added
 * to byte lanes (8 bits per lane, flushed into `eights` before they
 * overflow). A partial group waits in buf. */
typedef struct simhash_state {
    uint64_t buf[8];
    size_t nbuf;
    uint64_t ones, twos, fours; /* vertical counters: bit b of each is one binary digit of bit b's count */
    uint64_t lanes[8];          /* byte j of lanes[k]: the groups' carries for bit 8j + k */
    uint32_t eights[64];        /* groups of eight votes per bit */
    uint64_t h[3];              /* the last three words */
    size_t nw, total, pending;
} simhash_state;

static void simhash_flush(simhash_state *st)
{
    for (int k = 0; k < 8; k++) {
        for (int j = 0; j < 8; j++)
            st->eights[8 * j + k] += (uint32_t)((st->lanes[k] >> (8 * j)) & 0xFF);
        st->lanes[k] = 0;
    }
    st->pending = 0;
}

/* A carry-save adder: the sum of a, b and c per bit is 2*high + low. */
static inline void csa(uint64_t *high, uint64_t *low, uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t u = a ^ b;
    *high = (a & b) | (u & c);
    *low = u ^ c;
}

/* Counts the votes of eight shingle hashes d. */
static void simhash_group(simhash_state *st, const uint64_t d[8])
{
    uint64_t ones = st->ones, twos = st->twos, fours = st->fours;
    uint64_t twos_a, twos_b, fours_a, fours_b, eights;
    csa(&twos_a, &ones, ones, d[0], d[1]);
    csa(&twos_b, &ones, ones, d[2], d[3]);
    csa(&fours_a, &twos, twos, twos_a, twos_b);
    csa(&twos_a, &ones, ones, d[4], d[5]);
    csa(&twos_b, &ones, ones, d[6], d[7]);
    csa(&fours_b, &twos, twos, twos_a, twos_b);
    csa(&eights, &fours, fours, fours_a, fours_b);
    st->ones = ones, st->twos = twos, st->fours = fours;
    for (int k = 0; k < 8; k++) /* bit 8j + k of eights into byte j of lanes[k] */
        st->lanes[k] += (eights >> k) & ONES;
    if (++st->pending == 255)
        simhash_flush(st);
}

static inline uint64_t shingle_hash(uint64_t h0, uint64_t h1, uint64_t h2)
{
    uint64_t x = h0 ^ ((h1 << 21) | (h1 >> 43)) ^ ((h2 << 42) | (h2 >> 22));
    x *= 0x9E3779B97F4A7C15ull;
    return x ^ (x >> 29);
}

/* Adds words (their hashes) in text order; shingles of 3 span paragraphs. */
static void simhash_add(simhash_state *st, const uint64_t *wh, size_t n)
{
    uint64_t h0 = st->h[0], h1 = st->h[1], h2 = st->h[2];
    size_t nbuf = st->nbuf, i = 0;
    for (; i < n && st->nw < 2; i++, st->nw++) { /* the first two words make no shingle yet */
        h0 = h1;
        h1 = h2;
        h2 = wh[i];
    }
    st->total += n - i;
    if (i < n)
        st->nw = 3; /* from here on, only that there were three words matters */
    for (; i < n; i++) {
        h0 = h1;
        h1 = h2;
        h2 = wh[i];
        st->buf[nbuf++] = shingle_hash(h0, h1, h2);
        if (nbuf == 8) {
            simhash_group(st, st->buf);
            nbuf = 0;
        }
    }
    st->h[0] = h0, st->h[1] = h1, st->h[2] = h2;
    st->nbuf = nbuf;
}

static uint64_t simhash_finish(simhash_state *st)
{
    if (st->nw > 0 && st->nw < 3) { /* fewer than three words: one short shingle */
        st->buf[st->nbuf++] = shingle_hash(st->h[0], st->h[1], st->h[2]);
        st->total++;
    }
    if (st->nbuf) { /* the partial group, padded with hashes that vote for no bit */
        memset(st->buf + st->nbuf, 0, (8 - st->nbuf) * sizeof *st->buf);
        simhash_group(st, st->buf);
    }
    simhash_flush(st);
    uint64_t out = 0;
    for (int bit = 0; bit < 64; bit++) {
        uint64_t votes = 8 * (uint64_t)st->eights[bit] + 4 * ((st->fours >> bit) & 1) + 2 * ((st->twos >> bit) & 1) +
                         ((st->ones >> bit) & 1);
        if (2 * votes > st->total)
            out |= (uint64_t)1 << bit;
    }
    return st->total ? out : 0;
}

unsigned long long normalize_simhash(const char *s, size_t len)
{
    arena *a = arena_new(len * 8 + 4096);
    if (!a)
        return 0;
    scan_out o;
    scan_words(NULL, a, s, len, &o);
    simhash_state st;
    memset(&st, 0, sizeof st);
    simhash_add(&st, o.hashes, o.n_hashes);
    arena_destroy(a);
    return simhash_finish(&st);
}

/* Canonical URL for hashing: no fragment, no query, no trailing slash,
 * lower-case scheme and host. */
static uint64_t url_hash(const char *url)
{
    char buf[2048];
    size_t n = 0, slashes = 0;
    for (const char *p = url; *p && *p != '#' && *p != '?' && n < sizeof buf - 1; p++) {
        char c = *p;
        if (c == '/')
            slashes++;
        if (slashes < 3 && c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        buf[n++] = c;
    }
    while (n && buf[n - 1] == '/')
        n--;
    return XXH64(buf, n, 0);
}

static const char *make_id(arena *a, const raw_doc *d, const char *key, size_t key_len, const char *url,
                           uint64_t content_hash)
{
    if (d->env_id && *d->env_id)
        return d->env_id;
    if (key && key_len && utf8_valid((const unsigned char *)key, key_len, NULL) && !memchr(key, 0, key_len))
        return arena_strndup(a, key, key_len);
    char buf[20]; /* "url-" or "txt-" and 16 lower-case hex digits */
    uint64_t h = url && *url ? url_hash(url) : content_hash;
    memcpy(buf, url && *url ? "url-" : "txt-", 4);
    for (int i = 19; i >= 4; i--, h >>= 4)
        buf[i] = "0123456789abcdef"[h & 15];
    return arena_strndup(a, buf, sizeof buf);
}

static size_t count_words(const char *s, size_t len)
{
    size_t n = 0;
    bool in = false;
    for (size_t i = 0; i < len; i++) {
        bool w = s[i] != ' ' && s[i] != '\n';
        if (w && !in)
            n++;
        in = w;
    }
    return n;
}

/* ---- driver -------------------------------------------------------------------------- */

static int collect_paragraphs(norm *N, const raw_doc *d, civil_date *dateline, bool *has_dateline)
{
    N->p = arena_alloc_raw(N->a, (d->n_blocks + 1) * sizeof *N->p); /* entries are written whole below */
    if (!N->p)
        return ingest_fail(N->err, INGEST_ERR_INTERNAL, "out of memory");
    *has_dateline = false;
    bool text_form = !strcmp(d->form, "text");
    for (size_t i = 0; i < d->n_blocks; i++) {
        size_t len, words;
        char *t = clean_paragraph(N->a, d->blocks[i].text, d->blocks[i].len, &len, &words);
        if (!t)
            return ingest_fail(N->err, INGEST_ERR_INTERNAL, "out of memory in Unicode normalization");
        /* "date 2021-08-16 Headline" may follow a cookie notice; a bare date prefix
         * only counts on the first line */
        bool dated_line = len > 5 && (t[0] | 0x20) == 'd' && !strncasecmp(t, "date", 4) && (t[4] == ' ' || t[4] == ':');
        if (text_form && !*has_dateline && (N->n == 0 || (dated_line && i < 40))) {
            size_t skip = dateline_prefix(t, len, dateline);
            if (skip) {
                *has_dateline = true;
                t += skip;
                len -= skip;
                words = count_words(t, len);
            }
        }
        if (!len)
            continue;
        N->p[N->n++] = (para){.text = t, .len = len, .words = words, .link_bytes = d->blocks[i].link_bytes,
                              .kind = d->blocks[i].kind, .level = d->blocks[i].level, .role = ROLE_UNDECIDED};
    }
    return 0;
}

static int assemble_body(norm *N, const pipeline_limits *lim)
{
    article *art = N->art;
    size_t total = 0, nb = 0;
    for (size_t i = 0; i < N->n; i++)
        if (!N->p[i].role) {
            total += N->p[i].len + 2;
            nb++;
        }
    if (nb == 0)
        return ingest_fail(N->err, INGEST_ERR_NO_TEXT, "no article text remains after removing %s",
                           N->n ? "boilerplate, captions and headline" : "empty lines");
    if (nb > lim->max_paragraphs)
        return ingest_fail(N->err, INGEST_ERR_TOO_LARGE, "%zu paragraphs (max_paragraphs %zu)", nb, lim->max_paragraphs);
    char *body = arena_alloc_raw(N->a, total + 1); /* both written whole below */
    art->paragraphs = arena_alloc_raw(N->a, nb * sizeof *art->paragraphs);
    if (!body || !art->paragraphs)
        return ingest_fail(N->err, INGEST_ERR_INTERNAL, "out of memory");
    size_t o = 0;
    for (size_t i = 0; i < N->n; i++) {
        if (N->p[i].role)
            continue;
        N->p[i].role = ROLE_BODY;
        art->word_count += N->p[i].words;
        if (o) {
            memcpy(body + o, "\n\n", 2);
            o += 2;
        }
        art->paragraphs[art->n_paragraphs++] = (span){o, o + N->p[i].len};
        memcpy(body + o, N->p[i].text, N->p[i].len);
        o += N->p[i].len;
    }
    body[o] = '\0';
    art->body = body;
    art->body_len = o;
    return 0;
}

int normalize_article(arena *a, const lexicons *lx, const pipeline_limits *lim, const raw_doc *d,
                      const char *key, size_t key_len, article *out, ingest_error *err)
{
    memset(out, 0, sizeof *out);
    memcpy(out->removed, d->removed, sizeof out->removed);
    norm N = {.a = a, .lx = lx, .art = out, .err = err};
    civil_date dateline;
    bool has_dateline = false;
    if (collect_paragraphs(&N, d, &dateline, &has_dateline) || find_duplicate_captions(&N) ||
        find_credits_and_popups(&N))
        return -1;
    bool title_from_text;
    size_t title_idx;
    /* boilerplate first: a cookie notice above the article must not become its headline */
    classify_boilerplate(&N);
    recover_title(&N, d, &title_from_text, &title_idx);
    drop_video_teasers(&N);
    if (find_captions_above_credits(&N))
        return -1;
    if (title_from_text)
        recover_subtitle(&N, title_idx);
    else
        recover_subtitle(&N, SIZE_MAX);
    if (assemble_body(&N, lim))
        return -1;
    out->captions = N.captions;
    out->n_captions = N.n_captions;
    out->credits = N.credits;
    out->n_credits = N.n_credits;
    out->form = d->form;
    out->url = d->env_url ? d->env_url : d->canonical_url;
    out->published_at = recover_date(&N, d, has_dateline ? &dateline : NULL);
    out->source_meta_json = d->source_meta_json;
    if (d->env_language && strlen(d->env_language) >= 2) {
        char lang[3] = {d->env_language[0], d->env_language[1], 0};
        lang[0] = (char)(lang[0] | 0x20);
        lang[1] = (char)(lang[1] | 0x20);
        out->language = arena_strndup(a, lang, 2);
    } else {
        /* the body's word hashes are there from the boilerplate scan: count on them */
        lang_count lc = {{0}, 0, false};
        for (size_t i = 0; i < N.n && !lc.done; i++)
            if (N.p[i].role == ROLE_BODY && N.p[i].wh)
                lang_count_add(&lc, N.p[i].wh, N.p[i].n_wh);
        const char *lang = language_from_counts(lx, lc.count, out->body, out->body_len);
        out->language = lang ? arena_strndup(a, lang, strlen(lang)) : NULL;
    }
    out->content_hash = XXH64(out->body, out->body_len, 0);
    simhash_state st;
    memset(&st, 0, sizeof st);
    for (size_t i = 0; i < N.n; i++) {
        if (N.p[i].role != ROLE_BODY)
            continue;
        if (!N.p[i].wh && N.p[i].len) { /* not scanned (classifier out of memory): scan now */
            scan_out o;
            scan_words(NULL, a, N.p[i].text, N.p[i].len, &o);
            N.p[i].wh = o.hashes;
            N.p[i].n_wh = o.n_hashes;
        }
        simhash_add(&st, N.p[i].wh, N.p[i].n_wh);
    }
    out->simhash = simhash_finish(&st);
    out->id = make_id(a, d, key, key_len, out->url, out->content_hash);
    if (!out->id || (out->language == NULL && 0))
        return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
    return 0;
}
