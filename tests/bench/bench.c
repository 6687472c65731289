/* bench.c - throughput of the pipeline stages on one core; prints figures, asserts nothing about time.
 *
 * usage: bench [DIR [normalize|tag]]   (default tests/fixtures/articles, both stages)
 * BENCH_ROUNDS=N runs exactly N rounds over the inputs instead of about a second (for instruction
 * counts under callgrind, which are steadier than times on a shared machine).
 * For each form (text, html, json) it decodes+normalizes the fixture files repeatedly for about a
 * second and reports MB/s of raw input; then it runs the tag stage (tokenize, entities, events,
 * quotes) on bodies normalized beforehand and reports MB/s of body text, plus peak arena bytes per
 * article. Time is this process's CPU time, so the figures are per core and do not depend on
 * what else the machine is running.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decode.h"
#include "entities.h"
#include "fileio.h"
#include "events.h"
#include "lexicon_sources.h"
#include "normalize.h"
#include "text.h"

#define BENCH_FILE_MAX (64u * 1024u * 1024u)

typedef struct input {
    char *data;
    size_t len;
    char form[8];
} input;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t load(const char *dir, input *in, size_t max)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *de;
    size_t n = 0;
    while ((de = readdir(d)) && n < max) {
        if (de->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        in[n].data = read_file_bounded(path, BENCH_FILE_MAX, &in[n].len);
        if (in[n].data && in[n].len <= BENCH_FILE_MAX) {
            const char *ext = strrchr(de->d_name, '.');
            snprintf(in[n].form, sizeof in[n].form, "%s", ext ? ext + 1 : "txt");
            n++;
        } else {
            free(in[n].data);
        }
    }
    closedir(d);
    return n;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "tests/fixtures/articles";
    static input in[4096];
    size_t n = load(dir, in, 4096);
    if (!n) {
        fprintf(stderr, "bench: no inputs in %s\n", dir);
        return 1;
    }
    char err[256];
    lexicons *lx = lexicons_load_from(NULL, err, sizeof err);
    if (!lx) {
        fprintf(stderr, "bench: %s\n", err);
        return 1;
    }
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    const char *rounds_env = getenv("BENCH_ROUNDS");
    long rounds = rounds_env ? atol(rounds_env) : 0;
    const char *forms[] = {"txt", "html", "json"};
    printf("%-28s %12s %12s %14s\n", "stage", "MB/s", "articles/s", "peak bytes/art");
    for (int fi = 0; fi < 3 && !(argc > 2 && !strcmp(argv[2], "tag")); fi++) {
        size_t bytes = 0, arts = 0, peak = 0;
        double t0 = now();
        for (long round = 0; rounds ? round < rounds : now() - t0 < 1.0; round++) {
            for (size_t i = 0; i < n; i++) {
                if (strcmp(in[i].form, forms[fi]))
                    continue;
                arena *a = arena_new(64u << 20);
                raw_doc d;
                article art;
                ingest_error e;
                if (!decode_raw(a, &lim, (unsigned char *)in[i].data, in[i].len, &d, &e) &&
                    !normalize_article(a, lx, &lim, &d, NULL, 0, &art, &e)) {
                    bytes += in[i].len;
                    arts++;
                }
                if (arena_used(a) > peak)
                    peak = arena_used(a);
                arena_destroy(a);
            }
            if (!arts)
                break;
        }
        double dt = now() - t0;
        if (arts)
            printf("normalize (%-4s)             %12.1f %12.0f %14zu\n", forms[fi], bytes / dt / 1e6, arts / dt, peak);
        if (arts && rounds)
            printf("  (%zu bytes in %zu articles)\n", bytes, arts);
    }
    if (argc > 2 && !strcmp(argv[2], "normalize"))
        goto done;
    /* tag stage on bodies normalized beforehand: only tokenize/entities/events/quotes are timed */
    static article arts_in[4096];
    static arena *keep[4096];
    size_t n_norm = 0;
    for (size_t i = 0; i < n; i++) {
        raw_doc d;
        ingest_error e;
        keep[n_norm] = arena_new(64u << 20);
        if (keep[n_norm] && !decode_raw(keep[n_norm], &lim, (unsigned char *)in[i].data, in[i].len, &d, &e) &&
            !normalize_article(keep[n_norm], lx, &lim, &d, NULL, 0, &arts_in[n_norm], &e))
            n_norm++;
        else
            arena_destroy(keep[n_norm]);
    }
    size_t bytes = 0, arts = 0, peak = 0;
    double stage_t[4] = {0, 0, 0, 0}; /* tokenize, entities, events, quotes */
    double t0 = now();
    for (long round = 0; n_norm && (rounds ? round < rounds : now() - t0 < 1.0); round++) {
        for (size_t i = 0; i < n_norm; i++) {
            const article *art = &arts_in[i];
            arena *a = arena_new(64u << 20);
            if (!a)
                continue;
            ingest_error e;
            tokens tk;
            entity_set es;
            event *ev;
            quote *q;
            size_t nev, nq;
            const form_entry *lemmas = NULL;
            double s0 = now();
            bool ok = !text_tokenize(a, art->body, art->body_len, &tk);
            double s1 = now();
            ok = ok && !entities_tag(a, lx, &lim, art->body, art->body_len, &tk, &es, &e);
            double s2 = now();
            ok = ok && (lemmas = events_lemmas(a, lx, art->body, &tk)) &&
                 !events_extract(a, lx, &lim, art->body, &tk, &es, art->published_at, lemmas, &ev, &nev, &e);
            double s3 = now();
            ok = ok && !quotes_extract(a, lx, art->body, &tk, &es, lemmas, &q, &nq, &e);
            double s4 = now();
            stage_t[0] += s1 - s0, stage_t[1] += s2 - s1, stage_t[2] += s3 - s2, stage_t[3] += s4 - s3;
            if (ok) {
                bytes += art->body_len;
                arts++;
            }
            if (arena_used(a) > peak)
                peak = arena_used(a);
            arena_destroy(a);
        }
    }
    double dt = now() - t0;
    printf("tag (entities+events+quotes) %12.1f %12.0f %14zu\n", bytes / dt / 1e6, arts / dt, peak);
    static const char *const stage_names[] = {"tokenize", "entities", "events (with lemmas)", "quotes"};
    for (int k = 0; k < 4; k++)
        printf("  %-26s %12.1f\n", stage_names[k], stage_t[k] > 0 ? bytes / stage_t[k] / 1e6 : 0.0);
    if (rounds)
        printf("  (%zu bytes in %zu articles)\n", bytes, arts);
    for (size_t i = 0; i < n_norm; i++)
        arena_destroy(keep[i]);
done:
    lexicons_free(lx);
    for (size_t i = 0; i < n; i++)
        free(in[i].data);
    return 0;
}
