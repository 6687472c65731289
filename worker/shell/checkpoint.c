/* checkpoint.c - see include/checkpoint.h. */
#include "checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

void checkpoint_free(checkpoint *c)
{
    if (!c)
        return;
    free(c->topic);
    free(c->parts);
    memset(c, 0, sizeof *c);
}

/* A non-negative integer up to max, or (when nullable) null -> -1. */
static int get_int(json_t *v, bool nullable, int64_t max, int64_t *out)
{
    if (nullable && (!v || json_is_null(v))) { /* absent or null: no filter */
        *out = -1;
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max)
        return -1;
    *out = json_integer_value(v);
    return 0;
}

/* Fills c from the parsed object; returns a problem description or NULL. */
static const char *from_json(json_t *root, checkpoint *c)
{
    if (!json_is_object(root))
        return "not a JSON object";
    json_t *v = json_object_get(root, "version");
    if (!json_is_integer(v) || json_integer_value(v) != CHECKPOINT_VERSION)
        return "unknown or missing version (expected 1)";
    const char *topic = json_string_value(json_object_get(root, "topic"));
    if (!topic || !*topic)
        return "missing topic";
    if (get_int(json_object_get(root, "from_ts"), true, INT64_MAX, &c->from_ts) ||
        get_int(json_object_get(root, "to_ts"), true, INT64_MAX, &c->to_ts))
        return "from_ts and to_ts must be null or non-negative integers";
    json_t *parts = json_object_get(root, "partitions");
    if (!json_is_array(parts))
        return "missing partitions array";
    if (!(c->topic = strdup(topic)))
        return "out of memory";
    size_t n = json_array_size(parts);
    if (n && !(c->parts = calloc(n, sizeof *c->parts)))
        return "out of memory";
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(parts, i);
        int64_t part, next, end;
        if (!json_is_object(p) || get_int(json_object_get(p, "partition"), false, INT32_MAX, &part) ||
            get_int(json_object_get(p, "next"), false, INT64_MAX, &next) ||
            get_int(json_object_get(p, "end"), false, INT64_MAX, &end))
            return "each partition needs non-negative integers partition, next and end";
        if (next > end)
            return "a partition's next offset lies beyond its end";
        for (size_t j = 0; j < c->n_parts; j++)
            if (c->parts[j].partition == part)
                return "a partition is listed twice";
        c->parts[c->n_parts++] = (ckpt_part){(int32_t)part, next, end};
    }
    return NULL;
}

int checkpoint_read(const char *path, checkpoint *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    c->from_ts = c->to_ts = -1;
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return 0;
    size_t len = 0;
    char *buf = read_file_bounded(path, CHECKPOINT_MAX_BYTES, &len);
    if (!buf) {
        snprintf(err, errlen, "checkpoint %s: cannot read it", path);
        return -1;
    }
    if (len > CHECKPOINT_MAX_BYTES) {
        free(buf);
        snprintf(err, errlen, "checkpoint %s: larger than %u bytes", path, CHECKPOINT_MAX_BYTES);
        return -1;
    }
    json_error_t je;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    free(buf);
    if (!root) {
        snprintf(err, errlen, "checkpoint %s: invalid JSON at line %d: %s", path, je.line, je.text);
        return -1;
    }
    const char *why = from_json(root, c);
    json_decref(root);
    if (why) {
        checkpoint_free(c);
        c->from_ts = c->to_ts = -1;
        snprintf(err, errlen, "checkpoint %s: %s", path, why);
        return -1;
    }
    return 1;
}

static json_t *ts_json(int64_t ts) { return ts < 0 ? json_null() : json_integer(ts); }

static char *to_text(const checkpoint *c)
{
    json_t *root = json_pack("{s:i, s:s, s:o, s:o, s:[]}", "version", CHECKPOINT_VERSION, "topic", c->topic,
                             "from_ts", ts_json(c->from_ts), "to_ts", ts_json(c->to_ts), "partitions");
    if (!root)
        return NULL;
    json_t *arr = json_object_get(root, "partitions");
    for (size_t i = 0; i < c->n_parts; i++) {
        const ckpt_part *p = &c->parts[i];
        if (json_array_append_new(arr, json_pack("{s:i, s:I, s:I}", "partition", (int)p->partition, "next",
                                                 (json_int_t)p->next, "end", (json_int_t)p->end))) {
            json_decref(root);
            return NULL;
        }
    }
    char *s = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(root);
    return s;
}

/* Makes the rename itself durable. Best effort: some filesystems refuse. */
static void sync_dir(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(copy);
}

int checkpoint_write(const char *path, const checkpoint *c, char *err, size_t errlen)
{
    char *text = to_text(c);
    if (!text) {
        snprintf(err, errlen, "checkpoint %s: out of memory", path);
        return -1;
    }
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) {
        free(text);
        snprintf(err, errlen, "checkpoint path too long");
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    bool ok = fd >= 0;
    size_t len = strlen(text), off = 0;
    while (ok && off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        off += ok ? (size_t)w : 0;
    }
    ok = ok && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    int saved = errno;
    free(text);
    if (!ok || rename(tmp, path) != 0) {
        if (ok)
            saved = errno;
        unlink(tmp);
        snprintf(err, errlen, "checkpoint %s: cannot write it: %s", path, strerror(saved));
        return -1;
    }
    sync_dir(path);
    return 0;
}
