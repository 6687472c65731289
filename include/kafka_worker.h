/* kafka_worker.h - the consume -> pipeline -> produce -> commit engine.
 *
 * At-least-once: offsets are committed only through the commit tracker,
 * i.e. past messages whose records the broker has acknowledged. Back-
 * pressure pauses the input partitions while the producer is saturated.
 * Rebalances (cooperative-sticky) flush, commit what is safe and detach
 * revoked partitions. SIGTERM/SIGINT: stop fetching, flush, commit, close.
 *
 * Exactly-once (--guarantee exactly-once): the producer is transactional and
 * the commit tracker is not used; records and input offsets are committed
 * together per batch by txn.h, which also says how errors are handled.
 */
#ifndef INGEST_KAFKA_WORKER_H
#define INGEST_KAFKA_WORKER_H

#include "config.h"
#include "lexicon.h"
#include "metrics.h"
#include "pipeline.h"
#include "record.h"

/* Called for each processed article after its records were handed to the
 * producer (used by --embedded to print them). */
typedef void (*kw_article_fn)(void *ud, const pipeline_result *r, const record_source *src);

/* Called between two messages after SIGHUP: returns the lexicons to use
 * from now on (the callee owns them and may free the previous ones, which
 * the worker no longer touches), or NULL to keep the current ones. */
typedef const lexicons *(*kw_reload_fn)(void *ud);

typedef struct kw_options {
    const config *cfg;
    const lexicons *lx;
    const char *brokers; /* overrides cfg->brokers when non-NULL */
    kw_article_fn on_article;
    void *ud;
    metrics *metrics;   /* optional: where the worker publishes its snapshot each tick */
    kw_reload_fn reload; /* optional: SIGHUP handler */
    void *reload_ud;
} kw_options;

/* Checks every librdkafka property of c (-X, kafka.* keys) the way the
 * clients will set them, before anything starts. Returns 0, or 2 after
 * printing one line naming the bad property. */
int kafka_worker_check_config(const config *c);

/* Runs until a stop signal or a fatal error. Returns the exit code:
 * 0 after a clean stop, 1 after a fatal Kafka error or a failed delivery,
 * 2 when librdkafka rejects the configuration (the key is named). */
int kafka_worker_run(const kw_options *o);

#endif
