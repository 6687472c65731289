/* checkpoint.h - the restart file of `ingest-worker replay --checkpoint`.
 *
 * One JSON object: the input topic, the timestamp filter (when time bounds
 * fell back to filtering), and per partition the next offset to process
 * and the (exclusive) end of the range:
 *   {"version":1,"topic":"articles.raw","from_ts":null,"to_ts":null,
 *    "partitions":[{"partition":0,"next":120,"end":400}, ...]}
 * A resumed replay takes its ranges from here, so it finishes exactly the
 * range the first run resolved (relative times and `end` are not
 * re-evaluated). Written atomically: a temporary file in the same
 * directory, fsync, rename, so a crash leaves the old or the new file.
 */
#ifndef INGEST_CHECKPOINT_H
#define INGEST_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#define CHECKPOINT_VERSION 1
#define CHECKPOINT_MAX_BYTES (16u * 1024u * 1024u)

typedef struct ckpt_part {
    int32_t partition;
    int64_t next; /* next offset to process; == end when the partition is done */
    int64_t end;  /* exclusive */
} ckpt_part;

typedef struct checkpoint {
    char *topic;          /* owned */
    int64_t from_ts, to_ts; /* timestamp filter in ms since the epoch, -1: none */
    ckpt_part *parts;     /* owned, n_parts entries */
    size_t n_parts;
} checkpoint;

/* Reads path into *c (freed with checkpoint_free). Returns 1 when loaded,
 * 0 when the file does not exist (*c empty), -1 when it cannot be read or
 * is not a valid checkpoint (message in err naming the file). */
int checkpoint_read(const char *path, checkpoint *c, char *err, size_t errlen);

/* Writes c to path atomically. Returns 0, or -1 with a message in err. */
int checkpoint_write(const char *path, const checkpoint *c, char *err, size_t errlen);

/* Frees what c owns and empties it. NULL-safe. */
void checkpoint_free(checkpoint *c);

#endif
