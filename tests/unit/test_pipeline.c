/* Unit tests: pipeline error paths (every DLQ reason), limits, ids, record serialization. */
#include "test_support.h"

#include <jansson.h>

#include "record.h"

static ingest_reason fails_with(const void *v, size_t len, const pipeline_limits *lim)
{
    pipeline_limits def;
    pipeline_limits_default(&def);
    pipeline_input in = {v, len, NULL, 0};
    pipeline_result r;
    ingest_error e;
    int rc = pipeline_process(LX, lim ? lim : &def, &in, &r, &e);
    if (rc == 0) {
        pipeline_result_free(&r);
        return INGEST_OK;
    }
    assert_true(strlen(e.detail) > 0); /* every error says what went wrong */
    assert_null(r.arena);              /* nothing to free after a failure */
    pipeline_result_free(&r);          /* and freeing is still safe */
    return e.reason;
}

#define FAILS(s, lim) fails_with((s), sizeof(s) - 1, (lim))

static void every_reason_code(void **state)
{
    (void)state;
    assert_int_equal(FAILS("", NULL), INGEST_ERR_EMPTY);
    assert_int_equal(fails_with(NULL, 0, NULL), INGEST_ERR_EMPTY);
    assert_int_equal(FAILS(" \n\t\r\n", NULL), INGEST_ERR_EMPTY);
    /* a byte order mark alone (or before white space) is no content either */
    assert_int_equal(FAILS("\xef\xbb\xbf", NULL), INGEST_ERR_EMPTY);
    assert_int_equal(FAILS("\xef\xbb\xbf \r\n", NULL), INGEST_ERR_EMPTY);
    assert_int_equal(FAILS("\xef\xbb", NULL), INGEST_ERR_INVALID_UTF8); /* a truncated BOM is not one */
    assert_int_equal(FAILS("Headline\n\xc3\x28 body", NULL), INGEST_ERR_INVALID_UTF8);
    assert_int_equal(FAILS("Headline\nbody with \x00 NUL", NULL), INGEST_ERR_INVALID_UTF8);
    assert_int_equal(FAILS("{\"text\": ", NULL), INGEST_ERR_INVALID_JSON);
    assert_int_equal(FAILS("{\"title\": \"only a title\"}", NULL), INGEST_ERR_NO_TEXT);
    assert_int_equal(FAILS("Only a headline", NULL), INGEST_ERR_NO_TEXT);
    assert_int_equal(FAILS("<html><body><nav>Home</nav><footer>(c) 2021</footer></body></html>", NULL),
                     INGEST_ERR_NO_TEXT);
    assert_int_equal(FAILS("Headline\nWe use cookies to improve your experience. Accept All. Manage Preferences.", NULL),
                     INGEST_ERR_NO_TEXT);
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    lim.max_message_bytes = 10;
    assert_int_equal(FAILS("Headline\nBody text.", &lim), INGEST_ERR_TOO_LARGE);
    pipeline_limits_default(&lim);
    lim.max_paragraphs = 3;
    assert_int_equal(FAILS("H\nP one.\nP two.\nP three.\nP four.", &lim), INGEST_ERR_TOO_LARGE);
    pipeline_limits_default(&lim);
    lim.max_json_depth = 2;
    assert_int_equal(FAILS("{\"text\": \"x\", \"a\": {\"b\": {\"c\": 1}}}", &lim), INGEST_ERR_INVALID_JSON);
    assert_string_equal(ingest_reason_code(INGEST_ERR_INTERNAL), "internal");
    assert_string_equal(ingest_reason_code(INGEST_ERR_TOO_LARGE), "too_large");
}

static void exactly_at_the_size_limit_is_processed(void **state)
{
    (void)state;
    const char s[] = "Headline here\nA body paragraph that is the article.";
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    lim.max_message_bytes = sizeof s - 1;
    assert_int_equal(fails_with(s, sizeof s - 1, &lim), INGEST_OK);
    lim.max_message_bytes = sizeof s - 2;
    assert_int_equal(fails_with(s, sizeof s - 1, &lim), INGEST_ERR_TOO_LARGE);
}

static void limits_on_entities_and_events(void **state)
{
    (void)state;
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    lim.max_entities = 1;
    lim.max_events = 1;
    const char *s = "Talks\nSecretary of State Antony Blinken met Qatar and Russia in Doha. Blinken visited Kabul.";
    pipeline_input in = {(const unsigned char *)s, strlen(s), NULL, 0};
    pipeline_result r;
    ingest_error e;
    assert_int_equal(pipeline_process(LX, &lim, &in, &r, &e), 0);
    assert_true(r.n_entities <= 1);
    assert_true(r.n_events <= 1);
    pipeline_result_free(&r);
}

static void ids_are_deterministic_and_follow_precedence(void **state)
{
    (void)state;
    const char *text = "Headline\nA body paragraph of the article.";
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    pipeline_result r1, r2;
    ingest_error e;
    pipeline_input in = {(const unsigned char *)text, strlen(text), NULL, 0};
    assert_int_equal(pipeline_process(LX, &lim, &in, &r1, &e), 0);
    assert_int_equal(pipeline_process(LX, &lim, &in, &r2, &e), 0);
    assert_string_equal(r1.art.id, r2.art.id);
    assert_memory_equal(r1.art.id, "txt-", 4);
    pipeline_result_free(&r1);
    pipeline_result_free(&r2);
    in.key = "upstream-42";
    in.key_len = 11;
    assert_int_equal(pipeline_process(LX, &lim, &in, &r1, &e), 0);
    assert_string_equal(r1.art.id, "upstream-42");
    pipeline_result_free(&r1);
    const char *env = "{\"id\": \"env-7\", \"url\": \"https://x.org/a\", \"text\": \"Headline\\nBody of it.\"}";
    pipeline_input in2 = {(const unsigned char *)env, strlen(env), "k", 1};
    assert_int_equal(pipeline_process(LX, &lim, &in2, &r1, &e), 0);
    assert_string_equal(r1.art.id, "env-7");
    pipeline_result_free(&r1);
    const char *u1 = "{\"url\": \"HTTPS://X.org/a/?utm=1#top\", \"text\": \"Headline\\nBody one.\"}";
    const char *u2 = "{\"url\": \"https://x.org/a\", \"text\": \"Headline\\nBody two differs.\"}";
    pipeline_input a = {(const unsigned char *)u1, strlen(u1), NULL, 0}, b = {(const unsigned char *)u2, strlen(u2), NULL, 0};
    assert_int_equal(pipeline_process(LX, &lim, &a, &r1, &e), 0);
    assert_int_equal(pipeline_process(LX, &lim, &b, &r2, &e), 0);
    assert_string_equal(r1.art.id, r2.art.id); /* canonical URL hash */
    assert_memory_equal(r1.art.id, "url-", 4);
    pipeline_result_free(&r1);
    pipeline_result_free(&r2);
}

static void records_serialize_the_contract_fields(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX, "{\"id\": \"a1\", \"published_at\": \"2021-08-31\", \"crawler\": {\"v\": 1}, \"text\": "
                     "\"Headline\\nSecretary of State Antony Blinken will travel to Qatar on Monday.\"}",
                 &r);
    record_source src = {"articles.raw", 2, 17, 1630400000000LL, "k1", 2, false};
    char *s = record_article_json(&r, &src);
    json_error_t je;
    json_t *o = json_loads(s, 0, &je);
    assert_non_null(o);
    const char *fields[] = {"schema", "id", "source", "url", "title", "subtitle", "published_at", "language", "body",
                            "captions", "credits", "removed", "word_count", "content_hash", "simhash", "entities",
                            "events", "quotes", "replay", "source_meta", NULL};
    for (int i = 0; fields[i]; i++)
        assert_non_null(json_object_get(o, fields[i]));
    assert_string_equal(json_string_value(json_object_get(o, "schema")), "article/v1");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "source"), "offset")), 17);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "source_meta"), "crawler") ?
                                        json_object_get(json_object_get(json_object_get(o, "source_meta"), "crawler"), "v") : NULL), 1);
    json_decref(o);
    free(s);
    for (size_t i = 0; i < r.n_entities; i++) {
        s = record_entity_json(&r, i, &src);
        o = json_loads(s, 0, &je);
        assert_string_equal(json_string_value(json_object_get(o, "schema")), "entity/v1");
        assert_string_equal(json_string_value(json_object_get(o, "article_id")), "a1");
        json_decref(o);
        free(s);
    }
    assert_true(r.n_events >= 1);
    s = record_event_json(&r, 0, &src);
    o = json_loads(s, 0, &je);
    assert_string_equal(json_string_value(json_object_get(o, "schema")), "event/v1");
    assert_non_null(json_object_get(json_object_get(o, "event"), "quad_class"));
    json_decref(o);
    free(s);
    pipeline_result_free(&r);
}

static void hostile_inputs_do_not_crash(void **state)
{
    (void)state;
    /* one long line without breaks, many tiny paragraphs, HTML soup, random bytes */
    size_t n = 2u << 20;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        big[i] = "abc de. "[i % 8];
    big[n] = '\0';
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    lim.max_message_bytes = n;
    pipeline_input in = {(unsigned char *)big, n, NULL, 0};
    pipeline_result r;
    ingest_error e;
    if (pipeline_process(LX, &lim, &in, &r, &e) == 0)
        pipeline_result_free(&r);
    free(big);
    unsigned seed = 12345;
    unsigned char rnd[4096];
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof rnd; i++) {
            seed = seed * 1103515245u + 12345u;
            rnd[i] = (unsigned char)(seed >> 16);
        }
        rnd[0] = (unsigned char)"{<a"[round % 3];
        (void)fails_with(rnd, (size_t)(round * 20 + 1), NULL);
    }
    const char *soup = "<p><b><i><table><tr><td><p>unclosed <a href='x'>link <div><span>deep";
    (void)fails_with(soup, strlen(soup), NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_reason_code),
        cmocka_unit_test(exactly_at_the_size_limit_is_processed),
        cmocka_unit_test(limits_on_entities_and_events),
        cmocka_unit_test(ids_are_deterministic_and_follow_precedence),
        cmocka_unit_test(records_serialize_the_contract_fields),
        cmocka_unit_test(hostile_inputs_do_not_crash),
    };
    return cmocka_run_group_tests_name("pipeline", tests, LX_setup, LX_teardown);
}
