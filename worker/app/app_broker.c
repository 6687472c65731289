/* app_broker.c - `ingest-worker broker`: a standalone Kafka-protocol broker
 * (librdkafka's mock cluster) with the worker's topics, until SIGTERM. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "log.h"
#include "mockbroker.h"
#include "signals.h"

#define BROKER_COUNT 3

int app_broker(int argc, char **argv)
{
    config c;
    char **rest;
    int n_rest;
    int rc = config_parse(&c, CMD_BROKER, argc, argv, &rest, &n_rest);
    if (rc || n_rest) {
        if (n_rest && !rc)
            fprintf(stderr, "ingest-worker broker: unexpected argument '%s'\n", rest[0]);
        config_free(&c);
        return rc == 3 ? 0 : 2;
    }
    log_level lv;
    if (!log_level_parse(c.log_level, &lv))
        log_set_level(lv);
    signals_install();
    const char *topics[] = {c.input, c.out_normalized, c.out_entities, c.out_events, c.out_dlq, NULL};
    char err[512];
    mockbroker *mb = mockbroker_start(BROKER_COUNT, topics, (int)c.partitions, err, sizeof err);
    if (!mb) {
        log_error("broker failed to start", "{s:s}", "error", err);
        config_free(&c);
        return 1;
    }
    const char *boot = mockbroker_bootstraps(mb);
    printf("%s\n", boot);
    fflush(stdout);
    if (*c.bootstrap_file) {
        if (mockbroker_write_bootstrap(c.bootstrap_file, boot)) {
            log_error("cannot write bootstrap file", "{s:s}", "path", c.bootstrap_file);
            mockbroker_stop(mb);
            config_free(&c);
            return 1;
        }
    }
    log_info("broker ready", "{s:s, s:i, s:i}", "bootstrap", boot, "partitions", (int)c.partitions, "brokers",
             BROKER_COUNT);
    while (!signals_stop_requested())
        usleep(100 * 1000);
    log_info("broker stopping", NULL);
    mockbroker_stop(mb);
    config_free(&c);
    return 0;
}
