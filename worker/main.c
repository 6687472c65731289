/* main.c - ingest-worker: dispatch to a command (run is the default). */
#include <stdio.h>
#include <string.h>

#include "alloc_policy.h"
#include "app.h"
#include "config.h"

#ifndef INGEST_VERSION
#define INGEST_VERSION "dev"
#endif

static void usage(FILE *f)
{
    fprintf(f, "usage: ingest-worker [run|replay|tag|broker|healthcheck] [options]\n"
               "  run      consume raw articles, publish records (default; --embedded for a demo)\n"
               "  replay   backfill: reprocess a range of the input (--from/--to), then exit with a summary\n"
               "  tag      offline: each FILE (or stdin) is one raw article; one record per line\n"
               "  broker   a standalone Kafka-protocol broker (librdkafka mock cluster)\n"
               "  healthcheck  ask a running worker's /readyz; exit 0 when ready (exec probes)\n"
               "  version  print the version\n"
               "Run `ingest-worker <command> --help` for options.\n");
}

int main(int argc, char **argv)
{
    (void)alloc_policy_apply(); /* refused only by a sanitizer's allocator: then only slower */
    if (argc < 2 || argv[1][0] == '-') {
        if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
            usage(stdout);
            return 0;
        }
        return app_run(argc - 1, argv + 1);
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "run"))
        return app_run(argc - 2, argv + 2);
    if (!strcmp(cmd, "replay"))
        return app_replay(argc - 2, argv + 2);
    if (!strcmp(cmd, "tag"))
        return app_tag(argc - 2, argv + 2);
    if (!strcmp(cmd, "broker"))
        return app_broker(argc - 2, argv + 2);
    if (!strcmp(cmd, "healthcheck"))
        return app_healthcheck(argc - 2, argv + 2);
    if (!strcmp(cmd, "version")) {
        printf("ingest-worker %s\n", INGEST_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "options-markdown")) { /* used by `make readme-options` */
        config_print_markdown();
        return 0;
    }
    fprintf(stderr, "ingest-worker: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
