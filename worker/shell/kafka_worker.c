/* kafka_worker.c - see include/kafka_worker.h.
 *
 * One thread owns everything: it polls the consumer (which runs the
 * rebalance and commit callbacks) and the producer (which runs delivery
 * reports), so the commit tracker needs no lock.
 */
#include "kafka_worker.h"

#include <inttypes.h>
#include <jansson.h>
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commit_tracker.h"
#include "kafka_conf.h"
#include "kafka_stats.h"
#include "log.h"
#include "outrec.h"
#include "signals.h"
#include "txn.h"

#define POLL_MS 100
#define MAX_PARTITIONS_COMMIT 1024
#define TXN_CALL_MS 2000     /* one blocking transactional call; retried while retriable */
#define TXN_INIT_MS 30000    /* init_transactions at start: a coordinator must answer within this */

typedef struct worker {
    const config *cfg;
    pipeline_limits lim;
    out_topics topics;
    outrec_ctx out;
    rd_kafka_t *consumer, *producer;
    commit_tracker *ct;
    out_rec *bl_head, *bl_tail; /* backlog, in order */
    bool paused, fatal, cooperative;
    bool ever_assigned; /* the group has given this consumer an assignment at least once */
    int64_t last_commit_ms;
    kw_article_fn on_article;
    void *ud;
    /* what /metrics, /livez and /readyz see: updated here, published each tick */
    metrics_snapshot snap;
    metrics *metrics;
    rd_kafka_topic_t *dlq_topic; /* held so the producer keeps the DLQ's metadata (readiness) */
    int64_t committed_sum;       /* sum of committed offsets in the last stats (progress) */
    bool dlq_failed;             /* a DLQ delivery failed: not writable, whatever metadata says */
    txn *txn;                    /* exactly-once mode only (NULL: at-least-once) */
} worker;

static int64_t now_ms(void) { return metrics_now_ms(); }

static void publish(worker *w)
{
    if (w->metrics)
        metrics_publish(w->metrics, &w->snap);
}

/* Index of an output topic for the per-topic counter (-1: not ours). */
static int topic_index(const worker *w, const char *t)
{
    const char *names[MT_N_TOPICS] = {w->cfg->out_normalized, w->cfg->out_entities, w->cfg->out_events,
                                      w->cfg->out_dlq};
    for (int i = 0; i < MT_N_TOPICS; i++)
        if (!strcmp(t, names[i]))
            return i;
    return -1;
}

/* ---- callbacks ------------------------------------------------------------------- */

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    worker *w = opaque;
    ct_ticket *t = m->_private;
    int ti = topic_index(w, rd_kafka_topic_name(m->rkt));
    bool purged = m->err == RD_KAFKA_RESP_ERR__PURGE_QUEUE || m->err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT;
    if (purged) {
        /* an aborted transaction or the shutdown dropped it: redone from the input, not a failure */
    } else if (m->err) {
        log_error("delivery failed", "{s:s, s:i, s:s}", "topic", rd_kafka_topic_name(m->rkt), "partition",
                  (int)m->partition, "error", rd_kafka_err2str(m->err));
        w->snap.delivery_failures++;
        if (ti == MT_DLQ)
            w->dlq_failed = true, w->snap.dlq_writable = false;
    } else if (ti >= 0) {
        w->snap.produced[ti]++;
    }
    if (t)
        ct_ack(w->ct, t, m->err == 0);
}

static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    worker *w = opaque;
    if (kconf_log_error(rk, err, reason))
        w->fatal = w->snap.producer_fatal = true;
    else
        w->snap.broker_errors++;
}

static void on_commit(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *offs, void *opaque)
{
    (void)rk;
    worker *w = opaque;
    if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
        log_warn("offset commit failed", "{s:s}", "error", rd_kafka_err2str(err));
        return;
    }
    for (int i = 0; offs && i < offs->cnt; i++)
        if (!offs->elems[i].err && offs->elems[i].offset >= 0)
            ct_mark_committed(w->ct, offs->elems[i].partition, offs->elems[i].offset);
}

/* Statistics (every statistics.interval.ms, on the polling thread): the
 * consumer's tell whether brokers are reachable and how far behind the
 * assignment is; the producer's whether the DLQ has a leader. */
static int on_stats(rd_kafka_t *rk, char *json, size_t len, void *opaque)
{
    worker *w = opaque;
    int64_t now = now_ms();
    if (rd_kafka_type(rk) == RD_KAFKA_PRODUCER) {
        int wr = kstats_topic_writable(json, len, w->cfg->out_dlq);
        if (wr >= 0)
            w->snap.dlq_writable = wr && !w->dlq_failed;
        return 0; /* librdkafka frees json */
    }
    kstats_consumer k;
    if (kstats_parse_consumer(json, len, w->cfg->input, &k))
        return 0;
    if (k.brokers_up == 0 && w->snap.brokers_up > 0)
        w->snap.brokers_down_since_ms = now;
    w->snap.brokers_up = k.brokers_up;
    if (k.brokers_up > 0)
        w->snap.brokers_down_since_ms = 0;
    memcpy(w->snap.lag, k.lag, sizeof k.lag[0] * (size_t)k.n_lag);
    w->snap.n_lag = k.n_lag;
    if (k.total_lag == 0 || k.committed_sum != w->committed_sum)
        w->snap.last_progress_ms = now;
    w->committed_sum = k.committed_sum;
    return 0;
}

/* ---- commits ---------------------------------------------------------------------- */

/* Commits every safe offset (optionally only those in `only`). */
static void commit_safe(worker *w, bool sync, const rd_kafka_topic_partition_list_t *only)
{
    ct_commit c[MAX_PARTITIONS_COMMIT];
    size_t n = ct_collect(w->ct, c, MAX_PARTITIONS_COMMIT);
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new((int)n ? (int)n : 1);
    for (size_t i = 0; i < n; i++) {
        if (only && !rd_kafka_topic_partition_list_find(only, w->cfg->input, c[i].partition))
            continue;
        rd_kafka_topic_partition_list_add(l, w->cfg->input, c[i].partition)->offset = c[i].offset;
    }
    if (l->cnt) {
        rd_kafka_resp_err_t err = rd_kafka_commit(w->consumer, l, sync ? 0 : 1);
        if (sync && !err) {
            for (int i = 0; i < l->cnt; i++)
                ct_mark_committed(w->ct, l->elems[i].partition, l->elems[i].offset);
            log_debug("committed", "{s:i}", "partitions", l->cnt);
        } else if (err) {
            log_warn("offset commit failed", "{s:s}", "error", rd_kafka_err2str(err));
        }
    }
    rd_kafka_topic_partition_list_destroy(l);
    w->last_commit_ms = now_ms();
}

/* ---- back-pressure ----------------------------------------------------------------- */

static void set_paused(worker *w, bool pause)
{
    if (w->paused == pause)
        return;
    rd_kafka_topic_partition_list_t *a = NULL;
    if (rd_kafka_assignment(w->consumer, &a) || !a)
        return;
    if (pause)
        rd_kafka_pause_partitions(w->consumer, a);
    else
        rd_kafka_resume_partitions(w->consumer, a);
    log_info(pause ? "input paused (back-pressure)" : "input resumed", "{s:i, s:i}", "partitions", a->cnt,
             "producer_queue", rd_kafka_outq_len(w->producer));
    rd_kafka_topic_partition_list_destroy(a);
    w->paused = pause;
}

static int txn_finish(worker *w, bool commit, int64_t deadline_ms);

/* Hands backlog records to the producer in order. Returns -1 on a
 * non-retriable produce error (fatal for the worker), else 0. */
static int drain_backlog(worker *w)
{
    while (w->bl_head) {
        out_rec *r = w->bl_head;
        rd_kafka_resp_err_t err = outrec_produce(w->producer, r);
        if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            set_paused(w, true);
            return 0;
        }
        if (err && w->txn && !rd_kafka_fatal_error(w->producer, NULL, 0)) {
            /* the transaction is in an abortable state (a delivery in it failed) */
            log_warn("produce failed in a transaction: aborting it", "{s:s, s:s}", "topic", r->topic, "error",
                     rd_kafka_err2str(err));
            return txn_finish(w, false, 0);
        }
        if (err) {
            log_error("produce failed", "{s:s, s:s}", "topic", r->topic, "error", rd_kafka_err2str(err));
            return -1;
        }
        if (r->ticket) { /* at-least-once: the tracker waits for its acknowledgement */
            ct_add_pending(w->ct, r->ticket);
            if (r->last_of_ticket)
                ct_end(w->ct, r->ticket);
        }
        w->bl_head = r->next;
        if (!w->bl_head)
            w->bl_tail = NULL;
        outrec_free(r);
    }
    return 0;
}

/* Drops backlog records of a revoked partition (the new owner redoes them). */
static void drop_backlog_partition(worker *w, int32_t partition)
{
    out_rec **pp = &w->bl_head, *prev = NULL;
    while (*pp) {
        out_rec *r = *pp;
        if (r->src_partition == partition) {
            *pp = r->next;
            outrec_free(r);
        } else {
            prev = r;
            pp = &r->next;
        }
    }
    w->bl_tail = prev;
}

/* ---- exactly-once ------------------------------------------------------------------ */

static void drop_backlog(worker *w)
{
    while (w->bl_head) {
        out_rec *n = w->bl_head->next;
        outrec_free(w->bl_head);
        w->bl_head = n;
    }
    w->bl_tail = NULL;
}

/* While a transactional call is retried the loop does not tick: say we are alive. */
static void txn_wait_tick(worker *w)
{
    w->snap.last_tick_ms = now_ms();
    publish(w);
    rd_kafka_poll(w->producer, 100);
}

/* Exactly-once: ends the open transaction, committing it (after handing
 * every waiting record to the producer) or aborting it. Retriable errors
 * are retried until deadline_ms (0: as long as they stay retriable).
 * After an abort, records not yet produced are dropped and the input is
 * rewound, so those messages are processed again in the next transaction.
 * Returns -1 on a fatal error (the worker stops with exit 1), else 0. */
static int txn_finish(worker *w, bool commit, int64_t deadline_ms)
{
    while (commit && w->bl_head) {
        if (drain_backlog(w))
            return -1;
        if (!w->bl_head || !txn_open(w->txn))
            break;
        rd_kafka_poll(w->producer, 10);
        if (deadline_ms && now_ms() >= deadline_ms)
            commit = false; /* cannot hand everything over in time: abort instead */
    }
    txn_status s;
    for (;;) {
        s = commit ? txn_commit(w->txn, TXN_CALL_MS) : txn_abort(w->txn, TXN_CALL_MS);
        if (s != TXN_RETRY || (deadline_ms && now_ms() >= deadline_ms))
            break;
        txn_wait_tick(w);
    }
    if (s == TXN_RETRY && commit) /* out of time: leave nothing half-committed behind */
        s = txn_abort(w->txn, TXN_CALL_MS);
    if (s == TXN_ABORTED) {
        drop_backlog(w);
        txn_rewind(w->txn);
    } else if (s == TXN_OK && commit) {
        w->snap.last_progress_ms = now_ms(); /* the consumer's own committed offsets do not move in this mode */
    }
    if (s == TXN_FATAL || s == TXN_RETRY) {
        w->fatal = s == TXN_FATAL;
        return s == TXN_FATAL ? -1 : 0;
    }
    return 0;
}

/* ---- rebalance ---------------------------------------------------------------------- */

static void on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts, void *opaque)
{
    worker *w = opaque;
    w->snap.rebalances++;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        w->snap.joined = true;
        w->ever_assigned = true;
        w->snap.assigned_partitions += parts->cnt;
        log_info("partitions assigned", "{s:i, s:s}", "count", parts->cnt, "protocol", rd_kafka_rebalance_protocol(rk));
        if (w->cooperative) {
            rd_kafka_error_t *e = rd_kafka_incremental_assign(rk, parts);
            if (e) {
                log_error("incremental assign failed", "{s:s}", "error", rd_kafka_error_string(e));
                rd_kafka_error_destroy(e);
            }
        } else {
            rd_kafka_assign(rk, parts);
        }
        if (w->paused)
            rd_kafka_pause_partitions(rk, parts);
        return;
    }
    bool lost = rd_kafka_assignment_lost(rk);
    log_info(lost ? "partitions lost" : "partitions revoked", "{s:i}", "count", parts->cnt);
    /* exactly-once: what was processed is committed with its offsets before the partitions go (or, when
     * they were lost, aborted: the new owner redoes it) */
    if (w->txn && !w->fatal && txn_finish(w, !lost, now_ms() + w->cfg->shutdown_timeout_ms))
        w->fatal = true;
    if (lost)
        w->snap.joined = false; /* the session expired: not a member until the next assignment */
    w->snap.assigned_partitions -= w->cooperative ? parts->cnt : w->snap.assigned_partitions;
    for (int i = 0; i < parts->cnt; i++)
        drop_backlog_partition(w, parts->elems[i].partition);
    if (!lost && !w->txn) {
        /* finish what is in flight so its offsets can be committed now */
        rd_kafka_flush(w->producer, (int)w->cfg->shutdown_timeout_ms);
        commit_safe(w, true, parts);
    }
    for (int i = 0; i < parts->cnt; i++)
        ct_revoke(w->ct, parts->elems[i].partition);
    if (w->cooperative) {
        rd_kafka_error_t *e = rd_kafka_incremental_unassign(rk, parts);
        if (e)
            rd_kafka_error_destroy(e);
    } else {
        rd_kafka_assign(rk, NULL);
    }
}

/* ---- processing ------------------------------------------------------------------------- */

static void append_backlog(worker *w, rec_list *l, ct_ticket *t, int32_t partition)
{
    for (out_rec *r = l->head; r; r = r->next) {
        r->ticket = t;
        r->src_partition = partition;
        r->last_of_ticket = r->next == NULL;
    }
    if (w->bl_tail)
        w->bl_tail->next = l->head;
    else
        w->bl_head = l->head;
    w->bl_tail = l->tail;
    memset(l, 0, sizeof *l);
}

/* Processing time since t0 (monotonic) and end-to-end latency since the
 * message's timestamp (wall clock; -1: the message has none). */
static void observe_times(worker *w, const struct timespec *t0, int64_t msg_ts_ms)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
    metrics_observe(&w->snap.processing, METRICS_PROC_BOUNDS, METRICS_PROC_BUCKETS, secs);
    if (msg_ts_ms >= 0) {
        clock_gettime(CLOCK_REALTIME, &t1);
        double now_wall = (double)t1.tv_sec + (double)t1.tv_nsec / 1e9;
        metrics_observe(&w->snap.e2e, METRICS_E2E_BOUNDS, METRICS_E2E_BUCKETS, now_wall - (double)msg_ts_ms / 1000.0);
    }
}

/* Processes one input message. Returns -1 when the worker must stop. */
static int process(worker *w, const rd_kafka_message_t *m)
{
    struct timespec t0_ns;
    clock_gettime(CLOCK_MONOTONIC, &t0_ns);
    w->snap.consumed++;
    if (w->txn && txn_begin(w->txn) != TXN_OK)
        return -1;
    /* at-least-once tracks acknowledgements per message; a transaction commits them together */
    ct_ticket *t = w->txn ? NULL : ct_begin(w->ct, m->partition, m->offset);
    if (!t && !w->txn) {
        log_error("out of memory tracking offsets", NULL);
        return -1;
    }
    rec_list l = {0};
    ingest_reason why;
    int dead = outrec_for_message(&w->out, m, &l, w->on_article, w->ud, &why);
    if (dead < 0) {
        log_error("out of memory building a DLQ record", NULL);
        return -1;
    }
    if (dead)
        w->snap.dlq[why <= INGEST_ERR_INTERNAL ? why : INGEST_ERR_INTERNAL]++;
    append_backlog(w, &l, t, m->partition);
    if (w->txn)
        txn_processed(w->txn, m->partition, m->offset);
    observe_times(w, &t0_ns, rd_kafka_message_timestamp(m, NULL));
    return drain_backlog(w);
}

/* ---- setup ------------------------------------------------------------------------------- */

static bool has_kafka_prop(const config *c, const char *key)
{
    for (int i = 0; i < c->n_kafka; i++)
        if (!strcmp(c->kafka[i].key, key))
            return true;
    return false;
}

/* Worker defaults first, then every -X property (which may override them). */
static rd_kafka_conf_t *make_conf(worker *w, const char *brokers, bool consumer)
{
    const config *c = w->cfg;
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char interval[32];
    snprintf(interval, sizeof interval, "%ld", c->commit_interval_ms);
    int rc = kconf_set(conf, "bootstrap.servers", brokers) || kconf_set(conf, "client.id", "ingest-worker") ||
             kconf_set(conf, "internal.termination.signal", "0") ||
             kconf_set(conf, "statistics.interval.ms", "1000"); /* health and lag come from statistics */
    if (consumer) {
        rc = rc || kconf_set(conf, "group.id", c->group) || kconf_set(conf, "enable.auto.commit", "false") ||
             kconf_set(conf, "enable.auto.offset.store", "false") || kconf_set(conf, "auto.offset.reset", "earliest") ||
             kconf_set(conf, "partition.assignment.strategy", "cooperative-sticky") ||
             kconf_set(conf, "enable.partition.eof", "false") || kconf_tune(conf, true);
        if (*c->instance_id)
            rc = rc || kconf_set(conf, "group.instance.id", c->instance_id);
    } else {
        rc = rc || kconf_set(conf, "enable.idempotence", "true") || kconf_tune(conf, false) ||
             kconf_set(conf, "acks", "all");
        if (txn_enabled(c))
            rc = rc || txn_configure(conf, c);
        else if (has_kafka_prop(c, "transactional.id")) {
            fprintf(stderr, "ingest-worker: librdkafka property transactional.id: needs --guarantee exactly-once\n");
            rc = -1;
        }
    }
    rc = rc || kconf_apply_user(conf, c, consumer, NULL);
    if (rc) {
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    rd_kafka_conf_set_opaque(conf, w);
    rd_kafka_conf_set_error_cb(conf, on_error);
    rd_kafka_conf_set_stats_cb(conf, on_stats);
    if (consumer) {
        rd_kafka_conf_set_rebalance_cb(conf, on_rebalance);
        rd_kafka_conf_set_offset_commit_cb(conf, on_commit);
    } else {
        rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    }
    return conf;
}

int kafka_worker_check_config(const config *c)
{
    worker w = {.cfg = c};
    for (int consumer = 0; consumer < 2; consumer++) {
        rd_kafka_conf_t *conf = make_conf(&w, c->brokers, consumer);
        if (!conf)
            return 2;
        rd_kafka_conf_destroy(conf);
    }
    return 0;
}

static int setup(worker *w, const char *brokers)
{
    char err[512];
    rd_kafka_conf_t *pc = make_conf(w, brokers, false);
    if (!pc)
        return 2;
    w->out.max_record_bytes = kconf_max_record_bytes(pc);
    w->producer = rd_kafka_new(RD_KAFKA_PRODUCER, pc, err, sizeof err);
    if (!w->producer) {
        rd_kafka_conf_destroy(pc);
        fprintf(stderr, "ingest-worker: producer: %s\n", err);
        return 2;
    }
    w->dlq_topic = rd_kafka_topic_new(w->producer, w->cfg->out_dlq, NULL);
    rd_kafka_conf_t *cc = make_conf(w, brokers, true);
    if (!cc)
        return 2;
    char strat[128];
    size_t sl = sizeof strat;
    w->cooperative = rd_kafka_conf_get(cc, "partition.assignment.strategy", strat, &sl) == RD_KAFKA_CONF_OK &&
                     strstr(strat, "cooperative");
    w->consumer = rd_kafka_new(RD_KAFKA_CONSUMER, cc, err, sizeof err);
    if (!w->consumer) {
        rd_kafka_conf_destroy(cc);
        fprintf(stderr, "ingest-worker: consumer: %s\n", err);
        return 2;
    }
    rd_kafka_poll_set_consumer(w->consumer);
    if (txn_enabled(w->cfg)) {
        w->txn = txn_new(w->producer, w->consumer, w->cfg->input, w->cfg->txn_batch, w->cfg->txn_interval_ms);
        if (!w->txn || txn_init(w->txn, TXN_INIT_MS) != TXN_OK)
            return 1;
    }
    rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, w->cfg->input, RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t e = rd_kafka_subscribe(w->consumer, topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (e) {
        log_error("subscribe failed", "{s:s}", "error", rd_kafka_err2str(e));
        return 1;
    }
    return 0;
}

/* librdkafka before 2.3.0 asserts (aborting the process) in rd_kafka_destroy of a cooperative-sticky
 * consumer that is stopped after the group chose its assignor but before its first assignment came:
 * the assignor's state is still NULL (librdkafka #4312, fixed by #4381 in 2.3.0; Debian 12 ships
 * 2.0.2). Such a consumer never held a partition, so nothing of it needs freeing before the process
 * ends: its handle is kept here, reachable (no leak to the sanitizers), after rd_kafka_consumer_close
 * has left the group. */
#define LIBRDKAFKA_FIXED_4312 0x020300ff
enum { KEPT_CONSUMERS = 8 };
static rd_kafka_t *kept_consumers[KEPT_CONSUMERS];

static bool destroy_would_abort(const worker *w)
{
    return w->cooperative && !w->ever_assigned && rd_kafka_version() < LIBRDKAFKA_FIXED_4312;
}

/* Keeps rk until exit; false when KEPT_CONSUMERS are kept already (a process running many workers). */
static bool keep_consumer(rd_kafka_t *rk)
{
    for (size_t i = 0; i < KEPT_CONSUMERS; i++)
        if (!kept_consumers[i]) {
            kept_consumers[i] = rk;
            return true;
        }
    return false;
}

static void release_consumer(worker *w)
{
    rd_kafka_consumer_close(w->consumer);
    if (destroy_would_abort(w) && keep_consumer(w->consumer))
        log_info("consumer left unassigned: its handle is kept until exit (librdkafka #4312)", NULL);
    else
        rd_kafka_destroy(w->consumer);
    w->consumer = NULL;
}

/* Stop: hand over the backlog and wait for acks (bounded), commit what is
 * safe, leave the group, destroy. Unacknowledged work is not committed,
 * so the next owner of its partition processes it again: nothing is lost. */
static void shutdown_worker(worker *w)
{
    int64_t deadline = now_ms() + w->cfg->shutdown_timeout_ms;
    w->snap.shutting_down = true; /* /readyz turns 503 first, so the pod leaves the service */
    w->snap.last_tick_ms = now_ms();
    publish(w);
    if (w->txn && !w->fatal) {
        /* exactly-once: commit what was processed, or abort it when that cannot be done in time */
        txn_finish(w, true, deadline);
        if (txn_open(w->txn))
            log_warn("stopping with an open transaction; the next instance with this transactional.id aborts it",
                     NULL);
    } else if (w->consumer && w->producer && !w->txn) {
        while (now_ms() < deadline && !w->fatal) {
            if (drain_backlog(w))
                break;
            if (!w->bl_head && rd_kafka_outq_len(w->producer) == 0)
                break;
            rd_kafka_poll(w->producer, 20);
        }
        commit_safe(w, true, NULL);
        size_t left = ct_open_messages(w->ct);
        if (left)
            log_warn("stopping with unacknowledged messages; they will be processed again", "{s:i}", "messages",
                     (int)left);
    }
    if (w->consumer)
        release_consumer(w);
    drop_backlog(w);
    if (w->dlq_topic)
        rd_kafka_topic_destroy(w->dlq_topic);
    if (w->producer) {
        rd_kafka_purge(w->producer, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        rd_kafka_poll(w->producer, 0); /* delivery reports of purged messages release their tickets */
        rd_kafka_destroy(w->producer);
    }
    ct_free(w->ct);
    if (w->txn) {
        const txn_stats *ts = txn_get_stats(w->txn);
        log_info("transactions", "{s:I, s:I, s:I}", "begun", (json_int_t)ts->begun, "committed",
                 (json_int_t)ts->committed, "aborted", (json_int_t)ts->aborted);
    }
    txn_free(w->txn);
    uint64_t produced = 0, dlq = 0;
    for (int i = 0; i < MT_N_TOPICS; i++)
        produced += w->snap.produced[i];
    for (int i = 0; i <= INGEST_ERR_INTERNAL; i++)
        dlq += w->snap.dlq[i];
    log_info("stopped", "{s:I, s:I, s:I}", "consumed", (json_int_t)w->snap.consumed, "produced",
             (json_int_t)produced, "dead_lettered", (json_int_t)dlq);
}

/* Once per loop pass: SIGHUP's lexicon reload (between two messages, so
 * no message sees a half-swapped state), then the snapshot is published. */
static void tick(worker *w, const kw_options *o)
{
    if (signals_reload_requested() && o->reload) {
        const lexicons *nl = o->reload(o->reload_ud);
        if (nl) {
            w->out.lx = nl; /* the lexicons records are built with; the old ones are freed */
            w->snap.lexicon_reloads_ok++;
        } else {
            w->snap.lexicon_reloads_failed++;
        }
    }
    w->snap.last_tick_ms = now_ms();
    w->snap.producer_queue = rd_kafka_outq_len(w->producer);
    w->snap.paused = w->paused;
    w->snap.producer_fatal = w->fatal;
    publish(w);
}

int kafka_worker_run(const kw_options *o)
{
    worker w = {.cfg = o->cfg, .on_article = o->on_article, .ud = o->ud, .metrics = o->metrics};
    metrics_snapshot_init(&w.snap, now_ms());
    publish(&w);
    config_limits(o->cfg, &w.lim);
    w.topics = (out_topics){o->cfg->out_normalized, o->cfg->out_entities, o->cfg->out_events, o->cfg->out_dlq};
    w.out = (outrec_ctx){&w.topics, o->lx, &w.lim, 0, false};
    w.ct = ct_new();
    if (!w.ct)
        return 1;
    const char *brokers = o->brokers ? o->brokers : o->cfg->brokers;
    int rc = setup(&w, brokers);
    if (rc) {
        shutdown_worker(&w);
        return rc;
    }
    log_info("worker started", "{s:s, s:s, s:s, s:s}", "brokers", brokers, "group", o->cfg->group, "input",
             o->cfg->input, "guarantee", o->cfg->guarantee);
    w.last_commit_ms = now_ms();
    while (!signals_stop_requested() && !w.fatal) {
        tick(&w, o);
        if (w.bl_head && drain_backlog(&w)) {
            rc = 1;
            break;
        }
        size_t outq = (size_t)rd_kafka_outq_len(w.producer);
        if (outq >= (size_t)o->cfg->max_inflight)
            set_paused(&w, true);
        else if (w.paused && !w.bl_head && outq <= (size_t)o->cfg->max_inflight / 2)
            set_paused(&w, false);
        rd_kafka_message_t *m = rd_kafka_consumer_poll(w.consumer, w.paused ? 10 : POLL_MS);
        if (m) {
            if (m->err) {
                log_warn("consumer error", "{s:s}", "error", rd_kafka_message_errstr(m));
            } else if (process(&w, m)) {
                rd_kafka_message_destroy(m);
                rc = 1;
                break;
            }
            rd_kafka_message_destroy(m);
        }
        rd_kafka_poll(w.producer, 0);
        if (w.txn) {
            if (!w.bl_head && txn_due(w.txn, now_ms()) && txn_finish(&w, true, 0)) {
                rc = 1;
                break;
            }
            continue;
        }
        if (ct_failed(w.ct)) {
            log_error("a record could not be delivered; stopping without committing past it", NULL);
            rc = 1;
            break;
        }
        if (now_ms() - w.last_commit_ms >= o->cfg->commit_interval_ms)
            commit_safe(&w, false, NULL);
    }
    if (w.fatal)
        rc = 1;
    if (signals_stop_requested())
        log_info("stop requested: flushing and committing", NULL);
    shutdown_worker(&w);
    return rc;
}
