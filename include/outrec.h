/* outrec.h - the output records of one input message, shared by `run`
 * (kafka_worker.c) and `replay` (kafka_replay.c).
 *
 * An input message becomes either its records (article, entities, events)
 * or, when the pipeline refuses it, its DLQ copy: the original key, value
 * and headers byte for byte plus the contract's x-ingest-* headers. Replay
 * marks every output with the header x-ingest-replay: 1 (and the records
 * with "replay": true, set through record_source.replay).
 */
#ifndef INGEST_OUTREC_H
#define INGEST_OUTREC_H

#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "commit_tracker.h"
#include "pipeline.h"
#include "record.h"

#define OUTREC_REPLAY_HEADER "x-ingest-replay"

/* One record waiting to be handed to the producer. */
typedef struct out_rec {
    struct out_rec *next;
    const char *topic;        /* borrowed from out_topics; outlives the record */
    char *key, *value;        /* owned (value: until produced); key NULL when the input had none */
    size_t key_len, value_len;
    rd_kafka_headers_t *hdrs; /* owned until produced (NULL: none yet) */
    ct_ticket *ticket;        /* the input message's ticket (set by the caller) */
    int32_t src_partition;
    bool last_of_ticket;      /* ct_end() once this one is handed over */
} out_rec;

/* The records of one message, in production order. */
typedef struct rec_list {
    out_rec *head, *tail;
    size_t n;
    bool oom, too_large;
} rec_list;

/* Output topic names (borrowed; must outlive every record built). */
typedef struct out_topics {
    const char *normalized, *entities, *events, *dlq;
} out_topics;

/* What outrec_for_message needs; every pointer borrowed. */
typedef struct outrec_ctx {
    const out_topics *topics;
    const lexicons *lx;
    const pipeline_limits *lim;
    size_t max_record_bytes; /* larger records turn the input into a too_large DLQ entry */
    bool replay;             /* mark outputs as replayed (field and header) */
} outrec_ctx;

/* Called with each processed article before its records are produced. */
typedef void (*outrec_article_fn)(void *ud, const pipeline_result *r, const record_source *src);

/* Frees r and everything it owns. NULL-safe. */
void outrec_free(out_rec *r);
/* Frees every record of l and empties it. */
void outrec_list_free(rec_list *l);

/* Appends the records of a processed article to l: the article record,
 * one per entity, one per event, each serialized and keyed as the contract
 * says. Sets l->oom when memory ran out and l->too_large when a record
 * exceeds c->max_record_bytes (the list keeps what was built; the caller
 * frees it). What outrec_for_message does after the pipeline; `make bench`
 * times it as the serialization stage. */
void outrec_build(const outrec_ctx *c, const pipeline_result *r, const record_source *src, rec_list *l);

/* Runs the pipeline on m and fills the empty list l with its records, or
 * with its DLQ copy (logged as "dead-lettered"; *why, when why is not
 * NULL, gets the reason, else INGEST_OK). Returns 0 for records, 1 when
 * dead-lettered, -1 when memory ran out building the DLQ copy (l is then
 * empty). on_article (may be NULL) sees each processed article. */
int outrec_for_message(const outrec_ctx *ctx, const rd_kafka_message_t *m, rec_list *l, outrec_article_fn on_article,
                       void *ud, ingest_reason *why);

/* Hands r to the producer with r->ticket as the delivery report's opaque.
 * On success the producer owns the headers and the value buffer (r->hdrs
 * and r->value are set to NULL; the value is not copied) and r can be
 * freed; on failure (e.g. __QUEUE_FULL) r is unchanged and can be retried. */
rd_kafka_resp_err_t outrec_produce(rd_kafka_t *producer, out_rec *r);

#endif
