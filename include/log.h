/* log.h - one JSON object per line on stderr: ts, level, msg, fields.
 *
 * Fields use jansson's json_pack format ("{s:s, s:i}") so every value is
 * typed and escaped. The logger is process-wide state of the shell (never
 * used by the pipeline). Thread-safe: one fputs per line under a lock.
 */
#ifndef INGEST_LOG_H
#define INGEST_LOG_H

typedef enum { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

void log_set_level(log_level l);
/* Returns 0 and sets *out for "debug", "info", "warn", "error"; -1 otherwise. */
int log_level_parse(const char *s, log_level *out);

/* fields_fmt may be NULL; otherwise a json_pack format for an object. */
void log_msg(log_level l, const char *msg, const char *fields_fmt, ...);

#define log_info(msg, ...) log_msg(LOG_INFO, msg, __VA_ARGS__)
#define log_warn(msg, ...) log_msg(LOG_WARN, msg, __VA_ARGS__)
#define log_error(msg, ...) log_msg(LOG_ERROR, msg, __VA_ARGS__)
#define log_debug(msg, ...) log_msg(LOG_DEBUG, msg, __VA_ARGS__)

#endif
