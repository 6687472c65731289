/* langid_textcat.c - see include/langid_textcat.h. */
#include "langid_textcat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <textcat.h>

struct langid_textcat {
    void *handle;
    char code[3];
};

langid_textcat *langid_textcat_open(const char *dir, char *err, size_t errlen)
{
    char conf[4096], prefix[4096];
    snprintf(conf, sizeof conf, "%s/fpdb.conf", dir);
    snprintf(prefix, sizeof prefix, "%s/", dir);
    langid_textcat *lt = calloc(1, sizeof *lt);
    if (!lt) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    lt->handle = special_textcat_Init(conf, prefix);
    if (!lt->handle) {
        snprintf(err, errlen, "cannot load %s (Debian package libexttextcat-data)", conf);
        free(lt);
        return NULL;
    }
    return lt;
}

const char *langid_textcat_classify(void *ctx, const char *text, size_t len)
{
    langid_textcat *lt = ctx;
    const char *r = textcat_Classify(lt->handle, text, len);
    /* "[fr--utf8]" is an answer; "[fr--utf8][it--utf8]", "SHORT" and "UNKNOWN" are not */
    if (!r || r[0] != '[' || strchr(r + 1, '['))
        return NULL;
    const char *end = r + 1;
    while (*end >= 'a' && *end <= 'z')
        end++;
    if (end - (r + 1) != 2)
        return NULL; /* three-letter codes have no ISO 639-1 form */
    memcpy(lt->code, r + 1, 2);
    lt->code[2] = '\0';
    return lt->code;
}

void langid_textcat_close(langid_textcat *lt)
{
    if (!lt)
        return;
    textcat_Done(lt->handle);
    free(lt);
}
