/* signals.c - see include/signals.h. */
#include "signals.h"

#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t g_stop;
static volatile sig_atomic_t g_reload;

static void on_hup(int sig)
{
    (void)sig;
    g_reload = 1;
}

static void on_stop(int sig)
{
    (void)sig;
    if (g_stop) {
        /* second signal: the operator insists; exit 1 without cleanup */
        static const char msg[] = "{\"level\":\"error\",\"msg\":\"second signal: forced exit\"}\n";
        ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)w;
        _exit(1);
    }
    g_stop = 1;
}

void signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_hup;
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int signals_stop_requested(void) { return g_stop; }

int signals_reload_requested(void)
{
    /* a SIGHUP between the read and the reset is merged with this one:
     * the reload that follows reads the files after both */
    if (!g_reload)
        return 0;
    g_reload = 0;
    return 1;
}
