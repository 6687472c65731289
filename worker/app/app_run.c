/* app_run.c - `ingest-worker run [--embedded]`: the long-running worker.
 * With --embedded: start a Kafka-protocol broker in-process, seed the input
 * topic with the fixture articles, and print each article as processed. */
#include <dirent.h>
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "fileio.h"
#include "health_http.h"
#include "kafka_worker.h"
#include "langid_textcat.h"
#include "lexicon_sources.h"
#include "log.h"
#include "metrics.h"
#include "mockbroker.h"
#include "record.h"
#include "signals.h"

#define EMBEDDED_BROKERS 1
#define SEED_FILE_MAX (16u * 1024u * 1024u)

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }


/* Produces every file of dir (sorted by name) to topic, keyed by file name. */
static int seed_fixtures(const char *brokers, const char *dir, const char *topic)
{
    DIR *d = opendir(dir);
    if (!d) {
        log_error("cannot open fixtures directory", "{s:s}", "path", dir);
        return -1;
    }
    char *names[1024];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < 1024)
        if (de->d_name[0] != '.' && (names[n] = strdup(de->d_name)))
            n++;
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", brokers, err, sizeof err);
    rd_kafka_t *p = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    int rc = p ? 0 : -1;
    if (!p)
        rd_kafka_conf_destroy(conf);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        size_t len = 0;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        char *buf = rc ? NULL : read_file_bounded(path, SEED_FILE_MAX, &len);
        if (buf && len > SEED_FILE_MAX) { /* oversized fixtures are skipped, as before */
            free(buf);
            buf = NULL;
        }
        if (buf) {
            if (rd_kafka_producev(p, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(names[i], strlen(names[i])),
                                  RD_KAFKA_V_VALUE(buf, len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                  RD_KAFKA_V_END))
                rc = -1;
            free(buf);
        }
        free(names[i]);
    }
    if (p) {
        if (rd_kafka_flush(p, 10000))
            rc = -1;
        rd_kafka_destroy(p);
    }
    log_info("seeded fixture articles", "{s:s, s:i, s:s}", "directory", dir, "articles", (int)n, "topic", topic);
    return rc;
}

typedef struct printer {
    bool json;
} printer;

/* One readable line per article: where, title, entities, events. */
static void print_article(void *ud, const pipeline_result *r, const record_source *src)
{
    const printer *pr = ud;
    if (pr->json) {
        char *s = record_article_json(r, src);
        if (s) {
            puts(s);
            free(s);
        }
        fflush(stdout);
        return;
    }
    printf("[p%d@%lld] %s\n    entities (%zu):", (int)src->partition, (long long)src->offset,
           r->art.title ? r->art.title : "(untitled)", r->n_entities);
    for (size_t i = 0; i < r->n_entities && i < 12; i++)
        printf("%s %s/%s", i ? "," : "", r->entities[i].name, entity_type_name(r->entities[i].type));
    printf("%s\n    events (%zu):", r->n_entities > 12 ? ", ..." : "", r->n_events);
    for (size_t i = 0; i < r->n_events && i < 8; i++) {
        const event *e = &r->events[i];
        printf("%s %s(%s -> %s, %s)", i ? "," : "", e->type, e->actor >= 0 ? r->entities[e->actor].name : "?",
               e->target >= 0 ? r->entities[e->target].name : "?", modality_name(e->mod));
    }
    printf("%s\n", r->n_events > 8 ? ", ..." : "");
    fflush(stdout);
}

/* The lexicons in use and their language model; SIGHUP swaps both. */
typedef struct lexicon_slot {
    const config *cfg;
    lexicons *lx;
    langid_textcat *lt;
} lexicon_slot;

/* SIGHUP: load the lexicons again (from --schemas-dir, else the embedded
 * copies). On failure the current ones stay and the error is logged. */
static const lexicons *reload_lexicons(void *ud)
{
    lexicon_slot *s = ud;
    langid_textcat *lt;
    lexicons *lx = lexicons_load_for(s->cfg, "run", &lt);
    if (!lx) {
        log_error("lexicon reload failed; keeping the current lexicons", "{s:s}", "schemas_dir",
                  *s->cfg->schemas_dir ? s->cfg->schemas_dir : "(embedded)");
        return NULL;
    }
    lexicons_free(s->lx);
    langid_textcat_close(s->lt);
    s->lx = lx;
    s->lt = lt;
    log_info("lexicons reloaded", "{s:s}", "schemas_dir", *s->cfg->schemas_dir ? s->cfg->schemas_dir : "(embedded)");
    return lx;
}

/* Starts the HTTP endpoints unless --health-addr is empty. Returns 0, or
 * the exit code (2: bad address, 1: cannot listen). */
static int start_http(const config *c, metrics *m, health_http **out)
{
    *out = NULL;
    if (!*c->health_addr)
        return 0;
    char err[256];
    struct sockaddr_in sa;
    if (health_addr_parse(c->health_addr, &sa, err, sizeof err)) {
        fprintf(stderr, "ingest-worker: --%s\n", err);
        return 2;
    }
    health_policy p = {c->liveness_timeout_ms, c->stall_timeout_ms, HEALTH_BROKER_GRACE_MS};
    metrics_labels l = {{c->out_normalized, c->out_entities, c->out_events, c->out_dlq}, INGEST_VERSION};
    *out = health_http_start(c->health_addr, m, &p, &l, err, sizeof err);
    if (!*out && c->embedded) { /* the demo of `make run` must not fail on a busy :8080 */
        log_warn("HTTP endpoints not started; the demo goes on without them", "{s:s}", "error", err);
        return 0;
    }
    if (!*out) {
        log_error("cannot start the HTTP endpoints", "{s:s}", "error", err);
        return 1;
    }
    log_info("HTTP endpoints ready", "{s:s, s:i}", "addr", c->health_addr, "port", health_http_port(*out));
    return 0;
}

int app_run(int argc, char **argv)
{
    config c;
    int rc = app_configure(&c, CMD_RUN, argc, argv, kafka_worker_check_config);
    if (rc >= 0)
        return rc;
    lexicon_slot slot = {.cfg = &c};
    slot.lx = lexicons_load_for(&c, "run", &slot.lt);
    if (!slot.lx) {
        config_free(&c);
        return 2;
    }
    signals_install();
    mockbroker *mb = NULL;
    health_http *http = NULL;
    metrics *m = metrics_new();
    if (!m) {
        log_error("out of memory", NULL);
        rc = 1;
        goto out;
    }
    if ((rc = start_http(&c, m, &http)))
        goto out;
    printer pr = {!strcmp(c.print, "json")};
    kw_options o = {.cfg = &c, .lx = slot.lx, .metrics = m, .reload = reload_lexicons, .reload_ud = &slot};
    if (c.embedded) {
        char err[512];
        const char *topics[] = {c.input, c.out_normalized, c.out_entities, c.out_events, c.out_dlq, NULL};
        mb = mockbroker_start(EMBEDDED_BROKERS, topics, (int)c.partitions, err, sizeof err);
        if (!mb) {
            log_error("embedded broker failed to start", "{s:s}", "error", err);
            rc = 1;
            goto out;
        }
        o.brokers = mockbroker_bootstraps(mb);
        log_info("embedded broker ready", "{s:s}", "bootstrap", o.brokers);
        if (!pr.json) {
            printf("embedded Kafka-protocol broker at %s (Ctrl-C to stop)\n", o.brokers);
            fflush(stdout);
        }
        if (*c.bootstrap_file && mockbroker_write_bootstrap(c.bootstrap_file, o.brokers))
            log_warn("cannot write bootstrap file", "{s:s}", "path", c.bootstrap_file);
        if (seed_fixtures(o.brokers, c.fixtures, c.input)) {
            rc = 1;
            goto out;
        }
        o.on_article = print_article;
        o.ud = &pr;
    }
    rc = kafka_worker_run(&o);
out:
    health_http_stop(http);
    metrics_free(m);
    mockbroker_stop(mb);
    lexicons_free(slot.lx);
    langid_textcat_close(slot.lt);
    config_free(&c);
    return rc;
}
