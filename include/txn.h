/* txn.h - exactly-once mode: Kafka transactions around consume-transform-produce.
 *
 * With --guarantee exactly-once the worker's producer is transactional.
 * Input messages are processed inside a transaction; every --txn-batch
 * messages or --txn-interval milliseconds the consumed offsets are added
 * to the transaction (rd_kafka_send_offsets_to_transaction with the
 * consumer's group metadata) and the transaction is committed: records
 * and offsets become visible together, to read_committed consumers, or
 * not at all.
 *
 * Errors, as librdkafka classes them:
 *   retriable  - the same call again (TXN_RETRY; the caller keeps ticking);
 *   abortable  - the transaction is aborted here and TXN_ABORTED returned:
 *                the caller drops records not yet produced and calls
 *                txn_rewind(), which seeks the consumer back to where the
 *                aborted transaction started, so the messages are redone;
 *   fatal      - (fenced by a newer instance with the same transactional.id,
 *                not authorized, ...) TXN_FATAL: the worker exits 1.
 *
 * The transactional.id: -X transactional.id when given; otherwise
 * "<group>.<instance-id>" (the instance id defaults to $POD_NAME), a name
 * that survives restarts, so init_transactions fences a zombie of the
 * same instance and aborts what it left open at once; without an
 * instance id, "<group>.<host>.<pid>", which is unique but fences no
 * predecessor (its open transaction then blocks read_committed readers
 * until transaction.timeout.ms). Zombies of other instances are fenced by
 * the group generation carried with the offsets (KIP-447).
 *
 * Single-threaded: called from the worker's polling thread only.
 */
#ifndef INGEST_TXN_H
#define INGEST_TXN_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

typedef enum { TXN_OK = 0, TXN_RETRY, TXN_ABORTED, TXN_FATAL } txn_status;

typedef struct txn txn;

/* Counters for logs and /metrics. */
typedef struct txn_stats {
    uint64_t begun, committed, aborted;
} txn_stats;

/* True when c asks for exactly-once. */
bool txn_enabled(const config *c);

/* Writes the transactional.id for c into out (see above). Returns 0, or
 * -1 when it does not fit. */
int txn_id_for(const config *c, char *out, size_t cap);

/* Sets transactional.id on a producer configuration. Returns 0, or -1
 * after printing the rejected property. */
int txn_configure(rd_kafka_conf_t *pc, const config *c);

/* A transaction driver for producer and consumer (both borrowed, must
 * outlive it) reading `topic`. NULL on allocation failure. */
txn *txn_new(rd_kafka_t *producer, rd_kafka_t *consumer, const char *topic, long batch, long interval_ms);
/* NULL-safe. Does not end an open transaction (see txn_end). */
void txn_free(txn *t);

/* init_transactions, retried while retriable for up to timeout_ms.
 * TXN_OK or TXN_FATAL (logged). */
txn_status txn_init(txn *t, int timeout_ms);

/* Opens a transaction unless one is open. TXN_OK or TXN_FATAL. */
txn_status txn_begin(txn *t);
/* Message (partition, offset) of the input was processed in the open
 * transaction: its offset + 1 is committed with it. */
void txn_processed(txn *t, int32_t partition, int64_t offset);
/* True when the open transaction holds messages and its batch is full
 * or its interval has passed. */
bool txn_due(const txn *t, int64_t now_ms);
/* True while a transaction is open. */
bool txn_open(const txn *t);

/* Sends the offsets and commits the open transaction (blocks up to
 * timeout_ms). TXN_OK, TXN_RETRY (call again), TXN_ABORTED (it was
 * aborted: rewind) or TXN_FATAL. TXN_OK when nothing is open. */
txn_status txn_commit(txn *t, int timeout_ms);
/* Aborts the open transaction. TXN_ABORTED, TXN_RETRY or TXN_FATAL;
 * TXN_OK when nothing is open. */
txn_status txn_abort(txn *t, int timeout_ms);

/* After TXN_ABORTED: seeks every partition the aborted transaction read
 * back to its first message in it, i.e. to the offset committed by the
 * previous transaction (known here, so no broker round trip is needed in
 * the middle of a fault). Returns how many partitions were rewound. */
int txn_rewind(txn *t);

const txn_stats *txn_get_stats(const txn *t);

#endif
