/* commit_tracker.h - which input offsets are safe to commit.
 *
 * At-least-once rule: a partition's committed offset moves past a message
 * only when every record produced from it, and from every earlier message
 * of that partition, has been acknowledged by the broker. Each consumed
 * message gets a ticket; each produced record adds one pending ack to it;
 * delivery reports remove them. Tickets are kept per partition in offset
 * order, so completion out of order never commits past a gap.
 *
 * Single-threaded by design: the worker calls it from its main loop, the
 * rebalance callback and the delivery-report callback, which librdkafka
 * runs on the thread that polls. No Kafka types appear here, so the
 * tracker is tested without a broker.
 */
#ifndef INGEST_COMMIT_TRACKER_H
#define INGEST_COMMIT_TRACKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct commit_tracker commit_tracker;
typedef struct ct_ticket ct_ticket;

typedef struct ct_commit {
    int32_t partition;
    int64_t offset; /* next offset to consume = last safe message + 1 */
} ct_commit;

/* A tracker for one input topic. NULL on allocation failure. */
commit_tracker *ct_new(void);
/* Frees the tracker and every ticket, including orphans. NULL-safe. */
void ct_free(commit_tracker *ct);

/* Opens a ticket for a consumed message. The ticket holds a guard so it
 * cannot complete before ct_end(); returns NULL on allocation failure.
 * Offsets of one partition must be begun in increasing order. */
ct_ticket *ct_begin(commit_tracker *ct, int32_t partition, int64_t offset);
/* One more produced record awaits its acknowledgement. */
void ct_add_pending(commit_tracker *ct, ct_ticket *t);
/* Delivery report for one record of t: ok = acknowledged by the broker.
 * A failed delivery poisons the partition: it never commits past t. */
void ct_ack(commit_tracker *ct, ct_ticket *t, bool ok);
/* Every record of t has been handed to the producer (or t had none).
 * Call exactly once per ticket: t may be freed by it. */
void ct_end(commit_tracker *ct, ct_ticket *t);

/* Writes up to max partitions whose safe offset moved since the last
 * ct_mark_committed() into out; returns how many. */
size_t ct_collect(commit_tracker *ct, ct_commit *out, size_t max);
/* The safe offset for one partition, or -1 when nothing new is safe. */
int64_t ct_safe_offset(commit_tracker *ct, int32_t partition);
/* Records that offset was committed for partition. */
void ct_mark_committed(commit_tracker *ct, int32_t partition, int64_t offset);

/* The partition was revoked or lost: its tickets are detached. Tickets
 * with acks still outstanding stay alive as orphans until their last
 * delivery report, which then frees them; nothing is committed for them. */
void ct_revoke(commit_tracker *ct, int32_t partition);

/* The partition of t, or -1 once it was orphaned by ct_revoke(). */
int32_t ct_ticket_partition(const ct_ticket *t);

/* Records awaiting acknowledgement, over all partitions and orphans. */
size_t ct_pending(const commit_tracker *ct);
/* Messages begun and not yet safe (committed or committable). */
size_t ct_open_messages(const commit_tracker *ct);
/* True once any delivery failed (the worker stops: it cannot commit). */
bool ct_failed(const commit_tracker *ct);

#endif
