/* jsonw.c - compact JSON writer; see include/jsonw.h. */
#include "jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JW_MIN_CAP 256u /* bytes */

/* Marks w failed; cap == len == 0 makes every inline reservation take the slow path. */
static void fail(jw *w)
{
    w->failed = true;
    w->cap = w->len = 0;
}

void jw_init(jw *w, size_t hint)
{
    memset(w, 0, sizeof *w);
    w->cap = hint > JW_MIN_CAP ? hint : JW_MIN_CAP;
    w->buf = malloc(w->cap);
    if (!w->buf)
        fail(w);
    w->first[0] = true;
}

char *jw_finish(jw *w, size_t *len)
{
    char *out = NULL;
    if (!w->failed && w->len < w->cap) {
        w->buf[w->len] = '\0';
        out = w->buf;
        if (len)
            *len = w->len;
    } else {
        free(w->buf);
    }
    memset(w, 0, sizeof *w);
    fail(w);
    return out;
}

bool jw__grow(jw *w, size_t n)
{
    if (w->failed)
        return false;
    size_t need = w->len + n + 1;
    if (need < w->len) { /* overflow */
        fail(w);
        return false;
    }
    size_t cap = w->cap * 2 > need ? w->cap * 2 : need;
    char *nb = realloc(w->buf, cap);
    if (!nb) {
        fail(w);
        return false;
    }
    w->buf = nb;
    w->cap = cap;
    return true;
}

static void open_level(jw *w, char c)
{
    jw_raw(w, &c, 1);
    if (w->depth + 1 >= JW_MAX_DEPTH) {
        fail(w);
        return;
    }
    w->first[++w->depth] = true;
}

static void close_level(jw *w, char c)
{
    jw_raw(w, &c, 1);
    if (w->depth > 0)
        w->depth--;
}

void jw_obj_begin(jw *w) { open_level(w, '{'); }
void jw_obj_end(jw *w) { close_level(w, '}'); }
void jw_arr_begin(jw *w) { open_level(w, '['); }
void jw_arr_end(jw *w) { close_level(w, ']'); }

void jw_key_str(jw *w, const char *name)
{
    jw_elem(w);
    jw_raw(w, "\"", 1);
    jw_raw(w, name, strlen(name));
    jw_raw(w, "\":", 2);
}

/* Bytes that must be escaped: control characters, the quote and the backslash. */
static inline bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Whether any of the 8 bytes of x needs escaping (SWAR: a byte below 0x20, or equal to '"' or
 * '\\'; the usual "has zero byte" test on x - 0x20.., x ^ '"'.. and x ^ '\\'..). */
static inline bool word_needs_escape(uint64_t x)
{
    uint64_t lt = (x - ONES * 0x20) & ~x;
    uint64_t q = x ^ (ONES * '"'), b = x ^ (ONES * '\\');
    uint64_t eq = ((q - ONES) & ~q) | ((b - ONES) & ~b);
    return ((lt | eq) & HIGHS) != 0;
}

/* Length of the prefix of s[0..n) that needs no escaping. */
static size_t plain_run(const char *s, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        if (word_needs_escape(x))
            break;
    }
    while (i < n && !needs_escape((unsigned char)s[i]))
        i++;
    return i;
}

void jw_str(jw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    /* one reservation for the common case (nothing to escape); escapes reserve more as they come */
    if (!jw__reserve(w, n + 2))
        return;
    w->buf[w->len++] = '"';
    size_t i = 0;
    while (i < n) {
        size_t run = i + plain_run(s + i, n - i);
        jw_raw(w, s + i, run - i);
        if (run == n)
            break;
        unsigned char c = (unsigned char)s[run];
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t el = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u', esc[2] = '0', esc[3] = '0', esc[4] = hex[c >> 4], esc[5] = hex[c & 15];
            el = 6;
        }
        jw_raw(w, esc, el);
        i = run + 1;
    }
    jw_raw(w, "\"", 1);
}

void jw_cstr(jw *w, const char *s)
{
    if (s)
        jw_str(w, s, strlen(s));
    else
        jw_null(w);
}

void jw_int(jw *w, int64_t v)
{
    char b[24], *p = b + sizeof b; /* digits from the right; as "%lld" would print them */
    uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    jw_raw(w, p, (size_t)(b + sizeof b - p));
}

/* "%.17g" of v for 1e-4 <= v <= 1 (salience and confidence live there), exactly as printf prints
 * it, without printf's multi-precision path: v = m * 2^e exactly, so its 17 significant digits are
 * m * 10^p / 2^-e rounded to nearest (ties to even), which 128-bit integers hold. Returns the
 * length written into out, or 0 when v is outside that range (the caller uses snprintf). */
static size_t real17_unit(double v, char *out)
{
    if (!(v >= 1e-4 && v <= 1.0))
        return 0;
    int e2;
    double f = frexp(v, &e2);                         /* v = f * 2^e2, 0.5 <= f < 1 */
    unsigned __int128 m = (unsigned __int128)(uint64_t)ldexp(f, 53); /* exact: 53-bit mantissa */
    int shift = 53 - e2;                              /* v = m / 2^shift, shift in [52, 66] */
    static const unsigned long long p10[] = {1ull, 10ull, 100ull, 1000ull, 10000ull};
    int x = v >= 1.0 ? 0 : v >= 0.1 ? -1 : v >= 0.01 ? -2 : v >= 0.001 ? -3 : -4; /* floor(log10 v) */
    unsigned __int128 d16 = (unsigned __int128)10000000000000000ull; /* 10^16 */
    for (;;) {
        int p = 16 - x; /* digits = round(v * 10^p), 16..20 */
        unsigned __int128 scaled = m * d16 * p10[p - 16];
        unsigned __int128 q = scaled >> shift, rem = scaled - (q << shift);
        unsigned __int128 half = (unsigned __int128)1 << (shift - 1);
        if (rem > half || (rem == half && (q & 1)))
            q++;
        if (q >= d16 * 10 || q < d16) { /* rounded up to the next power of ten, or x was off by one */
            x += q >= d16 * 10 ? 1 : -1;
            if (x > 0 || x < -4)
                return 0;
            continue;
        }
        /* q has 17 digits: d0.d1...d16 x 10^x; %g prints it in fixed notation (x >= -4), trailing zeros cut */
        char dig[17];
        uint64_t q64 = (uint64_t)q; /* < 10^17: 64-bit division from here */
        for (int k = 16; k >= 0; k--) {
            dig[k] = (char)('0' + (int)(q64 % 10));
            q64 /= 10;
        }
        int nd = 17;
        while (nd > 1 && dig[nd - 1] == '0')
            nd--;
        size_t len = 0;
        if (x == 0) {
            out[len++] = dig[0];
            if (nd > 1) {
                out[len++] = '.';
                memcpy(out + len, dig + 1, (size_t)nd - 1);
                len += (size_t)nd - 1;
            }
        } else {
            out[len++] = '0';
            out[len++] = '.';
            for (int z = 0; z < -x - 1; z++)
                out[len++] = '0';
            memcpy(out + len, dig, (size_t)nd);
            len += (size_t)nd;
        }
        return len;
    }
}

void jw_real(jw *w, double v)
{
    char b[40];
    if (!isfinite(v))
        v = 0.0;
    size_t len = v == 0.0 && !signbit(v) ? (b[0] = '0', 1) : real17_unit(v, b);
    if (!len) {
        int n = snprintf(b, sizeof b, "%.17g", v);
        if (n < 0 || (size_t)n >= sizeof b - 3) {
            fail(w);
            return;
        }
        len = (size_t)n;
    }
    /* jansson's finishing touches: a real always shows a '.' or an exponent, and the exponent has
     * no '+' and no leading zeros ("1e+20" -> "1e20", "1e-05" -> "1e-5") */
    if (!memchr(b, '.', len) && !memchr(b, 'e', len)) {
        b[len++] = '.';
        b[len++] = '0';
    }
    char *e = memchr(b, 'e', len);
    if (e) {
        char *start = e + 1, *end = e + 2;
        if (*start == '-')
            start++;
        else if (*start == '+')
            end = start + 1;
        while (end < b + len && *end == '0' && end + 1 < b + len)
            end++;
        if (end != start) {
            memmove(start, end, (size_t)(b + len - end));
            len -= (size_t)(end - start);
        }
    }
    jw_raw(w, b, len);
}

void jw_bool(jw *w, bool v) { jw_raw(w, v ? "true" : "false", v ? 4 : 5); }

void jw_null(jw *w) { jw_raw(w, "null", 4); }
