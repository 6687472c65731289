/* bench.h - the measuring instrument behind `make bench` (tests/bench/).
 *
 * Inputs come from a directory of article files (the form is the file's extension: txt, html,
 * json) or from a corpus file written by tests/bench/gen_corpus.py. Two modes:
 *   stages    each pipeline stage alone on one core, MB/s and articles/s (bench_stages.c);
 *   pipeline  the whole pipeline in-process, article after article as the worker runs it, with
 *             per-article latency percentiles and peak RSS (bench_pipeline.c).
 * Nothing here asserts a time: the figures are printed (and, with --json, one JSON line for the
 * driver run_bench.py).
 */
#ifndef INGEST_BENCH_H
#define INGEST_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lexicon.h"
#include "pipeline.h"

#define BENCH_ARTICLE_MAX (16u * 1024u * 1024u) /* bytes; larger inputs are skipped */

typedef struct bench_input {
    char *data; /* owned by the loader's array (bench_free_inputs) or the reader (reused) */
    size_t len;
    char form[8]; /* "txt", "html" or "json" */
    char key[64]; /* message key: the corpus key, or the file name without extension */
} bench_input;

/* Loads at most max inputs from a directory or a corpus file into a malloc'd array (*out; free with
 * bench_free_inputs). Returns the count; 0 with a message on stderr when nothing could be read. */
size_t bench_load(const char *path, size_t max, bench_input **out);
void bench_free_inputs(bench_input *in, size_t n);

/* Streams a corpus file one article at a time, so that memory does not grow with the corpus. */
typedef struct corpus_reader corpus_reader;
corpus_reader *corpus_open(const char *path);
/* 1 and *in filled (in->data valid until the next call), 0 at the end, -1 on a malformed file. */
int corpus_next(corpus_reader *r, bench_input *in);
void corpus_close(corpus_reader *r);
/* True when path is a corpus file (its first line names the format). */
bool bench_is_corpus(const char *path);

/* This process's CPU time, and the monotonic wall clock, in seconds. */
double bench_cpu_now(void);
double bench_wall_now(void);
/* Peak resident set size of this process so far, in bytes (getrusage). */
size_t bench_peak_rss(void);

/* Lexicons as the worker loads them: the embedded copies plus libexttextcat when its fingerprints
 * are installed. NULL with a message on stderr on failure; free with bench_lexicons_free. */
lexicons *bench_lexicons(void);
void bench_lexicons_free(lexicons *lx);

typedef struct bench_opts {
    const char *path;
    size_t limit;   /* most articles (0: all; stages default to 1,000 from a corpus) */
    long rounds;    /* BENCH_ROUNDS: exact passes over the inputs (0: about a second per stage) */
    const char *only; /* stages: "normalize", "tag", "record" or NULL for all */
    bool json;      /* also print one "BENCH_JSON {...}" line */
} bench_opts;

int bench_stages(const bench_opts *o);
int bench_pipeline(const bench_opts *o);

#endif
