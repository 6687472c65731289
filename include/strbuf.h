/* strbuf.h - growable byte buffer in an arena, with a length cap.
 *
 * Used by the pipeline stages to build text. All failures (cap reached,
 * arena exhausted) are sticky: once sb->failed is set, appends are no-ops
 * and the caller reports one error at the end instead of checking each call.
 */
#ifndef INGEST_STRBUF_H
#define INGEST_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

typedef struct strbuf {
    arena *a;
    char *data; /* owned by the arena; always NUL-terminated when !failed */
    size_t len, cap, max;
    bool failed;
} strbuf;

void sb_init(strbuf *sb, arena *a, size_t max_len);
void sb_append(strbuf *sb, const char *s, size_t n);
void sb_appends(strbuf *sb, const char *s);
void sb_appendc(strbuf *sb, char c);
/* Drops trailing ASCII spaces and newlines. */
void sb_rtrim(strbuf *sb);

#endif
