/* fileio.c - see include/fileio.h. */
#include "fileio.h"

#include <stdlib.h>

char *read_stream_bounded(FILE *f, size_t max, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf)
        return NULL;
    for (;;) {
        if (n == cap) {
            if (cap > max)
                break; /* already past the bound: the caller rejects it */
            cap *= 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0 || n > max)
            break;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

char *read_file_bounded(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = read_stream_bounded(f, max, len);
    fclose(f);
    return buf;
}
