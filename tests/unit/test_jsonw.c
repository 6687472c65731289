/* Unit tests: the JSON writer (jsonw.c) and the records written with it give the bytes jansson's
 * json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER) gives for the same values, so that replacing the
 * jansson tree changed no record, id or hash downstream. */
#include <dirent.h>
#include <float.h>
#include <jansson.h>
#include <math.h>

#include "test_support.h"

#include "fileio.h"
#include "jsonw.h"
#include "record.h"

/* jansson's dump of one value inside an array (reals and strings cannot be dumped alone). */
static char *jansson_array_of(json_t *v)
{
    json_t *a = json_array();
    json_array_append_new(a, v);
    char *s = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(a);
    return s;
}

static char *jw_array_of_str(const char *s, size_t n)
{
    jw w;
    jw_init(&w, 0);
    jw_arr_begin(&w);
    jw_elem(&w);
    jw_str(&w, s, n);
    jw_arr_end(&w);
    return jw_finish(&w, NULL);
}

static void strings_escape_as_jansson_does(void **state)
{
    (void)state;
    /* every control character, the quote, the backslash, the slash, DEL, multi-byte UTF-8, a NUL */
    char s[64 + 32];
    size_t n = 0;
    for (int c = 0; c < 0x20; c++)
        s[n++] = (char)c;
    const char *rest = "\"\\/\x7f caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d \xf0\x9f\x98\x80 end";
    memcpy(s + n, rest, strlen(rest));
    n += strlen(rest);
    char *mine = jw_array_of_str(s, n);
    char *ref = jansson_array_of(json_stringn(s, n));
    assert_non_null(mine);
    assert_non_null(ref);
    assert_string_equal(mine, ref);
    free(mine);
    free(ref);
    /* long runs without escapes, and escapes at both ends */
    char big[8000];
    size_t bl = 0;
    big[bl++] = '\n';
    for (int k = 0; bl + 16 < sizeof big; k++) {
        memcpy(big + bl, "word\xc3\xa9 ", 7);
        bl += 7;
        if (k % 100 == 99)
            big[bl++] = '"';
    }
    big[bl++] = '\\';
    mine = jw_array_of_str(big, bl);
    ref = jansson_array_of(json_stringn(big, bl));
    assert_non_null(ref);
    assert_string_equal(mine, ref);
    free(mine);
    free(ref);
}

static void numbers_print_as_jansson_does(void **state)
{
    (void)state;
    const double reals[] = {0.0, 0.5, 0.1, 1.0, -2.0, 0.33, 0.9999999999999999, 123456789.0, 1e-5, 1.5e-7, 1e20,
                            1e21, 1e22, 1e100, 1e-100, DBL_MAX, DBL_MIN, 5e-324, -1e-300, 2.5e15, 1e16, 1e17};
    const json_int_t ints[] = {0, 1, -1, 9, 10, 99, 100, 1630400000000LL, INT64_MAX, INT64_MIN, -987654321};
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
        jw w;
        jw_init(&w, 0);
        jw_arr_begin(&w);
        jw_elem(&w);
        jw_real(&w, reals[i]);
        jw_arr_end(&w);
        char *mine = jw_finish(&w, NULL), *ref = jansson_array_of(json_real(reals[i]));
        assert_string_equal(mine, ref);
        free(mine);
        free(ref);
    }
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        jw w;
        jw_init(&w, 0);
        jw_arr_begin(&w);
        jw_elem(&w);
        jw_int(&w, ints[i]);
        jw_arr_end(&w);
        char *mine = jw_finish(&w, NULL), *ref = jansson_array_of(json_integer(ints[i]));
        assert_string_equal(mine, ref);
        free(mine);
        free(ref);
    }
    /* every k/1000 (salience) and k/100 (confidence) and random values around them, against jansson
     * for the first and printf's "%.17g" (what jansson prints) for the bulk */
    for (int k = 0; k <= 1000; k++) {
        jw w;
        jw_init(&w, 0);
        jw_arr_begin(&w);
        jw_elem(&w);
        jw_real(&w, (double)k / 1000);
        jw_elem(&w);
        jw_real(&w, (double)(k / 10) / 100);
        jw_arr_end(&w);
        char *mine = jw_finish(&w, NULL);
        json_t *a = json_array();
        json_array_append_new(a, json_real((double)k / 1000));
        json_array_append_new(a, json_real((double)(k / 10) / 100));
        char *ref = json_dumps(a, JSON_COMPACT);
        json_decref(a);
        assert_string_equal(mine, ref);
        free(mine);
        free(ref);
    }
    uint64_t seed = 88172645463325252ull;
    for (int i = 0; i < 200000; i++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17; /* xorshift64 */
        double v = i % 2 ? (double)(seed >> 11) / 9007199254740992.0              /* uniform in [0, 1) */
                         : ldexp(1.0 + (double)(seed >> 12) / 4503599627370496.0, -(int)(seed % 15)); /* all exponents */
        jw w;
        jw_init(&w, 0);
        jw_real(&w, v);
        char *mine = jw_finish(&w, NULL), ref[48];
        int n = snprintf(ref, sizeof ref, "%.17g", v);
        if (!strchr(ref, '.') && !strchr(ref, 'e'))
            snprintf(ref + n, sizeof ref - (size_t)n, ".0");
        if (strchr(ref, 'e')) { /* outside the fast path's range; the finishing touches are tested above */
            free(mine);
            continue;
        }
        if (strcmp(mine, ref))
            fail_msg("%.20g: wrote %s, printf %s", v, mine, ref);
        free(mine);
    }
    /* jansson refuses non-finite reals; the writer keeps the document valid */
    jw w;
    jw_init(&w, 0);
    jw_real(&w, NAN);
    char *s = jw_finish(&w, NULL);
    assert_string_equal(s, "0.0");
    free(s);
}

static void structure_commas_and_nesting(void **state)
{
    (void)state;
    jw w;
    jw_init(&w, 1); /* grows from the smallest buffer */
    jw_obj_begin(&w);
    jw_key(&w, "a");
    jw_arr_begin(&w);
    for (int i = 0; i < 3; i++) {
        jw_elem(&w);
        jw_obj_begin(&w);
        jw_key(&w, "i");
        jw_int(&w, i);
        jw_key(&w, "e");
        jw_arr_begin(&w);
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_key(&w, "o");
    jw_obj_begin(&w);
    jw_obj_end(&w);
    jw_key(&w, "n");
    jw_cstr(&w, NULL);
    jw_key(&w, "b");
    jw_bool(&w, false);
    jw_key(&w, "r");
    jw_raw(&w, "{\"x\":[1]}", 9);
    jw_obj_end(&w);
    size_t len;
    char *s = jw_finish(&w, &len);
    assert_string_equal(s, "{\"a\":[{\"i\":0,\"e\":[]},{\"i\":1,\"e\":[]},{\"i\":2,\"e\":[]}],\"o\":{},\"n\":null,"
                           "\"b\":false,\"r\":{\"x\":[1]}}");
    assert_int_equal(len, strlen(s));
    free(s);
    /* nesting past JW_MAX_DEPTH fails the whole document instead of writing a broken one */
    jw_init(&w, 0);
    for (int i = 0; i < JW_MAX_DEPTH + 2; i++)
        jw_arr_begin(&w);
    assert_null(jw_finish(&w, NULL));
}

/* A record must equal jansson's canonical dump of its own parse: same members, same order, same
 * escaping and number forms. */
static void assert_canonical(char *s)
{
    assert_non_null(s);
    json_error_t je;
    json_t *o = json_loads(s, 0, &je);
    if (!o)
        fail_msg("record is not JSON: %s: %.200s", je.text, s);
    char *ref = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(s, ref);
    free(ref);
    json_decref(o);
    free(s);
}

static void fixture_records_are_what_jansson_would_write_one_at_a_time_or_all_at_once(void **state)
{
    (void)state;
    DIR *d = opendir("tests/fixtures/articles");
    assert_non_null(d);
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    struct dirent *de;
    int articles = 0;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "tests/fixtures/articles/%s", de->d_name);
        size_t len;
        char *raw = read_file_bounded(path, 1u << 20, &len);
        assert_non_null(raw);
        pipeline_input in = {(const unsigned char *)raw, len, de->d_name, strlen(de->d_name)};
        pipeline_result r;
        ingest_error e;
        if (pipeline_process(LX, &lim, &in, &r, &e) == 0) {
            /* a key that is not UTF-8 and an offline source on alternate articles */
            record_source src = articles % 2 ? (record_source){"articles.raw", 1, 42, 1630400000000LL, "k\xff", 2, true}
                                             : (record_source){NULL, -1, -1, -1, NULL, 0, false};
            /* all records at once (what the worker produces) equal the records one at a time */
            size_t n = 1 + r.n_entities + r.n_events;
            record_json *all = malloc(n * sizeof *all);
            assert_non_null(all);
            assert_int_equal(record_all_json(&r, &src, all), 0);
            for (size_t k = 0; k < n; k++) {
                char *one = k == 0 ? record_article_json(&r, &src)
                            : k <= r.n_entities ? record_entity_json(&r, k - 1, &src)
                                                : record_event_json(&r, k - 1 - r.n_entities, &src);
                assert_string_equal(all[k].json, one);
                assert_int_equal(all[k].len, strlen(one));
                free(all[k].json);
                assert_canonical(one);
            }
            free(all);
            pipeline_result_free(&r);
            articles++;
        }
        free(raw);
    }
    closedir(d);
    assert_true(articles >= 40);
}

/* An id derived from a long article id is cut to its 512-byte buffer at a character boundary, so
 * that the record stays valid UTF-8 (jansson then refused the string and dropped the member). */
static void long_ids_are_cut_at_a_character_boundary(void **state)
{
    (void)state;
    char key[601];
    for (int i = 0; i < 300; i++)
        memcpy(key + 2 * i, "\xc3\xa9", 2); /* é */
    key[600] = '\0';
    const char *text = "Headline here\n\nSecretary of State Antony Blinken met Qatari officials in Doha on Monday.";
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    pipeline_input in = {(const unsigned char *)text, strlen(text), key, 600};
    pipeline_result r;
    ingest_error e;
    assert_int_equal(pipeline_process(LX, &lim, &in, &r, &e), 0);
    assert_string_equal(r.art.id, key);
    assert_true(r.n_entities >= 1 && r.n_events >= 1);
    record_source src = {"articles.raw", 0, 1, 2, key, 600, false};
    char *recs[2] = {record_entity_json(&r, 0, &src), record_event_json(&r, 0, &src)};
    for (int k = 0; k < 2; k++) {
        json_error_t je;
        json_t *o = json_loads(recs[k], 0, &je);
        assert_non_null(o);
        const char *id = json_string_value(json_object_get(o, "id"));
        assert_non_null(id);
        assert_true(strlen(id) <= 511 && strlen(id) >= 508);
        assert_memory_equal(id, key, strlen(id) - strlen(id) % 2); /* whole é characters */
        json_decref(o);
        free(recs[k]);
    }
    pipeline_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strings_escape_as_jansson_does),
        cmocka_unit_test(numbers_print_as_jansson_does),
        cmocka_unit_test(structure_commas_and_nesting),
        cmocka_unit_test(fixture_records_are_what_jansson_would_write_one_at_a_time_or_all_at_once),
        cmocka_unit_test(long_ids_are_cut_at_a_character_boundary),
    };
    return cmocka_run_group_tests_name("jsonw", tests, LX_setup, LX_teardown);
}
