/* langid_textcat.h - language identification with Debian's libexttextcat
 * (n-gram fingerprints of ~160 languages), plugged into the lexicons for
 * texts the built-in function-word model is unsure of. Shell side: it
 * reads fingerprint files at start. Not thread-safe (one per worker). */
#ifndef INGEST_LANGID_TEXTCAT_H
#define INGEST_LANGID_TEXTCAT_H

#include <stddef.h>

#define LANGID_TEXTCAT_DEFAULT_DIR "/usr/share/libexttextcat"

typedef struct langid_textcat langid_textcat;

/* Loads dir/fpdb.conf and its fingerprints. NULL with err on failure. */
langid_textcat *langid_textcat_open(const char *dir, char *err, size_t errlen);

/* langid_fn: ISO 639-1 code when exttextcat names exactly one language
 * with a two-letter code; NULL for short, unknown or ambiguous text. */
const char *langid_textcat_classify(void *ctx, const char *text, size_t len);

void langid_textcat_close(langid_textcat *lt);

#endif
