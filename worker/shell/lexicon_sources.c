/* lexicon_sources.c - where lexicon data comes from: the blobs embedded
 * in the binary, or files in a directory (--schemas-dir). */
#include "lexicon_sources.h"

#include "config.h"
#include "fileio.h"
#include "langid_textcat.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DECLARE_BLOB(name) extern const char lexblob_##name##_start[], lexblob_##name##_end[]
DECLARE_BLOB(gazetteer);
DECLARE_BLOB(titles);
DECLARE_BLOB(lemmas);
DECLARE_BLOB(events);
DECLARE_BLOB(modality);
DECLARE_BLOB(boilerplate);

void lexicon_sources_embedded(lexicon_sources *o)
{
    o->gazetteer = lexblob_gazetteer_start;
    o->gazetteer_len = (size_t)(lexblob_gazetteer_end - lexblob_gazetteer_start);
    o->titles = lexblob_titles_start;
    o->titles_len = (size_t)(lexblob_titles_end - lexblob_titles_start);
    o->lemmas = lexblob_lemmas_start;
    o->lemmas_len = (size_t)(lexblob_lemmas_end - lexblob_lemmas_start);
    o->events = lexblob_events_start;
    o->events_len = (size_t)(lexblob_events_end - lexblob_events_start);
    o->modality = lexblob_modality_start;
    o->modality_len = (size_t)(lexblob_modality_end - lexblob_modality_start);
    o->boilerplate = lexblob_boilerplate_start;
    o->boilerplate_len = (size_t)(lexblob_boilerplate_end - lexblob_boilerplate_start);
}

#define LEXICON_FILE_MAX (64u * 1024u * 1024u)

static char *slurp(const char *dir, const char *name, size_t *len, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *buf = read_file_bounded(path, LEXICON_FILE_MAX, len);
    if (!buf)
        snprintf(err, errlen, "%s: cannot open or out of memory", path);
    else if (*len > LEXICON_FILE_MAX)
        snprintf(err, errlen, "%s: too large", path);
    else
        return buf;
    free(buf);
    return NULL;
}

lexicons *lexicons_load_from(const char *dir, char *err, size_t errlen)
{
    lexicon_sources src;
    if (!dir) {
        lexicon_sources_embedded(&src);
        return lexicons_load(&src, err, errlen);
    }
    char *bufs[6] = {0};
    static const char *const names[6] = {"gazetteer.tsv", "titles.tsv", "lemmas.tsv",
                                          "events.json", "modality.json", "boilerplate.tsv"};
    size_t lens[6] = {0};
    lexicons *lx = NULL;
    for (int i = 0; i < 6; i++)
        if (!(bufs[i] = slurp(dir, names[i], &lens[i], err, errlen)))
            goto out;
    src = (lexicon_sources){bufs[0], bufs[1], bufs[2], bufs[3], bufs[4], bufs[5],
                            lens[0], lens[1], lens[2], lens[3], lens[4], lens[5]};
    lx = lexicons_load(&src, err, errlen);
out:
    for (int i = 0; i < 6; i++)
        free(bufs[i]);
    return lx;
}

lexicons *lexicons_load_all(const char *schemas_dir, const char *langid_dir, struct langid_textcat **lt,
                            char *err, size_t errlen, char *langid_err, size_t langid_errlen)
{
    *lt = NULL;
    langid_err[0] = '\0';
    lexicons *lx = lexicons_load_from(schemas_dir && *schemas_dir ? schemas_dir : NULL, err, errlen);
    if (!lx || !langid_dir || !*langid_dir)
        return lx;
    *lt = langid_textcat_open(langid_dir, langid_err, langid_errlen);
    if (*lt)
        lexicons_set_langid(lx, langid_textcat_classify, *lt);
    return lx;
}

lexicons *lexicons_load_for(const struct config *c, const char *cmd, struct langid_textcat **lt)
{
    char err[512], lerr[512];
    lexicons *lx = lexicons_load_all(c->schemas_dir, c->langid_dir, lt, err, sizeof err, lerr, sizeof lerr);
    if (!lx)
        fprintf(stderr, "ingest-worker %s: lexicons: %s\n", cmd, err);
    else if (*lerr)
        log_warn("language identification falls back to the built-in model", "{s:s}", "reason", lerr);
    return lx;
}
