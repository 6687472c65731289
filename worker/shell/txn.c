/* txn.c - see include/txn.h.
 *
 * The recipe is librdkafka's (rdkafka.h, "Transactional producer API"):
 * init_transactions once; begin; produce; send_offsets_to_transaction;
 * commit; on an abortable error abort and rewind the input. What this
 * module adds is the bookkeeping of which input offsets the open
 * transaction covers, and one classification of errors for the worker.
 */
#include "txn.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kafka_conf.h"
#include "log.h"
#include "metrics.h"

typedef struct txn_part {
    int32_t partition;
    int64_t first, next; /* first offset processed in the transaction; last processed + 1 */
} txn_part;

struct txn {
    rd_kafka_t *producer, *consumer; /* borrowed */
    const char *topic;               /* borrowed */
    long batch, interval_ms;
    bool open, offsets_sent;
    bool untracked; /* an offset could not be recorded (out of memory): the batch must be aborted */
    int64_t begun_ms;
    long messages; /* processed in the open transaction */
    txn_part *parts;
    size_t n_parts, cap_parts;
    txn_stats stats;
};

bool txn_enabled(const config *c) { return c->guarantee && !strcmp(c->guarantee, "exactly-once"); }

int txn_id_for(const config *c, char *out, size_t cap)
{
    for (int i = 0; i < c->n_kafka; i++)
        if (!strcmp(c->kafka[i].key, "transactional.id"))
            return snprintf(out, cap, "%s", c->kafka[i].value) < (int)cap ? 0 : -1;
    int n;
    if (c->instance_id && *c->instance_id) {
        n = snprintf(out, cap, "%s.%s", c->group, c->instance_id);
    } else {
        char host[256] = "host";
        gethostname(host, sizeof host - 1);
        host[sizeof host - 1] = '\0';
        n = snprintf(out, cap, "%s.%s.%ld", c->group, host, (long)getpid());
    }
    return n >= 0 && n < (int)cap ? 0 : -1;
}

int txn_configure(rd_kafka_conf_t *pc, const config *c)
{
    char id[512];
    if (txn_id_for(c, id, sizeof id)) {
        fprintf(stderr, "ingest-worker: transactional.id too long\n");
        return -1;
    }
    return kconf_set(pc, "transactional.id", id);
}

txn *txn_new(rd_kafka_t *producer, rd_kafka_t *consumer, const char *topic, long batch, long interval_ms)
{
    txn *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    *t = (txn){.producer = producer, .consumer = consumer, .topic = topic, .batch = batch, .interval_ms = interval_ms};
    return t;
}

void txn_free(txn *t)
{
    if (!t)
        return;
    free(t->parts);
    free(t);
}

/* Classifies and logs an error of call `what`, then frees it. */
static txn_status classify(rd_kafka_error_t *e, const char *what)
{
    if (!e)
        return TXN_OK;
    txn_status s;
    if (rd_kafka_error_is_fatal(e))
        s = TXN_FATAL;
    else if (rd_kafka_error_txn_requires_abort(e))
        s = TXN_ABORTED;
    else if (rd_kafka_error_is_retriable(e))
        s = TXN_RETRY;
    else
        s = TXN_FATAL; /* neither flag: librdkafka recommends treating it as fatal */
    const char *name = rd_kafka_error_name(e), *why = rd_kafka_error_string(e);
    if (s == TXN_FATAL)
        log_error("fatal transaction error: stopping (exit 1)", "{s:s, s:s, s:s}", "call", what, "error", name, "reason",
                  why);
    else
        log_warn(s == TXN_RETRY ? "transaction call failed, retrying" : "transaction failed, aborting",
                 "{s:s, s:s, s:s}", "call", what, "error", name, "reason", why);
    rd_kafka_error_destroy(e);
    return s;
}

txn_status txn_init(txn *t, int timeout_ms)
{
    int64_t deadline = metrics_now_ms() + timeout_ms;
    for (;;) {
        int left = (int)(deadline - metrics_now_ms());
        txn_status s = classify(rd_kafka_init_transactions(t->producer, left > 1000 ? left : 1000), "init_transactions");
        if (s == TXN_OK) {
            log_info("transactions initialized", NULL);
            return TXN_OK;
        }
        if (s != TXN_RETRY || metrics_now_ms() >= deadline) {
            if (s == TXN_RETRY)
                log_error("fatal transaction error: stopping (exit 1)", "{s:s, s:s}", "call", "init_transactions",
                          "reason", "no transaction coordinator within the shutdown timeout");
            return TXN_FATAL;
        }
    }
}

txn_status txn_begin(txn *t)
{
    if (t->open)
        return TXN_OK;
    txn_status s = classify(rd_kafka_begin_transaction(t->producer), "begin_transaction");
    if (s != TXN_OK)
        return TXN_FATAL; /* begin fails only on a fatal or state error */
    t->open = true;
    t->offsets_sent = false;
    t->untracked = false;
    t->messages = 0;
    t->n_parts = 0;
    t->begun_ms = metrics_now_ms();
    t->stats.begun++;
    log_debug("transaction begun", NULL);
    return TXN_OK;
}

void txn_processed(txn *t, int32_t partition, int64_t offset)
{
    t->messages++;
    for (size_t i = 0; i < t->n_parts; i++)
        if (t->parts[i].partition == partition) {
            t->parts[i].next = offset + 1;
            return;
        }
    if (t->n_parts == t->cap_parts) {
        size_t cap = t->cap_parts ? t->cap_parts * 2 : 16;
        txn_part *p = realloc(t->parts, cap * sizeof *p);
        if (!p) {
            /* cannot track the offset: make the commit fail safe by aborting the batch */
            log_error("out of memory tracking transaction offsets; the batch will be aborted", NULL);
            t->untracked = true;
            return;
        }
        t->parts = p;
        t->cap_parts = cap;
    }
    t->parts[t->n_parts++] = (txn_part){partition, offset, offset + 1};
}

bool txn_due(const txn *t, int64_t now_ms)
{
    if (!t->open || t->messages == 0)
        return false;
    return t->untracked || t->messages >= t->batch || now_ms - t->begun_ms >= t->interval_ms;
}

bool txn_open(const txn *t) { return t->open; }

static rd_kafka_topic_partition_list_t *offsets_list(const txn *t)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(t->n_parts ? (int)t->n_parts : 1);
    for (size_t i = 0; l && i < t->n_parts; i++)
        rd_kafka_topic_partition_list_add(l, t->topic, t->parts[i].partition)->offset = t->parts[i].next;
    return l;
}

static txn_status send_offsets(txn *t, int timeout_ms)
{
    if (t->offsets_sent || t->n_parts == 0)
        return TXN_OK;
    rd_kafka_topic_partition_list_t *l = offsets_list(t);
    rd_kafka_consumer_group_metadata_t *md = rd_kafka_consumer_group_metadata(t->consumer);
    if (!l || !md) {
        if (l)
            rd_kafka_topic_partition_list_destroy(l);
        rd_kafka_consumer_group_metadata_destroy(md);
        log_error("out of memory sending transaction offsets", NULL);
        return TXN_FATAL;
    }
    txn_status s =
        classify(rd_kafka_send_offsets_to_transaction(t->producer, l, md, timeout_ms), "send_offsets_to_transaction");
    rd_kafka_topic_partition_list_destroy(l);
    rd_kafka_consumer_group_metadata_destroy(md);
    if (s == TXN_OK) {
        t->offsets_sent = true;
        log_debug("transaction offsets sent", "{s:i}", "partitions", (int)t->n_parts);
    }
    return s;
}

txn_status txn_commit(txn *t, int timeout_ms)
{
    if (!t->open)
        return TXN_OK;
    if (t->untracked) /* committing could skip input whose offset was not recorded */
        return txn_abort(t, timeout_ms);
    txn_status s = send_offsets(t, timeout_ms);
    if (s == TXN_OK)
        s = classify(rd_kafka_commit_transaction(t->producer, timeout_ms), "commit_transaction");
    if (s == TXN_ABORTED)
        return txn_abort(t, timeout_ms);
    if (s != TXN_OK)
        return s;
    t->open = false;
    t->stats.committed++;
    log_debug("transaction committed", "{s:i, s:i}", "messages", (int)t->messages, "partitions", (int)t->n_parts);
    t->n_parts = 0;
    return TXN_OK;
}

txn_status txn_abort(txn *t, int timeout_ms)
{
    if (!t->open)
        return TXN_OK;
    txn_status s = classify(rd_kafka_abort_transaction(t->producer, timeout_ms), "abort_transaction");
    if (s == TXN_RETRY || s == TXN_FATAL)
        return s;
    t->open = false;
    t->stats.aborted++;
    log_info("transaction aborted", "{s:i, s:i}", "messages", (int)t->messages, "partitions", (int)t->n_parts);
    return TXN_ABORTED; /* n_parts kept for txn_rewind */
}

int txn_rewind(txn *t)
{
    if (t->open || t->n_parts == 0)
        return 0;
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new((int)t->n_parts);
    if (!l)
        return 0;
    for (size_t i = 0; i < t->n_parts; i++)
        rd_kafka_topic_partition_list_add(l, t->topic, t->parts[i].partition)->offset = t->parts[i].first;
    rd_kafka_error_t *e = rd_kafka_seek_partitions(t->consumer, l, 5000);
    int n = 0;
    if (e) {
        log_error("rewind after abort failed", "{s:s}", "error", rd_kafka_error_string(e));
        rd_kafka_error_destroy(e);
    } else {
        for (int i = 0; i < l->cnt; i++) {
            if (l->elems[i].err) /* e.g. no longer assigned: its next owner starts from the committed offset */
                continue;
            log_info("rewound to the last committed offset", "{s:i, s:I}", "partition", (int)l->elems[i].partition,
                     "offset", (json_int_t)l->elems[i].offset);
            n++;
        }
    }
    rd_kafka_topic_partition_list_destroy(l);
    t->n_parts = 0;
    return n;
}

const txn_stats *txn_get_stats(const txn *t) { return &t->stats; }
