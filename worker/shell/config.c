/* config.c - see include/config.h. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { OPT_STR, OPT_INT, OPT_BOOL } opt_type;

typedef struct option_def {
    const char *name; /* flag --name, env INGEST_NAME, file key name */
    opt_type type;
    size_t off;
    const char *def;
    long min, max; /* for OPT_INT */
    int cmds;
    const char *help;
} option_def;

#define S(f) OPT_STR, offsetof(config, f)
#define I(f) OPT_INT, offsetof(config, f)
#define B(f) OPT_BOOL, offsetof(config, f)

static const option_def OPTIONS[] = {
    {"brokers", S(brokers), "localhost:9092", 0, 0, CMD_RUN | CMD_REPLAY, "Kafka bootstrap servers (host:port,...)"},
    {"group", S(group), "ingest-worker", 0, 0, CMD_RUN, "consumer group id"},
    {"instance-id", S(instance_id), "", 0, 0, CMD_RUN,
     "static group membership id (group.instance.id); empty: $POD_NAME when set, else dynamic membership"},
    {"input", S(input), "articles.raw", 0, 0, CMD_RUN | CMD_BROKER | CMD_REPLAY, "input topic of raw articles"},
    {"output-normalized", S(out_normalized), "articles.normalized", 0, 0, CMD_RUN | CMD_BROKER | CMD_REPLAY,
     "topic for article records"},
    {"output-entities", S(out_entities), "articles.entities", 0, 0, CMD_RUN | CMD_BROKER | CMD_REPLAY,
     "topic for entity records"},
    {"output-events", S(out_events), "articles.events", 0, 0, CMD_RUN | CMD_BROKER | CMD_REPLAY, "topic for event records"},
    {"output-dlq", S(out_dlq), "articles.dlq", 0, 0, CMD_RUN | CMD_BROKER | CMD_REPLAY, "dead-letter topic"},
    {"max-message-bytes", I(max_message_bytes), "960000", 1, 1L << 30, CMD_RUN | CMD_TAG | CMD_REPLAY,
     "largest raw message processed; larger ones go to the DLQ as too_large (keep below the producer's "
     "message.max.bytes so the DLQ copy fits)"},
    {"max-paragraphs", I(max_paragraphs), "5000", 1, 1000000, CMD_RUN | CMD_TAG | CMD_REPLAY,
     "most paragraphs per article; more: too_large"},
    {"max-json-depth", I(max_json_depth), "64", 1, 10000, CMD_RUN | CMD_TAG | CMD_REPLAY,
     "deepest JSON envelope nesting; deeper: invalid_json"},
    {"max-html-depth", I(max_html_depth), "512", 8, 100000, CMD_RUN | CMD_TAG | CMD_REPLAY,
     "deepest HTML element nesting; deeper: too_large (parsers slow down quadratically)"},
    {"max-entities", I(max_entities), "1000", 1, 100000, CMD_RUN | CMD_TAG | CMD_REPLAY, "most distinct entities per article"},
    {"max-events", I(max_events), "1000", 1, 100000, CMD_RUN | CMD_TAG | CMD_REPLAY, "most events per article"},
    {"max-inflight", I(max_inflight), "20000", 10, 10000000, CMD_RUN | CMD_REPLAY,
     "produced records awaiting acknowledgement before input partitions are paused (replay: before it waits)"},
    {"shutdown-timeout", I(shutdown_timeout_ms), "4000", 100, 600000, CMD_RUN | CMD_REPLAY,
     "milliseconds allowed for flushing and committing (replay: checkpointing) after SIGTERM"},
    {"commit-interval", I(commit_interval_ms), "1000", 10, 600000, CMD_RUN | CMD_REPLAY,
     "milliseconds between offset commits (replay: checkpoint writes) of acknowledged work"},
    {"guarantee", S(guarantee), "at-least-once", 0, 0, CMD_RUN,
     "at-least-once (offsets committed after records are acknowledged; duplicates possible after a crash) or "
     "exactly-once (Kafka transactions; readers must use isolation.level=read_committed)"},
    {"txn-batch", I(txn_batch), "500", 1, 1000000, CMD_RUN, "exactly-once: most input messages per transaction"},
    {"txn-interval", I(txn_interval_ms), "1000", 10, 600000, CMD_RUN,
     "exactly-once: milliseconds after which an open transaction is committed, full or not"},
    {"health-addr", S(health_addr), ":8080", 0, 0, CMD_RUN,
     "HOST:PORT or :PORT of the /livez, /readyz and /metrics endpoints; empty: no endpoints"},
    {"liveness-timeout", I(liveness_timeout_ms), "30000", 1000, 3600000, CMD_RUN,
     "milliseconds without a main-loop tick before /livez fails"},
    {"stall-timeout", I(stall_timeout_ms), "300000", 1000, 86400000, CMD_RUN,
     "milliseconds with lag but no committed offset moving (brokers up) before /livez fails"},
    {"partitions", I(partitions), "3", 1, 1000, CMD_BROKER | CMD_RUN, "partitions per topic (broker, --embedded)"},
    {"bootstrap-file", S(bootstrap_file), "", 0, 0, CMD_BROKER | CMD_RUN,
     "also write the bootstrap address to this file (broker, --embedded)"},
    {"embedded", B(embedded), "false", 0, 0, CMD_RUN,
     "run on an in-process Kafka-protocol broker seeded with the fixture articles"},
    {"fixtures", S(fixtures), "tests/fixtures/articles", 0, 0, CMD_RUN, "articles seeded by --embedded"},
    {"print", S(print), "summary", 0, 0, CMD_RUN, "--embedded output: summary or json"},
    {"schemas-dir", S(schemas_dir), "", 0, 0, CMD_ALL,
     "load lexicons from this directory instead of the copies built into the binary"},
    {"langid-dir", S(langid_dir), "/usr/share/libexttextcat", 0, 0, CMD_RUN | CMD_TAG | CMD_REPLAY,
     "libexttextcat fingerprints for language identification; empty: built-in model only"},
    {"log-level", S(log_level), "info", 0, 0, CMD_ALL, "debug, info, warn or error"},
    {"config", S(config_file), "", 0, 0, CMD_ALL, "config file of `key = value` lines"},
    {"from", S(from), "", 0, 0, CMD_REPLAY,
     "first message to replay: beginning, end, an offset, p:offset,..., an RFC 3339 time or -2h/-7d (required)"},
    {"to", S(to), "", 0, 0, CMD_REPLAY, "end of the range, exclusive; same forms as --from (required)"},
    {"partitions", S(replay_partitions), "", 0, 0, CMD_REPLAY, "input partitions to replay, e.g. 0,2; empty: all"},
    {"output-prefix", S(output_prefix), "", 0, 0, CMD_REPLAY,
     "prefix for every output topic (backfill. -> backfill.articles.normalized, ...); empty: the output topics"},
    {"rate", S(rate), "", 0, 0, CMD_REPLAY, "most input messages per second, e.g. 500/s; empty: unlimited"},
    {"checkpoint", S(checkpoint), "", 0, 0, CMD_REPLAY,
     "progress file: written as records are acknowledged, resumed from when it exists"},
    {"dry-run", B(dry_run), "false", 0, 0, CMD_REPLAY, "count what would be replayed per partition and exit"},
    {"progress-interval", I(progress_interval_ms), "5000", 100, 3600000, CMD_REPLAY,
     "milliseconds between progress reports (a bar on a terminal, JSON log lines otherwise)"},
    {"print-config", B(print_config), "false", 0, 0, CMD_RUN | CMD_REPLAY, "print the effective configuration and exit"},
};
#define N_OPTIONS (sizeof OPTIONS / sizeof *OPTIONS)

static const char *const SECRET_KEYS[] = {"sasl.password", "ssl.key.password", "ssl.keystore.password",
                                          "sasl.oauthbearer.client.secret", "ssl.key.pem", NULL};

bool config_is_secret(const char *key)
{
    for (int i = 0; SECRET_KEYS[i]; i++)
        if (!strcmp(key, SECRET_KEYS[i]))
            return true;
    return strstr(key, "password") || strstr(key, "secret");
}

static char **str_field(config *c, const option_def *o) { return (char **)((char *)c + o->off); }
static long *int_field(config *c, const option_def *o) { return (long *)((char *)c + o->off); }
static bool *bool_field(config *c, const option_def *o) { return (bool *)((char *)c + o->off); }

/* Sets option o from text v; origin names where it came from for messages. */
static int set_value(config *c, const option_def *o, const char *v, const char *origin)
{
    switch (o->type) {
    case OPT_STR: {
        char *d = strdup(v);
        if (!d) {
            fprintf(stderr, "ingest-worker: out of memory\n");
            return 2;
        }
        free(*str_field(c, o));
        *str_field(c, o) = d;
        return 0;
    }
    case OPT_INT: {
        char *end;
        errno = 0;
        long n = strtol(v, &end, 10);
        /* accept unit suffixes for sizes and durations: k, M (bytes), s, ms */
        if (end != v && !strcmp(end, "s") && n <= LONG_MAX / 1000)
            n *= 1000, end++;
        else if (end != v && !strcmp(end, "ms"))
            end += 2;
        else if (end != v && (!strcmp(end, "k") || !strcmp(end, "K")))
            n *= 1024, end++;
        else if (end != v && !strcmp(end, "M") && n <= LONG_MAX / (1024 * 1024))
            n *= 1024 * 1024, end++;
        if (errno || end == v || *end || n < o->min || n > o->max) {
            fprintf(stderr, "ingest-worker: %s: %s must be an integer in [%ld, %ld], got '%s'\n", origin, o->name,
                    o->min, o->max, v);
            return 2;
        }
        *int_field(c, o) = n;
        return 0;
    }
    case OPT_BOOL:
        if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "on"))
            *bool_field(c, o) = true;
        else if (!strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "off"))
            *bool_field(c, o) = false;
        else {
            fprintf(stderr, "ingest-worker: %s: %s must be true or false, got '%s'\n", origin, o->name, v);
            return 2;
        }
        return 0;
    }
    return 2;
}

/* The option called name for command cmd; a name may have one entry per
 * command set (--partitions is a count for broker, a list for replay).
 * Falls back to an entry of another command, which callers reject. */
static const option_def *find_option(const char *name, size_t len, int cmd)
{
    const option_def *other = NULL;
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (strlen(OPTIONS[i].name) == len && !strncmp(OPTIONS[i].name, name, len)) {
            if (OPTIONS[i].cmds & cmd)
                return &OPTIONS[i];
            other = &OPTIONS[i];
        }
    return other;
}

static int add_kafka(config *c, const char *kv, const char *origin)
{
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv) {
        fprintf(stderr, "ingest-worker: %s: -X expects key=value, got '%s'\n", origin, kv);
        return 2;
    }
    size_t kl = (size_t)(eq - kv);
    for (int i = 0; i < c->n_kafka; i++)
        if (strlen(c->kafka[i].key) == kl && !strncmp(c->kafka[i].key, kv, kl)) {
            char *nv = strdup(eq + 1);
            if (!nv)
                return 2;
            free(c->kafka[i].value);
            c->kafka[i].value = nv;
            return 0;
        }
    if (c->n_kafka == CONFIG_MAX_KAFKA_PROPS) {
        fprintf(stderr, "ingest-worker: %s: more than %d librdkafka properties\n", origin, CONFIG_MAX_KAFKA_PROPS);
        return 2;
    }
    c->kafka[c->n_kafka].key = strndup(kv, kl);
    c->kafka[c->n_kafka].value = strdup(eq + 1);
    if (!c->kafka[c->n_kafka].key || !c->kafka[c->n_kafka].value)
        return 2;
    c->n_kafka++;
    return 0;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static int apply_file(config *c, int cmd, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "ingest-worker: config: cannot open '%s'\n", path);
        return 2;
    }
    char line[4096];
    int ln = 0, rc = 0;
    while (!rc && fgets(line, sizeof line, f)) {
        ln++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        char origin[512];
        snprintf(origin, sizeof origin, "%s:%d", path, ln);
        if (!eq) {
            fprintf(stderr, "ingest-worker: %s: expected key = value\n", origin);
            rc = 2;
            break;
        }
        *eq = '\0';
        char *k = trim(s), *v = trim(eq + 1);
        if (!strncmp(k, "kafka.", 6)) {
            char kv[4096];
            snprintf(kv, sizeof kv, "%s=%s", k + 6, v);
            rc = add_kafka(c, kv, origin);
            continue;
        }
        const option_def *o = find_option(k, strlen(k), cmd);
        if (!o || !(o->cmds & cmd) || !strcmp(k, "config")) {
            fprintf(stderr, "ingest-worker: %s: unknown key '%s'\n", origin, k);
            rc = 2;
            break;
        }
        rc = set_value(c, o, v, origin);
    }
    fclose(f);
    return rc;
}

static void env_name(const char *opt, char *out, size_t cap)
{
    size_t o = snprintf(out, cap, "INGEST_");
    for (const char *p = opt; *p && o + 1 < cap; p++)
        out[o++] = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
    out[o] = '\0';
}

static void usage(int cmd)
{
    printf("usage: ingest-worker %s [options]%s\n\noptions (flag, env INGEST_<NAME>, config key):\n",
           cmd == CMD_BROKER ? "broker" : cmd == CMD_TAG ? "tag" : cmd == CMD_REPLAY ? "replay" : "run", cmd == CMD_TAG ? " [FILE...]" : "");
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (OPTIONS[i].cmds & cmd)
            printf("  --%-20s %s (default: %s)\n", OPTIONS[i].name, OPTIONS[i].help,
                   *OPTIONS[i].def ? OPTIONS[i].def : "none");
    if (cmd == CMD_RUN || cmd == CMD_REPLAY)
        printf("  -X key=value           any librdkafka property (config key kafka.<key>)\n");
}

int config_parse(config *c, int cmd, int argc, char **argv, char ***rest, int *n_rest)
{
    memset(c, 0, sizeof *c);
    int rc = 0;
    for (size_t i = 0; i < N_OPTIONS && !rc; i++)
        rc = set_value(c, &OPTIONS[i], OPTIONS[i].def, "default");
    if (rc)
        return rc;
    /* the config file path itself: flag, then env */
    const char *cfg = getenv("INGEST_CONFIG");
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            cfg = argv[i + 1];
        else if (!strncmp(argv[i], "--config=", 9))
            cfg = argv[i] + 9;
    }
    if (cfg && *cfg && (rc = apply_file(c, cmd, cfg)))
        return rc;
    for (size_t i = 0; i < N_OPTIONS && !rc; i++) {
        char name[96];
        env_name(OPTIONS[i].name, name, sizeof name);
        const char *v = getenv(name);
        if (v && (OPTIONS[i].cmds & cmd))
            rc = set_value(c, &OPTIONS[i], v, name);
    }
    if (rc)
        return rc;
    *rest = argv;
    *n_rest = 0;
    for (int i = 0; i < argc && !rc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(cmd);
            return 3;
        }
        if (!strcmp(a, "-X")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "ingest-worker: -X needs key=value\n");
                return 2;
            }
            rc = add_kafka(c, argv[++i], "-X");
            continue;
        }
        if (strncmp(a, "--", 2)) {
            (*rest)[(*n_rest)++] = argv[i];
            continue;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t nl = eq ? (size_t)(eq - name) : strlen(name);
        const option_def *o = find_option(name, nl, cmd);
        if (!o || !(o->cmds & cmd)) {
            fprintf(stderr, "ingest-worker: unknown option '--%.*s' (see --help)\n", (int)nl, name);
            return 2;
        }
        const char *v;
        if (eq)
            v = eq + 1;
        else if (o->type == OPT_BOOL)
            v = "true";
        else if (i + 1 < argc)
            v = argv[++i];
        else {
            fprintf(stderr, "ingest-worker: option --%s needs a value\n", o->name);
            return 2;
        }
        char origin[128];
        snprintf(origin, sizeof origin, "--%s", o->name);
        rc = set_value(c, o, v, origin);
    }
    /* In Kubernetes the pod name (downward API env POD_NAME) is a stable
     * member id across container restarts: static membership by default. */
    const char *pod = getenv("POD_NAME");
    if (!rc && (cmd & CMD_RUN) && !*c->instance_id && pod && *pod)
        rc = set_value(c, find_option("instance-id", 11, cmd), pod, "POD_NAME");
    if (!rc && strcmp(c->guarantee, "at-least-once") && strcmp(c->guarantee, "exactly-once")) {
        fprintf(stderr, "ingest-worker: --guarantee must be at-least-once or exactly-once, got '%s'\n", c->guarantee);
        rc = 2;
    }
    if (!rc && strcmp(c->print, "summary") && strcmp(c->print, "json")) {
        fprintf(stderr, "ingest-worker: --print must be summary or json, got '%s'\n", c->print);
        rc = 2;
    }
    return rc;
}

void config_print(const config *c, int cmd)
{
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const option_def *o = &OPTIONS[i];
        if (!(o->cmds & cmd))
            continue;
        config *m = (config *)c;
        if (o->type == OPT_STR)
            printf("%s = %s\n", o->name, *str_field(m, o));
        else if (o->type == OPT_INT)
            printf("%s = %ld\n", o->name, *int_field(m, o));
        else
            printf("%s = %s\n", o->name, *bool_field(m, o) ? "true" : "false");
    }
    for (int i = 0; i < c->n_kafka; i++)
        printf("kafka.%s = %s\n", c->kafka[i].key, config_is_secret(c->kafka[i].key) ? "********" : c->kafka[i].value);
}

void config_print_markdown(void)
{
    printf("| option | env | default | commands | meaning |\n| --- | --- | --- | --- | --- |\n");
    for (size_t i = 0; i < N_OPTIONS; i++) {
        char env[96];
        env_name(OPTIONS[i].name, env, sizeof env);
        int m = OPTIONS[i].cmds;
        printf("| `--%s` | `%s` | %s%s%s | %s%s%s%s | %s |\n", OPTIONS[i].name, env, *OPTIONS[i].def ? "`" : "",
               *OPTIONS[i].def ? OPTIONS[i].def : "(none)", *OPTIONS[i].def ? "`" : "",
               m & CMD_RUN ? "run " : "", m & CMD_BROKER ? "broker " : "", m & CMD_TAG ? "tag " : "",
               m & CMD_REPLAY ? "replay" : "", OPTIONS[i].help);
    }
}

void config_free(config *c)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (OPTIONS[i].type == OPT_STR) {
            free(*str_field(c, &OPTIONS[i]));
            *str_field(c, &OPTIONS[i]) = NULL;
        }
    for (int i = 0; i < c->n_kafka; i++) {
        free(c->kafka[i].key);
        free(c->kafka[i].value);
    }
    c->n_kafka = 0;
}

void config_limits(const config *c, pipeline_limits *l)
{
    l->max_message_bytes = (size_t)c->max_message_bytes;
    l->max_paragraphs = (size_t)c->max_paragraphs;
    l->max_json_depth = (size_t)c->max_json_depth;
    l->max_html_depth = (size_t)c->max_html_depth;
    l->max_entities = (size_t)c->max_entities;
    l->max_events = (size_t)c->max_events;
}
