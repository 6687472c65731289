/* jsonw.c - compact JSON writer; see include/jsonw.h. */
#include "jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JW_MIN_CAP 256u /* bytes */

void jw_init(jw *w, size_t hint)
{
    memset(w, 0, sizeof *w);
    w->cap = hint > JW_MIN_CAP ? hint : JW_MIN_CAP;
    w->buf = malloc(w->cap);
    w->failed = !w->buf;
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
    w->failed = true;
    return out;
}

/* Makes room for n more bytes and the final NUL; false after a failure. */
static bool reserve(jw *w, size_t n)
{
    if (w->failed)
        return false;
    if (w->cap - w->len > n)
        return true;
    size_t need = w->len + n + 1;
    if (need < w->len) { /* overflow */
        w->failed = true;
        return false;
    }
    size_t cap = w->cap * 2 > need ? w->cap * 2 : need;
    char *nb = realloc(w->buf, cap);
    if (!nb) {
        w->failed = true;
        return false;
    }
    w->buf = nb;
    w->cap = cap;
    return true;
}

static void put(jw *w, const char *s, size_t n)
{
    if (reserve(w, n)) {
        memcpy(w->buf + w->len, s, n);
        w->len += n;
    }
}

static void putc1(jw *w, char c)
{
    if (reserve(w, 1))
        w->buf[w->len++] = c;
}

void jw_raw(jw *w, const char *s, size_t n) { put(w, s, n); }

static void open_level(jw *w, char c)
{
    putc1(w, c);
    if (w->depth + 1 >= JW_MAX_DEPTH) {
        w->failed = true;
        return;
    }
    w->first[++w->depth] = true;
}

static void close_level(jw *w, char c)
{
    putc1(w, c);
    if (w->depth > 0)
        w->depth--;
}

void jw_obj_begin(jw *w) { open_level(w, '{'); }
void jw_obj_end(jw *w) { close_level(w, '}'); }
void jw_arr_begin(jw *w) { open_level(w, '['); }
void jw_arr_end(jw *w) { close_level(w, ']'); }

void jw_elem(jw *w)
{
    if (!w->first[w->depth])
        putc1(w, ',');
    w->first[w->depth] = false;
}

void jw_keyn(jw *w, const char *name, size_t n)
{
    jw_elem(w);
    if (reserve(w, n + 3)) {
        w->buf[w->len++] = '"';
        memcpy(w->buf + w->len, name, n);
        w->len += n;
        w->buf[w->len++] = '"';
        w->buf[w->len++] = ':';
    }
}

/* Bytes that must be escaped: control characters, the quote and the backslash. */
static inline bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

void jw_str(jw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    /* one reservation for the common case (nothing to escape); escapes reserve more as they come */
    if (!reserve(w, n + 2))
        return;
    w->buf[w->len++] = '"';
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && !needs_escape((unsigned char)s[run]))
            run++;
        put(w, s + i, run - i);
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
        put(w, esc, el);
        i = run + 1;
    }
    putc1(w, '"');
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
    put(w, p, (size_t)(b + sizeof b - p));
}

void jw_real(jw *w, double v)
{
    char b[40];
    if (!isfinite(v))
        v = 0.0;
    int n = snprintf(b, sizeof b, "%.17g", v);
    if (n < 0 || (size_t)n >= sizeof b - 3) {
        w->failed = true;
        return;
    }
    size_t len = (size_t)n;
    if (!memchr(b, '.', len) && !memchr(b, 'e', len)) {
        b[len++] = '.';
        b[len++] = '0';
    }
    char *e = memchr(b, 'e', len);
    if (e) { /* "1e+20" -> "1e20", "1e-05" -> "1e-5" */
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
    put(w, b, len);
}

void jw_bool(jw *w, bool v) { put(w, v ? "true" : "false", v ? 4 : 5); }

void jw_null(jw *w) { put(w, "null", 4); }
