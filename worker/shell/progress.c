/* progress.c - see include/progress.h. */
#include "progress.h"

#include <jansson.h>
#include <stdio.h>

#include "log.h"

#define BAR_WIDTH 30
#define TTY_REDRAW_MS 250 /* a terminal bar moves more often than log lines */

void progress_init(progress *p, bool tty, int64_t interval_ms, uint64_t total, int64_t now_ms)
{
    *p = (progress){.tty = tty, .interval_ms = tty && interval_ms > TTY_REDRAW_MS ? TTY_REDRAW_MS : interval_ms,
                    .start_ms = now_ms, .last_ms = now_ms, .total = total};
}

static void draw_bar(progress *p, uint64_t done, double rate, double eta)
{
    double frac = p->total ? (double)done / (double)p->total : 0;
    if (frac > 1)
        frac = 1;
    char bar[BAR_WIDTH + 1];
    int fill = (int)(frac * BAR_WIDTH);
    for (int i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < fill ? '=' : i == fill ? '>' : ' ';
    bar[BAR_WIDTH] = '\0';
    char eta_s[32] = "--:--";
    if (eta >= 0) {
        long e = (long)eta;
        snprintf(eta_s, sizeof eta_s, "%ld:%02ld:%02ld", e / 3600, e / 60 % 60, e % 60);
    }
    fprintf(stderr, "\r[%s] %3d%%  %llu/%llu msgs  %.0f msg/s  ETA %s \033[K", bar, (int)(frac * 100),
            (unsigned long long)done, (unsigned long long)p->total, rate, eta_s);
    fflush(stderr);
    p->drawn = true;
}

void progress_report(progress *p, uint64_t done, uint64_t records, uint64_t dlq, int64_t now_ms, bool force)
{
    if (!force && now_ms - p->last_ms < p->interval_ms)
        return;
    p->last_ms = now_ms;
    double secs = (double)(now_ms - p->start_ms) / 1000.0;
    double rate = secs > 0 ? (double)done / secs : 0;
    double eta = rate > 0 && p->total >= done ? (double)(p->total - done) / rate : -1;
    if (p->tty) {
        draw_bar(p, done, rate, eta);
        return;
    }
    log_info("replay progress", "{s:I, s:I, s:f, s:f, s:f, s:I, s:I}", "messages", (json_int_t)done, "total",
             (json_int_t)p->total, "percent", p->total ? 100.0 * (double)done / (double)p->total : 100.0, "rate_per_s",
             rate, "eta_s", eta, "records", (json_int_t)records, "dlq", (json_int_t)dlq);
}

void progress_end(progress *p)
{
    if (p->tty && p->drawn) {
        fputc('\n', stderr);
        fflush(stderr);
    }
}
