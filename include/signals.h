/* signals.h - SIGTERM/SIGINT only flip a flag; a second one forces exit 1. */
#ifndef INGEST_SIGNALS_H
#define INGEST_SIGNALS_H

#include <signal.h>

/* Installs the handlers. */
void signals_install(void);
/* Non-zero once SIGTERM or SIGINT arrived. */
int signals_stop_requested(void);

#endif
