/* outrec.c - see include/outrec.h. */
#include "outrec.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

void outrec_free(out_rec *r)
{
    if (!r)
        return;
    if (r->hdrs)
        rd_kafka_headers_destroy(r->hdrs);
    free(r->key);
    free(r->value);
    free(r);
}

void outrec_list_free(rec_list *l)
{
    out_rec *r = l->head;
    while (r) {
        out_rec *n = r->next;
        outrec_free(r);
        r = n;
    }
    memset(l, 0, sizeof *l);
}

/* A record that takes over value (malloc'd; freed with the record, or by the producer once
 * produced), with a copy of the key. NULL when memory ran out (value is then not taken). */
static out_rec *new_rec_owned(const char *topic, const char *key, size_t key_len, char *value, size_t value_len)
{
    out_rec *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->topic = topic;
    if (key) {
        r->key = malloc(key_len ? key_len : 1);
        if (!r->key) {
            free(r);
            return NULL;
        }
        memcpy(r->key, key, key_len);
        r->key_len = key_len;
    }
    r->value = value;
    r->value_len = value_len;
    return r;
}

/* A record with copies of key and value (the DLQ copy of an input message). */
static out_rec *new_rec(const char *topic, const char *key, size_t key_len, const char *value, size_t value_len)
{
    char *v = malloc(value_len ? value_len : 1);
    if (!v)
        return NULL;
    memcpy(v, value, value_len);
    out_rec *r = new_rec_owned(topic, key, key_len, v, value_len);
    if (!r)
        free(v);
    return r;
}

static void list_add(rec_list *l, out_rec *r, size_t max_bytes)
{
    if (!r) {
        l->oom = true;
        return;
    }
    if (r->value_len + r->key_len > max_bytes)
        l->too_large = true;
    if (l->tail)
        l->tail->next = r;
    else
        l->head = r;
    l->tail = r;
    l->n++;
}

/* Adds a serialized record; the record takes json over (no copy), or it is freed here. */
static void add_json(rec_list *l, const char *topic, const char *key, char *json, size_t len, size_t max_bytes)
{
    out_rec *r = new_rec_owned(topic, key, strlen(key), json, len);
    if (!r)
        free(json);
    list_add(l, r, max_bytes);
}

void outrec_build(const outrec_ctx *c, const pipeline_result *r, const record_source *src, rec_list *l)
{
    const out_topics *t = c->topics;
    size_t n = 1 + r->n_entities + r->n_events;
    record_json *rj = malloc(n * sizeof *rj);
    if (!rj || record_all_json(r, src, rj)) { /* all records serialized together: shared parts once */
        free(rj);
        l->oom = true;
        return;
    }
    add_json(l, t->normalized, r->art.id, rj[0].json, rj[0].len, c->max_record_bytes);
    for (size_t i = 0; i < r->n_entities; i++)
        add_json(l, t->entities, r->entities[i].id, rj[1 + i].json, rj[1 + i].len, c->max_record_bytes);
    for (size_t i = 0; i < r->n_events; i++)
        add_json(l, t->events, r->art.id, rj[1 + r->n_entities + i].json, rj[1 + r->n_entities + i].len,
                 c->max_record_bytes);
    free(rj);
}

static int add_header(rd_kafka_headers_t *h, const char *name, const char *value)
{
    return rd_kafka_header_add(h, name, -1, value, -1) ? -1 : 0;
}

/* Bytes of a header list's names and values (what it adds to a record). */
static size_t headers_bytes(const rd_kafka_headers_t *h)
{
    size_t n = 0, vlen;
    const char *name;
    const void *val;
    for (size_t i = 0; h && rd_kafka_header_get_all(h, i, &name, &val, &vlen) == RD_KAFKA_RESP_ERR_NO_ERROR; i++)
        n += strlen(name) + vlen;
    return n;
}

/* The DLQ copy: original key, value and headers byte for byte, plus the
 * contract's x-ingest-* headers. An input the producer could not send on
 * (over its message.max.bytes, which the input cluster may allow) would be
 * refused on every restart, a poison pill: its copy keeps key and headers
 * while they fit but not the value, and the detail says so. */
static out_rec *dlq_record(const char *topic, const rd_kafka_message_t *m, const ingest_error *e, size_t max_bytes)
{
    rd_kafka_headers_t *orig = NULL;
    if (rd_kafka_message_headers(m, &orig) != RD_KAFKA_RESP_ERR_NO_ERROR)
        orig = NULL;
    size_t hb = headers_bytes(orig) + 256 + INGEST_DETAIL_MAX; /* with the x-ingest-* headers */
    bool keep_key = m->key && m->key_len + hb <= max_bytes;
    bool keep_value = m->len + (keep_key ? m->key_len : 0) + hb <= max_bytes;
    out_rec *r = new_rec(topic, m->key, keep_key ? m->key_len : 0, keep_value && m->payload ? m->payload : "",
                         keep_value ? m->len : 0);
    if (!r)
        return NULL;
    if (!keep_key) {
        free(r->key);
        r->key = NULL;
    }
    char detail[INGEST_DETAIL_MAX + 128];
    if (keep_value)
        snprintf(detail, sizeof detail, "%s", e->detail);
    else
        snprintf(detail, sizeof detail, "%s; not copied: the %s (%zu bytes) exceeds the producer's message.max.bytes",
                 e->detail, keep_key || !m->key ? "value" : "key and value", m->len + m->key_len);
    r->hdrs = orig && headers_bytes(orig) + 256 + INGEST_DETAIL_MAX <= max_bytes ? rd_kafka_headers_copy(orig)
                                                                                 : rd_kafka_headers_new(6);
    char part[16], off[32];
    snprintf(part, sizeof part, "%" PRId32, m->partition);
    snprintf(off, sizeof off, "%" PRId64, m->offset);
    if (!r->hdrs || add_header(r->hdrs, "x-ingest-error", ingest_reason_code(e->reason)) ||
        add_header(r->hdrs, "x-ingest-error-detail", detail) ||
        add_header(r->hdrs, "x-ingest-source-topic", rd_kafka_topic_name(m->rkt)) ||
        add_header(r->hdrs, "x-ingest-source-partition", part) || add_header(r->hdrs, "x-ingest-source-offset", off)) {
        outrec_free(r);
        return NULL;
    }
    return r;
}

/* Adds the replay header to every record of l; false when memory ran out. */
static bool mark_replay(rec_list *l)
{
    for (out_rec *r = l->head; r; r = r->next) {
        if (!r->hdrs && !(r->hdrs = rd_kafka_headers_new(1)))
            return false;
        if (add_header(r->hdrs, OUTREC_REPLAY_HEADER, "1"))
            return false;
    }
    return true;
}

int outrec_for_message(const outrec_ctx *ctx, const rd_kafka_message_t *m, rec_list *l, outrec_article_fn on_article,
                       void *ud, ingest_reason *why)
{
    if (why)
        *why = INGEST_OK;
    pipeline_input in = {m->payload, m->payload ? m->len : 0, m->key, m->key ? m->key_len : 0};
    int64_t ts = rd_kafka_message_timestamp(m, NULL);
    record_source src = {rd_kafka_topic_name(m->rkt), m->partition, m->offset, ts, m->key, m->key_len, ctx->replay};
    pipeline_result r;
    ingest_error e;
    if (pipeline_process(ctx->lx, ctx->lim, &in, &r, &e) == 0) {
        outrec_build(ctx, &r, &src, l);
        if (!l->oom && !l->too_large && ctx->replay && !mark_replay(l))
            l->oom = true;
        if (l->oom || l->too_large) {
            bool oom = l->oom;
            outrec_list_free(l);
            ingest_fail(&e, oom ? INGEST_ERR_INTERNAL : INGEST_ERR_TOO_LARGE, "%s",
                        oom ? "out of memory serializing records"
                            : "an output record exceeds the producer's message.max.bytes");
        } else if (on_article) {
            on_article(ud, &r, &src);
        }
        pipeline_result_free(&r);
    }
    if (l->head)
        return 0;
    if (why)
        *why = e.reason;
    log_warn("dead-lettered", "{s:s, s:s, s:s, s:i, s:I}", "reason", ingest_reason_code(e.reason), "detail", e.detail,
             "topic", src.topic, "partition", (int)m->partition, "offset", (json_int_t)m->offset);
    list_add(l, dlq_record(ctx->topics->dlq, m, &e, ctx->max_record_bytes), SIZE_MAX);
    if (l->oom || (ctx->replay && !mark_replay(l))) {
        outrec_list_free(l);
        return -1;
    }
    return 1;
}

rd_kafka_resp_err_t outrec_produce(rd_kafka_t *producer, out_rec *r)
{
    /* headers and value kept on the record until accepted: a refused produce leaves ownership with us.
     * F_FREE: the producer takes the value buffer over instead of copying it (the key is always
     * copied). Most records have no headers: none are passed (the same on the wire as an empty list,
     * without an allocation per record). */
    rd_kafka_resp_err_t err =
        r->hdrs ? rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(r->topic), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_FREE),
                                    RD_KAFKA_V_KEY(r->key, r->key_len), RD_KAFKA_V_VALUE(r->value, r->value_len),
                                    RD_KAFKA_V_HEADERS(r->hdrs), RD_KAFKA_V_OPAQUE(r->ticket), RD_KAFKA_V_END)
                : rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(r->topic), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_FREE),
                                    RD_KAFKA_V_KEY(r->key, r->key_len), RD_KAFKA_V_VALUE(r->value, r->value_len),
                                    RD_KAFKA_V_OPAQUE(r->ticket), RD_KAFKA_V_END);
    if (!err) {
        r->hdrs = NULL; /* the producer owns them now */
        r->value = NULL;
    }
    return err;
}
