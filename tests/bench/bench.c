/* bench.c - throughput of the pipeline on one core; prints figures, asserts nothing about time.
 *
 * usage: bench [--limit N] [--json] [PATH [normalize|tag|record]]   each stage alone (bench_stages.c)
 *        bench pipeline [--limit N] [--json] PATH                   the whole pipeline (bench_pipeline.c)
 * PATH is a directory of article files (default tests/fixtures/articles; the extension is the form)
 * or a corpus file from tests/bench/gen_corpus.py. From a corpus the stages use the first 1,000
 * articles unless --limit says otherwise. BENCH_ROUNDS=N runs exactly N passes per stage instead of
 * about BENCH_SECONDS (default 1), for instruction counts under callgrind, which are steadier than
 * times on a shared machine. Times are CPU times of this process, so the figures are per core.
 * `make bench` (tests/bench/run_bench.py) runs both modes and the end-to-end run and prints the tables.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc_policy.h"
#include "bench.h"

#define STAGES_CORPUS_DEFAULT 1000

static int usage(void)
{
    fprintf(stderr, "usage: bench [--limit N] [--json] [PATH [normalize|tag|record]]\n"
                    "       bench pipeline [--limit N] [--json] PATH\n");
    return 2;
}

int main(int argc, char **argv)
{
    /* the worker's allocator policy (worker/main.c), so that the figures are the worker's;
     * BENCH_GLIBC_DEFAULTS=1 leaves glibc's defaults, to show what the policy is for */
    if (!getenv("BENCH_GLIBC_DEFAULTS") && alloc_policy_apply())
        fprintf(stderr, "bench: allocator policy refused; figures are slower than the worker's\n");
    bench_opts o = {.path = "tests/fixtures/articles"};
    const char *rounds = getenv("BENCH_ROUNDS");
    o.rounds = rounds ? atol(rounds) : 0;
    bool pipeline = false, have_path = false, have_limit = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--limit") && i + 1 < argc) {
            o.limit = (size_t)strtoull(argv[++i], NULL, 10);
            have_limit = true;
        } else if (!strcmp(argv[i], "--json")) {
            o.json = true;
        } else if (i == 1 && !strcmp(argv[i], "pipeline")) {
            pipeline = true;
        } else if (argv[i][0] == '-') {
            return usage();
        } else if (!have_path) {
            o.path = argv[i];
            have_path = true;
        } else if (!pipeline && !o.only &&
                   (!strcmp(argv[i], "normalize") || !strcmp(argv[i], "tag") || !strcmp(argv[i], "record"))) {
            o.only = argv[i];
        } else {
            return usage();
        }
    }
    if (pipeline)
        return bench_pipeline(&o);
    if (!have_limit && bench_is_corpus(o.path))
        o.limit = STAGES_CORPUS_DEFAULT;
    return bench_stages(&o);
}
