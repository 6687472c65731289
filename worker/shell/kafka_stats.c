/* kafka_stats.c - see include/kafka_stats.h. Field names are those of
 * librdkafka's STATISTICS.md (brokers.*.state, topics.*.partitions.*). */
#include "kafka_stats.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int64_t num(json_t *o, const char *k, int64_t def)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

static int count_up(json_t *root)
{
    int up = 0;
    const char *name;
    json_t *b;
    json_object_foreach(json_object_get(root, "brokers"), name, b)
    {
        const char *st = json_string_value(json_object_get(b, "state"));
        if (st && !strcmp(st, "UP"))
            up++;
    }
    return up;
}

/* Lag of one partition: high watermark minus the committed offset, or
 * minus the low watermark while nothing is committed yet. */
static int64_t partition_lag(json_t *p)
{
    int64_t hi = num(p, "hi_offset", -1), lo = num(p, "lo_offset", -1), committed = num(p, "committed_offset", -1);
    if (hi < 0)
        return 0;
    int64_t base = committed >= 0 ? committed : lo >= 0 ? lo : 0;
    return hi > base ? hi - base : 0;
}

int kstats_parse_consumer(const char *json, size_t len, const char *topic, kstats_consumer *out)
{
    memset(out, 0, sizeof *out);
    json_t *root = json_loadb(json, len, 0, NULL);
    if (!json_is_object(root) || !json_is_object(json_object_get(root, "brokers"))) {
        json_decref(root);
        return -1;
    }
    out->brokers_up = count_up(root);
    json_t *parts = json_object_get(json_object_get(json_object_get(root, "topics"), topic), "partitions");
    const char *key;
    json_t *p;
    json_object_foreach(parts, key, p)
    {
        int64_t id = num(p, "partition", -1);
        if (id < 0 || !json_is_true(json_object_get(p, "desired")) || out->n_lag >= METRICS_MAX_PARTITIONS)
            continue;
        metrics_partition *mp = &out->lag[out->n_lag++];
        mp->partition = (int32_t)id;
        mp->lag = partition_lag(p);
        out->total_lag += mp->lag;
        int64_t c = num(p, "committed_offset", -1);
        if (c > 0)
            out->committed_sum += c;
    }
    json_decref(root);
    return 0;
}

int kstats_topic_writable(const char *json, size_t len, const char *topic)
{
    json_t *root = json_loadb(json, len, 0, NULL);
    if (!json_is_object(root)) {
        json_decref(root);
        return -1;
    }
    int ok = 0;
    const char *key;
    json_t *p;
    json_object_foreach(json_object_get(json_object_get(json_object_get(root, "topics"), topic), "partitions"), key, p)
        if (num(p, "partition", -1) >= 0 && num(p, "leader", -1) >= 0)
            ok = 1;
    json_decref(root);
    return ok;
}
