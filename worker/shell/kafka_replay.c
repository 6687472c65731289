/* kafka_replay.c - see include/kafka_replay.h.
 *
 * One thread: it polls the consumer and the producer (whose delivery
 * reports update the commit tracker), so nothing here needs a lock.
 * Order of a run: resolve the ranges (checkpoint, or bounds against the
 * watermarks and the time lookup), write the first checkpoint, assign,
 * loop until every partition is done and every record acknowledged (or a
 * signal), write the last checkpoint.
 */
#include "kafka_replay.h"

#include <jansson.h>
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint.h"
#include "commit_tracker.h"
#include "kafka_conf.h"
#include "log.h"
#include "progress.h"
#include "signals.h"

#define POLL_MS 100
#define QUERY_TIMEOUT_MS 10000

typedef struct replay {
    const replay_options *o;
    const config *cfg;
    rd_kafka_t *consumer, *producer;
    commit_tracker *ct;
    pipeline_limits lim;
    outrec_ctx out;
    replay_summary *s;
    progress prog;
    int64_t t0_ms, last_ckpt_ms;
    uint64_t read; /* messages read in range (processed + skipped) */
    uint64_t total;
    bool fatal;
} replay;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static replay_part *find_part(replay *r, int32_t partition)
{
    for (size_t i = 0; i < r->s->n_parts; i++)
        if (r->s->parts[i].partition == partition)
            return &r->s->parts[i];
    return NULL;
}

/* ---- callbacks ------------------------------------------------------------------- */

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    replay *r = opaque;
    ct_ticket *t = m->_private;
    if (m->err)
        log_error("delivery failed", "{s:s, s:i, s:s}", "topic", rd_kafka_topic_name(m->rkt), "partition",
                  (int)m->partition, "error", rd_kafka_err2str(m->err));
    if (!t)
        return;
    replay_part *p = find_part(r, ct_ticket_partition(t));
    if (p && !m->err) {
        if (!strcmp(rd_kafka_topic_name(m->rkt), r->o->topics->dlq))
            p->dlq++;
        else
            p->records++;
    }
    ct_ack(r->ct, t, m->err == 0);
}

static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    replay *r = opaque;
    if (kconf_log_error(rk, err, reason))
        r->fatal = true;
}

/* ---- clients ---------------------------------------------------------------------- */

/* Consumer: librdkafka's assign needs a group.id, so each run has its own
 * throwaway one (ingest-worker-replay-<pid>-<ms>) that it never joins
 * (no subscribe) and never commits to (no auto commit, no commit call):
 * the live group is never named. Group and commit properties a user
 * passes through -X are ignored. */
static const char *const CONSUMER_SKIP[] = {"group.id", "group.instance.id", "enable.auto.commit",
                                            "enable.auto.offset.store", "enable.partition.eof", NULL};

static int make_clients(replay *r)
{
    const config *c = r->cfg;
    char err[512];
    rd_kafka_conf_t *pc = rd_kafka_conf_new();
    if (kconf_set(pc, "bootstrap.servers", c->brokers) || kconf_set(pc, "client.id", "ingest-worker-replay") ||
        kconf_set(pc, "internal.termination.signal", "0") || kconf_set(pc, "enable.idempotence", "true") ||
        kconf_tune(pc, false) || kconf_set(pc, "acks", "all") || kconf_apply_user(pc, c, false, NULL)) {
        rd_kafka_conf_destroy(pc);
        return 2;
    }
    r->out.max_record_bytes = kconf_max_record_bytes(pc);
    rd_kafka_conf_set_opaque(pc, r);
    rd_kafka_conf_set_error_cb(pc, on_error);
    rd_kafka_conf_set_dr_msg_cb(pc, on_delivery);
    if (!(r->producer = rd_kafka_new(RD_KAFKA_PRODUCER, pc, err, sizeof err))) {
        rd_kafka_conf_destroy(pc);
        fprintf(stderr, "ingest-worker replay: producer: %s\n", err);
        return 2;
    }
    char group[96];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(group, sizeof group, "ingest-worker-replay-%ld-%lld", (long)getpid(),
             (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
    rd_kafka_conf_t *cc = rd_kafka_conf_new();
    if (kconf_set(cc, "bootstrap.servers", c->brokers) || kconf_set(cc, "group.id", group) || kconf_set(cc, "client.id", "ingest-worker-replay") ||
        kconf_set(cc, "internal.termination.signal", "0") || kconf_tune(cc, true) ||
        kconf_apply_user(cc, c, true, CONSUMER_SKIP) ||
        kconf_set(cc, "enable.auto.commit", "false") || kconf_set(cc, "enable.auto.offset.store", "false") ||
        kconf_set(cc, "enable.partition.eof", "true")) {
        rd_kafka_conf_destroy(cc);
        return 2;
    }
    rd_kafka_conf_set_opaque(cc, r);
    rd_kafka_conf_set_error_cb(cc, on_error);
    if (!(r->consumer = rd_kafka_new(RD_KAFKA_CONSUMER, cc, err, sizeof err))) {
        rd_kafka_conf_destroy(cc);
        fprintf(stderr, "ingest-worker replay: consumer: %s\n", err);
        return 2;
    }
    rd_kafka_poll_set_consumer(r->consumer);
    return 0;
}

/* Number of partitions of the input topic; -1 after printing that it does
 * not exist, -2 when the broker did not answer.
 * Asks for every topic's metadata: a request naming the topic would let a
 * broker with auto-creation create a mistyped input. */
static int topic_partitions(replay *r)
{
    const rd_kafka_metadata_t *md = NULL;
    rd_kafka_resp_err_t e = rd_kafka_metadata(r->consumer, 1, NULL, &md, QUERY_TIMEOUT_MS);
    if (e) {
        log_error("cannot read the cluster's metadata", "{s:s}", "error", rd_kafka_err2str(e));
        return -2;
    }
    int n = -1;
    for (int i = 0; i < md->topic_cnt; i++)
        if (!strcmp(md->topics[i].topic, r->cfg->input) && !md->topics[i].err && md->topics[i].partition_cnt > 0)
            n = md->topics[i].partition_cnt;
    rd_kafka_metadata_destroy(md);
    if (n < 0)
        fprintf(stderr, "ingest-worker replay: input topic '%s' does not exist\n", r->cfg->input);
    return n;
}

/* ---- ranges ----------------------------------------------------------------------- */

static bool in_list(const int32_t *ps, size_t n, int32_t p)
{
    for (size_t i = 0; i < n; i++)
        if (ps[i] == p)
            return true;
    return false;
}

/* The partitions to replay, into s->parts (sorted). Returns 0 or 2. */
static int select_partitions(replay *r, int n_topic)
{
    const replay_options *o = r->o;
    int32_t *sel = calloc((size_t)n_topic, sizeof *sel);
    size_t n = 0;
    if (!sel)
        return 2;
    for (int32_t p = 0; p < n_topic; p++) {
        bool want;
        if (o->partitions)
            want = in_list(o->partitions, o->n_partitions, p);
        else if (o->from->kind == RB_PER_PARTITION || o->to->kind == RB_PER_PARTITION)
            want = replay_bound_offset_for(o->from, p) >= 0 || replay_bound_offset_for(o->to, p) >= 0;
        else
            want = true;
        if (want)
            sel[n++] = p;
    }
    /* everything named must exist */
    const replay_bound *bs[] = {o->from, o->to};
    for (size_t i = 0; i < o->n_partitions; i++)
        if (o->partitions[i] >= n_topic) {
            fprintf(stderr, "ingest-worker replay: --partitions: partition %d does not exist (%s has %d)\n",
                    (int)o->partitions[i], r->cfg->input, n_topic);
            free(sel);
            return 2;
        }
    for (int b = 0; b < 2; b++)
        for (size_t i = 0; i < bs[b]->n_parts; i++)
            if (bs[b]->parts[i].partition >= n_topic) {
                fprintf(stderr, "ingest-worker replay: %s: partition %d does not exist (%s has %d)\n",
                        b ? "--to" : "--from", (int)bs[b]->parts[i].partition, r->cfg->input, n_topic);
                free(sel);
                return 2;
            }
    /* a per-partition bound must name every partition replayed */
    for (int b = 0; b < 2; b++)
        for (size_t i = 0; bs[b]->kind == RB_PER_PARTITION && i < n; i++)
            if (replay_bound_offset_for(bs[b], sel[i]) < 0) {
                fprintf(stderr, "ingest-worker replay: %s names no offset for partition %d\n",
                        b ? "--to" : "--from", (int)sel[i]);
                free(sel);
                return 2;
            }
    r->s->parts = calloc(n ? n : 1, sizeof *r->s->parts);
    if (!r->s->parts) {
        free(sel);
        return 2;
    }
    for (size_t i = 0; i < n; i++)
        r->s->parts[i] = (replay_part){.partition = sel[i], .first = -1, .last = -1, .last_read = -1};
    r->s->n_parts = n;
    free(sel);
    return 0;
}

/* Looks up the first offset at or after ts for every selected partition
 * into out[]. Returns 1 when the broker answered, 0 when it cannot (see
 * the header: probe with timestamp 0), -1 on a runtime failure. */
static int lookup_times(replay *r, const int64_t *lo, const int64_t *hi, int64_t ts, int64_t *out)
{
    size_t n = r->s->n_parts;
    rd_kafka_topic_partition_list_t *probe = rd_kafka_topic_partition_list_new((int)n ? (int)n : 1);
    for (size_t i = 0; i < n; i++)
        if (hi[i] > lo[i])
            rd_kafka_topic_partition_list_add(probe, r->cfg->input, r->s->parts[i].partition)->offset = 0;
    if (!probe->cnt) { /* every partition empty: nothing to find */
        rd_kafka_topic_partition_list_destroy(probe);
        for (size_t i = 0; i < n; i++)
            out[i] = hi[i];
        return 1;
    }
    rd_kafka_resp_err_t e = rd_kafka_offsets_for_times(r->consumer, probe, QUERY_TIMEOUT_MS);
    const char *why = e ? rd_kafka_err2str(e) : NULL;
    for (int i = 0; !why && i < probe->cnt; i++)
        if (probe->elems[i].err)
            why = rd_kafka_err2str(probe->elems[i].err);
        else if (probe->elems[i].offset < 0)
            why = "timestamp 0 maps to no offset on a non-empty partition";
    rd_kafka_topic_partition_list_destroy(probe);
    if (why) {
        log_warn("the broker cannot look up offsets by time: reading from the low watermark and filtering on "
                 "message timestamps",
                 "{s:s}", "reason", why);
        return 0;
    }
    rd_kafka_topic_partition_list_t *q = rd_kafka_topic_partition_list_new((int)n ? (int)n : 1);
    for (size_t i = 0; i < n; i++)
        rd_kafka_topic_partition_list_add(q, r->cfg->input, r->s->parts[i].partition)->offset = ts;
    e = rd_kafka_offsets_for_times(r->consumer, q, QUERY_TIMEOUT_MS);
    int rc = 1;
    for (size_t i = 0; i < n && rc == 1; i++) {
        rd_kafka_topic_partition_t *tp = &q->elems[i];
        if (e || tp->err) {
            log_error("offsets-for-times lookup failed", "{s:i, s:s}", "partition", (int)tp->partition, "error",
                      rd_kafka_err2str(e ? e : tp->err));
            rc = -1;
        } else {
            out[i] = tp->offset < 0 ? hi[i] : tp->offset; /* -1: no message at or after ts */
        }
    }
    rd_kafka_topic_partition_list_destroy(q);
    return rc;
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

/* One bound for partition i, given watermarks and time lookup results. */
static int64_t resolve(const replay_bound *b, int32_t partition, int64_t lo, int64_t hi, int64_t looked_up)
{
    switch (b->kind) {
    case RB_BEGINNING: return lo;
    case RB_END: return hi;
    case RB_OFFSET: return clamp(b->offset, lo, hi);
    case RB_PER_PARTITION: return clamp(replay_bound_offset_for(b, partition), lo, hi);
    case RB_TIME: return looked_up;
    }
    return hi;
}

static int watermarks(replay *r, int32_t partition, int64_t *lo, int64_t *hi)
{
    rd_kafka_resp_err_t e =
        rd_kafka_query_watermark_offsets(r->consumer, r->cfg->input, partition, lo, hi, QUERY_TIMEOUT_MS);
    if (e)
        log_error("cannot read watermarks", "{s:i, s:s}", "partition", (int)partition, "error", rd_kafka_err2str(e));
    return e ? -1 : 0;
}

/* Ranges from the bounds. Returns 0, 1 or 2. */
static int resolve_ranges(replay *r, int n_topic)
{
    const replay_options *o = r->o;
    int rc = select_partitions(r, n_topic);
    if (rc)
        return rc;
    size_t n = r->s->n_parts;
    int64_t *lo = calloc(n + 1, sizeof *lo), *hi = calloc(n + 1, sizeof *hi);
    int64_t *tf = calloc(n + 1, sizeof *tf), *tt = calloc(n + 1, sizeof *tt);
    rc = lo && hi && tf && tt ? 0 : 1;
    for (size_t i = 0; i < n && !rc; i++)
        if (watermarks(r, r->s->parts[i].partition, &lo[i], &hi[i]))
            rc = 1;
    bool times = o->from->kind == RB_TIME || o->to->kind == RB_TIME;
    int looked = 1;
    if (!rc && times) {
        int64_t ts = o->from->kind == RB_TIME ? o->from->time_ms : o->to->time_ms;
        looked = lookup_times(r, lo, hi, ts, o->from->kind == RB_TIME ? tf : tt);
        if (looked == 1 && o->from->kind == RB_TIME && o->to->kind == RB_TIME)
            looked = lookup_times(r, lo, hi, o->to->time_ms, tt);
        if (looked < 0)
            rc = 1;
        r->s->time_mode = looked == 1 ? RT_LOOKUP : RT_FILTER;
    }
    for (size_t i = 0; i < n && !rc; i++) {
        replay_part *p = &r->s->parts[i];
        if (looked == 0) { /* filter on timestamps over the whole partition */
            tf[i] = lo[i];
            tt[i] = hi[i];
        }
        p->start = resolve(o->from, p->partition, lo[i], hi[i], tf[i]);
        p->end = resolve(o->to, p->partition, lo[i], hi[i], tt[i]);
        int64_t asked = o->from->kind == RB_OFFSET ? o->from->offset
                        : o->from->kind == RB_PER_PARTITION ? replay_bound_offset_for(o->from, p->partition)
                                                            : -1;
        if (asked >= 0 && asked < lo[i])
            log_warn("--from lies below the oldest retained offset: starting there", "{s:i, s:I, s:I}", "partition",
                     (int)p->partition, "asked", (json_int_t)asked, "low_watermark", (json_int_t)lo[i]);
        if (p->start > p->end)
            p->start = p->end;
        p->next = p->start;
    }
    if (looked == 0) {
        r->s->from_ts = o->from->kind == RB_TIME ? o->from->time_ms : -1;
        r->s->to_ts = o->to->kind == RB_TIME ? o->to->time_ms : -1;
    }
    free(lo);
    free(hi);
    free(tf);
    free(tt);
    return rc;
}

/* Ranges from a checkpoint of an earlier run. Returns 0, 1 or 2. */
static int ranges_from_checkpoint(replay *r, const checkpoint *ck, int n_topic)
{
    if (strcmp(ck->topic, r->cfg->input)) {
        fprintf(stderr, "ingest-worker replay: checkpoint %s is for topic '%s', not '%s'\n", r->cfg->checkpoint,
                ck->topic, r->cfg->input);
        return 2;
    }
    r->s->parts = calloc(ck->n_parts ? ck->n_parts : 1, sizeof *r->s->parts);
    if (!r->s->parts)
        return 1;
    for (size_t i = 0; i < ck->n_parts; i++) {
        const ckpt_part *c = &ck->parts[i];
        if (c->partition >= n_topic) {
            fprintf(stderr, "ingest-worker replay: checkpoint %s names partition %d; %s has %d\n", r->cfg->checkpoint,
                    (int)c->partition, r->cfg->input, n_topic);
            return 2;
        }
        int64_t lo, hi;
        if (watermarks(r, c->partition, &lo, &hi))
            return 1;
        int64_t start = c->next;
        if (start < lo && start < c->end) {
            log_warn("checkpoint offset lies below the oldest retained offset: resuming there", "{s:i, s:I, s:I}",
                     "partition", (int)c->partition, "checkpoint", (json_int_t)c->next, "low_watermark",
                     (json_int_t)lo);
            start = lo < c->end ? lo : c->end;
        }
        r->s->parts[r->s->n_parts++] = (replay_part){.partition = c->partition, .start = start, .end = c->end,
                                                     .next = start, .first = -1, .last = -1, .last_read = -1};
    }
    r->s->from_ts = ck->from_ts;
    r->s->to_ts = ck->to_ts;
    r->s->time_mode = ck->from_ts >= 0 || ck->to_ts >= 0 ? RT_FILTER : RT_NONE;
    r->s->resumed = true;
    log_info("resuming from checkpoint (its ranges replace --from/--to/--partitions)", "{s:s, s:i}", "checkpoint",
             r->cfg->checkpoint, "partitions", (int)ck->n_parts);
    return 0;
}

/* ---- checkpoint -------------------------------------------------------------------- */

/* The acknowledged position of each partition; a done partition whose
 * every read message is acknowledged is at its end (gaps such as
 * compacted offsets or transaction markers need no records). */
static void update_next(replay *r)
{
    for (size_t i = 0; i < r->s->n_parts; i++) {
        replay_part *p = &r->s->parts[i];
        int64_t safe = ct_safe_offset(r->ct, p->partition);
        if (safe > p->next)
            p->next = safe;
        if (p->done && (p->last_read < 0 || p->next > p->last_read))
            p->next = p->end;
    }
}

static int write_checkpoint(replay *r)
{
    r->last_ckpt_ms = now_ms();
    if (!*r->cfg->checkpoint || r->s->dry_run)
        return 0;
    update_next(r);
    ckpt_part *cp = calloc(r->s->n_parts ? r->s->n_parts : 1, sizeof *cp);
    if (!cp)
        return -1;
    for (size_t i = 0; i < r->s->n_parts; i++)
        cp[i] = (ckpt_part){r->s->parts[i].partition, r->s->parts[i].next, r->s->parts[i].end};
    checkpoint ck = {r->cfg->input, r->s->from_ts, r->s->to_ts, cp, r->s->n_parts};
    char err[512];
    int rc = checkpoint_write(r->cfg->checkpoint, &ck, err, sizeof err);
    if (rc)
        log_error("cannot write the checkpoint", "{s:s}", "error", err);
    free(cp);
    return rc;
}

/* ---- the loop ----------------------------------------------------------------------- */

static void mark_done(replay *r, replay_part *p)
{
    if (p->done)
        return;
    p->done = true;
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(l, r->cfg->input, p->partition);
    rd_kafka_pause_partitions(r->consumer, l); /* nothing more to fetch here */
    rd_kafka_topic_partition_list_destroy(l);
    log_debug("partition done", "{s:i}", "partition", (int)p->partition);
}

static bool all_done(const replay *r)
{
    for (size_t i = 0; i < r->s->n_parts; i++)
        if (!r->s->parts[i].done)
            return false;
    return true;
}

static bool outside_window(const replay *r, int64_t ts)
{
    return (r->s->from_ts >= 0 && ts < r->s->from_ts) || (r->s->to_ts >= 0 && ts >= r->s->to_ts);
}

/* Hands the records of one message to the producer, waiting while its
 * queue is full. Returns 0 when all were handed over, 1 when a stop signal
 * interrupted (the ticket stays guarded: never checkpointed past), -1 on a
 * produce error. */
static int produce_all(replay *r, rec_list *l, ct_ticket *t)
{
    for (out_rec *rec = l->head; rec; rec = rec->next) {
        rec->ticket = t;
        for (;;) {
            rd_kafka_resp_err_t err = outrec_produce(r->producer, rec);
            if (!err)
                break;
            if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                log_error("produce failed", "{s:s, s:s}", "topic", rec->topic, "error", rd_kafka_err2str(err));
                return -1;
            }
            if (signals_stop_requested())
                return 1;
            rd_kafka_poll(r->producer, 10);
        }
        ct_add_pending(r->ct, t);
    }
    ct_end(r->ct, t);
    return 0;
}

/* One message of the input. Returns -1 when the replay must stop. */
static int handle(replay *r, const rd_kafka_message_t *m)
{
    replay_part *p = find_part(r, m->partition);
    if (!p || p->done || m->offset < p->start)
        return 0;
    if (m->offset >= p->end) {
        mark_done(r, p);
        return 0;
    }
    ct_ticket *t = ct_begin(r->ct, m->partition, m->offset);
    if (!t) {
        log_error("out of memory tracking offsets", NULL);
        return -1;
    }
    r->read++;
    p->last_read = m->offset;
    int rc = 0;
    if (outside_window(r, rd_kafka_message_timestamp(m, NULL))) {
        p->skipped++;
        ct_end(r->ct, t);
    } else {
        p->messages++;
        if (p->first < 0)
            p->first = m->offset;
        p->last = m->offset;
        if (r->s->dry_run) {
            ct_end(r->ct, t);
        } else {
            rec_list l = {0};
            if (outrec_for_message(&r->out, m, &l, NULL, NULL, NULL) < 0) {
                log_error("out of memory building a DLQ record", NULL);
                return -1;
            }
            rc = produce_all(r, &l, t);
            outrec_list_free(&l);
        }
    }
    if (m->offset + 1 >= p->end)
        mark_done(r, p);
    return rc < 0 ? -1 : 0;
}

static uint64_t sum(const replay *r, int what)
{
    uint64_t n = 0;
    for (size_t i = 0; i < r->s->n_parts; i++)
        n += what == 0 ? r->s->parts[i].records : r->s->parts[i].dlq;
    return n;
}

/* Waits (with the rate limit) until another message may be read. */
static bool rate_allows(replay *r)
{
    if (!r->o->rate)
        return true;
    double secs = (double)(now_ms() - r->t0_ms) / 1000.0;
    return (double)r->read < (double)r->o->rate * secs + 1.0;
}

static int assign(replay *r)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new((int)r->s->n_parts + 1);
    for (size_t i = 0; i < r->s->n_parts; i++) {
        replay_part *p = &r->s->parts[i];
        if (p->start >= p->end) {
            p->done = true;
            continue;
        }
        rd_kafka_topic_partition_list_add(l, r->cfg->input, p->partition)->offset = p->start;
    }
    rd_kafka_resp_err_t e = l->cnt ? rd_kafka_assign(r->consumer, l) : RD_KAFKA_RESP_ERR_NO_ERROR;
    rd_kafka_topic_partition_list_destroy(l);
    if (e)
        log_error("assign failed", "{s:s}", "error", rd_kafka_err2str(e));
    return e ? -1 : 0;
}

static int loop(replay *r)
{
    if (assign(r))
        return 1;
    int rc = 0;
    while (!signals_stop_requested()) {
        if (r->fatal || ct_failed(r->ct)) {
            log_error("stopping: a record could not be delivered or the client failed", NULL);
            rc = 1;
            break;
        }
        int64_t now = now_ms();
        progress_report(&r->prog, r->read, sum(r, 0), sum(r, 1), now, false);
        if (now - r->last_ckpt_ms >= r->cfg->commit_interval_ms && write_checkpoint(r)) {
            rc = 1;
            break;
        }
        if (all_done(r)) {
            if (ct_pending(r->ct) == 0)
                break;
            rd_kafka_poll(r->producer, 50);
            continue;
        }
        if (!rate_allows(r) || rd_kafka_outq_len(r->producer) >= r->cfg->max_inflight) {
            rd_kafka_poll(r->producer, 10);
            continue;
        }
        rd_kafka_message_t *m = rd_kafka_consumer_poll(r->consumer, POLL_MS);
        if (m) {
            if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                replay_part *p = find_part(r, m->partition);
                if (p && m->offset >= p->end)
                    mark_done(r, p);
            } else if (m->err) {
                log_warn("consumer error", "{s:s}", "error", rd_kafka_message_errstr(m));
            } else if (handle(r, m)) {
                rc = 1;
            }
            rd_kafka_message_destroy(m);
            if (rc)
                break;
        }
        rd_kafka_poll(r->producer, 0);
    }
    return rc;
}

/* After a signal: give in-flight records a bounded time to be acknowledged. */
static void drain(replay *r)
{
    int64_t deadline = now_ms() + r->cfg->shutdown_timeout_ms;
    while (ct_pending(r->ct) && now_ms() < deadline && !r->fatal)
        rd_kafka_poll(r->producer, 20);
}

static void shutdown_clients(replay *r)
{
    if (r->consumer) {
        rd_kafka_consumer_close(r->consumer);
        rd_kafka_destroy(r->consumer);
    }
    if (r->producer) {
        rd_kafka_purge(r->producer, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
        rd_kafka_poll(r->producer, 0); /* purged messages' reports release their tickets */
        rd_kafka_destroy(r->producer);
    }
}

static void finish_summary(replay *r)
{
    update_next(r);
    bool complete = !signals_stop_requested();
    for (size_t i = 0; i < r->s->n_parts; i++)
        complete = complete && r->s->parts[i].done && r->s->parts[i].next >= r->s->parts[i].end;
    r->s->complete = complete;
    r->s->seconds = (double)(now_ms() - r->t0_ms) / 1000.0;
}

/* Dry run without a timestamp filter: the ranges are the counts. */
static void count_ranges(replay *r)
{
    for (size_t i = 0; i < r->s->n_parts; i++) {
        replay_part *p = &r->s->parts[i];
        p->messages = (uint64_t)(p->end - p->start);
        p->first = p->end > p->start ? p->start : -1;
        p->last = p->end > p->start ? p->end - 1 : -1;
        p->done = true;
    }
}

static int prepare(replay *r)
{
    int rc = make_clients(r);
    if (rc)
        return rc;
    int n_topic = topic_partitions(r);
    if (n_topic < 0)
        return n_topic == -1 ? 2 : 1;
    checkpoint ck = {0};
    char err[512];
    int have = *r->cfg->checkpoint ? checkpoint_read(r->cfg->checkpoint, &ck, err, sizeof err) : 0;
    if (have < 0) {
        fprintf(stderr, "ingest-worker replay: %s\n", err);
        return 2;
    }
    rc = have ? ranges_from_checkpoint(r, &ck, n_topic) : resolve_ranges(r, n_topic);
    checkpoint_free(&ck);
    return rc;
}

int kafka_replay_run(const replay_options *o, replay_summary *s)
{
    memset(s, 0, sizeof *s);
    s->from_ts = s->to_ts = -1;
    s->dry_run = o->cfg->dry_run;
    replay r = {.o = o, .cfg = o->cfg, .s = s, .t0_ms = now_ms()};
    config_limits(o->cfg, &r.lim);
    r.out = (outrec_ctx){o->topics, o->lx, &r.lim, 0, true};
    r.ct = ct_new();
    int rc = r.ct ? prepare(&r) : 1;
    if (!rc) {
        for (size_t i = 0; i < s->n_parts; i++)
            r.total += (uint64_t)(s->parts[i].end - s->parts[i].start);
        log_info("replay started", "{s:s, s:i, s:I, s:s, s:b, s:b}", "input", o->cfg->input, "partitions",
                 (int)s->n_parts, "messages_in_range", (json_int_t)r.total, "time_bounds",
                 s->time_mode == RT_LOOKUP ? "lookup" : s->time_mode == RT_FILTER ? "filter" : "none", "dry_run",
                 s->dry_run, "resumed", s->resumed);
        progress_init(&r.prog, o->tty, o->cfg->progress_interval_ms, r.total, now_ms());
        if (write_checkpoint(&r))
            rc = 1;
    }
    if (!rc) {
        if (s->dry_run && s->time_mode != RT_FILTER)
            count_ranges(&r);
        else
            rc = loop(&r);
        if (signals_stop_requested())
            log_info("stop requested: waiting for acknowledgements, writing the checkpoint", NULL);
        drain(&r);
        progress_report(&r.prog, r.read, sum(&r, 0), sum(&r, 1), now_ms(), true);
        progress_end(&r.prog);
        if (write_checkpoint(&r))
            rc = 1;
    }
    finish_summary(&r);
    shutdown_clients(&r);
    ct_free(r.ct);
    return rc;
}

void replay_summary_free(replay_summary *s)
{
    if (!s)
        return;
    free(s->parts);
    s->parts = NULL;
    s->n_parts = 0;
}
