/* record.h - serialize pipeline results to the contract's JSON records.
 *
 * Field names are the contract's (../shared/CONTRACT.md, the JSON Schemas in schemas/).
 * Every function returns a malloc'd, NUL-terminated compact JSON string
 * the caller frees with free(), or NULL on allocation failure.
 */
#ifndef INGEST_RECORD_H
#define INGEST_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline.h"

/* Where the input came from: the `source` object of every record. */
typedef struct record_source {
    const char *topic; /* NULL offline (tag) */
    int32_t partition; /* -1 offline */
    int64_t offset;    /* -1 offline */
    int64_t timestamp_ms; /* -1 when unknown */
    const char *key;   /* NULL when absent */
    size_t key_len;
    bool replay;       /* set by `ingest-worker replay` */
} record_source;

#define RECORD_ARTICLE_SCHEMA "article/v1"
#define RECORD_ENTITY_SCHEMA "entity/v1"
#define RECORD_EVENT_SCHEMA "event/v1"

char *record_article_json(const pipeline_result *r, const record_source *src);

/* One record per distinct entity (index i) / event (index i). */
char *record_entity_json(const pipeline_result *r, size_t i, const record_source *src);
char *record_event_json(const pipeline_result *r, size_t i, const record_source *src);

/* One serialized record: json is malloc'd and NUL-terminated (caller frees), len its length. */
typedef struct record_json {
    char *json;
    size_t len;
} record_json;

/* Every record of r at once: out[0] the article record, out[1 + i] entity i's record,
 * out[1 + n_entities + i] event i's (out has room for 1 + n_entities + n_events), byte for byte
 * what record_article_json, record_entity_json and record_event_json return. Built together: the
 * source object is written once, and each entity and event object once, in the article record,
 * and copied from there into its own record (what the worker produces for every message).
 * Returns 0, or -1 when memory ran out (nothing is left in out to free). */
int record_all_json(const pipeline_result *r, const record_source *src, record_json *out);

/* The id of event i: "<article id>#ev<trigger start>-<type>[-<target index>]",
 * deterministic for the same input. Writes into buf. */
void record_event_id(const pipeline_result *r, size_t i, char *buf, size_t cap);

#endif
