/* record.h - serialize pipeline results to the contract's JSON records.
 *
 * Field names are the contract's (../shared/CONTRACT.md, the JSON Schemas in schemas/).
 * Every function returns a malloc'd, NUL-terminated compact JSON string
 * the caller frees with free(), or NULL on allocation failure.
 */
#ifndef INGEST_RECORD_H
#define INGEST_RECORD_H

#include <stdbool.h>
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

/* The id of event i: "<article id>#ev<trigger start>-<type>[-<target index>]",
 * deterministic for the same input. Writes into buf. */
void record_event_id(const pipeline_result *r, size_t i, char *buf, size_t cap);

#endif
