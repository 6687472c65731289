/* app_healthcheck.c - `ingest-worker healthcheck [--url URL] [--timeout MS]`:
 * asks a running worker's /readyz (libcurl) for exec probes and Docker's
 * HEALTHCHECK in images without curl. Exit 0 when ready; 1 when not ready
 * or when no worker answers, with a one-line reason on stderr; 2 on usage
 * errors.
 *
 * The default URL follows the worker's own setting, so the same
 * environment configures both: INGEST_HEALTHCHECK_URL, else
 * http://127.0.0.1:<port of INGEST_HEALTH_ADDR>/readyz, else port 8080.
 */
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

#define HC_BODY_MAX 4096
#define HC_DEFAULT_TIMEOUT_MS 3000

typedef struct body {
    char buf[HC_BODY_MAX + 1];
    size_t len;
} body;

/* Keeps the first HC_BODY_MAX bytes; a bigger answer is not a verdict anyway. */
static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
    body *b = ud;
    size_t len = size * n, room = HC_BODY_MAX - b->len;
    memcpy(b->buf + b->len, p, len < room ? len : room);
    b->len += len < room ? len : room;
    b->buf[b->len] = '\0';
    return len;
}

static void default_url(char *out, size_t cap)
{
    const char *u = getenv("INGEST_HEALTHCHECK_URL");
    if (u && *u) {
        snprintf(out, cap, "%s", u);
        return;
    }
    const char *addr = getenv("INGEST_HEALTH_ADDR"), *colon = addr ? strrchr(addr, ':') : NULL;
    int port = colon ? atoi(colon + 1) : 0;
    snprintf(out, cap, "http://127.0.0.1:%d/readyz", port > 0 && port < 65536 ? port : 8080);
}

/* "check: detail" from the worker's JSON verdict, else the raw body's first line. */
static void reason_of(const body *b, char *out, size_t cap)
{
    json_t *o = json_loads(b->buf, 0, NULL);
    const char *check = json_string_value(json_object_get(o, "check"));
    const char *detail = json_string_value(json_object_get(o, "detail"));
    if (check)
        snprintf(out, cap, "%s: %s", check, detail ? detail : "");
    else
        snprintf(out, cap, "%.*s", (int)strcspn(b->buf, "\r\n"), b->buf);
    json_decref(o);
}

int app_healthcheck(int argc, char **argv)
{
    char url[2048];
    long timeout_ms = HC_DEFAULT_TIMEOUT_MS;
    default_url(url, sizeof url);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: ingest-worker healthcheck [--url URL] [--timeout MS]\n"
                   "  --url      readiness URL (default: $INGEST_HEALTHCHECK_URL, else\n"
                   "             http://127.0.0.1:<port of $INGEST_HEALTH_ADDR, else 8080>/readyz)\n"
                   "  --timeout  milliseconds to wait for the answer (default %d)\n"
                   "exit 0: ready; 1: not ready or no answer (reason on stderr); 2: usage\n",
                   HC_DEFAULT_TIMEOUT_MS);
            return 0;
        }
        if ((!strcmp(a, "--url") || !strcmp(a, "--timeout")) && i + 1 < argc) {
            const char *v = argv[++i];
            if (a[2] == 'u') {
                snprintf(url, sizeof url, "%s", v);
                continue;
            }
            char *end;
            timeout_ms = strtol(v, &end, 10);
            if (end == v || *end || timeout_ms < 1 || timeout_ms > 600000) {
                fprintf(stderr, "ingest-worker healthcheck: --timeout must be milliseconds in [1, 600000], got '%s'\n", v);
                return 2;
            }
            continue;
        }
        fprintf(stderr, "ingest-worker healthcheck: unknown or incomplete argument '%s' (see --help)\n", a);
        return 2;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
        fprintf(stderr, "ingest-worker healthcheck: cannot initialise libcurl\n");
        return 1;
    }
    CURL *h = curl_easy_init();
    body *b = calloc(1, sizeof *b);
    int rc = 1;
    if (!h || !b) {
        fprintf(stderr, "ingest-worker healthcheck: out of memory\n");
        goto out;
    }
    char cerr[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
    CURLcode cr = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    char reason[512];
    if (cr != CURLE_OK) {
        fprintf(stderr, "not ready: no answer from %s: %s\n", url, *cerr ? cerr : curl_easy_strerror(cr));
    } else if (status == 200) {
        printf("ready\n");
        rc = 0;
    } else {
        reason_of(b, reason, sizeof reason);
        fprintf(stderr, "not ready: HTTP %ld: %s\n", status, reason);
    }
out:
    curl_easy_cleanup(h);
    free(b);
    curl_global_cleanup();
    return rc;
}
