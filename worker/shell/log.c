/* log.c - JSON-lines logger; see include/log.h. */
#include "log.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static log_level g_level = LOG_INFO;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

void log_set_level(log_level l) { g_level = l; }

int log_level_parse(const char *s, log_level *out)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i])) {
            *out = (log_level)i;
            return 0;
        }
    return -1;
}

void log_msg(log_level l, const char *msg, const char *fields_fmt, ...)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    if (l < g_level)
        return;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char ts[40];
    size_t n = strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(ts + n, sizeof ts - n, ".%03ldZ", (long)(tv.tv_usec / 1000));
    json_t *o = NULL;
    if (fields_fmt) {
        va_list ap;
        va_start(ap, fields_fmt);
        o = json_vpack_ex(NULL, 0, fields_fmt, ap);
        va_end(ap);
    }
    if (!o)
        o = json_object();
    json_t *line = json_object();
    json_object_set_new(line, "ts", json_string(ts));
    json_object_set_new(line, "level", json_string(names[l]));
    json_object_set_new(line, "msg", json_string(msg));
    json_object_update(line, o);
    char *s = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    json_decref(line);
    if (!s)
        return;
    pthread_mutex_lock(&g_lock);
    fputs(s, stderr);
    fputc('\n', stderr);
    fflush(stderr);
    pthread_mutex_unlock(&g_lock);
    free(s);
}
