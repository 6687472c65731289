/* app_broker.c - `ingest-worker broker`: a standalone Kafka-protocol broker
 * (librdkafka's mock cluster) with the worker's topics, until SIGTERM.
 *
 * Its stdin is a control channel for fault injection: one command per line
 * (`down`, `up`, `rtt 500`, `errors JoinGroup NOT_COORDINATOR 3`, ...; see
 * mockbroker_control), each answered by one `ok` or `error ...` line on
 * stdout, after the bootstrap address. End of stdin just ends control. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "log.h"
#include "mockbroker.h"
#include "signals.h"

#define BROKER_COUNT 3
#define CONTROL_LINE_MAX 512

typedef struct control {
    char buf[CONTROL_LINE_MAX];
    size_t len;
    bool open, overlong;
} control;

/* Waits up to 100 ms for stdin and runs every complete line it brings. */
static void control_poll(control *c, mockbroker *mb)
{
    if (!c->open) {
        usleep(100 * 1000);
        return;
    }
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    if (poll(&p, 1, 100) <= 0)
        return;
    ssize_t n = read(STDIN_FILENO, c->buf + c->len, sizeof c->buf - 1 - c->len);
    if (n <= 0) {
        if (n == 0 || (errno != EINTR && errno != EAGAIN))
            c->open = false; /* end of control: keep serving until SIGTERM */
        return;
    }
    c->len += (size_t)n;
    char *nl;
    while ((nl = memchr(c->buf, '\n', c->len))) {
        *nl = '\0';
        char reply[600];
        if (c->overlong)
            snprintf(reply, sizeof reply, "error line too long");
        else
            mockbroker_control(mb, c->buf, reply, sizeof reply);
        c->overlong = false;
        log_info("broker control", "{s:s, s:s}", "command", c->buf, "reply", reply);
        printf("%s\n", reply);
        fflush(stdout);
        size_t used = (size_t)(nl - c->buf) + 1;
        memmove(c->buf, nl + 1, c->len - used);
        c->len -= used;
    }
    if (c->len == sizeof c->buf - 1) { /* no newline in a full buffer: drop up to the next one */
        c->overlong = true;
        c->len = 0;
    }
}

int app_broker(int argc, char **argv)
{
    config c;
    int rc = app_configure(&c, CMD_BROKER, argc, argv, NULL);
    if (rc >= 0)
        return rc;
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
    control ctl = {.open = true};
    while (!signals_stop_requested())
        control_poll(&ctl, mb);
    log_info("broker stopping", NULL);
    mockbroker_stop(mb);
    config_free(&c);
    return 0;
}
