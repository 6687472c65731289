/* app_tag.c - `ingest-worker tag [FILE...]`: the pipeline offline.
 * Each file (or stdin) is one raw article; one article record per line on
 * stdout, in order. A file that fails gets one line on stderr with its
 * reason code, no record, and makes the exit code 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "fileio.h"
#include "langid_textcat.h"
#include "lexicon_sources.h"
#include "log.h"
#include "pipeline.h"
#include "record.h"


static int tag_one(const lexicons *lx, const pipeline_limits *lim, const char *name, FILE *f)
{
    size_t len;
    unsigned char *buf = (unsigned char *)read_stream_bounded(f, lim->max_message_bytes, &len);
    if (!buf) {
        fprintf(stderr, "ingest-worker tag: %s: out of memory\n", name);
        return 1;
    }
    pipeline_input in = {buf, len, NULL, 0};
    pipeline_result r;
    ingest_error err;
    int rc = 0;
    if (pipeline_process(lx, lim, &in, &r, &err)) {
        fprintf(stderr, "ingest-worker tag: %s: %s: %s\n", name, ingest_reason_code(err.reason), err.detail);
        rc = 1;
    } else {
        record_source src = {NULL, -1, -1, -1, NULL, 0, false};
        char *json = record_article_json(&r, &src);
        if (json) {
            puts(json);
            free(json);
        } else {
            fprintf(stderr, "ingest-worker tag: %s: internal: out of memory serializing\n", name);
            rc = 1;
        }
        pipeline_result_free(&r);
    }
    free(buf);
    return rc;
}

int app_tag(int argc, char **argv)
{
    config c;
    char **files;
    int n_files;
    int rc = config_parse(&c, CMD_TAG, argc, argv, &files, &n_files);
    if (rc) {
        config_free(&c);
        return rc == 3 ? 0 : rc;
    }
    langid_textcat *lt;
    lexicons *lx = lexicons_load_for(&c, "tag", &lt);
    if (!lx) {
        config_free(&c);
        return 2;
    }
    pipeline_limits lim;
    config_limits(&c, &lim);
    rc = 0;
    if (n_files == 0) {
        rc = tag_one(lx, &lim, "<stdin>", stdin);
    } else {
        for (int i = 0; i < n_files; i++) {
            FILE *f = fopen(files[i], "rb");
            if (!f) {
                fprintf(stderr, "ingest-worker tag: %s: cannot open\n", files[i]);
                rc = 1;
                continue;
            }
            rc |= tag_one(lx, &lim, files[i], f);
            fclose(f);
        }
    }
    fflush(stdout);
    lexicons_free(lx);
    langid_textcat_close(lt);
    config_free(&c);
    return rc;
}
