/* mockbroker.h - a Kafka-protocol broker from librdkafka's mock cluster.
 *
 * Used by `ingest-worker broker` (standalone) and `run --embedded`
 * (in-process). Real Kafka protocol on real TCP ports: clients nobody here
 * wrote (kcat, confluent-kafka) talk to it as to any broker. Limits of the
 * mock (librdkafka 2.0.2): no offsets-for-times, transactions accepted but
 * without effect; see README "Testing".
 */
#ifndef INGEST_MOCKBROKER_H
#define INGEST_MOCKBROKER_H

#include <stddef.h>

typedef struct mockbroker mockbroker;

/* Starts a cluster of n_brokers and creates each topic in topics (NULL
 * terminated) with `partitions` partitions. NULL with err on failure. */
mockbroker *mockbroker_start(int n_brokers, const char *const *topics, int partitions, char *err, size_t errlen);

/* "127.0.0.1:port,..." - owned by mb. */
const char *mockbroker_bootstraps(const mockbroker *mb);

/* The underlying rd_kafka_mock_cluster_t (for fault injection in tests). */
void *mockbroker_cluster(mockbroker *mb);

void mockbroker_stop(mockbroker *mb);

/* Runs one line of the fault-injection control language on mb and writes
 * the one-line answer ("ok" or "error <why>", no newline) to reply.
 * Returns 0 when the command succeeded, -1 otherwise. Commands (BROKER is
 * a broker id 1..n, default all; API a Kafka ApiKey name or number; ERR a
 * Kafka error name such as NOT_COORDINATOR, or its number):
 *   down [BROKER]                 disconnect, refuse new connections
 *   up [BROKER]                   accept connections again
 *   rtt MS [BROKER]               delay every response by MS
 *   errors API ERR [COUNT]        the next COUNT requests of API fail with ERR
 *   broker-errors BROKER API ERR [COUNT [RTT_MS]]  the same on one broker
 *   clear-errors API              forget queued errors of API
 *   topic-error TOPIC ERR         metadata reports ERR for TOPIC (NO_ERROR clears)
 *   leader TOPIC PARTITION BROKER move a partition's leader (-1: none)
 *   coordinator GROUP BROKER      make BROKER the group's coordinator
 *   create-topic TOPIC PARTITIONS create another topic
 *   help                          list the commands */
int mockbroker_control(mockbroker *mb, const char *line, char *reply, size_t cap);

/* Writes the bootstrap address to path (via a temporary file and rename,
 * so a reader never sees half a line). Returns 0, or -1 on failure. */
int mockbroker_write_bootstrap(const char *path, const char *bootstraps);

#endif
