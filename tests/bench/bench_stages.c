/* bench_stages.c - each pipeline stage alone on one core (the first table of `make bench`).
 *
 * normalize  decode_raw + normalize_article per input form, on the raw bytes;
 * tag        tokenize, entities, events (with lemmas), quotes on bodies normalized beforehand;
 * record     outrec_build (the article, entity and event records, serialized and keyed as the
 *            worker produces them) on pipeline results computed beforehand.
 * Each stage runs for about BENCH_SECONDS (default 1) of this process's CPU time and at least one
 * pass over the inputs; BENCH_ROUNDS=N runs exactly N passes instead, for instruction counts under
 * callgrind (`--toggle-collect=normalize_article`, `entities_tag`, `outrec_build`, ...), and prints
 * the bytes counted, so that Ir per byte can be computed.
 * MB/s are given on two bases: the raw input of the articles the stage handled (comparable across
 * stages and with the whole pipeline: 1/total = sum of 1/stage), and the stage's own input (the
 * normalized body for the tag stages, as earlier figures in the README were).
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "decode.h"
#include "entities.h"
#include "events.h"
#include "normalize.h"
#include "outrec.h"
#include "record.h"
#include "text.h"

#define STAGE_ARENA_CAP (64u << 20)
#define RECORD_CHUNK 64 /* pipeline results held at once by the record stage */

typedef struct stage_row {
    const char *name;
    size_t raw_bytes, own_bytes, articles, peak_arena;
    double secs;
} stage_row;

static double stage_seconds(void)
{
    const char *s = getenv("BENCH_SECONDS");
    double v = s ? atof(s) : 1.0;
    return v > 0 ? v : 1.0;
}

/* Whether another pass is due: exactly `rounds` passes, else until the time is spent. */
static bool more(const bench_opts *o, long round, double secs)
{
    return o->rounds ? round < o->rounds : (round == 0 || secs < stage_seconds());
}

static void print_row(const stage_row *r, const char *own_basis)
{
    if (!r->articles || r->secs <= 0) {
        printf("%-30s %10s %10s %12s\n", r->name, "-", "-", "-");
        return;
    }
    char own[32] = "";
    if (own_basis)
        snprintf(own, sizeof own, "%8.1f (%s)", r->own_bytes / r->secs / 1e6, own_basis);
    char peak[24] = ""; /* sub-stages share their stage's arena: no figure of their own */
    if (r->peak_arena)
        snprintf(peak, sizeof peak, "%zu", r->peak_arena);
    printf("%-30s %10.1f %12.0f %14s   %s\n", r->name, r->raw_bytes / r->secs / 1e6, r->articles / r->secs, peak,
           own);
}

static void json_row(FILE *f, const stage_row *r, bool first)
{
    fprintf(f, "%s{\"stage\":\"%s\",\"raw_bytes\":%zu,\"own_bytes\":%zu,\"articles\":%zu,\"seconds\":%.6f}",
            first ? "" : ",", r->name, r->raw_bytes, r->own_bytes, r->articles, r->secs);
}

/* Reading this process's CPU clock is a system call, about 1.5 us here: as long as tokenizing a
 * 2 KB article. Read per article, it would count in every figure, so it is read once per chunk of
 * TIME_CHUNK articles, and the chunk's CPU time is split among the articles' parts (stages) in
 * proportion to their wall-clock time, which the vDSO serves without a system call. Arenas are
 * created and destroyed outside the timed part, as the inputs are prepared. */
#define TIME_CHUNK 32
#define MAX_PARTS 5

typedef struct chunk_timer {
    double cpu0, wall[MAX_PARTS], mark;
} chunk_timer;

static void chunk_start(chunk_timer *t)
{
    memset(t, 0, sizeof *t);
    t->cpu0 = bench_cpu_now();
}

/* Starts timing an article's parts. */
static void part_begin(chunk_timer *t) { t->mark = bench_wall_now(); }

/* Ends part k of the article (and starts the next). */
static void part_end(chunk_timer *t, int k)
{
    double now = bench_wall_now();
    t->wall[k] += now - t->mark;
    t->mark = now;
}

/* Adds the chunk's CPU time to rows[0..parts-1] by their share of its wall time. */
static void chunk_end(const chunk_timer *t, stage_row *rows, int parts)
{
    double cpu = bench_cpu_now() - t->cpu0, wall = 0;
    for (int k = 0; k < parts; k++)
        wall += t->wall[k];
    for (int k = 0; k < parts; k++)
        rows[k].secs += wall > 0 ? cpu * t->wall[k] / wall : cpu / parts;
}

static void count(stage_row *row, size_t raw, size_t own)
{
    row->raw_bytes += raw;
    row->own_bytes += own;
    row->articles++;
}

/* decode + normalize of one form. */
static void run_normalize(const bench_opts *o, const lexicons *lx, const pipeline_limits *lim, bench_input *in,
                          size_t n, const char *form, stage_row *row)
{
    for (long round = 0; more(o, round, row->secs); round++) {
        size_t before = row->articles;
        for (size_t start = 0; start < n; start += TIME_CHUNK) {
            size_t end = start + TIME_CHUNK < n ? start + TIME_CHUNK : n;
            arena *ar[TIME_CHUNK];
            bool ok[TIME_CHUNK] = {false};
            for (size_t i = start; i < end; i++)
                ar[i - start] = strcmp(in[i].form, form) ? NULL : arena_new(STAGE_ARENA_CAP);
            chunk_timer t;
            chunk_start(&t);
            for (size_t i = start; i < end; i++) {
                arena *a = ar[i - start];
                if (!a)
                    continue;
                raw_doc d;
                article art;
                ingest_error e;
                part_begin(&t);
                ok[i - start] = !decode_raw(a, lim, (unsigned char *)in[i].data, in[i].len, &d, &e) &&
                                !normalize_article(a, lx, lim, &d, in[i].key, strlen(in[i].key), &art, &e);
                part_end(&t, 0);
            }
            chunk_end(&t, row, 1);
            for (size_t i = start; i < end; i++) {
                arena *a = ar[i - start];
                if (!a)
                    continue;
                if (ok[i - start])
                    count(row, in[i].len, in[i].len);
                if (arena_used(a) > row->peak_arena)
                    row->peak_arena = arena_used(a);
                arena_destroy(a);
            }
        }
        if (row->articles == before)
            break; /* no input of this form */
    }
}

/* Normalized articles kept for the tag stage, with the raw size each came from. */
typedef struct normalized {
    arena *a;
    article art;
    size_t raw_len;
} normalized;

static size_t normalize_all(const lexicons *lx, const pipeline_limits *lim, bench_input *in, size_t n, normalized *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        raw_doc d;
        ingest_error e;
        out[k].a = arena_new(STAGE_ARENA_CAP);
        if (out[k].a && !decode_raw(out[k].a, lim, (unsigned char *)in[i].data, in[i].len, &d, &e) &&
            !normalize_article(out[k].a, lx, lim, &d, in[i].key, strlen(in[i].key), &out[k].art, &e) &&
            (!out[k].art.language || !strcmp(out[k].art.language, "en"))) { /* the pipeline tags English only */
            out[k].raw_len = in[i].len;
            k++;
        } else {
            arena_destroy(out[k].a);
        }
    }
    return k;
}

/* tokenize / entities / events (with lemmas) / quotes, each timed; rows[4] is the whole tag stage. */
static void run_tag(const bench_opts *o, const lexicons *lx, const pipeline_limits *lim, normalized *nz, size_t n,
                    stage_row rows[5])
{
    for (long round = 0; n && more(o, round, rows[4].secs); round++) {
        for (size_t start = 0; start < n; start += TIME_CHUNK) {
            size_t end = start + TIME_CHUNK < n ? start + TIME_CHUNK : n;
            arena *ar[TIME_CHUNK];
            bool ok[TIME_CHUNK] = {false};
            for (size_t i = start; i < end; i++)
                ar[i - start] = arena_new(STAGE_ARENA_CAP);
            chunk_timer t;
            chunk_start(&t);
            for (size_t i = start; i < end; i++) {
                const article *art = &nz[i].art;
                arena *a = ar[i - start];
                if (!a)
                    continue;
                ingest_error e;
                tokens tk;
                entity_set es;
                event *ev;
                quote *q;
                size_t nev, nq;
                const form_entry *lemmas = NULL;
                part_begin(&t);
                bool good = !text_tokenize(a, art->body, art->body_len, &tk);
                part_end(&t, 0);
                good = good && !entities_tag(a, lx, lim, art->body, art->body_len, &tk, &es, &e);
                part_end(&t, 1);
                good = good && (lemmas = events_lemmas(a, lx, art->body, &tk)) &&
                       !events_extract(a, lx, lim, art->body, &tk, &es, art->published_at, lemmas, &ev, &nev, &e);
                part_end(&t, 2);
                good = good && !quotes_extract(a, lx, art->body, &tk, &es, lemmas, &q, &nq, &e);
                part_end(&t, 3);
                ok[i - start] = good;
            }
            chunk_end(&t, rows, 4);
            for (size_t i = start; i < end; i++) {
                arena *a = ar[i - start];
                if (!a)
                    continue;
                if (ok[i - start])
                    for (int k = 0; k < 5; k++)
                        count(&rows[k], nz[i].raw_len, nz[i].art.body_len);
                if (arena_used(a) > rows[4].peak_arena)
                    rows[4].peak_arena = arena_used(a);
                arena_destroy(a);
            }
        }
        rows[4].secs = rows[0].secs + rows[1].secs + rows[2].secs + rows[3].secs;
    }
}

/* outrec_build on results computed RECORD_CHUNK at a time (only the serialization is timed). */
static void run_record(const bench_opts *o, const lexicons *lx, const pipeline_limits *lim, bench_input *in,
                       size_t n, stage_row *row, size_t *records, size_t *out_bytes)
{
    const out_topics topics = {"articles.normalized", "articles.entities", "articles.events", "articles.dlq"};
    const outrec_ctx ctx = {&topics, lx, lim, 1000000 - 512, false};
    static pipeline_result res[RECORD_CHUNK];
    static size_t raw_len[RECORD_CHUNK];
    for (long round = 0; more(o, round, row->secs); round++) {
        for (size_t start = 0; start < n; start += RECORD_CHUNK) {
            size_t k = 0;
            for (size_t i = start; i < n && i < start + RECORD_CHUNK; i++) {
                pipeline_input pin = {(unsigned char *)in[i].data, in[i].len, in[i].key, strlen(in[i].key)};
                ingest_error e;
                if (!pipeline_process(lx, lim, &pin, &res[k], &e))
                    raw_len[k++] = in[i].len;
            }
            bool built[RECORD_CHUNK];
            rec_list lists[RECORD_CHUNK];
            chunk_timer t;
            chunk_start(&t);
            for (size_t j = 0; j < k; j++) {
                record_source src = {"articles.raw", 0, (int64_t)(start + j), 1700000000000, res[j].art.id,
                                     strlen(res[j].art.id), false};
                lists[j] = (rec_list){0};
                part_begin(&t);
                outrec_build(&ctx, &res[j], &src, &lists[j]);
                part_end(&t, 0);
                built[j] = !lists[j].oom;
            }
            stage_row parts[1] = {{0}};
            chunk_end(&t, parts, 1);
            row->secs += parts[0].secs;
            for (size_t j = 0; j < k; j++) {
                if (built[j]) {
                    count(row, raw_len[j], res[j].art.body_len);
                    *records += lists[j].n;
                    for (out_rec *r = lists[j].head; r; r = r->next)
                        *out_bytes += r->value_len + r->key_len;
                }
                outrec_list_free(&lists[j]);
                pipeline_result_free(&res[j]);
            }
        }
    }
}

int bench_stages(const bench_opts *o)
{
    bench_input *in;
    size_t n = bench_load(o->path, o->limit, &in);
    if (!n)
        return 1;
    lexicons *lx = bench_lexicons();
    if (!lx) {
        bench_free_inputs(in, n);
        return 1;
    }
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    bool all = !o->only;
    printf("%-30s %10s %12s %14s   %s\n", "stage (one core, CPU time)", "MB/s raw", "articles/s", "peak arena B",
           "MB/s own input");
    static const char *const forms[] = {"txt", "html", "json"};
    static const char *const form_rows[] = {"normalize (txt)", "normalize (html)", "normalize (json)"};
    stage_row norm[4] = {{.name = form_rows[0]}, {.name = form_rows[1]}, {.name = form_rows[2]},
                         {.name = "normalize (all forms)"}};
    stage_row tag[5] = {{.name = "  tokenize"}, {.name = "  entities"}, {.name = "  events (with lemmas)"},
                        {.name = "  quotes"}, {.name = "tag (tokenize..quotes)"}};
    stage_row evq = {.name = "  events+quotes"};
    stage_row rec = {.name = "record serialization"};
    size_t records = 0, out_bytes = 0;
    if (all || !strcmp(o->only, "normalize")) {
        for (int f = 0; f < 3; f++) {
            run_normalize(o, lx, &lim, in, n, forms[f], &norm[f]);
            norm[3].raw_bytes += norm[f].raw_bytes, norm[3].own_bytes += norm[f].own_bytes;
            norm[3].articles += norm[f].articles, norm[3].secs += norm[f].secs;
            if (norm[f].peak_arena > norm[3].peak_arena)
                norm[3].peak_arena = norm[f].peak_arena;
            if (norm[f].articles)
                print_row(&norm[f], NULL);
            if (norm[f].articles && o->rounds)
                printf("  (%zu bytes in %zu articles)\n", norm[f].raw_bytes, norm[f].articles);
        }
        print_row(&norm[3], NULL);
    }
    if (all || !strcmp(o->only, "tag")) {
        normalized *nz = calloc(n, sizeof *nz);
        size_t nn = nz ? normalize_all(lx, &lim, in, n, nz) : 0;
        run_tag(o, lx, &lim, nz, nn, tag);
        evq.raw_bytes = tag[2].raw_bytes, evq.own_bytes = tag[2].own_bytes, evq.articles = tag[2].articles;
        evq.secs = tag[2].secs + tag[3].secs;
        print_row(&tag[4], "body");
        print_row(&tag[0], "body");
        print_row(&tag[1], "body");
        print_row(&evq, "body");
        print_row(&tag[2], "body");
        print_row(&tag[3], "body");
        if (o->rounds)
            printf("  (%zu bytes in %zu articles)\n", tag[4].own_bytes, tag[4].articles);
        for (size_t i = 0; i < nn; i++)
            arena_destroy(nz[i].a);
        free(nz);
    }
    if (all || !strcmp(o->only, "record")) {
        run_record(o, lx, &lim, in, n, &rec, &records, &out_bytes);
        print_row(&rec, "body");
        if (rec.articles)
            printf("  (%zu records, %.1f per article, %.1f MB/s of records written)\n", records,
                   (double)records / rec.articles, out_bytes / rec.secs / 1e6);
        if (o->rounds)
            printf("  (%zu bytes in %zu articles)\n", rec.own_bytes, rec.articles);
    }
    if (o->json) {
        printf("BENCH_JSON {\"mode\":\"stages\",\"inputs\":%zu,\"records\":%zu,\"record_bytes\":%zu,\"rows\":[", n,
               records, out_bytes);
        const stage_row *rows[] = {&norm[0], &norm[1], &norm[2], &norm[3], &tag[0], &tag[1], &evq,
                                   &tag[2],  &tag[3],  &tag[4],  &rec};
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
            json_row(stdout, rows[i], i == 0);
        printf("]}\n");
    }
    bench_lexicons_free(lx);
    bench_free_inputs(in, n);
    return 0;
}
