/* kafka_conf.h - librdkafka configuration shared by `run` and `replay`:
 * the user's -X properties routed to the client they apply to. */
#ifndef INGEST_KAFKA_CONF_H
#define INGEST_KAFKA_CONF_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* Sets one property; on failure prints "ingest-worker: librdkafka property
 * K: why" to stderr and returns -1. */
int kconf_set(rd_kafka_conf_t *conf, const char *k, const char *v);

/* The worker's throughput defaults (README "Kafka client tuning"), set before
 * the user's -X properties, which override them. Producer: linger.ms 20 and
 * lz4 compression; consumer: fetch.wait.max.ms 100 and at most 16 MB of
 * prefetched input. Returns 0, or -1 after kconf_set reported a failure. */
#define KCONF_LINGER_MS "20"
#define KCONF_COMPRESSION "lz4"
#define KCONF_FETCH_WAIT_MS "100"
#define KCONF_PREFETCH_KBYTES "16384"
int kconf_tune(rd_kafka_conf_t *conf, bool consumer);

/* Applies every -X / kafka.* property of c that applies to this client
 * (consumer-only keys are skipped for producers and the other way round;
 * keys in `skip`, a NULL-terminated list or NULL, are skipped too).
 * Returns 0, or -1 after kconf_set reported a bad key. */
int kconf_apply_user(rd_kafka_conf_t *conf, const config *c, bool consumer, const char *const *skip);

/* The largest record the producer configured by pc can send, keeping room
 * for protocol overhead. */
size_t kconf_max_record_bytes(const rd_kafka_conf_t *pc);

/* Logs an error reported to an error callback: a fatal error (with its
 * underlying cause) as an error line, anything else as a warning. Returns
 * true when the error is fatal (the client cannot go on). */
bool kconf_log_error(rd_kafka_t *rk, int err, const char *reason);

#endif
