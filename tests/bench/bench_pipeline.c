/* bench_pipeline.c - the whole pipeline in-process (the second table of `make bench`).
 *
 * Article after article, as the worker handles a message: pipeline_process, then outrec_build (the
 * article, entity and event records, serialized and keyed), then everything freed. A corpus file is
 * streamed one article at a time, so the process holds one input at a time and its peak RSS shows
 * what the pipeline itself needs; the peak is sampled after 1,000, 2,000, 5,000, 10,000 and 20,000
 * articles (and at the end) to show whether it grows with the number processed.
 * Per-article latency is the wall time of those calls (what a message waits; on a shared machine it
 * includes time the process was not running) and the thread's CPU time (what the code costs).
 * Throughput is articles per CPU-second of those calls: one core, reading the input not counted.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "outrec.h"
#include "record.h"

static const char *const FORMS[] = {"txt", "html", "json"};
#define N_FORMS 3

static unsigned char form_index(const char *f)
{
    for (unsigned char i = 0; i < N_FORMS; i++)
        if (!strcmp(f, FORMS[i]))
            return i;
    return 0;
}

/* Article sizes compared for cost per byte: a quadratic scan anywhere would show as a cost per
 * byte growing with the size. */
static const size_t SIZE_BUCKETS[3] = {4096, 8192, (size_t)-1}; /* upper bounds, bytes */

static const size_t checkpoints[] = {1000, 2000, 5000, 10000, 20000, 50000, 100000};
#define N_CHECKPOINTS (sizeof checkpoints / sizeof checkpoints[0])

static double thread_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct run {
    const lexicons *lx;
    pipeline_limits lim;
    out_topics topics;
    outrec_ctx ctx;
    double *wall, *cpu; /* per article, seconds */
    unsigned char *form; /* per article: index into FORMS */
    double size_cpu[3];  /* CPU seconds and input bytes by article size (SIZE_BUCKETS) */
    size_t size_bytes[3], size_n[3];
    size_t n, cap;
    size_t raw_bytes, failed, records, record_bytes;
    size_t rss_at[N_CHECKPOINTS];
    size_t peak_arena;
} run;

/* One article through the pipeline and the serializers; latencies appended. */
static int one(run *r, const bench_input *in)
{
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 4096;
        double *nw = realloc(r->wall, nc * sizeof *nw);
        if (!nw)
            return -1;
        r->wall = nw;
        double *ncpu = realloc(r->cpu, nc * sizeof *ncpu);
        if (!ncpu)
            return -1;
        r->cpu = ncpu;
        unsigned char *nf = realloc(r->form, nc);
        if (!nf)
            return -1;
        r->form = nf;
        r->cap = nc;
    }
    pipeline_input pin = {(const unsigned char *)in->data, in->len, in->key, strlen(in->key)};
    pipeline_result res;
    ingest_error e;
    double w0 = bench_wall_now(), c0 = thread_cpu_now();
    if (pipeline_process(r->lx, &r->lim, &pin, &res, &e) == 0) {
        record_source src = {"articles.raw", 0, (int64_t)r->n, 1700000000000, in->key, strlen(in->key), false};
        rec_list l = {0};
        outrec_build(&r->ctx, &res, &src, &l);
        r->records += l.n;
        for (out_rec *o = l.head; o; o = o->next)
            r->record_bytes += o->value_len + o->key_len;
        if (l.oom || l.too_large)
            r->failed++;
        outrec_list_free(&l);
        if (arena_used(res.arena) > r->peak_arena)
            r->peak_arena = arena_used(res.arena);
        pipeline_result_free(&res);
    } else {
        r->failed++;
    }
    r->cpu[r->n] = thread_cpu_now() - c0;
    r->wall[r->n] = bench_wall_now() - w0;
    r->form[r->n] = form_index(in->form);
    for (int b = 0; b < 3; b++)
        if (in->len < SIZE_BUCKETS[b]) {
            r->size_cpu[b] += r->cpu[r->n];
            r->size_bytes[b] += in->len;
            r->size_n[b]++;
            break;
        }
    r->raw_bytes += in->len;
    r->n++;
    for (size_t k = 0; k < N_CHECKPOINTS; k++)
        if (r->n == checkpoints[k])
            r->rss_at[k] = bench_peak_rss();
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Sorts v (n > 0) and returns its q-quantile (nearest rank). */
static double quantile(double *v, size_t n, double q)
{
    size_t i = (size_t)(q * (double)n);
    return v[i < n ? i : n - 1];
}

static double sum(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return s;
}

/* CPU-time p50 and p99 of the articles of one form (before r->cpu is sorted); 0 when none. */
static void form_quantiles(const run *r, unsigned char f, size_t *n, double *p50, double *p99)
{
    double *v = malloc((r->n ? r->n : 1) * sizeof *v);
    *n = 0;
    *p50 = *p99 = 0;
    if (!v)
        return;
    for (size_t i = 0; i < r->n; i++)
        if (r->form[i] == f)
            v[(*n)++] = r->cpu[i];
    if (*n) {
        qsort(v, *n, sizeof *v, cmp_double);
        *p50 = quantile(v, *n, 0.50);
        *p99 = quantile(v, *n, 0.99);
    }
    free(v);
}

int bench_pipeline(const bench_opts *o)
{
    run r = {0};
    r.lx = bench_lexicons();
    if (!r.lx)
        return 1;
    pipeline_limits_default(&r.lim);
    r.topics = (out_topics){"articles.normalized", "articles.entities", "articles.events", "articles.dlq"};
    r.ctx = (outrec_ctx){&r.topics, r.lx, &r.lim, 1000000 - 512, false};
    size_t rss_start = bench_peak_rss();
    int rc = 0;
    if (bench_is_corpus(o->path)) {
        corpus_reader *cr = corpus_open(o->path);
        bench_input in;
        int got = 0;
        while (cr && (!o->limit || r.n < o->limit) && (got = corpus_next(cr, &in)) == 1)
            if (one(&r, &in))
                break;
        if (!cr || got < 0) {
            fprintf(stderr, "bench: %s: malformed corpus\n", o->path);
            rc = 1;
        }
        corpus_close(cr);
    } else {
        bench_input *in;
        size_t n = bench_load(o->path, 0, &in);
        for (size_t i = 0; n && (!o->limit || r.n < o->limit); i = (i + 1) % n)
            if (one(&r, &in[i]))
                break;
        bench_free_inputs(in, n);
    }
    size_t rss_end = bench_peak_rss();
    if (!r.n) {
        fprintf(stderr, "bench: no articles processed\n");
        rc = 1;
    } else {
        double cpu = sum(r.cpu, r.n), wall = sum(r.wall, r.n);
        size_t fn[N_FORMS];
        double f50[N_FORMS], f99[N_FORMS];
        for (unsigned char f = 0; f < N_FORMS; f++)
            form_quantiles(&r, f, &fn[f], &f50[f], &f99[f]);
        double c50 = quantile((qsort(r.cpu, r.n, sizeof *r.cpu, cmp_double), r.cpu), r.n, 0.50);
        double c99 = quantile(r.cpu, r.n, 0.99), cmax = r.cpu[r.n - 1];
        double w50 = quantile((qsort(r.wall, r.n, sizeof *r.wall, cmp_double), r.wall), r.n, 0.50);
        double w99 = quantile(r.wall, r.n, 0.99), wmax = r.wall[r.n - 1];
        printf("whole pipeline in-process (pipeline_process + outrec_build), %zu articles, %.1f MB\n", r.n,
               r.raw_bytes / 1e6);
        printf("  articles/s  %10.0f per CPU-second   (%.0f per wall-second)\n", r.n / cpu, r.n / wall);
        printf("  MB/s        %10.1f per CPU-second   (%.1f per wall-second)\n", r.raw_bytes / cpu / 1e6,
               r.raw_bytes / wall / 1e6);
        printf("  latency ms  p50 %.3f  p99 %.3f  max %.3f (wall)   p50 %.3f  p99 %.3f  max %.3f (CPU)\n", w50 * 1e3,
               w99 * 1e3, wmax * 1e3, c50 * 1e3, c99 * 1e3, cmax * 1e3);
        printf("  by form     ");
        for (int f = 0; f < N_FORMS; f++)
            printf("%s%s: %zu articles, CPU p50 %.3f p99 %.3f ms", f ? "; " : "", FORMS[f], fn[f], f50[f] * 1e3,
                   f99[f] * 1e3);
        printf("\n");
        printf("  by size     ");
        static const char *const size_names[3] = {"< 4 KB", "4-8 KB", ">= 8 KB"};
        for (int b = 0; b < 3; b++)
            printf("%s%s: %zu articles, %.1f us per KB", b ? "; " : "", size_names[b], r.size_n[b],
                   r.size_bytes[b] ? r.size_cpu[b] / (double)r.size_bytes[b] * 1024 * 1e6 : 0.0);
        printf("\n");
        printf("  records     %zu (%.1f per article, %.1f MB), failed %zu, peak arena %zu bytes\n", r.records,
               (double)r.records / r.n, r.record_bytes / 1e6, r.failed, r.peak_arena);
        printf("  peak RSS MB start %.1f", rss_start / 1048576.0);
        for (size_t k = 0; k < N_CHECKPOINTS; k++)
            if (r.rss_at[k])
                printf(", after %zu: %.1f", checkpoints[k], r.rss_at[k] / 1048576.0);
        printf(", end: %.1f\n", rss_end / 1048576.0);
        if (o->json) {
            printf("BENCH_JSON {\"mode\":\"pipeline\",\"articles\":%zu,\"raw_bytes\":%zu,\"cpu_seconds\":%.6f,"
                   "\"wall_seconds\":%.6f,\"wall_p50\":%.6f,\"wall_p99\":%.6f,\"wall_max\":%.6f,\"cpu_p50\":%.6f,"
                   "\"cpu_p99\":%.6f,\"cpu_max\":%.6f,\"records\":%zu,\"record_bytes\":%zu,\"failed\":%zu,"
                   "\"peak_arena\":%zu,\"rss_start\":%zu,\"rss_end\":%zu,\"rss_at\":{",
                   r.n, r.raw_bytes, cpu, wall, w50, w99, wmax, c50, c99, cmax, r.records, r.record_bytes, r.failed,
                   r.peak_arena, rss_start, rss_end);
            bool first = true;
            for (size_t k = 0; k < N_CHECKPOINTS; k++)
                if (r.rss_at[k]) {
                    printf("%s\"%zu\":%zu", first ? "" : ",", checkpoints[k], r.rss_at[k]);
                    first = false;
                }
            printf("},\"by_form\":{");
            for (int f = 0; f < N_FORMS; f++)
                printf("%s\"%s\":{\"articles\":%zu,\"cpu_p50\":%.6f,\"cpu_p99\":%.6f}", f ? "," : "", FORMS[f], fn[f],
                       f50[f], f99[f]);
            printf("},\"by_size\":[");
            for (int b = 0; b < 3; b++)
                printf("%s{\"below\":%zu,\"articles\":%zu,\"bytes\":%zu,\"cpu_seconds\":%.6f}", b ? "," : "",
                       b < 2 ? SIZE_BUCKETS[b] : 0, r.size_n[b], r.size_bytes[b], r.size_cpu[b]);
            printf("]}\n");
        }
    }
    free(r.wall);
    free(r.cpu);
    free(r.form);
    bench_lexicons_free((lexicons *)r.lx);
    return rc;
}
