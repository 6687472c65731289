/* metrics.c - see include/metrics.h.
 *
 * The shared cell is one snapshot behind a mutex: the worker publishes at
 * most once per loop tick and the HTTP thread copies it out, so the lock is
 * held for one memcpy of a few KB either way.
 */
#include "metrics.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Processing one article takes ~0.1-10 ms; slow HTML pages up to seconds. */
const double METRICS_PROC_BOUNDS[METRICS_PROC_BUCKETS] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                          0.025,  0.05,    0.1,    0.25,  0.5,    1,     2.5};
/* End to end spans queueing in Kafka: milliseconds when keeping up, hours when catching up. */
const double METRICS_E2E_BOUNDS[METRICS_E2E_BUCKETS] = {0.005, 0.01, 0.025, 0.05, 0.1,  0.25, 0.5,
                                                        1,     2.5,  5,     10,   60,   600,  3600};

struct metrics {
    pthread_mutex_t lock;
    metrics_snapshot snap;
};

void metrics_observe(metrics_histogram *h, const double *bounds, int n_bounds, double seconds)
{
    if (!(seconds > 0)) /* also catches NaN */
        seconds = 0;
    for (int i = 0; i < n_bounds; i++)
        if (seconds <= bounds[i])
            h->buckets[i]++;
    h->count++;
    h->sum += seconds;
}

int64_t metrics_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void metrics_snapshot_init(metrics_snapshot *s, int64_t now_ms)
{
    memset(s, 0, sizeof *s);
    s->started_ms = s->last_tick_ms = s->last_progress_ms = s->brokers_down_since_ms = now_ms;
}

metrics *metrics_new(void)
{
    metrics *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    if (pthread_mutex_init(&m->lock, NULL)) {
        free(m);
        return NULL;
    }
    return m;
}

void metrics_free(metrics *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->lock);
    free(m);
}

void metrics_publish(metrics *m, const metrics_snapshot *s)
{
    pthread_mutex_lock(&m->lock);
    m->snap = *s;
    pthread_mutex_unlock(&m->lock);
}

void metrics_read(metrics *m, metrics_snapshot *out)
{
    pthread_mutex_lock(&m->lock);
    *out = m->snap;
    pthread_mutex_unlock(&m->lock);
}

/* ---- rendering ------------------------------------------------------------------ */

typedef struct buf {
    char *p;
    size_t len, cap;
    bool failed;
} buf;

static void bprintf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bprintf(buf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = true;
            return;
        }
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap * 2 + (size_t)n;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->failed = true;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
}

static void header(buf *b, const char *name, const char *type, const char *help)
{
    bprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void counter(buf *b, const char *name, const char *help, uint64_t v)
{
    header(b, name, "counter", help);
    bprintf(b, "%s %llu\n", name, (unsigned long long)v);
}

static void gauge(buf *b, const char *name, const char *help, double v)
{
    header(b, name, "gauge", help);
    bprintf(b, "%s %.15g\n", name, v);
}

/* Label values are topic names and versions: escape \, " and newline as the format requires. */
static void label_value(buf *b, const char *v)
{
    for (const char *p = v ? v : ""; *p; p++) {
        if (*p == '\\' || *p == '"')
            bprintf(b, "\\%c", *p);
        else if (*p == '\n')
            bprintf(b, "\\n");
        else
            bprintf(b, "%c", *p);
    }
}

static void histogram(buf *b, const char *name, const char *help, const metrics_histogram *h, const double *bounds,
                      int n)
{
    header(b, name, "histogram", help);
    for (int i = 0; i < n; i++)
        bprintf(b, "%s_bucket{le=\"%g\"} %llu\n", name, bounds[i], (unsigned long long)h->buckets[i]);
    bprintf(b, "%s_bucket{le=\"+Inf\"} %llu\n", name, (unsigned long long)h->count);
    bprintf(b, "%s_sum %.17g\n%s_count %llu\n", name, h->sum, name, (unsigned long long)h->count);
}

char *metrics_render(const metrics_snapshot *s, const metrics_labels *l, int64_t now_ms)
{
    buf b = {malloc(8192), 0, 8192, false};
    if (!b.p)
        return NULL;
    header(&b, "ingest_build_info", "gauge", "build information (always 1)");
    bprintf(&b, "ingest_build_info{version=\"");
    label_value(&b, l->version);
    bprintf(&b, "\"} 1\n");
    gauge(&b, "ingest_uptime_seconds", "seconds since the worker started", (double)(now_ms - s->started_ms) / 1000.0);
    gauge(&b, "ingest_main_loop_age_seconds", "seconds since the main loop last ticked (liveness)",
          (double)(now_ms - s->last_tick_ms) / 1000.0);
    counter(&b, "ingest_messages_consumed_total", "input messages consumed", s->consumed);

    header(&b, "ingest_records_produced_total", "counter", "records acknowledged by the broker, by topic");
    for (int i = 0; i < MT_N_TOPICS; i++) {
        bprintf(&b, "ingest_records_produced_total{topic=\"");
        label_value(&b, l->topics[i]);
        bprintf(&b, "\"} %llu\n", (unsigned long long)s->produced[i]);
    }
    header(&b, "ingest_dlq_messages_total", "counter", "inputs sent to the dead-letter topic, by reason");
    for (int r = INGEST_ERR_INVALID_UTF8; r <= INGEST_ERR_INTERNAL; r++)
        bprintf(&b, "ingest_dlq_messages_total{reason=\"%s\"} %llu\n", ingest_reason_code((ingest_reason)r),
                (unsigned long long)s->dlq[r]);
    counter(&b, "ingest_delivery_failures_total", "records the broker did not acknowledge (the worker stops)",
            s->delivery_failures);
    histogram(&b, "ingest_processing_duration_seconds", "time to process one input message (pipeline and serialization)",
              &s->processing, METRICS_PROC_BOUNDS, METRICS_PROC_BUCKETS);
    histogram(&b, "ingest_end_to_end_latency_seconds",
              "time from an input message's timestamp to the end of its processing", &s->e2e, METRICS_E2E_BOUNDS,
              METRICS_E2E_BUCKETS);

    header(&b, "ingest_consumer_lag_messages", "gauge",
           "messages of an assigned input partition after the committed offset");
    for (int i = 0; i < s->n_lag && i < METRICS_MAX_PARTITIONS; i++)
        bprintf(&b, "ingest_consumer_lag_messages{partition=\"%d\"} %lld\n", (int)s->lag[i].partition,
                (long long)s->lag[i].lag);
    gauge(&b, "ingest_assigned_partitions", "input partitions assigned to this worker", s->assigned_partitions);
    counter(&b, "ingest_rebalances_total", "rebalance events (assignments and revocations)", s->rebalances);
    gauge(&b, "ingest_producer_queue_messages", "records in the producer queue awaiting acknowledgement",
          (double)s->producer_queue);
    gauge(&b, "ingest_input_paused", "1 while input is paused by back-pressure", s->paused);
    counter(&b, "ingest_broker_errors_total", "errors reported by the Kafka clients (connections, timeouts, ...)",
            s->broker_errors);
    gauge(&b, "ingest_brokers_up", "broker connections of the consumer in state UP", s->brokers_up);
    header(&b, "ingest_lexicon_reloads_total", "counter", "lexicon reloads on SIGHUP, by result");
    bprintf(&b, "ingest_lexicon_reloads_total{result=\"ok\"} %llu\n", (unsigned long long)s->lexicon_reloads_ok);
    bprintf(&b, "ingest_lexicon_reloads_total{result=\"failed\"} %llu\n",
            (unsigned long long)s->lexicon_reloads_failed);
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    return b.p;
}
