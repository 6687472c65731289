/* health.c - see include/health.h. */
#include "health.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static health_verdict pass(void) { return (health_verdict){true, "ok", "ok"}; }

static health_verdict fail(const char *check, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static health_verdict fail(const char *check, const char *fmt, ...)
{
    health_verdict v = {false, check, ""};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v.detail, sizeof v.detail, fmt, ap);
    va_end(ap);
    return v;
}

static long long total_lag(const metrics_snapshot *s)
{
    long long t = 0;
    for (int i = 0; i < s->n_lag && i < METRICS_MAX_PARTITIONS; i++)
        if (s->lag[i].lag > 0)
            t += s->lag[i].lag;
    return t;
}

health_verdict health_live(const metrics_snapshot *s, const health_policy *p, int64_t now_ms)
{
    int64_t idle = now_ms - s->last_tick_ms;
    if (idle > p->liveness_timeout_ms)
        return fail("main_loop", "main loop has not ticked for %lld ms (limit %lld ms)", (long long)idle,
                    (long long)p->liveness_timeout_ms);
    long long lag = total_lag(s);
    int64_t still = now_ms - s->last_progress_ms;
    if (lag > 0 && s->brokers_up > 0 && !s->shutting_down && still > p->stall_timeout_ms)
        return fail("stalled", "%lld messages of lag and no committed offset moved for %lld ms", lag, (long long)still);
    return pass();
}

health_verdict health_ready(const metrics_snapshot *s, const health_policy *p, int64_t now_ms)
{
    if (s->shutting_down)
        return fail("shutdown", "shutting down");
    if (s->producer_fatal)
        return fail("producer", "the producer is in a fatal state");
    if (s->brokers_up == 0 && now_ms - s->brokers_down_since_ms >= p->broker_grace_ms)
        return fail("brokers", "no broker reachable for %lld ms", (long long)(now_ms - s->brokers_down_since_ms));
    if (!s->joined)
        return fail("group", "the consumer has not joined its group yet");
    if (!s->dlq_writable)
        return fail("dlq", "the dead-letter topic has no writable partition");
    return pass();
}

char *health_json(const health_verdict *v)
{
    json_t *o = json_pack("{s:s, s:s, s:s}", "status", v->ok ? "ok" : "fail", "check", v->check, "detail", v->detail);
    if (!o)
        return NULL;
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}
