/* kafka_replay.h - the replay engine: a bounded range of the input topic
 * through the pipeline again, without touching any consumer group.
 *
 * Manual assignment only (rd_kafka_assign; never subscribe, never commit):
 * the consumer has no group.id, so the live group's membership and
 * committed offsets cannot be affected. Ranges are fixed at start:
 * `end` is the high watermark then; times go through the broker's
 * offsets-for-times lookup, or, when the broker cannot answer it (a probe
 * with timestamp 0 must find the first offset of a non-empty partition;
 * librdkafka 2.0.2's mock cluster answers -1), through reading from the
 * low watermark and filtering on message timestamps.
 *
 * Records carry "replay": true and the header x-ingest-replay: 1, with the
 * same ids as the live worker's. The checkpoint (optional) only moves past
 * messages whose records the broker acknowledged (commit tracker).
 */
#ifndef INGEST_KAFKA_REPLAY_H
#define INGEST_KAFKA_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "lexicon.h"
#include "outrec.h"
#include "replay_bounds.h"

typedef enum { RT_NONE, RT_LOOKUP, RT_FILTER } replay_time_mode;

/* One partition's range and what became of it. */
typedef struct replay_part {
    int32_t partition;
    int64_t start, end;   /* [start, end) */
    int64_t first, last;  /* offsets of the first/last message processed, -1: none */
    int64_t last_read;    /* last offset read in the range (processed or skipped), -1: none */
    int64_t next;         /* acknowledged up to here (the checkpoint's next offset) */
    uint64_t messages;    /* processed (dry run: would be processed) */
    uint64_t skipped;     /* outside the time window (timestamp filter) */
    uint64_t records, dlq; /* acknowledged records and DLQ copies produced */
    bool done;
} replay_part;

typedef struct replay_summary {
    replay_part *parts; /* owned; free with replay_summary_free */
    size_t n_parts;
    double seconds;
    bool complete;  /* every partition reached its end and everything was acknowledged */
    bool dry_run, resumed;
    replay_time_mode time_mode;
    int64_t from_ts, to_ts; /* the timestamp filter, -1: none */
} replay_summary;

typedef struct replay_options {
    const config *cfg;
    const lexicons *lx;
    const replay_bound *from, *to;
    const int32_t *partitions; /* NULL: all, or those named by p:offset bounds */
    size_t n_partitions;
    const out_topics *topics;  /* with --output-prefix applied */
    long rate;                 /* input messages per second, 0: unlimited */
    bool tty;                  /* stderr is a terminal: draw a progress bar */
} replay_options;

/* Runs the replay; fills *s (also on failure, as far as it got). Returns
 * the exit code: 0 done or stopped by a signal (checkpoint written), 1
 * runtime failure, 2 usage or configuration error (one line on stderr). */
int kafka_replay_run(const replay_options *o, replay_summary *s);

void replay_summary_free(replay_summary *s);

#endif
