/* metrics.h - what the worker is doing, as plain data the HTTP thread can read.
 *
 * The worker thread owns a metrics_snapshot and updates it freely (no
 * locks on the hot path); once per loop tick it publishes a copy into the
 * shared `metrics` cell (metrics_publish, a memcpy under a mutex). The HTTP
 * thread only ever takes a copy out (metrics_read) and renders or judges
 * that copy; it never calls into Kafka. The snapshot is fixed-size (no
 * pointers), so a copy is a complete, consistent picture of one instant.
 *
 * Rendering follows the Prometheus text exposition format 0.0.4: HELP and
 * TYPE lines, names prefixed ingest_, units in the names.
 */
#ifndef INGEST_METRICS_H
#define INGEST_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline.h"

#define METRICS_MAX_PARTITIONS 256
/* Histogram upper bounds in seconds (the +Inf bucket is implicit). */
#define METRICS_PROC_BUCKETS 14
#define METRICS_E2E_BUCKETS 14
/* Output topics counted separately (records produced per topic). */
enum { MT_NORMALIZED, MT_ENTITIES, MT_EVENTS, MT_DLQ, MT_N_TOPICS };

typedef struct metrics_histogram {
    uint64_t buckets[METRICS_PROC_BUCKETS > METRICS_E2E_BUCKETS ? METRICS_PROC_BUCKETS : METRICS_E2E_BUCKETS];
    uint64_t count; /* observations, also the +Inf bucket */
    double sum;     /* seconds */
} metrics_histogram;

typedef struct metrics_partition {
    int32_t partition;
    int64_t lag; /* high watermark - committed offset (or low watermark when nothing is committed) */
} metrics_partition;

typedef struct metrics_snapshot {
    /* times: milliseconds on the monotonic clock */
    int64_t started_ms;
    int64_t last_tick_ms;     /* the main loop's last pass */
    int64_t last_progress_ms; /* committed offsets last moved, or there was no lag */
    int64_t brokers_down_since_ms; /* 0 while a broker is reachable */
    /* state */
    bool joined;        /* the consumer was given its (possibly empty) assignment */
    bool producer_fatal;
    bool dlq_writable;  /* the DLQ topic has a partition with a leader and no DLQ delivery failed */
    bool shutting_down;
    bool paused;
    int brokers_up; /* connections in state UP seen by the consumer (stats) */
    int assigned_partitions;
    /* counters */
    uint64_t consumed;
    uint64_t produced[MT_N_TOPICS];
    uint64_t dlq[INGEST_ERR_INTERNAL + 1]; /* by ingest_reason */
    uint64_t delivery_failures;
    uint64_t rebalances;
    uint64_t broker_errors;
    uint64_t lexicon_reloads_ok, lexicon_reloads_failed;
    /* gauges */
    int64_t producer_queue; /* records in the producer's queue, not yet acknowledged */
    metrics_partition lag[METRICS_MAX_PARTITIONS];
    int n_lag;
    /* histograms */
    metrics_histogram processing; /* seconds per input message: pipeline + serialization */
    metrics_histogram e2e;        /* seconds from the message's timestamp to the end of its processing */
} metrics_snapshot;

/* The bucket bounds (seconds) of the two histograms. */
extern const double METRICS_PROC_BOUNDS[METRICS_PROC_BUCKETS];
extern const double METRICS_E2E_BOUNDS[METRICS_E2E_BUCKETS];

/* Adds one observation (seconds) to h with the given bounds. Negative
 * values count as 0 (clock skew between producer and worker). */
void metrics_observe(metrics_histogram *h, const double *bounds, int n_bounds, double seconds);

/* Milliseconds on the monotonic clock (the time base of every *_ms field). */
int64_t metrics_now_ms(void);

/* Zeroes s and stamps its times with now_ms (monotonic ms). */
void metrics_snapshot_init(metrics_snapshot *s, int64_t now_ms);

/* The shared cell. */
typedef struct metrics metrics;

/* NULL on allocation failure. Free with metrics_free (NULL-safe). */
metrics *metrics_new(void);
void metrics_free(metrics *m);
/* Worker thread: replaces the shared copy with *s. */
void metrics_publish(metrics *m, const metrics_snapshot *s);
/* Any thread: copies the last published snapshot into *out. */
void metrics_read(metrics *m, metrics_snapshot *out);

/* Topic names used as label values for produced records (not owned). */
typedef struct metrics_labels {
    const char *topics[MT_N_TOPICS];
    const char *version;
} metrics_labels;

/* Renders s in the Prometheus text format. Returns a malloc'd, NUL-
 * terminated string the caller frees, or NULL on allocation failure. */
char *metrics_render(const metrics_snapshot *s, const metrics_labels *l, int64_t now_ms);

#endif
