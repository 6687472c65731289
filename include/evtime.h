/* evtime.h - time expressions of a sentence and the nearest one to a trigger.
 *
 * ev_scan_times marks the time expressions of a sentence once (in ev_ctx's
 * arena-owned time_len); events_resolve_time (events.h) turns one into a
 * date. Nothing here allocates.
 */
#ifndef INGEST_EVTIME_H
#define INGEST_EVTIME_H

#include "evdoc.h"

/* Time expressions of the sentence [sent_first, sent_last], found once
 * however many events it holds. */
void ev_scan_times(ev_ctx *C, size_t sent_first, size_t sent_last);

/* The time expression nearest the trigger in [first, last]. Returns its token span. */
bool ev_find_time(const ev_ctx *C, size_t first, size_t last, size_t trig, size_t *ts, size_t *te);

/* events_resolve_time (events.h) against the article's published_at, which is parsed once and
 * kept in C. */
bool ev_resolve_time(ev_ctx *C, const char *text, size_t len, bool forward, char out[11]);

#endif
