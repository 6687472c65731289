/* progress.h - progress of a bounded job (replay): a bar with rate and ETA
 * redrawn on stderr when stderr is a terminal, otherwise one JSON log line
 * ("replay progress") per interval. Single-threaded; no allocation. */
#ifndef INGEST_PROGRESS_H
#define INGEST_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct progress {
    bool tty, drawn;
    int64_t interval_ms, start_ms, last_ms;
    uint64_t total;
} progress;

/* total: units of work expected (0: unknown). now_ms: a monotonic clock. */
void progress_init(progress *p, bool tty, int64_t interval_ms, uint64_t total, int64_t now_ms);

/* Reports done units (and records/dlq produced so far) when the interval
 * has passed, or always when force is set. */
void progress_report(progress *p, uint64_t done, uint64_t records, uint64_t dlq, int64_t now_ms, bool force);

/* Ends the bar's line on a terminal (nothing otherwise). */
void progress_end(progress *p);

#endif
