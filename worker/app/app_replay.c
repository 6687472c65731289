/* app_replay.c - `ingest-worker replay`: reprocess a bounded range of the
 * input (backfill), then exit 0 with a summary: one JSON object on stdout,
 * and a table on stderr when it is a terminal (a "replay finished" log
 * line otherwise). See kafka_replay.h for how ranges are resolved. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "kafka_replay.h"
#include "langid_textcat.h"
#include "lexicon_sources.h"
#include "log.h"
#include "replay_bounds.h"
#include "signals.h"

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The command-line forms; 0 or 2 after a one-line message. */
static int parse_forms(const config *c, replay_bound *from, replay_bound *to, int32_t **parts, size_t *n_parts,
                       long *rate)
{
    char err[512];
    int64_t now = wall_ms(); /* one "now" for both bounds */
    if (!*c->from || !*c->to) {
        fprintf(stderr, "ingest-worker replay: --from and --to are required (e.g. --from beginning --to end)\n");
        return 2;
    }
    if (replay_bound_parse(c->from, now, from, err, sizeof err)) {
        fprintf(stderr, "ingest-worker replay: --from: %s\n", err);
        return 2;
    }
    if (replay_bound_parse(c->to, now, to, err, sizeof err)) {
        fprintf(stderr, "ingest-worker replay: --to: %s\n", err);
        return 2;
    }
    if (from->kind == RB_TIME && to->kind == RB_TIME && from->time_ms > to->time_ms) {
        fprintf(stderr, "ingest-worker replay: --from (%s) is later than --to (%s)\n", c->from, c->to);
        return 2;
    }
    if (*c->replay_partitions && replay_partitions_parse(c->replay_partitions, parts, n_parts, err, sizeof err)) {
        fprintf(stderr, "ingest-worker replay: --partitions: %s\n", err);
        return 2;
    }
    if (replay_rate_parse(c->rate, rate, err, sizeof err)) {
        fprintf(stderr, "ingest-worker replay: --rate: %s\n", err);
        return 2;
    }
    return 0;
}

static char *prefixed(const char *prefix, const char *topic)
{
    size_t n = strlen(prefix) + strlen(topic) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s", prefix, topic);
    return s;
}

static json_t *offset_or_null(int64_t o) { return o < 0 ? json_null() : json_integer(o); }

static const char *time_mode(const replay_summary *s)
{
    return s->time_mode == RT_LOOKUP ? "lookup" : s->time_mode == RT_FILTER ? "filter" : "none";
}

/* The summary as one JSON object (stdout). */
static void print_json(const replay_summary *s, const config *c, const out_topics *t)
{
    json_t *parts = json_array();
    uint64_t msgs = 0, skipped = 0, records = 0, dlq = 0;
    for (size_t i = 0; i < s->n_parts; i++) {
        const replay_part *p = &s->parts[i];
        msgs += p->messages, skipped += p->skipped, records += p->records, dlq += p->dlq;
        json_array_append_new(
            parts, json_pack("{s:i, s:I, s:I, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:b}", "partition", (int)p->partition,
                             "start", (json_int_t)p->start, "end", (json_int_t)p->end, "first_offset",
                             offset_or_null(p->first), "last_offset", offset_or_null(p->last), "messages",
                             (json_int_t)p->messages, "skipped", (json_int_t)p->skipped, "records",
                             (json_int_t)p->records, "dlq", (json_int_t)p->dlq, "next", (json_int_t)p->next, "done",
                             p->done));
    }
    json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:b, s:b, s:s, s:o, s:o, s:I, s:I, s:I, s:I, s:f, s:o}", "summary",
                          "replay", "input", c->input, "output_normalized", t->normalized, "complete", s->complete,
                          "dry_run", s->dry_run, "resumed", s->resumed, "time_bounds", time_mode(s), "from_ts",
                          offset_or_null(s->from_ts), "to_ts", offset_or_null(s->to_ts), "messages", (json_int_t)msgs,
                          "skipped", (json_int_t)skipped, "records", (json_int_t)records, "dlq", (json_int_t)dlq,
                          "seconds", s->seconds, "partitions", parts);
    char *txt = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) : NULL;
    if (txt) {
        puts(txt);
        fflush(stdout);
    }
    free(txt);
    json_decref(o);
}

/* The same for people, when stderr is a terminal. */
static void print_table(const replay_summary *s)
{
    fprintf(stderr, "replay %s%s in %.1fs (time bounds: %s)\n", s->dry_run ? "dry run " : "",
            s->complete ? "complete" : "stopped before the end", s->seconds, time_mode(s));
    fprintf(stderr, "%9s %12s %12s %10s %8s %10s %8s\n", "partition", "first", "last", "messages", "skipped",
            "records", "dlq");
    for (size_t i = 0; i < s->n_parts; i++) {
        const replay_part *p = &s->parts[i];
        char first[24] = "-", last[24] = "-";
        if (p->first >= 0)
            snprintf(first, sizeof first, "%lld", (long long)p->first);
        if (p->last >= 0)
            snprintf(last, sizeof last, "%lld", (long long)p->last);
        fprintf(stderr, "%9d %12s %12s %10llu %8llu %10llu %8llu\n", (int)p->partition, first, last,
                (unsigned long long)p->messages, (unsigned long long)p->skipped, (unsigned long long)p->records,
                (unsigned long long)p->dlq);
    }
}

static int run_replay(config *c, const replay_options *base)
{
    langid_textcat *lt = NULL;
    lexicons *lx = c->dry_run ? NULL : lexicons_load_for(c, "replay", &lt);
    if (!c->dry_run && !lx)
        return 2;
    const char *pre = c->output_prefix;
    char *tn[4] = {prefixed(pre, c->out_normalized), prefixed(pre, c->out_entities), prefixed(pre, c->out_events),
                   prefixed(pre, c->out_dlq)};
    int rc = 1;
    if (tn[0] && tn[1] && tn[2] && tn[3]) {
        out_topics topics = {tn[0], tn[1], tn[2], tn[3]};
        replay_options o = *base;
        o.lx = lx;
        o.topics = &topics;
        replay_summary s;
        rc = kafka_replay_run(&o, &s);
        if (rc != 2) {
            print_json(&s, c, &topics);
            if (o.tty)
                print_table(&s);
            else
                log_info("replay finished", "{s:b, s:f, s:i}", "complete", s.complete, "seconds", s.seconds,
                         "exit_code", rc);
        }
        replay_summary_free(&s);
    }
    for (int i = 0; i < 4; i++)
        free(tn[i]);
    lexicons_free(lx);
    langid_textcat_close(lt);
    return rc;
}

int app_replay(int argc, char **argv)
{
    config c;
    int rc = app_configure(&c, CMD_REPLAY, argc, argv, NULL);
    if (rc >= 0)
        return rc;
    replay_bound from, to;
    int32_t *parts = NULL;
    size_t n_parts = 0;
    long rate = 0;
    memset(&from, 0, sizeof from);
    memset(&to, 0, sizeof to);
    rc = parse_forms(&c, &from, &to, &parts, &n_parts, &rate);
    if (!rc) {
        signals_install();
        replay_options o = {.cfg = &c, .from = &from, .to = &to, .partitions = parts, .n_partitions = n_parts,
                            .rate = rate, .tty = isatty(STDERR_FILENO)};
        rc = run_replay(&c, &o);
    }
    free(parts);
    replay_bound_free(&from);
    replay_bound_free(&to);
    config_free(&c);
    return rc;
}
