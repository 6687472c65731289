/* health_http.c - see include/health_http.h. */
#include "health_http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define HTTP_CONNECTION_LIMIT 64
#define HTTP_CONNECTION_TIMEOUT_S 10

struct health_http {
    struct MHD_Daemon *d;
    metrics *m;
    health_policy policy;
    metrics_labels labels;
    int port;
};

int health_addr_parse(const char *addr, struct sockaddr_in *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->sin_family = AF_INET;
    const char *colon = addr ? strrchr(addr, ':') : NULL;
    if (!colon) {
        snprintf(err, errlen, "health-addr must be HOST:PORT or :PORT, got '%s'", addr ? addr : "");
        return -1;
    }
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end || port < 0 || port > 65535) {
        snprintf(err, errlen, "health-addr: bad port in '%s'", addr);
        return -1;
    }
    out->sin_port = htons((uint16_t)port);
    size_t hl = (size_t)(colon - addr);
    if (hl == 0) {
        out->sin_addr.s_addr = htonl(INADDR_ANY);
        return 0;
    }
    char host[256];
    if (hl >= sizeof host) {
        snprintf(err, errlen, "health-addr: host name too long");
        return -1;
    }
    memcpy(host, addr, hl);
    host[hl] = '\0';
    if (inet_pton(AF_INET, host, &out->sin_addr) == 1)
        return 0;
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *res = NULL;
    int rc = getaddrinfo(host, NULL, &hints, &res);
    if (rc || !res) {
        snprintf(err, errlen, "health-addr: cannot resolve '%s': %s", host, rc ? gai_strerror(rc) : "no address");
        return -1;
    }
    out->sin_addr = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
    freeaddrinfo(res);
    return 0;
}

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, char *body, const char *type)
{
    static const char oom[] = "out of memory\n";
    struct MHD_Response *r =
        body ? MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE)
             : MHD_create_response_from_buffer(sizeof oom - 1, (void *)oom, MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    if (!body)
        status = MHD_HTTP_INTERNAL_SERVER_ERROR;
    MHD_add_response_header(r, "Content-Type", body ? type : "text/plain");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* A verdict as its JSON body, with a newline so curl output ends cleanly. */
static char *verdict_body(const health_verdict *v)
{
    char *j = health_json(v);
    if (!j)
        return NULL;
    size_t n = strlen(j);
    char *b = realloc(j, n + 2);
    if (!b) {
        free(j);
        return NULL;
    }
    b[n] = '\n';
    b[n + 1] = '\0';
    return b;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version, (void)upload, (void)con_cls;
    health_http *h = cls;
    if (*upload_size) { /* no request bodies are expected: drop them */
        *upload_size = 0;
        return MHD_YES;
    }
    if (strcmp(method, "GET") && strcmp(method, "HEAD"))
        return respond(c, MHD_HTTP_METHOD_NOT_ALLOWED, strdup("method not allowed\n"), "text/plain");
    metrics_snapshot *s = malloc(sizeof *s); /* a few KB: not on the server thread's stack */
    if (!s)
        return respond(c, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, "text/plain");
    metrics_read(h->m, s);
    int64_t now = metrics_now_ms();
    enum MHD_Result ret;
    if (!strcmp(url, "/livez") || !strcmp(url, "/readyz")) {
        health_verdict v = url[1] == 'l' ? health_live(s, &h->policy, now) : health_ready(s, &h->policy, now);
        ret = respond(c, v.ok ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, verdict_body(&v), "application/json");
    } else if (!strcmp(url, "/metrics")) {
        ret = respond(c, MHD_HTTP_OK, metrics_render(s, &h->labels, now), "text/plain; version=0.0.4; charset=utf-8");
    } else {
        ret = respond(c, MHD_HTTP_NOT_FOUND, strdup("not found: try /livez, /readyz or /metrics\n"), "text/plain");
    }
    free(s);
    return ret;
}

health_http *health_http_start(const char *addr, metrics *m, const health_policy *p, const metrics_labels *l,
                               char *err, size_t errlen)
{
    struct sockaddr_in sa;
    if (health_addr_parse(addr, &sa, err, errlen))
        return NULL;
    health_http *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    h->m = m;
    h->policy = *p;
    h->labels = *l;
    h->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL, NULL, handle, h,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_CONNECTION_LIMIT,
                            (unsigned)HTTP_CONNECTION_LIMIT, MHD_OPTION_CONNECTION_TIMEOUT,
                            (unsigned)HTTP_CONNECTION_TIMEOUT_S, MHD_OPTION_END);
    if (!h->d) {
        snprintf(err, errlen, "health-addr: cannot listen on %s (in use or not a local address?)", addr);
        free(h);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->port = di ? di->port : ntohs(sa.sin_port);
    return h;
}

int health_http_port(const health_http *h) { return h->port; }

void health_http_stop(health_http *h)
{
    if (!h)
        return;
    if (h->d)
        MHD_stop_daemon(h->d);
    free(h);
}
