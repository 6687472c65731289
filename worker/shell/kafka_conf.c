/* kafka_conf.c - see include/kafka_conf.h. */
#include "kafka_conf.h"

#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kconf_set(rd_kafka_conf_t *conf, const char *k, const char *v)
{
    char err[512];
    if (rd_kafka_conf_set(conf, k, v, err, sizeof err) != RD_KAFKA_CONF_OK) {
        fprintf(stderr, "ingest-worker: librdkafka property %s: %s\n", k, err);
        return -1;
    }
    return 0;
}

static bool consumer_only(const char *k)
{
    return !strcmp(k, "group.id") || !strncmp(k, "auto.", 5) || !strncmp(k, "enable.auto", 11) ||
           !strcmp(k, "partition.assignment.strategy") || !strcmp(k, "session.timeout.ms") ||
           !strcmp(k, "max.poll.interval.ms") || !strcmp(k, "heartbeat.interval.ms") ||
           !strcmp(k, "group.instance.id") || !strncmp(k, "fetch.", 6) || !strcmp(k, "isolation.level");
}

static bool producer_only(const char *k)
{
    return !strcmp(k, "enable.idempotence") || !strcmp(k, "linger.ms") || !strcmp(k, "acks") ||
           !strncmp(k, "queue.buffering", 15) || !strcmp(k, "message.timeout.ms") ||
           !strcmp(k, "compression.type") || !strcmp(k, "batch.num.messages") || !strcmp(k, "transactional.id") ||
           !strcmp(k, "retries");
}

static bool listed(const char *k, const char *const *skip)
{
    for (int i = 0; skip && skip[i]; i++)
        if (!strcmp(k, skip[i]))
            return true;
    return false;
}

int kconf_apply_user(rd_kafka_conf_t *conf, const config *c, bool consumer, const char *const *skip)
{
    for (int i = 0; i < c->n_kafka; i++) {
        const char *k = c->kafka[i].key;
        /* route client-specific properties only where they apply */
        if ((consumer && producer_only(k)) || (!consumer && consumer_only(k)) || listed(k, skip))
            continue;
        if (kconf_set(conf, k, c->kafka[i].value))
            return -1;
    }
    return 0;
}

size_t kconf_max_record_bytes(const rd_kafka_conf_t *pc)
{
    char mmb[32];
    size_t mmb_len = sizeof mmb;
    if (rd_kafka_conf_get(pc, "message.max.bytes", mmb, &mmb_len) == RD_KAFKA_CONF_OK)
        return (size_t)strtoull(mmb, NULL, 10) - 512; /* room for protocol overhead */
    return 1000000;
}

bool kconf_log_error(rd_kafka_t *rk, int err, const char *reason)
{
    if (err == RD_KAFKA_RESP_ERR__FATAL) {
        char buf[512];
        rd_kafka_resp_err_t orig = rd_kafka_fatal_error(rk, buf, sizeof buf);
        log_error("fatal Kafka error", "{s:s, s:s}", "error", rd_kafka_err2name(orig), "reason", buf);
        return true;
    }
    log_warn("Kafka error", "{s:s, s:s, s:s}", "client", rd_kafka_name(rk), "error",
             rd_kafka_err2name((rd_kafka_resp_err_t)err), "reason", reason);
    return false;
}
