/* replay_bounds.h - the command-line forms of `ingest-worker replay`:
 * range bounds (--from/--to), partition lists (--partitions) and rates
 * (--rate). Pure parsing: no Kafka, no clock (callers pass "now").
 *
 * A bound is one of
 *   beginning | end                  the partition's low / high watermark
 *   1234                             the same offset on every partition
 *   0:1200,2:1300                    an offset per partition
 *   2024-05-01T12:00:00Z             an RFC 3339 time (offset or Z; fraction
 *   2024-05-01                       optional), or a date (midnight UTC)
 *   -2h  -30m  -45s  -7d  -1w        a time relative to now
 * Errors are values: -1 and a one-line message in err naming the problem.
 */
#ifndef INGEST_REPLAY_BOUNDS_H
#define INGEST_REPLAY_BOUNDS_H

#include <stddef.h>
#include <stdint.h>

#define RB_MAX_PARTITIONS 100000 /* most partitions a list may name */

typedef enum { RB_BEGINNING, RB_END, RB_OFFSET, RB_PER_PARTITION, RB_TIME } rb_kind;

typedef struct rb_part_offset {
    int32_t partition;
    int64_t offset;
} rb_part_offset;

typedef struct replay_bound {
    rb_kind kind;
    int64_t offset;        /* RB_OFFSET */
    int64_t time_ms;       /* RB_TIME: milliseconds since the epoch */
    rb_part_offset *parts; /* RB_PER_PARTITION: owned, n_parts entries, in the order given */
    size_t n_parts;
} replay_bound;

/* Parses text into *b (freed with replay_bound_free). now_ms anchors
 * relative times. Returns 0, or -1 with a message in err. */
int replay_bound_parse(const char *text, int64_t now_ms, replay_bound *b, char *err, size_t errlen);
/* Frees what b owns. NULL-safe. */
void replay_bound_free(replay_bound *b);
/* RB_PER_PARTITION: the offset given for partition; -1 when not named. */
int64_t replay_bound_offset_for(const replay_bound *b, int32_t partition);

/* Parses "0,2,5" into a malloc'd array (caller frees) of distinct
 * partitions. Returns 0, or -1 with a message in err. */
int replay_partitions_parse(const char *text, int32_t **out, size_t *n, char *err, size_t errlen);

/* Parses "500/s" or "500" (input messages per second, > 0) into *per_sec;
 * "" means unlimited (0). Returns 0, or -1 with a message in err. */
int replay_rate_parse(const char *text, long *per_sec, char *err, size_t errlen);

#endif
