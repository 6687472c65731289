/* Unit tests of the operations modules: metrics (histograms, Prometheus
 * exposition), the liveness/readiness rules, librdkafka statistics parsing
 * and the mock broker's control language. */
#include "test_support.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>

#include "health.h"
#include "kafka_stats.h"
#include "metrics.h"
#include "mockbroker.h"

/* ---- metrics ------------------------------------------------------------------------ */

static void histogram_buckets_are_cumulative_and_inclusive(void **state)
{
    (void)state;
    metrics_histogram h = {0};
    static const double b[3] = {0.1, 1, 10};
    metrics_observe(&h, b, 3, 0.05);
    metrics_observe(&h, b, 3, 0.1); /* on the bound: in that bucket (le = less or equal) */
    metrics_observe(&h, b, 3, 5);
    metrics_observe(&h, b, 3, 50); /* only in +Inf */
    metrics_observe(&h, b, 3, -3); /* clock skew counts as 0 */
    metrics_observe(&h, b, 3, NAN);
    assert_int_equal(h.buckets[0], 4);
    assert_int_equal(h.buckets[1], 4);
    assert_int_equal(h.buckets[2], 5);
    assert_int_equal(h.count, 6);
    assert_true(fabs(h.sum - 55.15) < 1e-9);
}

static void publish_and_read_copy_the_snapshot(void **state)
{
    (void)state;
    metrics *m = metrics_new();
    assert_non_null(m);
    metrics_snapshot s, out;
    metrics_snapshot_init(&s, 1234);
    s.consumed = 42;
    s.n_lag = 1;
    s.lag[0] = (metrics_partition){7, 99};
    metrics_publish(m, &s);
    s.consumed = 43; /* the worker's copy moves on; the published one does not */
    metrics_read(m, &out);
    assert_int_equal(out.consumed, 42);
    assert_int_equal(out.started_ms, 1234);
    assert_int_equal(out.lag[0].partition, 7);
    assert_int_equal(out.lag[0].lag, 99);
    metrics_free(m);
    metrics_free(NULL);
}

/* A small Prometheus text-format checker: every sample line is
 * name{labels} value, its family was declared by a TYPE line before it,
 * names start with ingest_. Returns the number of samples. */
static int check_exposition(const char *text)
{
    char typed[64][96];
    int n_typed = 0, samples = 0;
    const char *p = text;
    while (*p) {
        const char *eol = strchr(p, '\n');
        assert_non_null(eol); /* every line ends with a newline */
        char line[512];
        size_t len = (size_t)(eol - p);
        assert_true(len < sizeof line);
        memcpy(line, p, len);
        line[len] = '\0';
        p = eol + 1;
        if (!strncmp(line, "# TYPE ", 7)) {
            char name[96], type[32];
            assert_int_equal(sscanf(line + 7, "%95s %31s", name, type), 2);
            assert_true(!strcmp(type, "counter") || !strcmp(type, "gauge") || !strcmp(type, "histogram"));
            assert_true(n_typed < 64);
            strcpy(typed[n_typed++], name);
            continue;
        }
        if (!strncmp(line, "# HELP ", 7))
            continue;
        assert_true(line[0] != '#');
        size_t nl = strspn(line, "abcdefghijklmnopqrstuvwxyz_0123456789");
        assert_true(nl > 7 && !strncmp(line, "ingest_", 7));
        char *q = line + nl;
        if (*q == '{') {
            char *close = strstr(q, "\"}");
            assert_non_null(close);
            q = close + 2;
        }
        assert_true(*q == ' ');
        char *end;
        strtod(q + 1, &end);
        assert_true(end != q + 1 && *end == '\0');
        bool declared = false;
        for (int i = 0; i < n_typed; i++) {
            size_t tl = strlen(typed[i]);
            if (!strncmp(line, typed[i], tl) &&
                (tl == nl || !strncmp(line + tl, "_bucket", 7) || !strncmp(line + tl, "_sum", 4) ||
                 !strncmp(line + tl, "_count", 6)))
                declared = true;
        }
        assert_true(declared);
        samples++;
    }
    return samples;
}

static uint64_t sample(const char *text, const char *series)
{
    char key[256];
    snprintf(key, sizeof key, "\n%s ", series);
    const char *p = strstr(text, key);
    assert_non_null(p);
    return strtoull(p + strlen(key), NULL, 10);
}

static void exposition_format_and_values(void **state)
{
    (void)state;
    metrics_snapshot s;
    metrics_snapshot_init(&s, 1000);
    s.consumed = 17;
    s.produced[MT_NORMALIZED] = 12;
    s.produced[MT_DLQ] = 5;
    s.dlq[INGEST_ERR_INVALID_JSON] = 3;
    s.dlq[INGEST_ERR_EMPTY] = 2;
    s.rebalances = 2;
    s.n_lag = 2;
    s.lag[0] = (metrics_partition){0, 10};
    s.lag[1] = (metrics_partition){2, 0};
    for (int i = 0; i < 17; i++)
        metrics_observe(&s.processing, METRICS_PROC_BOUNDS, METRICS_PROC_BUCKETS, 0.003);
    metrics_labels l = {{"articles.normalized", "ents", "evs", "a\"dlq\\x"}, "v1.2-dirty"};
    char *t = metrics_render(&s, &l, 3500);
    assert_non_null(t);
    assert_true(check_exposition(t) > 40);
    assert_int_equal(sample(t, "ingest_messages_consumed_total"), 17);
    assert_int_equal(sample(t, "ingest_records_produced_total{topic=\"articles.normalized\"}"), 12);
    assert_int_equal(sample(t, "ingest_records_produced_total{topic=\"a\\\"dlq\\\\x\"}"), 5); /* escaped */
    assert_int_equal(sample(t, "ingest_dlq_messages_total{reason=\"invalid_json\"}"), 3);
    assert_int_equal(sample(t, "ingest_dlq_messages_total{reason=\"no_text\"}"), 0);
    assert_int_equal(sample(t, "ingest_processing_duration_seconds_bucket{le=\"0.0025\"}"), 0);
    assert_int_equal(sample(t, "ingest_processing_duration_seconds_bucket{le=\"0.005\"}"), 17);
    assert_int_equal(sample(t, "ingest_processing_duration_seconds_bucket{le=\"+Inf\"}"), 17);
    assert_int_equal(sample(t, "ingest_processing_duration_seconds_count"), 17);
    assert_int_equal(sample(t, "ingest_consumer_lag_messages{partition=\"0\"}"), 10);
    assert_int_equal(sample(t, "ingest_rebalances_total"), 2);
    assert_non_null(strstr(t, "ingest_build_info{version=\"v1.2-dirty\"} 1\n"));
    assert_non_null(strstr(t, "\ningest_uptime_seconds 2.5\n"));
    free(t);
}

/* ---- health ------------------------------------------------------------------------- */

static const health_policy POLICY = {.liveness_timeout_ms = 30000, .stall_timeout_ms = 60000, .broker_grace_ms = 3000};

/* A healthy, joined, idle worker at t = 100 s. */
static metrics_snapshot healthy(void)
{
    metrics_snapshot s;
    metrics_snapshot_init(&s, 0);
    s.last_tick_ms = s.last_progress_ms = 100000;
    s.brokers_down_since_ms = 0;
    s.brokers_up = 3;
    s.joined = s.dlq_writable = true;
    s.n_lag = 1;
    return s;
}

static void liveness_follows_the_main_loop(void **state)
{
    (void)state;
    metrics_snapshot s = healthy();
    assert_true(health_live(&s, &POLICY, 100500).ok);
    assert_true(health_live(&s, &POLICY, 130000).ok); /* exactly at the limit: still alive */
    health_verdict v = health_live(&s, &POLICY, 130001);
    assert_false(v.ok);
    assert_string_equal(v.check, "main_loop");
    assert_non_null(strstr(v.detail, "30001 ms"));
}

static void liveness_fails_for_a_zombie_consumer_only(void **state)
{
    (void)state;
    metrics_snapshot s = healthy();
    s.lag[0] = (metrics_partition){0, 500};
    s.last_tick_ms = 200000; /* polling happily ... */
    assert_true(health_live(&s, &POLICY, 160000).ok); /* 60 s without a commit: at the limit */
    health_verdict v = health_live(&s, &POLICY, 200000); /* ... but nothing committed for 100 s */
    assert_false(v.ok);
    assert_string_equal(v.check, "stalled");
    s.brokers_up = 0; /* an outage is readiness' business: restarting would not help */
    assert_true(health_live(&s, &POLICY, 200000).ok);
    s.brokers_up = 1;
    s.lag[0].lag = 0; /* no lag: an idle topic is not stalled */
    assert_true(health_live(&s, &POLICY, 200000).ok);
    s.lag[0].lag = 5;
    s.shutting_down = true;
    assert_true(health_live(&s, &POLICY, 200000).ok);
}

static void readiness_checks_in_order(void **state)
{
    (void)state;
    metrics_snapshot s = healthy();
    assert_true(health_ready(&s, &POLICY, 100000).ok);
    s.dlq_writable = false;
    assert_string_equal(health_ready(&s, &POLICY, 100000).check, "dlq");
    s.joined = false;
    assert_string_equal(health_ready(&s, &POLICY, 100000).check, "group");
    s.brokers_up = 0;
    s.brokers_down_since_ms = 99000;
    assert_string_equal(health_ready(&s, &POLICY, 100000).check, "group"); /* 1 s of loss: within grace */
    assert_string_equal(health_ready(&s, &POLICY, 102000).check, "brokers");
    s.producer_fatal = true;
    assert_string_equal(health_ready(&s, &POLICY, 102000).check, "producer");
    s.shutting_down = true;
    health_verdict v = health_ready(&s, &POLICY, 102000);
    assert_false(v.ok);
    assert_string_equal(v.check, "shutdown");
}

static void readiness_ignores_traffic_and_slow_polls(void **state)
{
    (void)state;
    metrics_snapshot s = healthy();
    /* nothing consumed ever, the loop slow for 20 s, lag present: still ready */
    s.last_tick_ms = 80000;
    s.lag[0] = (metrics_partition){1, 1000};
    assert_true(health_ready(&s, &POLICY, 100000).ok);
    /* a broker dropping for less than the grace period does not flap readiness */
    s.brokers_up = 0;
    s.brokers_down_since_ms = 98000;
    assert_true(health_ready(&s, &POLICY, 100000).ok);
    assert_false(health_ready(&s, &POLICY, 101000).ok);
}

static void verdict_json_names_the_check(void **state)
{
    (void)state;
    metrics_snapshot s = healthy();
    s.joined = false;
    health_verdict v = health_ready(&s, &POLICY, 100000);
    char *j = health_json(&v);
    assert_non_null(j);
    json_t *o = json_loads(j, 0, NULL);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "status")), "fail");
    assert_string_equal(json_string_value(json_object_get(o, "check")), "group");
    assert_non_null(json_string_value(json_object_get(o, "detail")));
    json_decref(o);
    free(j);
}

/* ---- librdkafka statistics -------------------------------------------------------------- */

static const char CONSUMER_STATS[] =
    "{\"name\":\"c#consumer-1\",\"type\":\"consumer\",\"brokers\":{"
    "\"127.0.0.1:1/bootstrap\":{\"name\":\"127.0.0.1:1/bootstrap\",\"nodeid\":-1,\"state\":\"UP\"},"
    "\"127.0.0.1:1/1\":{\"nodeid\":1,\"state\":\"UP\"},"
    "\"127.0.0.1:2/2\":{\"nodeid\":2,\"state\":\"CONNECT\"},"
    "\"GroupCoordinator\":{\"nodeid\":1,\"state\":\"UP\"}},"
    "\"topics\":{\"articles.raw\":{\"partitions\":{"
    "\"0\":{\"partition\":0,\"desired\":true,\"hi_offset\":100,\"lo_offset\":0,\"committed_offset\":40},"
    "\"1\":{\"partition\":1,\"desired\":true,\"hi_offset\":20,\"lo_offset\":5,\"committed_offset\":-1001},"
    "\"2\":{\"partition\":2,\"desired\":false,\"hi_offset\":70,\"lo_offset\":0,\"committed_offset\":1},"
    "\"3\":{\"partition\":3,\"desired\":true,\"hi_offset\":-1,\"lo_offset\":-1,\"committed_offset\":-1001},"
    "\"-1\":{\"partition\":-1,\"desired\":false,\"hi_offset\":-1}}},"
    "\"other\":{\"partitions\":{\"0\":{\"partition\":0,\"desired\":true,\"hi_offset\":9}}}}}";

static void consumer_stats_give_brokers_and_lag(void **state)
{
    (void)state;
    kstats_consumer k;
    assert_int_equal(kstats_parse_consumer(CONSUMER_STATS, strlen(CONSUMER_STATS), "articles.raw", &k), 0);
    assert_int_equal(k.brokers_up, 3);
    assert_int_equal(k.n_lag, 3); /* desired partitions of the input topic only */
    int64_t lag[4] = {-1, -1, -1, -1};
    for (int i = 0; i < k.n_lag; i++)
        lag[k.lag[i].partition] = k.lag[i].lag;
    assert_int_equal(lag[0], 60); /* hi - committed */
    assert_int_equal(lag[1], 15); /* nothing committed: hi - lo */
    assert_int_equal(lag[3], 0);  /* watermarks unknown yet */
    assert_int_equal(k.total_lag, 75);
    assert_int_equal(k.committed_sum, 40);
    assert_int_equal(kstats_parse_consumer("{\"brokers\":", 11, "articles.raw", &k), -1);
    assert_int_equal(kstats_parse_consumer("[]", 2, "articles.raw", &k), -1);
}

static void producer_stats_tell_whether_the_dlq_has_a_leader(void **state)
{
    (void)state;
    const char *ok = "{\"topics\":{\"articles.dlq\":{\"partitions\":{\"-1\":{\"partition\":-1,\"leader\":-1},"
                     "\"0\":{\"partition\":0,\"leader\":2}}}}}";
    const char *none = "{\"topics\":{\"articles.dlq\":{\"partitions\":{\"-1\":{\"partition\":-1,\"leader\":-1}}}}}";
    assert_int_equal(kstats_topic_writable(ok, strlen(ok), "articles.dlq"), 1);
    assert_int_equal(kstats_topic_writable(ok, strlen(ok), "articles.other"), 0);
    assert_int_equal(kstats_topic_writable(none, strlen(none), "articles.dlq"), 0);
    assert_int_equal(kstats_topic_writable("nope", 4, "articles.dlq"), -1);
}

/* ---- mock broker control ------------------------------------------------------------------ */

static void broker_control_language(void **state)
{
    (void)state;
    char err[256], reply[600];
    const char *topics[] = {"articles.raw", NULL};
    mockbroker *mb = mockbroker_start(2, topics, 2, err, sizeof err);
    assert_non_null(mb);
    static const struct {
        const char *line;
        int rc;
        const char *reply_prefix;
    } cases[] = {
        {"help", 0, "ok commands:"},
        {"down", 0, "ok"},
        {"up", 0, "ok"},
        {"down 2", 0, "ok"},
        {"up 2", 0, "ok"},
        {"down 9", -1, "error"}, /* no such broker */
        {"down x", -1, "error usage: down"},
        {"rtt 250", 0, "ok"},
        {"rtt 0 1", 0, "ok"},
        {"rtt", -1, "error usage: rtt"},
        {"errors Produce NOT_LEADER_FOR_PARTITION 3", 0, "ok"},
        {"errors JoinGroupRequest RD_KAFKA_RESP_ERR_NOT_COORDINATOR", 0, "ok"},
        {"errors 12 27 2", 0, "ok"},
        {"errors Produce NO_SUCH_ERROR", -1, "error usage: errors"},
        {"errors NoSuchApi NOT_COORDINATOR", -1, "error usage: errors"},
        {"errors Produce _TRANSPORT 0", -1, "error usage: errors"},
        {"clear-errors Produce", 0, "ok"},
        {"broker-errors 1 Fetch _TRANSPORT 2 100", 0, "ok"},
        {"broker-errors 7 Fetch _TRANSPORT", -1, "error"},
        {"topic-error articles.raw UNKNOWN_TOPIC_OR_PART", 0, "ok"},
        {"topic-error articles.raw NO_ERROR", 0, "ok"},
        {"leader articles.raw 1 2", 0, "ok"},
        {"leader articles.raw one 2", -1, "error usage: leader"},
        {"coordinator some-group 1", 0, "ok"},
        {"create-topic extra 4", 0, "ok"},
        {"create-topic extra", -1, "error usage: create-topic"},
        {"frobnicate", -1, "error unknown command 'frobnicate'"},
        {"   ", -1, "error empty command"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc = mockbroker_control(mb, cases[i].line, reply, sizeof reply);
        if (rc != cases[i].rc || strncmp(reply, cases[i].reply_prefix, strlen(cases[i].reply_prefix)))
            fail_msg("'%s': rc %d, reply '%s'", cases[i].line, rc, reply);
    }
    char longline[1024];
    memset(longline, 'x', sizeof longline - 1);
    longline[sizeof longline - 1] = '\0';
    assert_int_equal(mockbroker_control(mb, longline, reply, sizeof reply), -1);
    mockbroker_stop(mb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(histogram_buckets_are_cumulative_and_inclusive),
        cmocka_unit_test(publish_and_read_copy_the_snapshot),
        cmocka_unit_test(exposition_format_and_values),
        cmocka_unit_test(liveness_follows_the_main_loop),
        cmocka_unit_test(liveness_fails_for_a_zombie_consumer_only),
        cmocka_unit_test(readiness_checks_in_order),
        cmocka_unit_test(readiness_ignores_traffic_and_slow_polls),
        cmocka_unit_test(verdict_json_names_the_check),
        cmocka_unit_test(consumer_stats_give_brokers_and_lag),
        cmocka_unit_test(producer_stats_tell_whether_the_dlq_has_a_leader),
        cmocka_unit_test(broker_control_language),
    };
    return cmocka_run_group_tests_name("ops", tests, NULL, NULL);
}
