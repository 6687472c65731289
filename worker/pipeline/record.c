/* record.c - pipeline_result -> contract JSON; see include/record.h.
 *
 * Written straight into one buffer with jsonw (no intermediate tree): the same bytes
 * json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER) gave for the jansson tree this file used to
 * build, at a fraction of the cost (tests/unit/test_jsonw.c checks the equivalence on the
 * fixtures). Members are written in the order of the contract's schemas.
 */
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "utf8util.h"

#define RECORD_ID_MAX 512 /* bytes of a derived id (entity and event records) */
#define RECORD_SMALL_HINT 1024 /* initial buffer of an entity or event record */

/* Parts the records of one article repeat, written once by record_all_json and copied from there;
 * the single-record functions leave them empty and write each part where it goes. Either way the
 * same functions produce the bytes, so the two paths cannot drift apart. */
typedef struct shared {
    const char *src; /* the source object's JSON, or NULL */
    size_t src_len;
    const char *art; /* the article record, which the spans below point into */
    size_t *ent;     /* entity i's object: art[ent[2i], ent[2i+1]) */
    size_t *ev;      /* event i's members after its id, closing brace included: art[ev[2i], ev[2i+1]) */
} shared;

static void source_obj(jw *w, const record_source *src)
{
    jw_obj_begin(w);
    jw_key(w, "topic");
    jw_cstr(w, src->topic);
    jw_key(w, "partition");
    if (src->partition >= 0)
        jw_int(w, src->partition);
    else
        jw_null(w);
    jw_key(w, "offset");
    if (src->offset >= 0)
        jw_int(w, src->offset);
    else
        jw_null(w);
    jw_key(w, "timestamp");
    if (src->timestamp_ms >= 0)
        jw_int(w, src->timestamp_ms);
    else
        jw_null(w);
    jw_key(w, "key");
    if (src->key && utf8_valid((const unsigned char *)src->key, src->key_len, NULL))
        jw_str(w, src->key, src->key_len);
    else
        jw_null(w); /* absent, or not UTF-8 */
    jw_obj_end(w);
}

/* The {id, name, country} reference to entity idx, or null. */
static void ref_obj(jw *w, const pipeline_result *r, int idx)
{
    if (idx < 0 || (size_t)idx >= r->n_entities) {
        jw_null(w);
        return;
    }
    const entity *e = &r->entities[idx];
    jw_obj_begin(w);
    jw_key(w, "id");
    jw_cstr(w, e->id);
    jw_key(w, "name");
    jw_cstr(w, e->name);
    jw_key(w, "country");
    jw_cstr(w, e->country);
    jw_obj_end(w);
}

static void body_span(jw *w, const pipeline_result *r, span s)
{
    jw_str(w, r->art.body + s.start, s.end - s.start);
}

static void entity_obj(jw *w, const pipeline_result *r, const entity *e)
{
    jw_obj_begin(w);
    jw_key(w, "id");
    jw_cstr(w, e->id);
    jw_key(w, "name");
    jw_cstr(w, e->name);
    jw_key(w, "type");
    jw_cstr(w, entity_type_name(e->type));
    jw_key(w, "country");
    jw_cstr(w, e->country);
    jw_key(w, "mentions");
    jw_arr_begin(w);
    for (size_t m = 0; m < e->n_mentions; m++) {
        jw_elem(w);
        jw_obj_begin(w);
        jw_key(w, "start");
        jw_int(w, (int64_t)e->mentions[m].start);
        jw_key(w, "end");
        jw_int(w, (int64_t)e->mentions[m].end);
        jw_key(w, "text");
        body_span(w, r, e->mentions[m]);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "salience");
    jw_real(w, e->salience);
    jw_obj_end(w);
}

/* Cuts an id truncated to its buffer back to a whole UTF-8 sequence when it was truncated inside
 * one. An id shorter than the buffer was not truncated: it joins valid strings, so it is valid. */
static size_t utf8_trim(const char *s, size_t n)
{
    size_t bad;
    while (n >= RECORD_ID_MAX - 4 && !utf8_valid((const unsigned char *)s, n, &bad))
        n = bad;
    return n;
}

/* Bounded appends into a fixed buffer, truncating as snprintf would (ids are built for every
 * entity and event; snprintf's format parsing was a tenth of serialization). */
typedef struct idbuf {
    char *p;
    size_t len, cap; /* cap >= 1: room for the NUL */
} idbuf;

static void id_put(idbuf *b, const char *s, size_t n)
{
    size_t room = b->cap - 1 - b->len;
    if (n > room)
        n = room;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void id_int(idbuf *b, long long v)
{
    char d[24], *q = d + sizeof d;
    unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
    do {
        *--q = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--q = '-';
    id_put(b, q, (size_t)(d + sizeof d - q));
}

/* "<article id>#<entity id>", as the entity record's id. */
static size_t entity_record_id(const pipeline_result *r, const entity *e, char *buf, size_t cap)
{
    idbuf b = {buf, 0, cap};
    buf[0] = '\0';
    id_put(&b, r->art.id, strlen(r->art.id));
    id_put(&b, "#", 1);
    id_put(&b, e->id, strlen(e->id));
    return b.len;
}

void record_event_id(const pipeline_result *r, size_t i, char *buf, size_t cap)
{
    const event *e = &r->events[i];
    if (!cap)
        return;
    idbuf b = {buf, 0, cap};
    buf[0] = '\0';
    id_put(&b, r->art.id, strlen(r->art.id));
    id_put(&b, "#ev", 3);
    id_int(&b, (long long)e->trigger.start);
    id_put(&b, "-", 1);
    id_put(&b, e->type, strlen(e->type));
    id_put(&b, "-", 1);
    id_int(&b, e->target);
}

/* The event's members; with_id puts its id first (the article record's events[]; the event
 * record carries the id at its top level instead). *after_id (when not NULL) gets the offset where
 * the members after the id start (past the comma that separates them). */
static void event_obj(jw *w, const pipeline_result *r, size_t i, bool with_id, size_t *after_id)
{
    const event *e = &r->events[i];
    jw_obj_begin(w);
    if (with_id) {
        char id[RECORD_ID_MAX];
        record_event_id(r, i, id, sizeof id);
        jw_key(w, "id");
        jw_str(w, id, utf8_trim(id, strlen(id)));
        if (after_id)
            *after_id = w->len + 1; /* jw_key("type") writes the comma there */
    }
    jw_key(w, "type");
    jw_cstr(w, e->type);
    jw_key(w, "cameo");
    jw_cstr(w, e->cameo);
    jw_key(w, "quad_class");
    jw_int(w, e->quad_class);
    jw_key(w, "trigger");
    jw_obj_begin(w);
    jw_key(w, "text");
    body_span(w, r, e->trigger);
    jw_key(w, "start");
    jw_int(w, (int64_t)e->trigger.start);
    jw_key(w, "end");
    jw_int(w, (int64_t)e->trigger.end);
    jw_obj_end(w);
    jw_key(w, "actor");
    ref_obj(w, r, e->actor);
    jw_key(w, "target");
    ref_obj(w, r, e->target);
    jw_key(w, "location");
    ref_obj(w, r, e->location);
    jw_key(w, "time");
    if (e->time_text) {
        jw_obj_begin(w);
        jw_key(w, "text");
        jw_cstr(w, e->time_text);
        jw_key(w, "date");
        jw_cstr(w, e->time_date);
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
    jw_key(w, "modality");
    jw_cstr(w, modality_name(e->mod));
    jw_key(w, "sentence");
    jw_obj_begin(w);
    jw_key(w, "start");
    jw_int(w, (int64_t)e->sentence.start);
    jw_key(w, "end");
    jw_int(w, (int64_t)e->sentence.end);
    jw_obj_end(w);
    jw_key(w, "confidence");
    jw_real(w, (double)((int)(e->confidence * 100 + 0.5)) / 100);
    jw_obj_end(w);
}

static void string_array(jw *w, const char *const *a, size_t n)
{
    jw_arr_begin(w);
    for (size_t i = 0; i < n; i++) {
        jw_elem(w);
        jw_cstr(w, a[i]);
    }
    jw_arr_end(w);
}

static void hex64(jw *w, uint64_t v)
{
    static const char digits[] = "0123456789abcdef";
    char hex[16]; /* "%016llx" */
    for (int k = 15; k >= 0; k--, v >>= 4)
        hex[k] = digits[v & 15];
    jw_str(w, hex, 16);
}

/* schema, id, source, replay: the head every record starts with. */
static void record_head(jw *w, const char *schema, const char *id, size_t id_len, const record_source *src,
                        const shared *sh)
{
    jw_obj_begin(w);
    jw_key(w, "schema");
    jw_cstr(w, schema);
    jw_key(w, "id");
    jw_str(w, id, id_len);
    jw_key(w, "source");
    if (sh->src)
        jw_raw(w, sh->src, sh->src_len);
    else
        source_obj(w, src);
    jw_key(w, "replay");
    jw_bool(w, src->replay);
}

static void quote_obj(jw *w, const pipeline_result *r, const quote *q)
{
    jw_obj_begin(w);
    jw_key(w, "text");
    body_span(w, r, q->text);
    jw_key(w, "start");
    jw_int(w, (int64_t)q->text.start);
    jw_key(w, "end");
    jw_int(w, (int64_t)q->text.end);
    jw_key(w, "speaker");
    if (q->speaker >= 0 && (size_t)q->speaker < r->n_entities) {
        jw_obj_begin(w);
        jw_key(w, "id");
        jw_cstr(w, r->entities[q->speaker].id);
        jw_key(w, "name");
        jw_cstr(w, r->entities[q->speaker].name);
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
    jw_obj_end(w);
}

/* The article record; with sh->ent / sh->ev set, the spans of the entity and event objects in it
 * are noted there. */
static char *article_json(const pipeline_result *r, const record_source *src, const shared *sh, size_t *len)
{
    const article *a = &r->art;
    jw w;
    /* the body dominates; entities, events and quotes repeat parts of it with their offsets */
    jw_init(&w, a->body_len * 2 + 4096);
    record_head(&w, RECORD_ARTICLE_SCHEMA, a->id, strlen(a->id), src, sh);
    jw_key(&w, "url");
    jw_cstr(&w, a->url);
    jw_key(&w, "title");
    jw_cstr(&w, a->title);
    jw_key(&w, "title_flag");
    jw_cstr(&w, a->title_flag);
    jw_key(&w, "subtitle");
    jw_cstr(&w, a->subtitle);
    jw_key(&w, "published_at");
    jw_cstr(&w, a->published_at);
    jw_key(&w, "language");
    jw_cstr(&w, a->language);
    jw_key(&w, "form");
    jw_cstr(&w, a->form);
    jw_key(&w, "body");
    jw_str(&w, a->body, a->body_len);
    jw_key(&w, "captions");
    string_array(&w, a->captions, a->n_captions);
    jw_key(&w, "credits");
    string_array(&w, a->credits, a->n_credits);
    jw_key(&w, "removed");
    jw_obj_begin(&w);
    for (int k = 0; k < REMOVED__COUNT; k++) {
        if (!a->removed[k].count)
            continue;
        jw_key_str(&w, removed_kind_name((removed_kind)k));
        jw_obj_begin(&w);
        jw_key(&w, "count");
        jw_int(&w, (int64_t)a->removed[k].count);
        jw_key(&w, "bytes");
        jw_int(&w, (int64_t)a->removed[k].bytes);
        jw_obj_end(&w);
    }
    jw_obj_end(&w);
    jw_key(&w, "word_count");
    jw_int(&w, (int64_t)a->word_count);
    jw_key(&w, "content_hash");
    hex64(&w, a->content_hash);
    jw_key(&w, "simhash");
    hex64(&w, a->simhash);
    jw_key(&w, "entities");
    jw_arr_begin(&w);
    for (size_t i = 0; i < r->n_entities; i++) {
        jw_elem(&w);
        if (sh->ent)
            sh->ent[2 * i] = w.len;
        entity_obj(&w, r, &r->entities[i]);
        if (sh->ent)
            sh->ent[2 * i + 1] = w.len;
    }
    jw_arr_end(&w);
    jw_key(&w, "events");
    jw_arr_begin(&w);
    for (size_t i = 0; i < r->n_events; i++) {
        jw_elem(&w);
        event_obj(&w, r, i, true, sh->ev ? &sh->ev[2 * i] : NULL);
        if (sh->ev)
            sh->ev[2 * i + 1] = w.len;
    }
    jw_arr_end(&w);
    jw_key(&w, "quotes");
    jw_arr_begin(&w);
    for (size_t i = 0; i < r->n_quotes; i++) {
        jw_elem(&w);
        quote_obj(&w, r, &r->quotes[i]);
    }
    jw_arr_end(&w);
    jw_key(&w, "source_meta");
    /* decode wrote it with json_dumps (compact, sorted keys): it is already in its final form */
    if (a->source_meta_json)
        jw_raw(&w, a->source_meta_json, strlen(a->source_meta_json));
    else
        jw_null(&w);
    jw_obj_end(&w);
    return jw_finish(&w, len);
}

char *record_article_json(const pipeline_result *r, const record_source *src)
{
    const shared none = {0};
    return article_json(r, src, &none, NULL);
}

/* article_id and published_at, which entity and event records repeat after the head. */
static void article_ref(jw *w, const pipeline_result *r)
{
    jw_key(w, "article_id");
    jw_cstr(w, r->art.id);
    jw_key(w, "published_at");
    jw_cstr(w, r->art.published_at);
}

static char *entity_json(const pipeline_result *r, size_t i, const record_source *src, const shared *sh, size_t *len)
{
    const entity *e = &r->entities[i];
    char id[RECORD_ID_MAX];
    size_t id_len = entity_record_id(r, e, id, sizeof id);
    jw w;
    jw_init(&w, RECORD_SMALL_HINT + e->n_mentions * 64);
    record_head(&w, RECORD_ENTITY_SCHEMA, id, utf8_trim(id, id_len), src, sh);
    article_ref(&w, r);
    jw_key(&w, "entity");
    if (sh->ent)
        jw_raw(&w, sh->art + sh->ent[2 * i], sh->ent[2 * i + 1] - sh->ent[2 * i]);
    else
        entity_obj(&w, r, e);
    jw_obj_end(&w);
    return jw_finish(&w, len);
}

char *record_entity_json(const pipeline_result *r, size_t i, const record_source *src)
{
    const shared none = {0};
    return entity_json(r, i, src, &none, NULL);
}

static char *event_json(const pipeline_result *r, size_t i, const record_source *src, const shared *sh, size_t *len)
{
    const event *e = &r->events[i];
    char id[RECORD_ID_MAX];
    record_event_id(r, i, id, sizeof id);
    jw w;
    jw_init(&w, RECORD_SMALL_HINT + (e->sentence.end - e->sentence.start));
    record_head(&w, RECORD_EVENT_SCHEMA, id, utf8_trim(id, strlen(id)), src, sh);
    article_ref(&w, r);
    jw_key(&w, "sentence_text");
    body_span(&w, r, e->sentence);
    jw_key(&w, "event");
    if (sh->ev) {
        jw_raw(&w, "{", 1);
        jw_raw(&w, sh->art + sh->ev[2 * i], sh->ev[2 * i + 1] - sh->ev[2 * i]);
    } else {
        event_obj(&w, r, i, false, NULL);
    }
    jw_obj_end(&w);
    return jw_finish(&w, len);
}

char *record_event_json(const pipeline_result *r, size_t i, const record_source *src)
{
    const shared none = {0};
    return event_json(r, i, src, &none, NULL);
}

int record_all_json(const pipeline_result *r, const record_source *src, record_json *out)
{
    size_t n = 1 + r->n_entities + r->n_events, done = 0;
    size_t *spans = malloc(2 * (r->n_entities + r->n_events + 1) * sizeof *spans);
    jw sw;
    jw_init(&sw, 256);
    source_obj(&sw, src);
    size_t src_len = 0;
    char *src_json = jw_finish(&sw, &src_len);
    if (!spans || !src_json)
        goto fail;
    shared sh = {src_json, src_len, NULL, spans, spans + 2 * r->n_entities};
    out[0].json = article_json(r, src, &sh, &out[0].len);
    if (!out[0].json)
        goto fail;
    sh.art = out[0].json;
    for (done = 1; done < n; done++) {
        size_t i = done - 1;
        out[done].json = i < r->n_entities ? entity_json(r, i, src, &sh, &out[done].len)
                                           : event_json(r, i - r->n_entities, src, &sh, &out[done].len);
        if (!out[done].json)
            goto fail;
    }
    free(spans);
    free(src_json);
    return 0;
fail:
    for (size_t k = 0; k < done; k++)
        free(out[k].json);
    free(spans);
    free(src_json);
    return -1;
}
