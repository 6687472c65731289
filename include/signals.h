/* signals.h - SIGTERM/SIGINT only flip a flag; a second one forces exit 1.
 * SIGHUP flips a reload flag (the run command reloads its lexicons). */
#ifndef INGEST_SIGNALS_H
#define INGEST_SIGNALS_H

#include <signal.h>

/* Installs the handlers. */
void signals_install(void);
/* Non-zero once SIGTERM or SIGINT arrived. */
int signals_stop_requested(void);
/* Non-zero once per SIGHUP received since the last call (then cleared). */
int signals_reload_requested(void);

#endif
