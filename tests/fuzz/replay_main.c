/* replay_main.c - runs a libFuzzer harness without libFuzzer: every file
 * named on the command line, and every regular file in every directory
 * named, goes through LLVMFuzzerTestOneInput once. Built with gcc under
 * ASan+UBSan by `make test`, so the regression inputs under
 * tests/fixtures/regressions/<harness>/ (crashes fuzzing once found) and
 * the fixture articles keep passing every harness check without clang. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define REPLAY_MAX_BYTES (1u << 20) /* larger than any -max_len the fuzzer uses */

static int run_file(const char *path)
{
    size_t len;
    char *buf = read_file_bounded(path, REPLAY_MAX_BYTES, &len);
    if (!buf) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        return -1;
    }
    LLVMFuzzerTestOneInput((const unsigned char *)buf, len);
    free(buf);
    return 0;
}

static int run_path(const char *path, size_t *n)
{
    struct stat st;
    if (stat(path, &st)) {
        fprintf(stderr, "replay: no such file or directory: %s\n", path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        (*n)++;
        return run_file(path);
    }
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char p[4096];
        if (snprintf(p, sizeof p, "%s/%s", path, e->d_name) >= (int)sizeof p)
            rc = -1;
        else if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
            rc = run_file(p), (*n)++;
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    size_t n = 0;
    for (int i = 1; i < argc; i++)
        if (run_path(argv[i], &n))
            return 1;
    printf("replayed %zu inputs\n", n);
    return n ? 0 : 1;
}
