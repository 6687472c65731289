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

/* Loads the lexicons (as lexicons_load_from) and plugs in libexttextcat from
 * langid_dir (NULL or "": built-in language model only). When the
 * fingerprints cannot be loaded the lexicons still load: *langid_err says
 * why (caller logs it) and *lt stays NULL. Free *lt after the lexicons. */
struct langid_textcat;
lexicons *lexicons_load_all(const char *schemas_dir, const char *langid_dir, struct langid_textcat **lt,
                            char *err, size_t errlen, char *langid_err, size_t langid_errlen);

/* The commands' loader: lexicons_load_all with the options of c; logs a
 * warning when language identification falls back to the built-in model,
 * prints "ingest-worker <cmd>: lexicons: ..." and returns NULL on failure. */
struct config;
lexicons *lexicons_load_for(const struct config *c, const char *cmd, struct langid_textcat **lt);

#endif
