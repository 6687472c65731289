/* strbuf.c - see include/strbuf.h. */
#include "strbuf.h"

#include <string.h>

void sb_init(strbuf *sb, arena *a, size_t max_len)
{
    sb->a = a;
    sb->data = NULL;
    sb->len = sb->cap = 0;
    sb->max = max_len;
    sb->failed = false;
    sb_append(sb, "", 0);
}

void sb_append(strbuf *sb, const char *s, size_t n)
{
    if (sb->failed)
        return;
    if (n > sb->max - sb->len) {
        sb->failed = true;
        return;
    }
    if (!sb->data || sb->len + n + 1 > sb->cap) {
        size_t ncap = sb->cap ? sb->cap * 2 : 256;
        while (ncap < sb->len + n + 1)
            ncap *= 2;
        char *p = arena_grow(sb->a, sb->data, sb->cap, ncap, 1);
        if (!p) {
            sb->failed = true;
            return;
        }
        sb->data = p;
        sb->cap = ncap;
    }
    if (n)
        memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void sb_appends(strbuf *sb, const char *s) { sb_append(sb, s, strlen(s)); }

void sb_appendc(strbuf *sb, char c) { sb_append(sb, &c, 1); }

void sb_rtrim(strbuf *sb)
{
    if (sb->failed)
        return;
    while (sb->len && (sb->data[sb->len - 1] == ' ' || sb->data[sb->len - 1] == '\n'))
        sb->data[--sb->len] = '\0';
}
