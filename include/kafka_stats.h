/* kafka_stats.h - reads librdkafka's statistics JSON (statistics.interval.ms)
 * into the metrics snapshot: broker connections, per-partition lag, and
 * whether the dead-letter topic has a leader to write to.
 *
 * Pure functions over a JSON text (jansson), so they are unit-tested with
 * recorded statistics; the worker calls them from its stats callback.
 */
#ifndef INGEST_KAFKA_STATS_H
#define INGEST_KAFKA_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "metrics.h"

typedef struct kstats_consumer {
    int brokers_up;        /* broker connections in state UP */
    int n_lag;             /* partitions of `topic` this consumer wants (assigned) */
    metrics_partition lag[METRICS_MAX_PARTITIONS];
    int64_t committed_sum; /* sum of their committed offsets (progress marker) */
    int64_t total_lag;
} kstats_consumer;

/* Consumer statistics for the input topic. Returns 0, or -1 when json is
 * not librdkafka statistics (out is then zeroed). */
int kstats_parse_consumer(const char *json, size_t len, const char *topic, kstats_consumer *out);

/* Producer statistics: 1 when `topic` has at least one partition with a
 * known leader, 0 when not, -1 when json cannot be parsed. */
int kstats_topic_writable(const char *json, size_t len, const char *topic);

#endif
