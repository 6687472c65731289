/* health.h - liveness and readiness as pure functions of a metrics
 * snapshot and the time: no I/O, no clocks, so every rule is unit-tested.
 *
 * Liveness (/livez) asks "should this process be restarted?": the main
 * loop has not ticked for liveness_timeout (stuck in a call that never
 * returns), or the assignment has lag while committed offsets have not
 * moved for stall_timeout although brokers are reachable (the zombie that
 * polls but commits nothing). A broker outage is not a liveness failure:
 * restarting would not bring the broker back.
 *
 * Readiness (/readyz) asks "is this worker doing its job?": checks in a
 * fixed order, the first failing one is named. Traffic is not a check (an
 * idle topic is ready); broker loss must last broker_grace before it
 * counts, so one slow poll or one dropped connection does not flap.
 */
#ifndef INGEST_HEALTH_H
#define INGEST_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "metrics.h"

typedef struct health_policy {
    int64_t liveness_timeout_ms;
    int64_t stall_timeout_ms;
    int64_t broker_grace_ms;
} health_policy;

/* Broker loss shorter than this does not make the worker unready. */
#define HEALTH_BROKER_GRACE_MS 3000

typedef struct health_verdict {
    bool ok;
    const char *check; /* static: the failing check ("main_loop", "stalled", "shutdown", "group",
                          "brokers", "producer", "dlq"), or "ok" */
    char detail[160];  /* human-readable reason */
} health_verdict;

health_verdict health_live(const metrics_snapshot *s, const health_policy *p, int64_t now_ms);
health_verdict health_ready(const metrics_snapshot *s, const health_policy *p, int64_t now_ms);

/* The verdict as a one-line JSON object {"status":"ok"|"fail","check":...,"detail":...};
 * malloc'd, caller frees; NULL on allocation failure. */
char *health_json(const health_verdict *v);

#endif
