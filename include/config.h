/* config.h - one declarative option table drives flags, environment
 * variables (INGEST_<NAME>), config-file keys, validation, --help, the
 * README reference and --print-config. Precedence: flag > env > file >
 * default. librdkafka properties pass through as -X key=value (flags),
 * `kafka.<key> = value` (file) and are validated by librdkafka at start.
 */
#ifndef INGEST_CONFIG_H
#define INGEST_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "pipeline.h"

#define CONFIG_MAX_KAFKA_PROPS 64

typedef struct kafka_prop {
    char *key, *value;
} kafka_prop;

typedef struct config {
    /* connection and topics */
    char *brokers, *group, *input, *out_normalized, *out_entities, *out_events, *out_dlq;
    char *instance_id;
    /* limits */
    long max_message_bytes, max_paragraphs, max_json_depth, max_html_depth, max_entities, max_events;
    /* flow control and lifecycle (milliseconds, counts) */
    long max_inflight;
    long shutdown_timeout_ms;
    long commit_interval_ms;
    /* delivery guarantee: "at-least-once" or "exactly-once" (transactions of txn_batch messages at most,
     * committed at least every txn_interval_ms) */
    char *guarantee;
    long txn_batch, txn_interval_ms;
    /* operations: HTTP endpoints and health policy (milliseconds) */
    char *health_addr;
    long liveness_timeout_ms, stall_timeout_ms;
    /* broker command */
    long partitions;
    char *bootstrap_file;
    /* embedded mode */
    bool embedded;
    char *fixtures;
    char *print;
    /* misc */
    char *schemas_dir;
    char *langid_dir;
    char *log_level;
    char *config_file;
    bool print_config;
    /* replay */
    char *from, *to, *replay_partitions, *output_prefix, *rate, *checkpoint;
    bool dry_run;
    long progress_interval_ms;
    kafka_prop kafka[CONFIG_MAX_KAFKA_PROPS];
    int n_kafka;
} config;

/* Which commands an option applies to (bit set). */
enum { CMD_RUN = 1, CMD_BROKER = 2, CMD_TAG = 4, CMD_REPLAY = 8, CMD_ALL = 15 };

/* Parses argv (after the command word) for command cmd into *c.
 * Returns 0; on a usage or configuration error prints one line naming the
 * problem to stderr and returns 2 (the exit code); returns 3 after --help
 * was printed (caller exits 0). Positional arguments are left in
 * *rest and *n_rest (pointers into argv). */
int config_parse(config *c, int cmd, int argc, char **argv, char ***rest, int *n_rest);

/* Prints the effective configuration as `name = value` lines; librdkafka
 * secrets (sasl.password, ssl.key.password, ...) masked. */
void config_print(const config *c, int cmd);

/* Prints the option table as a Markdown table (for the README). */
void config_print_markdown(void);

void config_free(config *c);

/* The pipeline limits of c. */
void config_limits(const config *c, pipeline_limits *l);

/* True when a librdkafka property holds a secret and must be masked. */
bool config_is_secret(const char *key);

#endif
