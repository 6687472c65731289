/* Unit tests: arena, strbuf, strmap, UTF-8 validation, dates. */
#include "test_support.h"

#include "arena.h"
#include "dates.h"
#include "strbuf.h"
#include "strmap.h"
#include "utf8util.h"

static void arena_enforces_its_cap(void **state)
{
    (void)state;
    arena *a = arena_new(1000);
    assert_non_null(a);
    assert_non_null(arena_alloc(a, 500));
    assert_null(arena_alloc(a, 600)); /* over the cap: an error value, not a crash */
    assert_non_null(arena_alloc(a, 100));
    char *s = arena_strndup(a, "hello", 5);
    assert_string_equal(s, "hello");
    int *g = arena_grow(a, NULL, 0, 4, sizeof(int));
    assert_non_null(g);
    assert_null(arena_grow(a, g, 4, SIZE_MAX / 2, sizeof(int))); /* overflow caught */
    arena_destroy(a);
    arena_destroy(NULL);
}

static void arena_large_blocks(void **state)
{
    (void)state;
    arena *a = arena_new(10u << 20);
    char *p = arena_alloc(a, 3u << 20); /* bigger than one block */
    assert_non_null(p);
    p[(3u << 20) - 1] = 'x';
    assert_true(arena_used(a) >= (3u << 20));
    arena_destroy(a);
}

/* arena_reserve: the array itself while there is room, a doubled copy (contents kept) when full,
 * NULL with the capacity unchanged when the arena's cap is reached. */
static void arena_reserve_doubles_when_full(void **state)
{
    (void)state;
    arena *a = arena_new(4096);
    int *v = NULL;
    size_t cap = 0, n = 0;
    for (; n < 40; n++) {
        int *nv = arena_reserve(a, v, n, &cap, 4, sizeof *v);
        assert_non_null(nv);
        assert_true(n < cap);
        assert_true(nv == v || cap == (n ? 2 * n : 4)); /* moved only when it was full */
        v = nv;
        v[n] = (int)n;
    }
    assert_int_equal(cap, 64);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(v[i], (int)i);
    size_t before = cap;
    while (n < cap) /* fill to the brim, then ask for more than the arena has */
        v[n++] = 0;
    int *big = v;
    for (int k = 0; k < 8 && big; k++) {
        before = cap;
        big = arena_reserve(a, big, n, &cap, 4, sizeof *v);
        if (big)
            n = cap;
    }
    assert_null(big);
    assert_int_equal(cap, before);
    arena_destroy(a);
}

static void strbuf_failure_is_sticky(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    strbuf sb;
    sb_init(&sb, a, 8);
    sb_appends(&sb, "abcd");
    sb_appendc(&sb, 'e');
    assert_false(sb.failed);
    assert_string_equal(sb.data, "abcde");
    sb_appends(&sb, "fghij"); /* would exceed max 8 */
    assert_true(sb.failed);
    sb_appends(&sb, "x");
    assert_true(sb.failed);
    strbuf sb2;
    sb_init(&sb2, a, 100);
    sb_appends(&sb2, "trail \n\n");
    sb_rtrim(&sb2);
    assert_string_equal(sb2.data, "trail");
    arena_destroy(a);
}

static void strmap_put_get_grow(void **state)
{
    (void)state;
    arena *a = arena_new(16u << 20);
    strmap m;
    assert_int_equal(strmap_init(&m, a, 4), 0);
    char k[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(k, sizeof k, "key-%d", i);
        assert_int_equal(strmap_put(&m, k, strlen(k), i), 0);
    }
    int v;
    assert_true(strmap_get(&m, "key-4242", 8, &v));
    assert_int_equal(v, 4242);
    assert_false(strmap_get(&m, "key-5000", 8, &v));
    assert_int_equal(strmap_put(&m, "key-1", 5, 77), 0); /* overwrite */
    assert_true(strmap_get(&m, "key-1", 5, &v));
    assert_int_equal(v, 77);
    arena_destroy(a);
}

/* A key's hash is its words' hashes joined, so a tagger can look up a span
 * from per-token hashes; lookup by hash hands back the key to compare. */
static void strmap_hash_of_words(void **state)
{
    (void)state;
    assert_true(strmap_hash("Foreign Minister", 16) ==
                strmap_hash_join(strmap_word_hash("Foreign", 7), strmap_word_hash("Minister", 8)));
    assert_true(strmap_hash("a b c", 5) ==
                strmap_hash_join(strmap_hash_join(strmap_word_hash("a", 1), strmap_word_hash("b", 1)),
                                 strmap_word_hash("c", 1)));
    assert_true(strmap_hash("Minister", 8) == strmap_word_hash("Minister", 8));
    assert_true(strmap_hash("ab", 2) != strmap_hash("a b", 3));
    /* the word hash reads its tail bytes like an 8-byte little-endian load would, long words included */
    const char *w = "Abdulrahman";
    assert_true(strmap_word_hash(w, 11) != strmap_word_hash(w, 10));
    arena *a = arena_new(1u << 20);
    strmap m;
    assert_int_equal(strmap_init(&m, a, 4), 0);
    assert_int_equal(strmap_put(&m, "White House", 11, 7), 0);
    const char *key;
    size_t kl;
    int v;
    assert_true(strmap_get_hashed(&m, strmap_hash("White House", 11), &key, &kl, &v));
    assert_int_equal(v, 7);
    assert_int_equal(kl, 11);
    assert_memory_equal(key, "White House", 11);
    assert_false(strmap_get_hashed(&m, strmap_hash("White", 5), &key, &kl, &v));
    arena_destroy(a);
}

static void utf8_validation(void **state)
{
    (void)state;
    struct {
        const char *s;
        size_t len;
        bool ok;
    } cases[] = {
        {"plain ascii", 11, true},
        {"caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d \xf0\x9f\x98\x80", 23, true},
        {"\xc3\x28", 2, false},             /* bad continuation */
        {"\xc0\xaf", 2, false},             /* overlong '/' */
        {"\xe0\x80\xaf", 3, false},         /* overlong, 3 bytes */
        {"\xf0\x80\x80\xaf", 4, false},     /* overlong, 4 bytes */
        {"\xed\xa0\x80", 3, false},         /* UTF-16 surrogate */
        {"\xf4\x90\x80\x80", 4, false},     /* above U+10FFFF */
        {"\xe2\x80", 2, false},             /* truncated */
        {"\xff", 1, false},
        {"\x80", 1, false},                 /* lone continuation */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_int_equal(utf8_valid((const unsigned char *)cases[i].s, cases[i].len, NULL), cases[i].ok);
    size_t bad = 0;
    assert_false(utf8_valid((const unsigned char *)"abc\xc3", 4, &bad));
    assert_int_equal(bad, 3);
    char buf[4];
    int32_t cp;
    for (int32_t c = 1; c < 0x110000; c += 997) {
        if (c >= 0xD800 && c <= 0xDFFF)
            continue;
        size_t n = utf8_encode(c, buf);
        assert_true(utf8_valid((unsigned char *)buf, n, NULL));
        assert_int_equal(utf8_decode(buf, n, &cp), n);
        assert_int_equal(cp, c);
    }
}

static void dates_rfc3339(void **state)
{
    (void)state;
    char out[48];
    assert_true(date_normalize_rfc3339("2021-08-31", 10, out, sizeof out));
    assert_string_equal(out, "2021-08-31");
    assert_true(date_normalize_rfc3339("2021-08-31T10:05:00Z", 20, out, sizeof out));
    assert_string_equal(out, "2021-08-31T10:05:00Z");
    const char *s = "2021-08-31 10:05:00.123+02:00";
    assert_true(date_normalize_rfc3339(s, strlen(s), out, sizeof out));
    assert_string_equal(out, "2021-08-31T10:05:00.123+02:00");
    assert_false(date_normalize_rfc3339("2021-02-30", 10, out, sizeof out));
    assert_false(date_normalize_rfc3339("2021-08-31T10:05:00", 19, out, sizeof out)); /* no offset */
    assert_false(date_normalize_rfc3339("yesterday", 9, out, sizeof out));
    assert_false(date_normalize_rfc3339("2021-08-31T25:00:00Z", 20, out, sizeof out));
}

static void dates_in_text(void **state)
{
    (void)state;
    civil_date d;
    size_t st, en;
    const char *s = "Kabul, Afghanistan, Aug. 31, 2021. PHOTO";
    assert_true(date_find(s, strlen(s), &d, &st, &en));
    assert_int_equal(d.y, 2021);
    assert_int_equal(d.m, 8);
    assert_int_equal(d.d, 31);
    assert_memory_equal(s + st, "Aug. 31, 2021", en - st);
    s = "on 4 March 2023 in Kyiv";
    assert_true(date_find(s, strlen(s), &d, NULL, NULL));
    assert_int_equal(d.m, 3);
    s = "published 2022-02-24 at dawn";
    assert_true(date_find(s, strlen(s), &d, NULL, NULL));
    assert_int_equal(d.d, 24);
    s = "in May the talks resumed";
    assert_false(date_find(s, strlen(s), &d, NULL, NULL));
    assert_false(date_find("Feb. 30, 2021", 13, &d, NULL, NULL));
    assert_int_equal(date_month_from_name("Sept.", 5), 9);
    assert_int_equal(date_weekday_from_name("Friday", 6), 4);
}

static void dates_arithmetic(void **state)
{
    (void)state;
    civil_date d = {2021, 8, 31}; /* a Tuesday */
    assert_int_equal(date_weekday(d), 1);
    civil_date n = date_add_days(d, 1);
    assert_int_equal(n.m, 9);
    assert_int_equal(n.d, 1);
    civil_date leap = date_add_days((civil_date){2024, 2, 28}, 1);
    assert_int_equal(leap.d, 29);
    char buf[11];
    date_format((civil_date){2020, 1, 5}, buf);
    assert_string_equal(buf, "2020-01-05");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_enforces_its_cap), cmocka_unit_test(arena_large_blocks),
        cmocka_unit_test(arena_reserve_doubles_when_full),
        cmocka_unit_test(strbuf_failure_is_sticky), cmocka_unit_test(strmap_put_get_grow), cmocka_unit_test(strmap_hash_of_words),
        cmocka_unit_test(utf8_validation), cmocka_unit_test(dates_rfc3339), cmocka_unit_test(dates_in_text),
        cmocka_unit_test(dates_arithmetic),
    };
    return cmocka_run_group_tests_name("core_utils", tests, NULL, NULL);
}
