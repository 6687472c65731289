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
           !strcmp(k, "group.instance.id") || !strncmp(k, "fetch.", 6) || !strcmp(k, "isolation.level") ||
           !strncmp(k, "queued.", 7);
}

static bool producer_only(const char *k)
{
    return !strcmp(k, "enable.idempotence") || !strcmp(k, "linger.ms") || !strcmp(k, "acks") ||
           !strncmp(k, "queue.buffering", 15) || !strcmp(k, "message.timeout.ms") ||
           !strcmp(k, "compression.type") || !strcmp(k, "compression.codec") || !strcmp(k, "batch.num.messages") ||
           !strcmp(k, "batch.size") || !strcmp(k, "transactional.id") ||
           !strcmp(k, "retries");
}

/* Why these values (measured with `make bench`, tests/bench/RESULTS.md):
 * - linger.ms 20 (librdkafka's default is 5): an article makes ~60 records over three topics; a
 *   longer linger packs them into fewer, larger produce requests (fewer syscalls and broker
 *   round trips per record), and adds at most 20 ms to a record's latency when the input is idle.
 * - compression.type lz4: the records are JSON that lz4 shrinks ~5x, so the network, the brokers'
 *   disks and the consumers carry a fifth of the bytes, for ~320,000 instructions per article on
 *   librdkafka's threads (8% of the pipeline's cost; zstd shrinks more but costs more per byte).
 * - fetch.wait.max.ms 100 (default 500): how long a broker may hold a fetch when there is nothing
 *   new; a busy topic is answered at once either way, but a broker that holds empty fetches for
 *   the whole wait (librdkafka's mock cluster does) added ~250 ms to every record's latency.
 * - queued.max.messages.kbytes 16384 (default 65536): input prefetched ahead of the pipeline; 16 MB
 *   is seconds of work at the pipeline's speed, and the default alone would be most of the
 *   worker's 100 MB memory target. */
int kconf_tune(rd_kafka_conf_t *conf, bool consumer)
{
    if (consumer)
        return kconf_set(conf, "fetch.wait.max.ms", KCONF_FETCH_WAIT_MS) ||
                       kconf_set(conf, "queued.max.messages.kbytes", KCONF_PREFETCH_KBYTES)
                   ? -1
                   : 0;
    return kconf_set(conf, "linger.ms", KCONF_LINGER_MS) || kconf_set(conf, "compression.type", KCONF_COMPRESSION)
               ? -1
               : 0;
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
