/* health_http.h - /livez, /readyz and /metrics over HTTP (libmicrohttpd).
 *
 * The server runs on libmicrohttpd's own thread. Handlers only copy the
 * last published metrics snapshot (metrics_read) and judge or render the
 * copy; they never touch Kafka or the worker's state, so a stuck worker
 * cannot stall the probes that are meant to detect it.
 *
 *   GET /livez    200 {"status":"ok",...} or 503 naming the failing check
 *   GET /readyz   200 or 503 with {"status":"fail","check":...,"detail":...}
 *   GET /metrics  Prometheus text format 0.0.4
 */
#ifndef INGEST_HEALTH_HTTP_H
#define INGEST_HEALTH_HTTP_H

#include <netinet/in.h>
#include <stddef.h>

#include "health.h"
#include "metrics.h"

typedef struct health_http health_http;

/* Parses "HOST:PORT" or ":PORT" (all IPv4 interfaces) into *out; HOST is
 * an IPv4 address or a name resolved with getaddrinfo. Returns 0, or -1
 * with a message in err. */
int health_addr_parse(const char *addr, struct sockaddr_in *out, char *err, size_t errlen);

/* Starts serving on addr. m, and the strings in *l, must outlive the
 * server (they are borrowed); *p and *l are copied. NULL with a message
 * in err when the address is bad or cannot be bound. */
health_http *health_http_start(const char *addr, metrics *m, const health_policy *p, const metrics_labels *l,
                               char *err, size_t errlen);

/* The port actually bound (useful with port 0). */
int health_http_port(const health_http *h);

/* Stops the server thread and frees h. NULL-safe. */
void health_http_stop(health_http *h);

#endif
