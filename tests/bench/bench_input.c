/* bench_input.c - inputs, clocks and lexicons for the bench; see bench.h. */
#include "bench.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "fileio.h"
#include "langid_textcat.h"
#include "lexicon_sources.h"

#define CORPUS_MAGIC "ingest-bench-corpus 1 "

struct corpus_reader {
    FILE *f;
    char *buf; /* the current article, reused */
    size_t cap;
};

bool bench_is_corpus(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char head[sizeof CORPUS_MAGIC];
    bool ok = fread(head, 1, sizeof CORPUS_MAGIC - 1, f) == sizeof CORPUS_MAGIC - 1 &&
              !memcmp(head, CORPUS_MAGIC, sizeof CORPUS_MAGIC - 1);
    fclose(f);
    return ok;
}

corpus_reader *corpus_open(const char *path)
{
    corpus_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    char line[256];
    r->f = fopen(path, "rb");
    if (!r->f || !fgets(line, sizeof line, r->f) || strncmp(line, CORPUS_MAGIC, sizeof CORPUS_MAGIC - 1)) {
        fprintf(stderr, "bench: %s: not a corpus file (gen_corpus.py writes them)\n", path);
        corpus_close(r);
        return NULL;
    }
    return r;
}

int corpus_next(corpus_reader *r, bench_input *in)
{
    char line[256], form[16], key[128];
    size_t len;
    if (!fgets(line, sizeof line, r->f))
        return 0;
    if (sscanf(line, "%15s %127s %zu", form, key, &len) != 3 || len > BENCH_ARTICLE_MAX ||
        strlen(form) >= sizeof in->form || strlen(key) >= sizeof in->key)
        return -1;
    if (len + 1 > r->cap) {
        char *nb = realloc(r->buf, len + 1);
        if (!nb)
            return -1;
        r->buf = nb;
        r->cap = len + 1;
    }
    if (fread(r->buf, 1, len, r->f) != len || fgetc(r->f) != '\n')
        return -1;
    r->buf[len] = '\0';
    in->data = r->buf;
    in->len = len;
    snprintf(in->form, sizeof in->form, "%s", form);
    snprintf(in->key, sizeof in->key, "%s", key);
    return 1;
}

void corpus_close(corpus_reader *r)
{
    if (!r)
        return;
    if (r->f)
        fclose(r->f);
    free(r->buf);
    free(r);
}

/* Appends one input (its data copied) to the growing array. */
static int push(bench_input **arr, size_t *n, size_t *cap, const bench_input *in)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        bench_input *na = realloc(*arr, nc * sizeof *na);
        if (!na)
            return -1;
        *arr = na;
        *cap = nc;
    }
    bench_input *d = &(*arr)[*n];
    *d = *in;
    d->data = malloc(in->len + 1);
    if (!d->data)
        return -1;
    memcpy(d->data, in->data, in->len);
    d->data[in->len] = '\0';
    (*n)++;
    return 0;
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const bench_input *)a)->key, ((const bench_input *)b)->key);
}

/* Every regular file of dir, in name order (so runs are comparable); form from the extension. */
static size_t load_dir(const char *dir, size_t max, bench_input **out)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    bench_input *arr = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) && (!max || n < max)) {
        if (de->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        bench_input in = {0};
        in.data = read_file_bounded(path, BENCH_ARTICLE_MAX, &in.len);
        if (in.data && in.len <= BENCH_ARTICLE_MAX) {
            const char *ext = strrchr(de->d_name, '.');
            snprintf(in.form, sizeof in.form, "%s", ext ? ext + 1 : "txt");
            snprintf(in.key, sizeof in.key, "%.*s", (int)(ext ? (size_t)(ext - de->d_name) : strlen(de->d_name)),
                     de->d_name);
            if (push(&arr, &n, &cap, &in)) {
                free(in.data);
                break;
            }
        }
        free(in.data);
    }
    closedir(d);
    if (n)
        qsort(arr, n, sizeof *arr, by_key);
    *out = arr;
    return n;
}

size_t bench_load(const char *path, size_t max, bench_input **out)
{
    *out = NULL;
    size_t n = 0;
    if (bench_is_corpus(path)) {
        corpus_reader *r = corpus_open(path);
        bench_input in, *arr = NULL;
        size_t cap = 0;
        int rc = 0;
        while (r && (!max || n < max) && (rc = corpus_next(r, &in)) == 1)
            if (push(&arr, &n, &cap, &in))
                break;
        if (rc < 0)
            fprintf(stderr, "bench: %s: malformed after %zu articles\n", path, n);
        corpus_close(r);
        *out = arr;
    } else {
        n = load_dir(path, max, out);
    }
    if (!n)
        fprintf(stderr, "bench: no inputs in %s\n", path);
    return n;
}

void bench_free_inputs(bench_input *in, size_t n)
{
    for (size_t i = 0; in && i < n; i++)
        free(in[i].data);
    free(in);
}

double bench_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double bench_wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

size_t bench_peak_rss(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru))
        return 0;
    return (size_t)ru.ru_maxrss * 1024u; /* Linux reports KiB */
}

static langid_textcat *bench_lt;

lexicons *bench_lexicons(void)
{
    char err[512], lerr[512];
    lexicons *lx = lexicons_load_all(NULL, LANGID_TEXTCAT_DEFAULT_DIR, &bench_lt, err, sizeof err, lerr, sizeof lerr);
    if (!lx)
        fprintf(stderr, "bench: lexicons: %s\n", err);
    return lx;
}

void bench_lexicons_free(lexicons *lx)
{
    lexicons_free(lx);
    langid_textcat_close(bench_lt);
    bench_lt = NULL;
}
