/* evtime.c - time expressions and their dates; see include/evtime.h and include/events.h. */
#include "evtime.h"

#include <string.h>
#include <strings.h>

#include "dates.h"
#include "events.h"

static bool anchor_date(const char *anchor, civil_date *base)
{
    char norm[48];
    if (!anchor || !date_normalize_rfc3339(anchor, strlen(anchor), norm, sizeof norm))
        return false;
    *base = (civil_date){(norm[0] - '0') * 1000 + (norm[1] - '0') * 100 + (norm[2] - '0') * 10 + (norm[3] - '0'),
                         (norm[5] - '0') * 10 + (norm[6] - '0'), (norm[8] - '0') * 10 + (norm[9] - '0')};
    return true;
}

static bool memchr_digit(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return true;
    return false;
}

/* "Aug. 31" without a year, at text[i] (a word of w bytes): the anchor's year. */
static bool month_day(const char *text, size_t len, size_t i, size_t w, civil_date base, civil_date *out)
{
    int m = date_month_from_name(text + i, w);
    if (!m)
        return false;
    size_t j = i + w;
    while (j < len && text[j] == ' ')
        j++;
    int day = 0;
    size_t dn = 0;
    while (j + dn < len && text[j + dn] >= '0' && text[j + dn] <= '9' && dn < 2)
        day = day * 10 + (text[j + dn++] - '0');
    *out = (civil_date){base.y, m, day};
    return dn && date_valid(*out);
}

/* events_resolve_time against a parsed anchor date. */
static bool resolve_from(const char *text, size_t len, civil_date base, bool forward, char out[11])
{
    civil_date d;
    /* every full date date_find knows has digits (a year at least): a weekday or "today" has none */
    if (memchr_digit(text, len) && date_find(text, len, &d, NULL, NULL)) {
        date_format(d, out);
        return true;
    }
    for (size_t i = 0; i < len; i++) {
        size_t w = 0;
        while (i + w < len && ((text[i + w] | 0x20) >= 'a' && (text[i + w] | 0x20) <= 'z'))
            w++;
        if (!w)
            continue;
        size_t wd_len = w;
        if (i + w < len && text[i + w] == '.')
            w++;
        if (month_day(text, len, i, w, base, &d)) {
            date_format(d, out);
            return true;
        }
        int wd = date_weekday_from_name(text + i, wd_len);
        if (wd >= 0) {
            /* a weekday is the last one (reported) or the next one (planned); the same day is today */
            int diff = wd - date_weekday(base);
            if (forward)
                diff = diff <= 0 ? diff + 7 : diff;
            else
                diff = diff > 0 ? diff - 7 : diff;
            date_format(date_add_days(base, diff), out);
            return true;
        }
        i += w - 1;
    }
    static const struct { const char *w; int days; } rel[] = {{"today", 0}, {"yesterday", -1}, {"tomorrow", 1}};
    for (size_t r = 0; r < sizeof rel / sizeof *rel; r++)
        if (len >= strlen(rel[r].w) && !strncasecmp(text, rel[r].w, strlen(rel[r].w))) {
            date_format(date_add_days(base, rel[r].days), out);
            return true;
        }
    return false;
}

bool events_resolve_time(const char *text, size_t len, const char *anchor, bool forward, char out[11])
{
    civil_date base;
    return anchor_date(anchor, &base) && resolve_from(text, len, base, forward, out);
}

bool ev_resolve_time(ev_ctx *C, const char *text, size_t len, bool forward, char out[11])
{
    if (C->anchor_state == 0) /* published_at parsed once per article */
        C->anchor_state = anchor_date(C->published_at, &C->anchor) ? 1 : -1;
    return C->anchor_state > 0 && resolve_from(text, len, C->anchor, forward, out);
}

/* The last token of a time expression starting at token k ("Monday",
 * "Aug. 31", "Aug. 31, 2021", "next week", "today"), or -1. */
static int32_t time_at(const ev_ctx *C, size_t k, size_t sent_last)
{
    const token *t = &C->tk->t[k];
    if (t->kind != TOK_WORD)
        return -1;
    unsigned cls = word_class(C, k);
    if (cls & WC_DAY_WORD)
        return (int32_t)k;
    if ((cls & WC_NEXT_LAST) && k + 1 <= sent_last && (word_class(C, k + 1) & WC_PERIOD))
        return (int32_t)k + 1;
    if (!(t->flags & TOKF_CAP)) /* weekday and month names are capitalised */
        return -1;
    const char *s = C->body + t->start;
    size_t n = t->end - t->start;
    /* the weekdays are 6 to 9 letters ending in "day" */
    if (n >= 6 && n <= 9 && (s[n - 1] | 0x20) == 'y' && (s[n - 2] | 0x20) == 'a' && (s[n - 3] | 0x20) == 'd' &&
        date_weekday_from_name(s, n) >= 0)
        return (int32_t)k;
    if (k + 1 <= sent_last && C->tk->t[k + 1].kind == TOK_NUM && date_month_from_name(s, n)) {
        if (k + 3 <= sent_last && is_punct(C, k + 2, ',') && C->tk->t[k + 3].kind == TOK_NUM)
            return (int32_t)k + 3;
        return (int32_t)k + 1;
    }
    return -1;
}

void ev_scan_times(ev_ctx *C, size_t sent_first, size_t sent_last)
{
    if (C->times_sent == (long)C->tk->t[sent_first].sent)
        return;
    C->times_sent = (long)C->tk->t[sent_first].sent;
    for (size_t k = sent_first; k <= sent_last; k++)
    {
        int32_t end = time_at(C, k, sent_last);
        C->time_len[k] = end < 0 ? NO_TIME : (uint8_t)(end - (int32_t)k);
    }
}

bool ev_find_time(const ev_ctx *C, size_t first, size_t last, size_t trig, size_t *ts, size_t *te)
{
    bool found = false;
    size_t best_dist = 0;
    for (size_t k = first; k <= last; k++) {
        if (C->time_len[k] == NO_TIME || k + C->time_len[k] > last)
            continue;
        size_t dist = k > trig ? k - trig : trig - k;
        if (!found || dist < best_dist) {
            found = true;
            best_dist = dist;
            *ts = k;
            *te = k + C->time_len[k];
        }
        k += C->time_len[k];
    }
    return found;
}
