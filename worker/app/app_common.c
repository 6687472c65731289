/* app_common.c - what every long-running command does first; see include/app.h. */
#include <stdio.h>

#include "app.h"
#include "log.h"

static const char *command_name(int cmd)
{
    return cmd == CMD_RUN ? "run" : cmd == CMD_REPLAY ? "replay" : cmd == CMD_BROKER ? "broker" : "tag";
}

int app_configure(config *c, int cmd, int argc, char **argv, int (*check)(const config *))
{
    char **rest;
    int n_rest;
    int rc = config_parse(c, cmd, argc, argv, &rest, &n_rest);
    if (!rc && n_rest) {
        fprintf(stderr, "ingest-worker %s: unexpected argument '%s'\n", command_name(cmd), rest[0]);
        rc = 2;
    }
    log_level lv;
    if (!rc && log_level_parse(c->log_level, &lv)) {
        fprintf(stderr, "ingest-worker: --log-level must be debug, info, warn or error, got '%s'\n", c->log_level);
        rc = 2;
    }
    if (!rc && check)
        rc = check(c);
    if (!rc && c->print_config) {
        config_print(c, cmd);
        rc = 3; /* done: exit 0 */
    }
    if (rc) {
        config_free(c);
        return rc == 3 ? 0 : rc;
    }
    log_set_level(lv);
    return -1;
}
