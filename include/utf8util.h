/* utf8util.h - small UTF-8 helpers shared by the pipeline stages. Pure. */
#ifndef INGEST_UTF8UTIL_H
#define INGEST_UTF8UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returns true when s[0..len) is well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF). On false, *bad_at (if non-NULL)
 * receives the byte offset of the first invalid sequence. NUL bytes are
 * valid UTF-8 but callers that need C strings reject them separately. */
bool utf8_valid(const unsigned char *s, size_t len, size_t *bad_at);

/* Decodes one code point at s (len bytes left, assumed valid); returns its
 * byte length (>= 1) and stores the code point in *cp. */
size_t utf8_decode(const char *s, size_t len, int32_t *cp);

/* Encodes cp into out (4 bytes room); returns the byte count. */
size_t utf8_encode(int32_t cp, char *out);

#endif
