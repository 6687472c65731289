/* dates.c - see include/dates.h. Days-from-civil arithmetic (proleptic Gregorian). */
#include "dates.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const MONTHS[12] = {"january", "february", "march",     "april",   "may",      "june",
                                       "july",    "august",   "september", "october", "november", "december"};
static const char *const WEEKDAYS[7] = {"monday", "tuesday", "wednesday", "thursday",
                                        "friday", "saturday", "sunday"};

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

bool date_valid(civil_date d)
{
    return d.y >= 1900 && d.y <= 2200 && d.m >= 1 && d.m <= 12 && d.d >= 1 && d.d <= days_in_month(d.y, d.m);
}

static long days_from_civil(civil_date c)
{
    int y = c.y - (c.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (c.m + (c.m > 2 ? -3 : 9)) + 2) / 5 + c.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static civil_date civil_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    return (civil_date){(int)(y + (m <= 2)), m, d};
}

int date_weekday(civil_date d)
{
    long z = days_from_civil(d); /* 1970-01-01 was a Thursday (3) */
    return (int)(((z % 7) + 7 + 3) % 7);
}

civil_date date_add_days(civil_date d, int days) { return civil_from_days(days_from_civil(d) + days); }

void date_format(civil_date d, char out[11])
{
    unsigned y = (unsigned)d.y % 10000u, m = (unsigned)d.m % 100u, day = (unsigned)d.d % 100u;
    out[0] = (char)('0' + y / 1000), out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10), out[3] = (char)('0' + y % 10), out[4] = '-';
    out[5] = (char)('0' + m / 10), out[6] = (char)('0' + m % 10), out[7] = '-';
    out[8] = (char)('0' + day / 10), out[9] = (char)('0' + day % 10), out[10] = '\0';
}

/* Lower-cases the ASCII letters of s[0..len) into out (as strncasecmp compares). */
static void ascii_lower(const char *s, size_t len, char *out)
{
    for (size_t i = 0; i < len; i++)
        out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
}

/* True when c (either case) is the first letter of a month name. */
static bool month_initial(char c)
{
    switch (c | 0x20) {
    case 'j': case 'f': case 'm': case 'a': case 's': case 'o': case 'n': case 'd':
        return true;
    default:
        return false;
    }
}

int date_month_from_name(const char *s, size_t len)
{
    static const unsigned char lens[12] = {7, 8, 5, 5, 3, 4, 4, 6, 9, 7, 8, 8};
    if (len && s[len - 1] == '.')
        len--;
    if (len < 3 || len > 9) /* no month name is shorter or longer */
        return 0;
    if (!month_initial(s[0]))
        return 0;
    char w[9];
    ascii_lower(s, len, w);
    for (int m = 0; m < 12; m++) {
        /* the whole name, or an abbreviation: "Aug", "Sept" */
        if ((len == lens[m] || (len < lens[m] && len <= 4)) && w[0] == MONTHS[m][0] && !memcmp(w, MONTHS[m], len))
            return m + 1;
    }
    return 0;
}

int date_weekday_from_name(const char *s, size_t len)
{
    static const unsigned char lens[7] = {6, 7, 9, 8, 6, 8, 6};
    if (len < 6 || len > 9)
        return -1;
    char w[9];
    ascii_lower(s, len, w);
    for (int d = 0; d < 7; d++)
        if (len == lens[d] && w[0] == WEEKDAYS[d][0] && !memcmp(w, WEEKDAYS[d], len))
            return d;
    return -1;
}

bool date_normalize_rfc3339(const char *s, size_t len, char *out, size_t cap)
{
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\n'))
        len--;
    while (len && *s == ' ') {
        s++;
        len--;
    }
    if (len < 10 || cap < 40 || s[4] != '-' || s[7] != '-')
        return false;
    civil_date d = {num(s, 4), num(s + 5, 2), num(s + 8, 2)};
    if (!date_valid(d))
        return false;
    if (len == 10) {
        date_format(d, out);
        return true;
    }
    if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || len < 19 || s[13] != ':' || s[16] != ':')
        return false;
    int hh = num(s + 11, 2), mi = num(s + 14, 2), ss = num(s + 17, 2);
    if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 60)
        return false;
    size_t i = 19, frac_start = 0, frac_len = 0;
    if (i < len && s[i] == '.') {
        frac_start = ++i;
        while (i < len && is_digit(s[i]))
            i++;
        frac_len = i - frac_start;
        if (frac_len == 0 || frac_len > 9)
            return false;
    }
    char zone[8];
    if (i < len && (s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
        strcpy(zone, "Z");
    } else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':' && num(s + i + 1, 2) >= 0 &&
               num(s + i + 1, 2) <= 23 && num(s + i + 4, 2) >= 0 && num(s + i + 4, 2) <= 59) {
        memcpy(zone, s + i, 6);
        zone[6] = '\0';
    } else {
        return false; /* a date-time without offset is not RFC 3339 */
    }
    char day[11];
    date_format(d, day);
    snprintf(out, cap, "%sT%02d:%02d:%02d%s%.*s%s", day, hh, mi, ss, frac_len ? "." : "", (int)frac_len,
             frac_len ? s + frac_start : "", zone);
    return true;
}

/* Reads a word of letters (and a trailing dot) at s[i]; returns its length. */
static size_t word_at(const char *s, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z')))
        j++;
    if (j > i && j < len && s[j] == '.')
        j++;
    return j - i;
}

static size_t digits_at(const char *s, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && is_digit(s[j]))
        j++;
    return j - i;
}

static bool boundary_before(const char *s, size_t i)
{
    return i == 0 || !((s[i - 1] >= 'a' && s[i - 1] <= 'z') || (s[i - 1] >= 'A' && s[i - 1] <= 'Z') ||
                       is_digit(s[i - 1]));
}

bool date_find(const char *s, size_t len, civil_date *out, size_t *start, size_t *end)
{
    for (size_t i = 0; i < len; i++) {
        if (!boundary_before(s, i))
            continue;
        /* ISO: 2021-08-31 */
        if (digits_at(s, len, i) == 4 && i + 10 <= len && s[i + 4] == '-' && s[i + 7] == '-' &&
            digits_at(s, len, i + 5) == 2 && digits_at(s, len, i + 8) == 2) {
            civil_date d = {num(s + i, 4), num(s + i + 5, 2), num(s + i + 8, 2)};
            if (date_valid(d)) {
                *out = d;
                if (start) *start = i;
                if (end) *end = i + 10;
                return true;
            }
        }
        size_t w = word_at(s, len, i);
        int m = w ? date_month_from_name(s + i, w) : 0;
        if (m) {
            /* Month D, YYYY */
            size_t j = i + w;
            while (j < len && s[j] == ' ')
                j++;
            size_t dn = digits_at(s, len, j);
            if (dn >= 1 && dn <= 2) {
                int day = num(s + j, dn);
                size_t k = j + dn;
                if (k < len && s[k] == ',')
                    k++;
                while (k < len && s[k] == ' ')
                    k++;
                if (digits_at(s, len, k) == 4) {
                    civil_date d = {num(s + k, 4), m, day};
                    if (date_valid(d)) {
                        *out = d;
                        if (start) *start = i;
                        if (end) *end = k + 4;
                        return true;
                    }
                }
            }
        }
        /* D Month YYYY */
        size_t dn = digits_at(s, len, i);
        if (dn >= 1 && dn <= 2) {
            size_t j = i + dn;
            if (j < len && s[j] == ' ') {
                j++;
                size_t w2 = word_at(s, len, j);
                int m2 = w2 ? date_month_from_name(s + j, w2) : 0;
                size_t k = j + w2;
                if (m2 && k < len && s[k] == ' ' && digits_at(s, len, k + 1) == 4) {
                    civil_date d = {num(s + k + 1, 4), m2, num(s + i, dn)};
                    if (date_valid(d)) {
                        *out = d;
                        if (start) *start = i;
                        if (end) *end = k + 5;
                        return true;
                    }
                }
            }
        }
    }
    return false;
}

static const struct {
    const char *name;
    int minutes;
} ZONES[] = {{"UTC", 0}, {"GMT", 0}, {"Z", 0},       {"EDT", -240}, {"EST", -300}, {"CDT", -300},
             {"CST", -360}, {"PDT", -420}, {"PST", -480}, {"BST", 60}, {"CET", 60},  {"CEST", 120},
             {"EET", 120}, {"EEST", 180}, {"MSK", 180}, {"AST", 180}, {"IST", 330}, {"JST", 540}};

static size_t skip_spaces(const char *s, size_t i, size_t len)
{
    while (i < len && (s[i] == ' ' || s[i] == ','))
        i++;
    return i;
}

bool date_stamp_line(const char *s, size_t len, char *out, size_t cap)
{
    if (len > 80 || cap < 40 || len == 0)
        return false;
    /* the prefixes' first letters differ but for Published/Posted, which differ next */
    const char *prefix = NULL;
    switch (s[0] | 0x20) {
    case 'l': prefix = "last updated"; break;
    case 'f': prefix = "first published"; break;
    case 'p': prefix = (len > 1 && (s[1] | 0x20) == 'o') ? "posted" : "published"; break;
    case 'u': prefix = "updated"; break;
    }
    size_t i = 0;
    if (prefix) {
        size_t n = strlen(prefix);
        if (len > n && !strncasecmp(s, prefix, n) && (s[n] == ' ' || s[n] == ':'))
            i = n + 1;
    }
    i = skip_spaces(s, i, len);
    /* the date must start the rest of the line: a digit or a month name */
    if (i >= len)
        return false;
    if (!is_digit(s[i])) {
        if (!month_initial(s[i]))
            return false; /* the cheap half of the test below */
        size_t w = word_at(s, len, i);
        if (!w || !date_month_from_name(s + i, w))
            return false;
    }
    civil_date d;
    size_t st, en;
    if (!date_find(s + i, len - i, &d, &st, &en) || st != 0)
        return false;
    i = skip_spaces(s, i + en, len);
    if (len - i >= 3 && !strncasecmp(s + i, "at ", 3))
        i += 3;
    int hh = -1, mm = 0, zone = 1 << 20;
    size_t hn = digits_at(s, len, i);
    if (hn >= 1 && hn <= 2 && i + hn < len && s[i + hn] == ':' && digits_at(s, len, i + hn + 1) == 2) {
        hh = num(s + i, hn);
        mm = num(s + i + hn + 1, 2);
        i = skip_spaces(s, i + hn + 3, len);
        bool pm = !strncasecmp(s + i, "pm", 2) || !strncasecmp(s + i, "p.m.", 4);
        bool am = !strncasecmp(s + i, "am", 2) || !strncasecmp(s + i, "a.m.", 4);
        if (pm || am) {
            i += (s[i + 1] == '.') ? 4 : 2;
            if (hh == 12)
                hh = 0;
            if (pm)
                hh += 12;
        }
        i = skip_spaces(s, i, len);
        for (size_t z = 0; z < sizeof ZONES / sizeof *ZONES; z++) {
            size_t zl = strlen(ZONES[z].name);
            if (len - i >= zl && !strncmp(s + i, ZONES[z].name, zl)) {
                zone = ZONES[z].minutes;
                i += zl;
                break;
            }
        }
    }
    while (i < len && (s[i] == '.' || s[i] == ' '))
        i++;
    if (i != len || hh > 23 || mm > 59)
        return false; /* more than a stamp on the line: article text */
    char day[11];
    date_format(d, day);
    if (hh < 0 || zone == 1 << 20) {
        snprintf(out, cap, "%s", day);
    } else {
        int az = zone < 0 ? -zone : zone;
        snprintf(out, cap, "%sT%02d:%02d:00%c%02d:%02d", day, hh, mm, zone < 0 ? '-' : '+', az / 60, az % 60);
    }
    return true;
}
