/* jsonw.h - a compact JSON writer into one growing malloc'd buffer (the record serializers).
 *
 * Building a jansson tree first copied every string into its own allocation, hashed every key,
 * and then dumped the tree byte by byte into another buffer: most of the worker's CPU time went
 * there (see tests/bench/RESULTS.md). This writer appends straight to one buffer. Its output is
 * byte for byte what json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER) gives for the same values:
 * strings escaped as jansson does (\" \\ \b \f \n \r \t, other control characters as \u00XX with
 * upper-case hex, everything else as is), reals as "%.17g" with ".0" added when it has neither '.'
 * nor an exponent and the exponent without '+' or leading zeros.
 *
 * Failures (out of memory) are sticky: every call after one is a no-op, and jw_finish returns NULL.
 * Commas are placed by jw_key and jw_elem, so a value call never writes one. The calls made for
 * every member are inline (below), since serialization is a large share of the worker's time.
 */
#ifndef INGEST_JSONW_H
#define INGEST_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define JW_MAX_DEPTH 32

typedef struct jw {
    char *buf; /* malloc'd; handed to the caller by jw_finish */
    size_t len, cap;
    bool failed;
    int depth;
    bool first[JW_MAX_DEPTH]; /* no element written yet at this depth */
} jw;

/* Starts an empty buffer with room for about hint bytes. */
void jw_init(jw *w, size_t hint);
/* The NUL-terminated text (caller frees with free()) and its length, or NULL after a failure
 * (the buffer is then freed). Either way w is empty afterwards. */
char *jw_finish(jw *w, size_t *len);

void jw_obj_begin(jw *w);
void jw_obj_end(jw *w);
void jw_arr_begin(jw *w);
void jw_arr_end(jw *w);

void jw_str(jw *w, const char *s, size_t n); /* s must be valid UTF-8; NUL bytes become \u0000 */
void jw_cstr(jw *w, const char *s);          /* NUL-terminated; NULL writes null */
void jw_int(jw *w, int64_t v);
void jw_real(jw *w, double v); /* a non-finite value (which jansson refuses) writes 0.0 */
void jw_bool(jw *w, bool v);
void jw_null(jw *w);

/* ---- inline: the calls made for every member ------------------------------------------------ */

/* Grows the buffer for n more bytes and the final NUL; false after a failure (out of line). */
bool jw__grow(jw *w, size_t n);

static inline bool jw__reserve(jw *w, size_t n)
{
    return w->cap - w->len > n || jw__grow(w, n); /* a failed writer has cap == len == 0 */
}

/* Appends text that is already JSON (e.g. a value serialized earlier). */
static inline void jw_raw(jw *w, const char *s, size_t n)
{
    if (jw__reserve(w, n)) {
        memcpy(w->buf + w->len, s, n);
        w->len += n;
    }
}

/* Before each array element: a comma unless it is the first. */
static inline void jw_elem(jw *w)
{
    if (!w->first[w->depth])
        jw_raw(w, ",", 1);
    w->first[w->depth] = false;
}

/* Writes `"name":` inside an object (a comma first unless it is the first member). name is
 * written as is: it must need no escaping (the contract's field names). */
static inline void jw_keyn(jw *w, const char *quoted, size_t n)
{
    jw_elem(w);
    jw_raw(w, quoted, n);
}
#define jw_key(w, name) jw_keyn((w), "\"" name "\":", sizeof("\"" name "\":") - 1) /* name: a literal */
/* The same for a name known only at run time (it must need no escaping either). */
void jw_key_str(jw *w, const char *name);

#endif
