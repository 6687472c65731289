/* app.h - the commands of ingest-worker, one file each (worker/app/).
 * Each takes the arguments after the command word and returns the exit
 * code: 0 clean, 1 runtime failure, 2 usage or configuration error. */
#ifndef INGEST_APP_H
#define INGEST_APP_H

#include "config.h"

int app_run(int argc, char **argv);
int app_tag(int argc, char **argv);
int app_broker(int argc, char **argv);
int app_replay(int argc, char **argv);
int app_healthcheck(int argc, char **argv);

/* The common start of run, replay and broker: parses the options of cmd
 * into *c (no positional arguments allowed), validates the log level and,
 * when check is not NULL, whatever check validates (it prints one line
 * and returns 2 on a problem), handles --print-config, and sets the log
 * level. Returns -1 when the command should go on (the caller then owns
 * *c and frees it); otherwise *c is freed and the result is the exit code
 * (0 after --help or --print-config). */
int app_configure(config *c, int cmd, int argc, char **argv, int (*check)(const config *));

#endif
