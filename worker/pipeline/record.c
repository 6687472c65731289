/* record.c - pipeline_result -> contract JSON; see include/record.h. */
#include "record.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* json_t helpers that tolerate NULL (allocation failure surfaces at dump). */
static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *strn(const char *s, size_t n) { return json_stringn(s, n); }

static json_t *source_json(const record_source *src)
{
    json_t *o = json_object();
    json_object_set_new(o, "topic", str_or_null(src->topic));
    json_object_set_new(o, "partition", src->partition >= 0 ? json_integer(src->partition) : json_null());
    json_object_set_new(o, "offset", src->offset >= 0 ? json_integer(src->offset) : json_null());
    json_object_set_new(o, "timestamp", src->timestamp_ms >= 0 ? json_integer(src->timestamp_ms) : json_null());
    json_object_set_new(o, "key", src->key ? json_stringn(src->key, src->key_len) : json_null());
    if (!json_object_get(o, "key"))
        json_object_set_new(o, "key", json_null()); /* a key that is not UTF-8 */
    return o;
}

static json_t *ref_json(const pipeline_result *r, int idx)
{
    if (idx < 0 || (size_t)idx >= r->n_entities)
        return json_null();
    const entity *e = &r->entities[idx];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(e->id));
    json_object_set_new(o, "name", json_string(e->name));
    json_object_set_new(o, "country", str_or_null(e->country));
    return o;
}

static json_t *entity_obj(const pipeline_result *r, const entity *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(e->id));
    json_object_set_new(o, "name", json_string(e->name));
    json_object_set_new(o, "type", json_string(entity_type_name(e->type)));
    json_object_set_new(o, "country", str_or_null(e->country));
    json_t *ms = json_array();
    for (size_t m = 0; m < e->n_mentions; m++) {
        json_t *mo = json_object();
        json_object_set_new(mo, "start", json_integer((json_int_t)e->mentions[m].start));
        json_object_set_new(mo, "end", json_integer((json_int_t)e->mentions[m].end));
        json_object_set_new(mo, "text", strn(r->art.body + e->mentions[m].start, e->mentions[m].end - e->mentions[m].start));
        json_array_append_new(ms, mo);
    }
    json_object_set_new(o, "mentions", ms);
    json_object_set_new(o, "salience", json_real(e->salience));
    return o;
}

void record_event_id(const pipeline_result *r, size_t i, char *buf, size_t cap)
{
    const event *e = &r->events[i];
    snprintf(buf, cap, "%s#ev%zu-%s-%d", r->art.id, e->trigger.start, e->type, e->target);
}

static json_t *event_obj(const pipeline_result *r, size_t i)
{
    const event *e = &r->events[i];
    char id[512];
    record_event_id(r, i, id, sizeof id);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(id));
    json_object_set_new(o, "type", json_string(e->type));
    json_object_set_new(o, "cameo", str_or_null(e->cameo));
    json_object_set_new(o, "quad_class", json_integer(e->quad_class));
    json_t *t = json_object();
    json_object_set_new(t, "text", strn(r->art.body + e->trigger.start, e->trigger.end - e->trigger.start));
    json_object_set_new(t, "start", json_integer((json_int_t)e->trigger.start));
    json_object_set_new(t, "end", json_integer((json_int_t)e->trigger.end));
    json_object_set_new(o, "trigger", t);
    json_object_set_new(o, "actor", ref_json(r, e->actor));
    json_object_set_new(o, "target", ref_json(r, e->target));
    json_object_set_new(o, "location", ref_json(r, e->location));
    if (e->time_text) {
        json_t *tm = json_object();
        json_object_set_new(tm, "text", json_string(e->time_text));
        json_object_set_new(tm, "date", str_or_null(e->time_date));
        json_object_set_new(o, "time", tm);
    } else {
        json_object_set_new(o, "time", json_null());
    }
    json_object_set_new(o, "modality", json_string(modality_name(e->mod)));
    json_t *s = json_object();
    json_object_set_new(s, "start", json_integer((json_int_t)e->sentence.start));
    json_object_set_new(s, "end", json_integer((json_int_t)e->sentence.end));
    json_object_set_new(o, "sentence", s);
    json_object_set_new(o, "confidence", json_real((double)((int)(e->confidence * 100 + 0.5)) / 100));
    return o;
}

static json_t *string_array(const char *const *a, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_string(a[i]));
    return arr;
}

static char *dump(json_t *o)
{
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    return s;
}

char *record_article_json(const pipeline_result *r, const record_source *src)
{
    const article *a = &r->art;
    char hex[20];
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "schema", json_string(RECORD_ARTICLE_SCHEMA));
    json_object_set_new(o, "id", json_string(a->id));
    json_object_set_new(o, "source", source_json(src));
    json_object_set_new(o, "replay", json_boolean(src->replay));
    json_object_set_new(o, "url", str_or_null(a->url));
    json_object_set_new(o, "title", str_or_null(a->title));
    json_object_set_new(o, "title_flag", str_or_null(a->title_flag));
    json_object_set_new(o, "subtitle", str_or_null(a->subtitle));
    json_object_set_new(o, "published_at", str_or_null(a->published_at));
    json_object_set_new(o, "language", str_or_null(a->language));
    json_object_set_new(o, "form", json_string(a->form));
    json_object_set_new(o, "body", strn(a->body, a->body_len));
    json_object_set_new(o, "captions", string_array(a->captions, a->n_captions));
    json_object_set_new(o, "credits", string_array(a->credits, a->n_credits));
    json_t *rm = json_object();
    for (int k = 0; k < REMOVED__COUNT; k++) {
        if (!a->removed[k].count)
            continue;
        json_t *ko = json_object();
        json_object_set_new(ko, "count", json_integer((json_int_t)a->removed[k].count));
        json_object_set_new(ko, "bytes", json_integer((json_int_t)a->removed[k].bytes));
        json_object_set_new(rm, removed_kind_name((removed_kind)k), ko);
    }
    json_object_set_new(o, "removed", rm);
    json_object_set_new(o, "word_count", json_integer((json_int_t)a->word_count));
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)a->content_hash);
    json_object_set_new(o, "content_hash", json_string(hex));
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)a->simhash);
    json_object_set_new(o, "simhash", json_string(hex));
    json_t *ents = json_array();
    for (size_t i = 0; i < r->n_entities; i++)
        json_array_append_new(ents, entity_obj(r, &r->entities[i]));
    json_object_set_new(o, "entities", ents);
    json_t *evs = json_array();
    for (size_t i = 0; i < r->n_events; i++)
        json_array_append_new(evs, event_obj(r, i));
    json_object_set_new(o, "events", evs);
    json_t *qs = json_array();
    for (size_t i = 0; i < r->n_quotes; i++) {
        const quote *q = &r->quotes[i];
        json_t *qo = json_object();
        json_object_set_new(qo, "text", strn(a->body + q->text.start, q->text.end - q->text.start));
        json_object_set_new(qo, "start", json_integer((json_int_t)q->text.start));
        json_object_set_new(qo, "end", json_integer((json_int_t)q->text.end));
        json_t *sp = json_null();
        if (q->speaker >= 0) {
            sp = json_object();
            json_object_set_new(sp, "id", json_string(r->entities[q->speaker].id));
            json_object_set_new(sp, "name", json_string(r->entities[q->speaker].name));
        }
        json_object_set_new(qo, "speaker", sp);
        json_array_append_new(qs, qo);
    }
    json_object_set_new(o, "quotes", qs);
    if (a->source_meta_json) {
        json_t *meta = json_loads(a->source_meta_json, 0, NULL);
        json_object_set_new(o, "source_meta", meta ? meta : json_null());
    } else {
        json_object_set_new(o, "source_meta", json_null());
    }
    return dump(o);
}

char *record_entity_json(const pipeline_result *r, size_t i, const record_source *src)
{
    const entity *e = &r->entities[i];
    json_t *o = entity_obj(r, e);
    if (!o)
        return NULL;
    char id[512];
    snprintf(id, sizeof id, "%s#%s", r->art.id, e->id);
    json_t *rec = json_object();
    json_object_set_new(rec, "schema", json_string(RECORD_ENTITY_SCHEMA));
    json_object_set_new(rec, "id", json_string(id));
    json_object_set_new(rec, "source", source_json(src));
    json_object_set_new(rec, "replay", json_boolean(src->replay));
    json_object_set_new(rec, "article_id", json_string(r->art.id));
    json_object_set_new(rec, "published_at", str_or_null(r->art.published_at));
    json_object_set_new(rec, "entity", o);
    return dump(rec);
}

char *record_event_json(const pipeline_result *r, size_t i, const record_source *src)
{
    json_t *o = event_obj(r, i);
    if (!o)
        return NULL;
    json_t *rec = json_object();
    json_object_set_new(rec, "schema", json_string(RECORD_EVENT_SCHEMA));
    json_object_set(rec, "id", json_object_get(o, "id"));
    json_object_set_new(rec, "source", source_json(src));
    json_object_set_new(rec, "replay", json_boolean(src->replay));
    json_object_set_new(rec, "article_id", json_string(r->art.id));
    json_object_set_new(rec, "published_at", str_or_null(r->art.published_at));
    json_object_set_new(rec, "sentence_text",
                        strn(r->art.body + r->events[i].sentence.start, r->events[i].sentence.end - r->events[i].sentence.start));
    json_object_del(o, "id");
    json_object_set_new(rec, "event", o);
    return dump(rec);
}
