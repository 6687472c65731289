/* lexicon_sources.h - shell side of lexicon loading (embedded blobs or files). */
#ifndef INGEST_LEXICON_SOURCES_H
#define INGEST_LEXICON_SOURCES_H

#include "lexicon.h"

/* Loads lexicons from dir (the schemas/ layout), or from the copies
 * embedded at build time when dir is NULL. Caller frees with
 * lexicons_free(). NULL with a message in err on failure. */
/* The sources compiled into the binary (lexicon_embedded.S). */
void lexicon_sources_embedded(lexicon_sources *out);

lexicons *lexicons_load_from(const char *dir, char *err, size_t errlen);

#endif
