/* replay_bounds.c - see include/replay_bounds.h. */
#include "replay_bounds.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BOUND_LEN 1000000 /* a per-partition list for RB_MAX_PARTITIONS fits */

/* Reads an unsigned decimal at *p (at least one digit) not above max;
 * advances *p. Returns 0, or -1 on no digits or overflow. */
static int read_uint(const char **p, int64_t max, int64_t *out)
{
    const char *s = *p;
    int64_t v = 0;
    if (!isdigit((unsigned char)*s))
        return -1;
    while (isdigit((unsigned char)*s)) {
        int d = *s++ - '0';
        if (v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *p = s;
    *out = v;
    return 0;
}

/* Exactly n digits at *p; advances *p. */
static int read_fixed(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

/* RFC 3339 date-time, or a bare date (midnight UTC). */
static int parse_time(const char *s, int64_t *ms, char *err, size_t errlen)
{
    const char *p = s;
    int y, mo, d, h = 0, mi = 0, se = 0, frac_ms = 0;
    int64_t offset_min = 0;
    if (read_fixed(&p, 4, &y) || *p++ != '-' || read_fixed(&p, 2, &mo) || *p++ != '-' || read_fixed(&p, 2, &d))
        goto bad;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) {
        snprintf(err, errlen, "no such date in '%s'", s);
        return -1;
    }
    if (*p) {
        if (*p != 'T' && *p != 't' && *p != ' ')
            goto bad;
        p++;
        if (read_fixed(&p, 2, &h) || *p++ != ':' || read_fixed(&p, 2, &mi) || *p++ != ':' || read_fixed(&p, 2, &se))
            goto bad;
        if (h > 23 || mi > 59 || se > 60) {
            snprintf(err, errlen, "no such time of day in '%s'", s);
            return -1;
        }
        if (*p == '.') {
            p++;
            if (!isdigit((unsigned char)*p))
                goto bad;
            for (int i = 0; isdigit((unsigned char)*p); i++, p++)
                if (i < 3)
                    frac_ms += (*p - '0') * (i == 0 ? 100 : i == 1 ? 10 : 1);
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1, oh, om;
            if (read_fixed(&p, 2, &oh) || *p++ != ':' || read_fixed(&p, 2, &om) || oh > 23 || om > 59)
                goto bad;
            offset_min = sign * (oh * 60 + om);
        } else {
            snprintf(err, errlen, "time '%s' needs a zone (Z or +hh:mm)", s);
            return -1;
        }
        if (*p)
            goto bad;
    }
    int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset_min * 60;
    if (secs < 0) {
        snprintf(err, errlen, "time '%s' is before 1970", s);
        return -1;
    }
    *ms = secs * 1000 + frac_ms;
    return 0;
bad:
    snprintf(err, errlen, "'%s' is not an RFC 3339 time (e.g. 2024-05-01T12:00:00Z)", s);
    return -1;
}

/* -<n><unit>: n units before now. */
static int parse_relative(const char *s, int64_t now_ms, int64_t *ms, char *err, size_t errlen)
{
    const char *p = s + 1;
    int64_t n, unit;
    if (read_uint(&p, INT64_MAX, &n) || !p[0] || p[1])
        goto bad;
    switch (*p) {
    case 's': unit = 1000; break;
    case 'm': unit = 60 * 1000; break;
    case 'h': unit = 3600 * 1000; break;
    case 'd': unit = 86400 * 1000; break;
    case 'w': unit = 7 * 86400 * 1000LL; break;
    default: goto bad;
    }
    if (n > now_ms / unit) {
        snprintf(err, errlen, "'%s' reaches before 1970", s);
        return -1;
    }
    *ms = now_ms - n * unit;
    return 0;
bad:
    snprintf(err, errlen, "'%s' is not a relative time (e.g. -30m, -2h, -7d, -1w)", s);
    return -1;
}

static int cmp_part(const void *a, const void *b)
{
    const rb_part_offset *x = a, *y = b;
    return (x->partition > y->partition) - (x->partition < y->partition);
}

/* "p:off,p:off": partitions distinct, offsets >= 0. */
static int parse_per_partition(const char *s, replay_bound *b, char *err, size_t errlen)
{
    size_t cap = 1;
    for (const char *q = s; *q; q++)
        cap += *q == ',';
    if (cap > RB_MAX_PARTITIONS) {
        snprintf(err, errlen, "more than %d partitions named", RB_MAX_PARTITIONS);
        return -1;
    }
    b->parts = calloc(cap, sizeof *b->parts);
    if (!b->parts) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    const char *p = s;
    for (;;) {
        int64_t part, off;
        if (read_uint(&p, INT32_MAX, &part) || *p++ != ':' || read_uint(&p, INT64_MAX, &off) || (*p && *p != ',')) {
            snprintf(err, errlen, "'%s' is not a list of partition:offset (e.g. 0:1200,2:1300)", s);
            goto fail;
        }
        b->parts[b->n_parts++] = (rb_part_offset){(int32_t)part, off};
        if (!*p)
            break;
        p++;
    }
    /* duplicates are a typo, never meant: refuse them */
    rb_part_offset *sorted = malloc(b->n_parts * sizeof *sorted);
    if (!sorted) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    memcpy(sorted, b->parts, b->n_parts * sizeof *sorted);
    qsort(sorted, b->n_parts, sizeof *sorted, cmp_part);
    for (size_t i = 1; i < b->n_parts; i++)
        if (sorted[i].partition == sorted[i - 1].partition) {
            snprintf(err, errlen, "partition %d named twice in '%s'", (int)sorted[i].partition, s);
            free(sorted);
            goto fail;
        }
    free(sorted);
    b->kind = RB_PER_PARTITION;
    return 0;
fail:
    free(b->parts);
    b->parts = NULL;
    b->n_parts = 0;
    return -1;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* YYYY-MM... : the start of an RFC 3339 date. */
static bool looks_like_date(const char *s)
{
    return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
           isdigit((unsigned char)s[3]) && s[4] == '-';
}

int replay_bound_parse(const char *text, int64_t now_ms, replay_bound *b, char *err, size_t errlen)
{
    memset(b, 0, sizeof *b);
    if (!text || !*text) {
        snprintf(err, errlen, "empty (use beginning, end, an offset, p:offset,... or a time)");
        return -1;
    }
    if (strlen(text) > MAX_BOUND_LEN) {
        snprintf(err, errlen, "longer than %d bytes", MAX_BOUND_LEN);
        return -1;
    }
    if (!strcmp(text, "beginning")) {
        b->kind = RB_BEGINNING;
        return 0;
    }
    if (!strcmp(text, "end")) {
        b->kind = RB_END;
        return 0;
    }
    if (all_digits(text)) {
        const char *p = text;
        if (read_uint(&p, INT64_MAX, &b->offset)) {
            snprintf(err, errlen, "offset '%s' is too large", text);
            return -1;
        }
        b->kind = RB_OFFSET;
        return 0;
    }
    if (text[0] == '-') {
        b->kind = RB_TIME;
        return parse_relative(text, now_ms, &b->time_ms, err, errlen);
    }
    if (looks_like_date(text)) {
        b->kind = RB_TIME;
        return parse_time(text, &b->time_ms, err, errlen);
    }
    if (isdigit((unsigned char)text[0]) && strchr(text, ':'))
        return parse_per_partition(text, b, err, errlen);
    snprintf(err, errlen, "'%s' is not beginning, end, an offset, p:offset,... or a time (RFC 3339 or -2h)", text);
    return -1;
}

void replay_bound_free(replay_bound *b)
{
    if (!b)
        return;
    free(b->parts);
    b->parts = NULL;
    b->n_parts = 0;
}

int64_t replay_bound_offset_for(const replay_bound *b, int32_t partition)
{
    for (size_t i = 0; i < b->n_parts; i++)
        if (b->parts[i].partition == partition)
            return b->parts[i].offset;
    return -1;
}

int replay_partitions_parse(const char *text, int32_t **out, size_t *n, char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    /* reuse the p:offset parser: "0,2" is read as "0:0,2:0" */
    size_t len = strlen(text);
    if (!len || len > MAX_BOUND_LEN / 2) {
        snprintf(err, errlen, "'%s' is not a list of partitions (e.g. 0,2)", text);
        return -1;
    }
    char *buf = malloc(len * 3 + 3);
    if (!buf) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t o = 0;
    for (const char *p = text; *p; p++) {
        if (*p == ':' || (!isdigit((unsigned char)*p) && *p != ',')) {
            free(buf);
            snprintf(err, errlen, "'%s' is not a list of partitions (e.g. 0,2)", text);
            return -1;
        }
        if (*p == ',') {
            buf[o++] = ':', buf[o++] = '0';
        }
        buf[o++] = *p;
    }
    buf[o++] = ':', buf[o++] = '0', buf[o] = '\0';
    replay_bound b = {0};
    char inner[256];
    int rc = parse_per_partition(buf, &b, inner, sizeof inner);
    free(buf);
    if (rc) {
        if (strstr(inner, "named twice") || strstr(inner, "more than") || strstr(inner, "memory")) {
            /* "partition N named twice in '0:0,...'": name the user's text instead */
            char *in = strstr(inner, " in '");
            if (in)
                *in = '\0';
            snprintf(err, errlen, "%s", inner);
        } else {
            snprintf(err, errlen, "'%s' is not a list of partitions (e.g. 0,2)", text);
        }
        return -1;
    }
    int32_t *ps = malloc(b.n_parts * sizeof *ps);
    if (!ps) {
        replay_bound_free(&b);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < b.n_parts; i++)
        ps[i] = b.parts[i].partition;
    *out = ps;
    *n = b.n_parts;
    replay_bound_free(&b);
    return 0;
}

int replay_rate_parse(const char *text, long *per_sec, char *err, size_t errlen)
{
    *per_sec = 0;
    if (!*text)
        return 0;
    const char *p = text;
    int64_t v;
    if (read_uint(&p, 1000000000, &v) || v == 0 || (*p && strcmp(p, "/s"))) {
        snprintf(err, errlen, "'%s' is not a rate in messages per second (e.g. 500/s, at most 1000000000)", text);
        return -1;
    }
    *per_sec = (long)v;
    return 0;
}
