/* app.h - the commands of ingest-worker, one file each (worker/app/).
 * Each takes the arguments after the command word and returns the exit
 * code: 0 clean, 1 runtime failure, 2 usage or configuration error. */
#ifndef INGEST_APP_H
#define INGEST_APP_H

int app_run(int argc, char **argv);
int app_tag(int argc, char **argv);
int app_broker(int argc, char **argv);
int app_replay(int argc, char **argv);
int app_healthcheck(int argc, char **argv);

#endif
