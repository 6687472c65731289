/* dates.h - parse the date forms news uses; civil-date arithmetic. Pure. */
#ifndef INGEST_DATES_H
#define INGEST_DATES_H

#include <stdbool.h>
#include <stddef.h>

typedef struct civil_date {
    int y, m, d; /* m 1..12, d 1..31 */
} civil_date;

/* Validates and normalizes an RFC 3339 / ISO 8601 date or date-time
 * ("2021-08-31", "2021-08-31T10:00:00Z", "2021-08-31 10:00:00+02:00").
 * Writes "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ss[.frac](Z|+hh:mm)" into out
 * (cap >= 40) and returns true; false when s is not such a date. */
bool date_normalize_rfc3339(const char *s, size_t len, char *out, size_t cap);

/* Finds the first written date in s: "Aug. 31, 2021", "August 31, 2021",
 * "31 August 2021", "2021-08-31". Returns true and fills *out, and the
 * match's byte span in *start and *end when those are non-NULL. */
bool date_find(const char *s, size_t len, civil_date *out, size_t *start, size_t *end);

/* Month number for a (case-insensitive) name or abbreviation with or
 * without a dot ("Aug.", "August", "Sept"); 0 when not a month. */
int date_month_from_name(const char *s, size_t len);

/* 0 = Monday .. 6 = Sunday; -1 when not a weekday name. */
int date_weekday_from_name(const char *s, size_t len);

/* A line that is only a publication stamp: optional "Published", "Updated",
 * "Posted", "Last updated" (and ':'), a date, optionally ", 11:47 AM EDT" or
 * "at 9:40 p.m. EDT". On success writes RFC 3339 into out (a date-time with
 * offset when the zone is known, else the date) and returns true. */
bool date_stamp_line(const char *s, size_t len, char *out, size_t cap);

bool date_valid(civil_date d);
int date_weekday(civil_date d); /* 0 = Monday */
civil_date date_add_days(civil_date d, int days);
/* Writes "YYYY-MM-DD" (11 bytes with NUL). */
void date_format(civil_date d, char out[11]);

#endif
