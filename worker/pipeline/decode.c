/* decode.c - recognise JSON envelope / HTML / plain text and split into blocks.
 *
 * The HTML path walks gumbo's tree iteratively (hostile pages nest deeply),
 * drops elements a reader never sees as article text (script, style, nav,
 * footer, aside, forms, consent dialogs) and turns block elements into
 * blocks. Nothing here decides what is boilerplate in running text; that is
 * the normalizer's scored classifier.
 */
#include "decode.h"

#include <gumbo.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"

/* The end of the JSON string whose opening quote is at s[open]: its closing
 * quote (one after no backslash or after an even run of them), or len. */
static size_t json_string_end(const unsigned char *s, size_t len, size_t open)
{
    for (size_t i = open + 1; i < len;) {
        const unsigned char *q = memchr(s + i, '"', len - i);
        if (!q)
            return len;
        size_t at = (size_t)(q - s), k = at;
        while (k > open + 1 && s[k - 1] == '\\')
            k--;
        if ((at - k) % 2 == 0)
            return at;
        i = at + 1; /* an escaped quote */
    }
    return len;
}

size_t json_nesting_depth(const unsigned char *s, size_t len)
{
    size_t depth = 0, max = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c == '"') {
            i = json_string_end(s, len, i); /* string contents, most of an envelope, by memchr */
        } else if (c == '{' || c == '[') {
            if (++depth > max)
                max = depth;
        } else if ((c == '}' || c == ']') && depth) {
            depth--;
        }
    }
    return max;
}

static int add_block(arena *a, const pipeline_limits *lim, raw_doc *d, const char *text, size_t len,
                     block_kind kind, size_t link_bytes, int level, ingest_error *err)
{
    if (d->n_blocks >= lim->max_paragraphs)
        return ingest_fail(err, INGEST_ERR_TOO_LARGE, "more than %zu paragraphs (max_paragraphs)",
                           lim->max_paragraphs);
    raw_block *nb = arena_reserve(a, d->blocks, d->n_blocks, &d->cap_blocks, 32, sizeof *nb);
    if (!nb)
        return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory for blocks");
    d->blocks = nb;
    char *t = arena_strndup(a, text, len);
    if (!t)
        return ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory for block text");
    d->blocks[d->n_blocks++] = (raw_block){t, len, kind, link_bytes, level};
    return 0;
}

/* ---- plain text ---------------------------------------------------------- */

/* Each non-blank line is a block; CR, CRLF and LF all end lines. */
static int decode_text(arena *a, const pipeline_limits *lim, const char *s, size_t len, raw_doc *d,
                       ingest_error *err)
{
    size_t i = 0;
    /* the next CR and LF at or after i (NULL: none left), each found again by memchr once passed */
    const char *cr = memchr(s, '\r', len), *nl = memchr(s, '\n', len);
    while (i < len) {
        if (cr && cr < s + i)
            cr = memchr(s + i, '\r', len - i);
        if (nl && nl < s + i)
            nl = memchr(s + i, '\n', len - i);
        const char *e = nl ? nl : s + len;
        if (cr && cr < e)
            e = cr;
        size_t j = (size_t)(e - s);
        size_t k = i;
        while (k < j && (s[k] == ' ' || s[k] == '\t'))
            k++;
        if (k < j && add_block(a, lim, d, s + i, j - i, BLOCK_TEXT, 0, 0, err))
            return -1;
        i = j;
        if (i < len && s[i] == '\r')
            i++;
        if (i < len && s[i] == '\n')
            i++;
    }
    return 0;
}

/* ---- HTML ---------------------------------------------------------------- */

static const char *attr(const GumboElement *e, const char *name)
{
    GumboAttribute *at = gumbo_get_attribute(&e->attributes, name);
    return at ? at->value : NULL;
}

static bool attr_has(const GumboElement *e, const char *name, const char *needle)
{
    const char *v = attr(e, name);
    return v && strcasestr(v, needle) != NULL;
}

/* s with ASCII letters lower-cased into buf (as strcasestr compares), or
 * NULL when s is NULL or does not fit. */
static const char *lower_copy(const char *s, char *buf, size_t cap)
{
    if (!s)
        return NULL;
    size_t i = 0;
    for (; s[i]; i++) {
        if (i + 1 == cap)
            return NULL;
        buf[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    }
    buf[i] = '\0';
    return buf;
}

/* Site chrome recognised by its markup (id or class), not by its wording:
 * returns true and the kind to report. Checked in order: consent first. */
static bool chrome_by_markup(const GumboElement *e, removed_kind *kind)
{
    static const struct {
        const char *mark;
        removed_kind kind;
    } marks[] = {
        {"cookie", REMOVED_COOKIE_NOTICE},     {"consent", REMOVED_COOKIE_NOTICE},
        {"gdpr", REMOVED_COOKIE_NOTICE},       {"privacy-banner", REMOVED_COOKIE_NOTICE},
        {"cmp-", REMOVED_COOKIE_NOTICE},       {"newsletter", REMOVED_NEWSLETTER},
        {"subscribe", REMOVED_NEWSLETTER},     {"paywall", REMOVED_NEWSLETTER},
        {"promo", REMOVED_NEWSLETTER},         {"share", REMOVED_SHARE},
        {"social", REMOVED_SHARE},             {"related", REMOVED_RELATED_LINKS},
        {"recommend", REMOVED_RELATED_LINKS},  {"read-more", REMOVED_RELATED_LINKS},
        {"advert", REMOVED_ADVERTISEMENT},     {"ad-slot", REMOVED_ADVERTISEMENT},
        {"sponsor", REMOVED_ADVERTISEMENT},    {"comments", REMOVED_COMMENT_PROMPT},
        {"overlay", REMOVED_POPUP_REMNANT},    {"modal", REMOVED_POPUP_REMNANT},
        {"popup", REMOVED_POPUP_REMNANT},      {"byline", REMOVED_PAGE_CHROME},
        {"video-embed", REMOVED_PAGE_CHROME}, {"video-player", REMOVED_PAGE_CHROME},
        {"author", REMOVED_PAGE_CHROME},
    };
    const char *id = attr(e, "id"), *cls = attr(e, "class");
    if (!id && !cls)
        return false;
    /* the marks are lower case: search lower-cased copies with strstr (strcasestr is slow);
     * a value too long for the copy is searched as it is */
    char lid[256], lcls[256];
    const char *hid = lower_copy(id, lid, sizeof lid), *hcls = lower_copy(cls, lcls, sizeof lcls);
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        const char *m = marks[i].mark;
        if ((id && (hid ? strstr(hid, m) : strcasestr(id, m))) || (cls && (hcls ? strstr(hcls, m) : strcasestr(cls, m)))) {
            *kind = marks[i].kind;
            return true;
        }
    }
    return false;
}

static bool is_chrome_tag(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NAV: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE: case GUMBO_TAG_FORM: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_SVG:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_OBJECT:
        return true;
    default:
        return false;
    }
}

static bool is_block_tag(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
    case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_LI: case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_DIV: case GUMBO_TAG_TD: case GUMBO_TAG_TH:
    case GUMBO_TAG_DD: case GUMBO_TAG_DT: case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE: case GUMBO_TAG_BR: case GUMBO_TAG_UL: case GUMBO_TAG_OL:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_TR: case GUMBO_TAG_HEADER: case GUMBO_TAG_MAIN:
    case GUMBO_TAG_FIGURE: case GUMBO_TAG_HR: case GUMBO_TAG_BODY: case GUMBO_TAG_TIME:
        return true;
    default:
        return false;
    }
}

typedef struct subtree {
    size_t text_bytes, paragraphs;
    bool headline; /* an <h1>, <article> or <main> inside */
} subtree;

/* What is below a node: text bytes (for `removed`), paragraphs, headline. */
static subtree subtree_stats(const GumboNode *root)
{
    subtree st = {0, 0, false};
    const GumboNode *stack[256];
    size_t sp = 0;
    stack[sp++] = root;
    while (sp) {
        const GumboNode *n = stack[--sp];
        if (n->type == GUMBO_NODE_TEXT) {
            st.text_bytes += strlen(n->v.text.text);
        } else if (n->type == GUMBO_NODE_ELEMENT) {
            GumboTag t = n->v.element.tag;
            st.paragraphs += t == GUMBO_TAG_P;
            st.headline |= t == GUMBO_TAG_H1 || t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_MAIN;
            for (unsigned i = 0; i < n->v.element.children.length && sp < 256; i++)
                stack[sp++] = n->v.element.children.data[i];
        }
    }
    return st;
}

typedef struct html_ctx {
    arena *a;
    const pipeline_limits *lim;
    raw_doc *d;
    ingest_error *err;
    strbuf cur;        /* inline text of the block being built */
    size_t cur_links;  /* bytes of cur inside <a> */
    block_kind cur_kind;
    int cur_level;
    bool in_article;   /* inside <article> or <main>: a <header> there is the story's */
} html_ctx;

static int flush_block(html_ctx *c)
{
    if (c->cur.failed)
        return ingest_fail(c->err, INGEST_ERR_TOO_LARGE, "HTML text exceeds max_message_bytes");
    size_t s = 0, e = c->cur.len;
    while (s < e && (c->cur.data[s] == ' '))
        s++;
    while (e > s && c->cur.data[e - 1] == ' ')
        e--;
    int rc = 0;
    if (e > s)
        rc = add_block(c->a, c->lim, c->d, c->cur.data + s, e - s, c->cur_kind,
                       c->cur_links > e - s ? e - s : c->cur_links, c->cur_level, c->err);
    c->cur.len = 0;
    c->cur.data[0] = '\0';
    c->cur_links = 0;
    c->cur_kind = BLOCK_TEXT;
    c->cur_level = 0;
    return rc;
}

/* Appends text with HTML whitespace rules: runs of ASCII space collapse. */
static void append_inline(html_ctx *c, const char *t, bool in_link)
{
    size_t before = c->cur.len;
    for (const char *p = t; *p;) {
        size_t n = strcspn(p, " \n\r\t\f"); /* copied as it is, in one append */
        if (n)
            sb_append(&c->cur, p, n);
        p += n;
        if (!*p)
            break;
        /* a run of white space: one space, none at the start or after a space */
        if (c->cur.len != 0 && c->cur.data[c->cur.len - 1] != ' ')
            sb_appendc(&c->cur, ' ');
        while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t' || *p == '\f')
            p++;
    }
    if (in_link)
        c->cur_links += c->cur.len - before;
}

static void take_meta(raw_doc *d, arena *a, const GumboElement *e)
{
    const char *prop = attr(e, "property");
    if (!prop)
        prop = attr(e, "name");
    const char *content = attr(e, "content");
    if (!prop || !content)
        return;
    if (!strcasecmp(prop, "og:title") && !d->og_title)
        d->og_title = arena_strndup(a, content, strlen(content));
    else if ((!strcasecmp(prop, "article:published_time") || !strcasecmp(prop, "date") ||
              !strcasecmp(prop, "pubdate")) && !d->meta_published)
        d->meta_published = arena_strndup(a, content, strlen(content));
    else if (!strcasecmp(prop, "og:url") && !d->canonical_url)
        d->canonical_url = arena_strndup(a, content, strlen(content));
}

static const char *node_text(arena *a, const GumboNode *n)
{
    strbuf sb;
    sb_init(&sb, a, 4096);
    for (unsigned i = 0; i < n->v.element.children.length; i++) {
        const GumboNode *ch = n->v.element.children.data[i];
        if (ch->type == GUMBO_NODE_TEXT || ch->type == GUMBO_NODE_WHITESPACE)
            sb_appends(&sb, ch->v.text.text);
    }
    return sb.failed ? NULL : sb.data;
}

typedef struct frame {
    const GumboNode *node;
    unsigned next_child;
    bool in_link, is_block, was_article;
} frame;

#define HTML_MAX_DEPTH 512
#define MARKUP_WIDGET_MAX_BYTES 3000    /* text; larger class-marked elements are kept */
#define MARKUP_WIDGET_MAX_PARAGRAPHS 2  /* more <p> below: a container, not a widget */ /* deeper subtrees are flattened into their ancestor's text */

/* Whether an element that is chrome by its tag or attributes (chrome) or by
 * its markup's words (marked) is dropped, counting its text in `removed`
 * if so. Its subtree is only looked at here. */
static bool dropped_subtree(html_ctx *c, const GumboNode *n, GumboTag t, bool marked, bool chrome, removed_kind k)
{
    subtree st = subtree_stats(n);
    size_t bytes = (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE) ? 0 : st.text_bytes;
    /* a container carrying such a class ("story share-enabled") is not a widget:
     * widgets are small, have no headline and at most a couple of paragraphs */
    if (marked && !chrome && k != REMOVED_COOKIE_NOTICE &&
        (st.headline || st.paragraphs > MARKUP_WIDGET_MAX_PARAGRAPHS || st.text_bytes > MARKUP_WIDGET_MAX_BYTES))
        marked = false;
    if (!marked && !chrome)
        return false;
    if (bytes) {
        c->d->removed[k].bytes += bytes;
        c->d->removed[k].count++;
    }
    return true;
}

static int open_element(html_ctx *c, const GumboNode *n, frame *f, bool parent_link)
{
    const GumboElement *e = &n->v.element;
    GumboTag t = e->tag;
    f->in_link = parent_link || t == GUMBO_TAG_A;
    f->is_block = is_block_tag(t);
    f->was_article = c->in_article;
    if (t == GUMBO_TAG_TITLE) {
        if (!c->d->html_title)
            c->d->html_title = node_text(c->a, n);
        return 1; /* skip children */
    }
    if (t == GUMBO_TAG_META) {
        take_meta(c->d, c->a, e);
        return 1;
    }
    if (t == GUMBO_TAG_LINK) {
        const char *rel = attr(e, "rel"), *href = attr(e, "href");
        if (rel && href && !strcasecmp(rel, "canonical") && !c->d->canonical_url)
            c->d->canonical_url = arena_strndup(c->a, href, strlen(href));
        return 1;
    }
    if (t == GUMBO_TAG_TIME && !c->d->time_datetime) {
        const char *dt = attr(e, "datetime");
        if (dt)
            c->d->time_datetime = arena_strndup(c->a, dt, strlen(dt));
    }
    if (t == GUMBO_TAG_HEAD)
        return 0;
    removed_kind k = REMOVED_PAGE_CHROME;
    bool marked = t != GUMBO_TAG_BODY && t != GUMBO_TAG_HTML && t != GUMBO_TAG_ARTICLE && t != GUMBO_TAG_MAIN &&
                  chrome_by_markup(e, &k);
    bool chrome = is_chrome_tag(t) || (t == GUMBO_TAG_HEADER && !c->in_article) ||
                  (attr(e, "role") && !strcasecmp(attr(e, "role"), "dialog")) ||
                  attr(e, "hidden") != NULL;
    if ((marked || chrome) && dropped_subtree(c, n, t, marked, chrome, k))
        return 1;
    if (f->is_block && flush_block(c))
        return -1;
    if (t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_MAIN)
        c->in_article = true;
    if (t >= GUMBO_TAG_H1 && t <= GUMBO_TAG_H6) {
        c->cur_kind = BLOCK_HEADING;
        c->cur_level = 1 + (int)(t - GUMBO_TAG_H1);
    } else if (t == GUMBO_TAG_FIGCAPTION) {
        c->cur_kind = BLOCK_CAPTION;
    } else if (t == GUMBO_TAG_P && (attr_has(e, "class", "dek") || attr_has(e, "class", "subtitle") ||
                                    attr_has(e, "class", "standfirst") || attr_has(e, "class", "subhead"))) {
        c->cur_kind = BLOCK_SUBTITLE;
    } else if ((attr_has(e, "class", "credit") || attr_has(e, "class", "photographer")) &&
               !f->is_block) {
        /* a credit inside a caption becomes its own block */
        if (flush_block(c))
            return -1;
        c->cur_kind = BLOCK_CREDIT;
        f->is_block = true; /* flush on close */
    }
    return 0;
}

static bool tag_is(const char *name, size_t n, const char *const *set)
{
    for (int i = 0; set[i]; i++) /* names are lower case; tag names are letters and digits */
        if (set[i][0] == (name[0] | 0x20) && strlen(set[i]) == n && !strncasecmp(name, set[i], n))
            return true;
    return false;
}

/* Where the raw text of an element named name[0..n) ends: at its end tag
 * "</name" (any case), or at end. Script and style text is not markup. */
static const char *raw_text_end(const char *p, const char *end, const char *name, size_t n)
{
    for (const char *q = p; q < end && (q = memchr(q, '<', (size_t)(end - q))); q++)
        if ((size_t)(end - q) > n + 1 && q[1] == '/' && !strncasecmp(q + 2, name, n))
            return q;
    return end;
}

size_t html_nesting_depth(const char *s, size_t len)
{
    /* elements whose content the parser reads as text, not tags */
    static const char *const raw[] = {"script", "style", "textarea", "title", "xmp", "iframe",
                                      "noembed", "noframes", NULL};
    static const char *const flat[] = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                                       "param", "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th",
                                       "option", "thead", "tbody", "tfoot", "rt", "rp", NULL};
    size_t depth = 0, max = 0;
    const char *end = s + len;
    for (const char *p = memchr(s, '<', len); p; p = p < end ? memchr(p, '<', (size_t)(end - p)) : NULL) {
        p++;
        if (p >= end)
            break;
        if (*p == '!') { /* comment or declaration: skip to its end */
            const char *q = (p + 2 < end && p[1] == '-' && p[2] == '-') ? memmem(p, (size_t)(end - p), "-->", 3)
                                                                        : memchr(p, '>', (size_t)(end - p));
            p = q ? q + 1 : end;
            continue;
        }
        bool closing = *p == '/';
        const char *name = p + closing;
        const char *q = name;
        while (q < end && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')))
            q++;
        if (q == name)
            continue; /* "a < b" in text */
        const char *gt = memchr(q, '>', (size_t)(end - q));
        bool self_closing = gt && gt > q && gt[-1] == '/';
        if (tag_is(name, (size_t)(q - name), flat) || self_closing)
            continue;
        if (closing) {
            if (depth)
                depth--;
        } else if (++depth > max) {
            max = depth;
        }
        p = gt ? gt + 1 : end;
        if (!closing && tag_is(name, (size_t)(q - name), raw))
            p = raw_text_end(p, end, name, (size_t)(q - name));
    }
    return max;
}

int decode_html(arena *a, const pipeline_limits *lim, const char *html, size_t len, raw_doc *d,
                ingest_error *err)
{
    size_t depth = html_nesting_depth(html, len);
    if (depth > lim->max_html_depth)
        return ingest_fail(err, INGEST_ERR_TOO_LARGE, "HTML nested %zu deep (max_html_depth %zu)", depth,
                           lim->max_html_depth);
    GumboOptions opts = kGumboDefaultOptions;
    opts.max_errors = 10000; /* stop collecting parse errors on hostile pages */
    GumboOutput *g = gumbo_parse_with_options(&opts, html, len);
    if (!g)
        return ingest_fail(err, INGEST_ERR_INTERNAL, "HTML parser failed");
    html_ctx c = {.a = a, .lim = lim, .d = d, .err = err, .cur_kind = BLOCK_TEXT};
    sb_init(&c.cur, a, lim->max_message_bytes);
    frame *stack = arena_alloc(a, HTML_MAX_DEPTH * sizeof *stack);
    int rc = 0;
    if (!stack) {
        rc = ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory for HTML walk");
        goto out;
    }
    size_t sp = 0;
    stack[sp++] = (frame){g->root, 0, false, true, false};
    while (sp && rc == 0) {
        frame *f = &stack[sp - 1];
        const GumboNode *n = f->node;
        if (n->type != GUMBO_NODE_ELEMENT || f->next_child >= n->v.element.children.length) {
            if (n->type == GUMBO_NODE_ELEMENT && f->is_block)
                rc = flush_block(&c);
            c.in_article = f->was_article;
            sp--;
            continue;
        }
        const GumboNode *ch = n->v.element.children.data[f->next_child++];
        if (ch->type == GUMBO_NODE_TEXT || ch->type == GUMBO_NODE_CDATA ||
            ch->type == GUMBO_NODE_WHITESPACE) {
            append_inline(&c, ch->v.text.text, f->in_link);
        } else if (ch->type == GUMBO_NODE_ELEMENT) {
            if (sp == HTML_MAX_DEPTH) {
                /* too deep to keep structure: the subtree is dropped as chrome */
                d->removed[REMOVED_PAGE_CHROME].count++;
                continue;
            }
            frame nf = {ch, 0, false, false, false};
            int r = open_element(&c, ch, &nf, f->in_link);
            if (r < 0)
                rc = -1;
            else if (r == 0)
                stack[sp++] = nf;
        }
    }
    if (rc == 0)
        rc = flush_block(&c);
out:
    gumbo_destroy_output(&opts, g);
    return rc;
}

/* ---- JSON envelope --------------------------------------------------------- */

static const char *const ENVELOPE_KNOWN[] = {"id", "url", "source", "title", "published_at",
                                             "language", "text", "body", "content", "html", NULL};
static const char *const ENVELOPE_TEXT_FIELDS[] = {"text", "body", "content", "html", NULL};

static bool is_known_field(const char *k)
{
    for (int i = 0; ENVELOPE_KNOWN[i]; i++)
        if (!strcmp(k, ENVELOPE_KNOWN[i]))
            return true;
    return false;
}

/* Reads an optional string member; a present non-string, non-null value is an error. */
static int get_str(arena *a, json_t *obj, const char *key, const char **out, ingest_error *err)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (json_is_integer(v) && !strcmp(key, "id")) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
        *out = arena_strndup(a, buf, strlen(buf));
        return *out ? 0 : ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
    }
    if (!json_is_string(v))
        return ingest_fail(err, INGEST_ERR_INVALID_JSON, "envelope field '%s' must be a string", key);
    *out = arena_strndup(a, json_string_value(v), json_string_length(v));
    return *out ? 0 : ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
}

static bool starts_with_tag(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
        i++;
    return i < len && s[i] == '<';
}

static int decode_envelope(arena *a, const pipeline_limits *lim, const unsigned char *v, size_t len,
                           raw_doc *d, ingest_error *err)
{
    if (json_nesting_depth(v, len) > lim->max_json_depth)
        return ingest_fail(err, INGEST_ERR_INVALID_JSON, "JSON nested deeper than %zu (max_json_depth)",
                           lim->max_json_depth);
    json_error_t je;
    json_t *root = json_loadb((const char *)v, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return ingest_fail(err, INGEST_ERR_INVALID_JSON, "line %d column %d: %s", je.line, je.column,
                           je.text);
    int rc = -1;
    json_t *meta = NULL;
    if (!json_is_object(root)) {
        ingest_fail(err, INGEST_ERR_INVALID_JSON, "envelope is not a JSON object");
        goto out;
    }
    d->form = "json";
    if (get_str(a, root, "id", &d->env_id, err) || get_str(a, root, "url", &d->env_url, err) ||
        get_str(a, root, "title", &d->env_title, err) ||
        get_str(a, root, "published_at", &d->env_published_at, err) ||
        get_str(a, root, "language", &d->env_language, err))
        goto out;
    meta = json_object();
    if (!meta) {
        ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
        goto out;
    }
    const char *k;
    json_t *val;
    json_object_foreach(root, k, val) {
        if (!is_known_field(k) || !strcmp(k, "source"))
            json_object_set(meta, k, val);
    }
    if (json_object_size(meta)) {
        char *s = json_dumps(meta, JSON_COMPACT | JSON_SORT_KEYS);
        if (!s) {
            ingest_fail(err, INGEST_ERR_INTERNAL, "out of memory");
            goto out;
        }
        d->source_meta_json = arena_strndup(a, s, strlen(s));
        free(s);
    }
    for (int i = 0; ENVELOPE_TEXT_FIELDS[i]; i++) {
        const char *text;
        if (get_str(a, root, ENVELOPE_TEXT_FIELDS[i], &text, err))
            goto out;
        if (!text || !*text)
            continue;
        size_t tl = strlen(text);
        if (tl != json_string_length(json_object_get(root, ENVELOPE_TEXT_FIELDS[i]))) {
            ingest_fail(err, INGEST_ERR_INVALID_JSON, "envelope field '%s' contains a NUL character",
                        ENVELOPE_TEXT_FIELDS[i]);
            goto out;
        }
        if (!strcmp(ENVELOPE_TEXT_FIELDS[i], "html") || starts_with_tag(text, tl))
            rc = decode_html(a, lim, text, tl, d, err);
        else
            rc = decode_text(a, lim, text, tl, d, err);
        goto out;
    }
    rc = 0; /* no text field: normalize reports no_text unless there is nothing at all */
out:
    json_decref(meta);
    json_decref(root);
    return rc;
}

int decode_raw(arena *a, const pipeline_limits *lim, const unsigned char *value, size_t len,
               raw_doc *out, ingest_error *err)
{
    memset(out, 0, sizeof *out);
    size_t i = 0;
    if (len >= 3 && value[0] == 0xEF && value[1] == 0xBB && value[2] == 0xBF)
        i = 3; /* UTF-8 byte order mark */
    while (i < len && (value[i] == ' ' || value[i] == '\n' || value[i] == '\r' || value[i] == '\t'))
        i++;
    if (i < len && value[i] == '{')
        return decode_envelope(a, lim, value + i, len - i, out, err);
    if (i < len && value[i] == '<') {
        out->form = "html";
        return decode_html(a, lim, (const char *)value + i, len - i, out, err);
    }
    out->form = "text";
    return decode_text(a, lim, (const char *)value + i, len - i, out, err);
}
