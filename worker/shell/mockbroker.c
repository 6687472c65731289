/* mockbroker.c - see include/mockbroker.h. */
#include "mockbroker.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct mockbroker {
    rd_kafka_t *rk; /* the handle the mock cluster is attached to */
    rd_kafka_mock_cluster_t *mc;
};

mockbroker *mockbroker_start(int n_brokers, const char *const *topics, int partitions, char *err, size_t errlen)
{
    mockbroker *mb = calloc(1, sizeof *mb);
    if (!mb) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", NULL, 0);
    mb->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, errlen); /* takes conf */
    if (!mb->rk) {
        rd_kafka_conf_destroy(conf);
        free(mb);
        return NULL;
    }
    mb->mc = rd_kafka_mock_cluster_new(mb->rk, n_brokers);
    if (!mb->mc) {
        snprintf(err, errlen, "cannot create mock cluster");
        mockbroker_stop(mb);
        return NULL;
    }
    for (int i = 0; topics && topics[i]; i++) {
        rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(mb->mc, topics[i], partitions, 1);
        if (e) {
            snprintf(err, errlen, "create topic %s: %s", topics[i], rd_kafka_err2str(e));
            mockbroker_stop(mb);
            return NULL;
        }
    }
    return mb;
}

const char *mockbroker_bootstraps(const mockbroker *mb) { return rd_kafka_mock_cluster_bootstraps(mb->mc); }

void *mockbroker_cluster(mockbroker *mb) { return mb->mc; }

void mockbroker_stop(mockbroker *mb)
{
    if (!mb)
        return;
    if (mb->mc)
        rd_kafka_mock_cluster_destroy(mb->mc);
    if (mb->rk)
        rd_kafka_destroy(mb->rk);
    free(mb);
}

int mockbroker_write_bootstrap(const char *path, const char *bootstraps)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return -1;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    int bad = fprintf(f, "%s\n", bootstraps) < 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path)) {
        remove(tmp);
        return -1;
    }
    return 0;
}

/* ---- control language (see mockbroker_control in the header) ----------------------------- */

#define CTL_MAX_ARGS 8

static const struct {
    const char *name;
    int16_t key;
} API_KEYS[] = {
    {"Produce", 0},        {"Fetch", 1},          {"ListOffsets", 2},     {"Metadata", 3},
    {"OffsetCommit", 8},   {"OffsetFetch", 9},    {"FindCoordinator", 10}, {"JoinGroup", 11},
    {"Heartbeat", 12},     {"LeaveGroup", 13},    {"SyncGroup", 14},      {"DescribeGroups", 15},
    {"ListGroups", 16},    {"ApiVersions", 18},   {"InitProducerId", 22}, {"AddPartitionsToTxn", 24},
    {"AddOffsetsToTxn", 25}, {"EndTxn", 26},      {"TxnOffsetCommit", 28}, {"OffsetForLeaderEpoch", 23},
};

static int parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_api(const char *s, int16_t *out)
{
    for (size_t i = 0; i < sizeof API_KEYS / sizeof *API_KEYS; i++)
        if (!strcasecmp(s, API_KEYS[i].name) || (!strncasecmp(s, API_KEYS[i].name, strlen(API_KEYS[i].name)) &&
                                                 !strcasecmp(s + strlen(API_KEYS[i].name), "Request"))) {
            *out = API_KEYS[i].key;
            return 0;
        }
    long v;
    if (parse_long(s, 0, 100, &v))
        return -1;
    *out = (int16_t)v;
    return 0;
}

/* An error name as librdkafka spells it (NOT_COORDINATOR, _TRANSPORT), with
 * or without the RD_KAFKA_RESP_ERR_ prefix, or its number. */
static int parse_err(const char *s, rd_kafka_resp_err_t *out)
{
    if (!strncmp(s, "RD_KAFKA_RESP_ERR_", 18))
        s += 18;
    const struct rd_kafka_err_desc *d;
    size_t n;
    rd_kafka_get_err_descs(&d, &n);
    for (size_t i = 0; i < n; i++)
        if (d[i].name && !strcasecmp(s, d[i].name)) {
            *out = d[i].code;
            return 0;
        }
    long v;
    if (parse_long(s, -200, 1000, &v))
        return -1;
    *out = (rd_kafka_resp_err_t)v;
    return 0;
}

static int reply_err(char *reply, size_t cap, const char *fmt, const char *arg)
{
    int n = snprintf(reply, cap, "error ");
    snprintf(reply + n, cap - (size_t)n, fmt, arg);
    return -1;
}

static int reply_kafka(char *reply, size_t cap, rd_kafka_resp_err_t e)
{
    if (!e) {
        snprintf(reply, cap, "ok");
        return 0;
    }
    return reply_err(reply, cap, "%s", rd_kafka_err2name(e));
}

/* The optional broker argument: -1 (all) when absent. */
static int opt_broker(int argc, char **argv, int i, int32_t *out)
{
    long v = -1;
    if (i < argc && parse_long(argv[i], -1, 1000000, &v))
        return -1;
    *out = (int32_t)v;
    return 0;
}

int mockbroker_control(mockbroker *mb, const char *line, char *reply, size_t cap)
{
    char buf[512], *argv[CTL_MAX_ARGS], *save = NULL;
    int argc = 0;
    if (strlen(line) >= sizeof buf)
        return reply_err(reply, cap, "%s", "line too long");
    strcpy(buf, line);
    for (char *t = strtok_r(buf, " \t\r\n", &save); t && argc < CTL_MAX_ARGS; t = strtok_r(NULL, " \t\r\n", &save))
        argv[argc++] = t;
    if (!argc)
        return reply_err(reply, cap, "%s", "empty command (try help)");
    const char *cmd = argv[0];
    rd_kafka_mock_cluster_t *mc = mb->mc;
    int32_t broker;
    long n1, n2;
    int16_t api;
    rd_kafka_resp_err_t err;
    if (!strcmp(cmd, "help")) {
        snprintf(reply, cap, "ok commands: down [BROKER], up [BROKER], rtt MS [BROKER], errors API ERR [COUNT], "
                             "broker-errors BROKER API ERR [COUNT [RTT_MS]], clear-errors API, topic-error TOPIC ERR, "
                             "leader TOPIC PARTITION BROKER, coordinator GROUP BROKER, create-topic TOPIC PARTITIONS");
        return 0;
    }
    if (!strcmp(cmd, "down") || !strcmp(cmd, "up")) {
        if (argc > 2 || opt_broker(argc, argv, 1, &broker))
            return reply_err(reply, cap, "usage: %s [BROKER]", cmd);
        return reply_kafka(reply, cap,
                           cmd[0] == 'd' ? rd_kafka_mock_broker_set_down(mc, broker) : rd_kafka_mock_broker_set_up(mc, broker));
    }
    if (!strcmp(cmd, "rtt")) {
        if (argc < 2 || argc > 3 || parse_long(argv[1], 0, 600000, &n1) || opt_broker(argc, argv, 2, &broker))
            return reply_err(reply, cap, "%s", "usage: rtt MS [BROKER]");
        return reply_kafka(reply, cap, rd_kafka_mock_broker_set_rtt(mc, broker, (int)n1));
    }
    if (!strcmp(cmd, "errors")) {
        n1 = 1;
        if (argc < 3 || argc > 4 || parse_api(argv[1], &api) || parse_err(argv[2], &err) ||
            (argc == 4 && parse_long(argv[3], 1, 100000, &n1)))
            return reply_err(reply, cap, "%s", "usage: errors API ERR [COUNT]");
        for (long i = 0; i < n1; i++)
            rd_kafka_mock_push_request_errors(mc, api, 1, err);
        snprintf(reply, cap, "ok");
        return 0;
    }
    if (!strcmp(cmd, "broker-errors")) {
        n1 = 1, n2 = 0;
        long b;
        if (argc < 4 || argc > 6 || parse_long(argv[1], 0, 1000000, &b) || parse_api(argv[2], &api) ||
            parse_err(argv[3], &err) || (argc >= 5 && parse_long(argv[4], 1, 100000, &n1)) ||
            (argc == 6 && parse_long(argv[5], 0, 600000, &n2)))
            return reply_err(reply, cap, "%s", "usage: broker-errors BROKER API ERR [COUNT [RTT_MS]]");
        for (long i = 0; i < n1; i++) {
            rd_kafka_resp_err_t e = rd_kafka_mock_broker_push_request_error_rtts(mc, (int32_t)b, api, 1, err, (int)n2);
            if (e)
                return reply_kafka(reply, cap, e);
        }
        snprintf(reply, cap, "ok");
        return 0;
    }
    if (!strcmp(cmd, "clear-errors")) {
        if (argc != 2 || parse_api(argv[1], &api))
            return reply_err(reply, cap, "%s", "usage: clear-errors API");
        rd_kafka_mock_clear_request_errors(mc, api);
        snprintf(reply, cap, "ok");
        return 0;
    }
    if (!strcmp(cmd, "topic-error")) {
        if (argc != 3 || parse_err(argv[2], &err))
            return reply_err(reply, cap, "%s", "usage: topic-error TOPIC ERR");
        rd_kafka_mock_topic_set_error(mc, argv[1], err);
        snprintf(reply, cap, "ok");
        return 0;
    }
    if (!strcmp(cmd, "leader")) {
        long b;
        if (argc != 4 || parse_long(argv[2], 0, 1000000, &n1) || parse_long(argv[3], -1, 1000000, &b))
            return reply_err(reply, cap, "%s", "usage: leader TOPIC PARTITION BROKER");
        return reply_kafka(reply, cap, rd_kafka_mock_partition_set_leader(mc, argv[1], (int32_t)n1, (int32_t)b));
    }
    if (!strcmp(cmd, "coordinator")) {
        long b;
        if (argc != 3 || parse_long(argv[2], 0, 1000000, &b))
            return reply_err(reply, cap, "%s", "usage: coordinator GROUP BROKER");
        return reply_kafka(reply, cap, rd_kafka_mock_coordinator_set(mc, "group", argv[1], (int32_t)b));
    }
    if (!strcmp(cmd, "create-topic")) {
        if (argc != 3 || parse_long(argv[2], 1, 10000, &n1))
            return reply_err(reply, cap, "%s", "usage: create-topic TOPIC PARTITIONS");
        return reply_kafka(reply, cap, rd_kafka_mock_topic_create(mc, argv[1], (int)n1, 1));
    }
    return reply_err(reply, cap, "unknown command '%s' (try help)", cmd);
}
