/* Unit tests: replay's bound, partition and rate parsing, and its checkpoint file. */
#include "test_support.h"

#include <unistd.h>

#include "checkpoint.h"
#include "replay_bounds.h"

#define NOW 1700000000000LL /* 2023-11-14T22:13:20Z */

static void parse_ok(const char *text, replay_bound *b)
{
    char err[256] = "";
    if (replay_bound_parse(text, NOW, b, err, sizeof err))
        fail_msg("'%s' rejected: %s", text, err);
}

static void bound_keywords_and_offsets(void **state)
{
    (void)state;
    replay_bound b;
    parse_ok("beginning", &b);
    assert_int_equal(b.kind, RB_BEGINNING);
    parse_ok("end", &b);
    assert_int_equal(b.kind, RB_END);
    parse_ok("0", &b);
    assert_int_equal(b.kind, RB_OFFSET);
    assert_int_equal(b.offset, 0);
    parse_ok("1234", &b);
    assert_int_equal(b.offset, 1234);
    parse_ok("9223372036854775807", &b);
    assert_true(b.offset == INT64_MAX);
}

static void bound_per_partition(void **state)
{
    (void)state;
    replay_bound b;
    parse_ok("0:1200,2:1300", &b);
    assert_int_equal(b.kind, RB_PER_PARTITION);
    assert_int_equal(b.n_parts, 2);
    assert_int_equal(replay_bound_offset_for(&b, 0), 1200);
    assert_int_equal(replay_bound_offset_for(&b, 2), 1300);
    assert_int_equal(replay_bound_offset_for(&b, 1), -1);
    replay_bound_free(&b);
    parse_ok("7:0", &b);
    assert_int_equal(b.n_parts, 1);
    assert_int_equal(replay_bound_offset_for(&b, 7), 0);
    replay_bound_free(&b);
    replay_bound_free(NULL);
}

static void bound_times(void **state)
{
    (void)state;
    replay_bound b;
    parse_ok("2023-11-14T22:13:20Z", &b);
    assert_int_equal(b.kind, RB_TIME);
    assert_true(b.time_ms == NOW);
    parse_ok("2023-11-14T23:13:20.250+01:00", &b); /* same instant, zone and fraction */
    assert_true(b.time_ms == NOW + 250);
    parse_ok("2023-11-14t22:13:20.123456z", &b); /* sub-millisecond digits are dropped */
    assert_true(b.time_ms == NOW + 123);
    parse_ok("2023-11-14 17:13:20-05:00", &b);
    assert_true(b.time_ms == NOW);
    parse_ok("1970-01-01", &b);
    assert_true(b.time_ms == 0);
    parse_ok("2024-02-29", &b); /* leap day */
    assert_true(b.time_ms == 1709164800000LL);
    parse_ok("-2h", &b);
    assert_true(b.time_ms == NOW - 2 * 3600 * 1000LL);
    parse_ok("-7d", &b);
    assert_true(b.time_ms == NOW - 7 * 86400 * 1000LL);
    parse_ok("-30m", &b);
    assert_true(b.time_ms == NOW - 30 * 60 * 1000LL);
    parse_ok("-45s", &b);
    assert_true(b.time_ms == NOW - 45000);
    parse_ok("-1w", &b);
    assert_true(b.time_ms == NOW - 7 * 86400 * 1000LL);
    parse_ok("-0s", &b);
    assert_true(b.time_ms == NOW);
}

/* Every malformed form is refused with a message that names the input. */
static void bound_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want; /* want: a substring of the message */
    } cases[] = {
        {"", "empty"},
        {"begining", "'begining' is not"},
        {"END", "'END' is not"},
        {"-5", "not a relative time"},
        {"12a", "'12a' is not"},
        {"99999999999999999999", "too large"},
        {"0:10,0:20", "partition 0 named twice"},
        {"0:10,", "partition:offset"},
        {"0:-1", "partition:offset"},
        {"0:1:2", "partition:offset"},
        {"2147483648:0", "partition:offset"},
        {"0:10;1:20", "partition:offset"},
        {"-2x", "not a relative time"},
        {"-h", "not a relative time"},
        {"-2hh", "not a relative time"},
        {"+2h", "'+2h' is not"},
        {"-99999999999w", "before 1970"},
        {"2023-13-01", "no such date"},
        {"2023-02-29", "no such date"},
        {"2023-11-14T24:00:00Z", "no such time"},
        {"2023-11-14T22:13:20", "needs a zone"},
        {"2023-11-14T22:13Z", "not an RFC 3339"},
        {"2023-11-14T22:13:20.Z", "not an RFC 3339"},
        {"2023-11-14T22:13:20+0100", "not an RFC 3339"},
        {"2023-11-14T22:13:20Zjunk", "not an RFC 3339"},
        {"2023/11/14", "is not"},
        {"1969-12-31T23:59:59Z", "before 1970"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        replay_bound b;
        char err[256] = "";
        if (replay_bound_parse(cases[i].text, NOW, &b, err, sizeof err) == 0)
            fail_msg("'%s' accepted", cases[i].text);
        if (!strstr(err, cases[i].want))
            fail_msg("'%s': message '%s' lacks '%s'", cases[i].text, err, cases[i].want);
        assert_null(b.parts);
    }
}

static void partitions_and_rates(void **state)
{
    (void)state;
    int32_t *ps;
    size_t n;
    char err[256];
    assert_int_equal(replay_partitions_parse("0,2", &ps, &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ps[0], 0);
    assert_int_equal(ps[1], 2);
    free(ps);
    assert_int_equal(replay_partitions_parse("5", &ps, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ps[0], 5);
    free(ps);
    static const char *const bad[] = {"", "a", "0,,1", "0,", ",0", "-1", "0:1", "1,1", "2147483648", NULL};
    for (int i = 0; bad[i]; i++) {
        err[0] = '\0';
        if (replay_partitions_parse(bad[i], &ps, &n, err, sizeof err) == 0)
            fail_msg("partitions '%s' accepted", bad[i]);
        assert_null(ps);
        assert_true(err[0] != '\0');
    }
    assert_int_equal(replay_partitions_parse("1,1", &ps, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, "partition 1 named twice"));

    long r;
    assert_int_equal(replay_rate_parse("", &r, err, sizeof err), 0);
    assert_int_equal(r, 0);
    assert_int_equal(replay_rate_parse("500/s", &r, err, sizeof err), 0);
    assert_int_equal(r, 500);
    assert_int_equal(replay_rate_parse("20", &r, err, sizeof err), 0);
    assert_int_equal(r, 20);
    static const char *const bad_rates[] = {"0", "0/s", "-1", "5/m", "fast", "1/s/s", "10000000000", NULL};
    for (int i = 0; bad_rates[i]; i++) {
        err[0] = '\0';
        if (replay_rate_parse(bad_rates[i], &r, err, sizeof err) == 0)
            fail_msg("rate '%s' accepted", bad_rates[i]);
        assert_non_null(strstr(err, bad_rates[i]));
    }
}

/* ---- checkpoint ---------------------------------------------------------------------- */

static char dir[64];

static int dir_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/ckpt-test-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int dir_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void checkpoint_round_trip(void **state)
{
    (void)state;
    char path[128], err[512];
    snprintf(path, sizeof path, "%s/ck.json", dir);
    checkpoint c;
    assert_int_equal(checkpoint_read(path, &c, err, sizeof err), 0); /* no file: a fresh start */
    assert_null(c.parts);
    ckpt_part parts[] = {{0, 12, 40}, {2, 7, 7}, {5, 0, 9000000000LL}};
    checkpoint w = {"articles.raw", -1, 1700000000123LL, parts, 3};
    assert_int_equal(checkpoint_write(path, &w, err, sizeof err), 0);
    assert_int_equal(checkpoint_read(path, &c, err, sizeof err), 1);
    assert_string_equal(c.topic, "articles.raw");
    assert_true(c.from_ts == -1 && c.to_ts == 1700000000123LL);
    assert_int_equal(c.n_parts, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(c.parts[i].partition, parts[i].partition);
        assert_true(c.parts[i].next == parts[i].next && c.parts[i].end == parts[i].end);
    }
    checkpoint_free(&c);
    checkpoint_free(NULL);
    /* overwritten in place; no temporary file left behind */
    parts[0].next = 40;
    assert_int_equal(checkpoint_write(path, &w, err, sizeof err), 0);
    assert_int_equal(checkpoint_read(path, &c, err, sizeof err), 1);
    assert_true(c.parts[0].next == 40);
    checkpoint_free(&c);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "test $(ls '%s' | wc -l) -eq 1", dir);
    assert_int_equal(system(cmd), 0);
}

static void checkpoint_corrupt_files_are_refused(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"", "invalid JSON"},
        {"{\"version\":1,\"topic\":\"t\",\"partitions\":[{\"partition\":0,\"next\":1,", "invalid JSON"},
        {"[1,2]", "not a JSON object"},
        {"{\"version\":2,\"topic\":\"t\",\"partitions\":[]}", "version"},
        {"{\"topic\":\"t\",\"partitions\":[]}", "version"},
        {"{\"version\":1,\"partitions\":[]}", "missing topic"},
        {"{\"version\":1,\"topic\":\"\",\"partitions\":[]}", "missing topic"},
        {"{\"version\":1,\"topic\":\"t\"}", "partitions array"},
        {"{\"version\":1,\"topic\":\"t\",\"from_ts\":\"yesterday\",\"partitions\":[]}", "from_ts"},
        {"{\"version\":1,\"topic\":\"t\",\"partitions\":[{\"partition\":0,\"next\":-1,\"end\":5}]}", "non-negative"},
        {"{\"version\":1,\"topic\":\"t\",\"partitions\":[{\"partition\":0,\"next\":1}]}", "non-negative"},
        {"{\"version\":1,\"topic\":\"t\",\"partitions\":[{\"partition\":0,\"next\":9,\"end\":5}]}", "beyond its end"},
        {"{\"version\":1,\"topic\":\"t\",\"partitions\":[{\"partition\":0,\"next\":1,\"end\":5},"
         "{\"partition\":0,\"next\":1,\"end\":5}]}",
         "listed twice"},
        {"{\"version\":1,\"version\":1,\"topic\":\"t\",\"partitions\":[]}", "invalid JSON"},
        {"{\"version\":1,\"topic\":\"t\",\"partitions\":[]} trailing", "invalid JSON"},
    };
    char path[128], err[512];
    snprintf(path, sizeof path, "%s/bad.json", dir);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        write_text(path, cases[i].text);
        checkpoint c;
        err[0] = '\0';
        if (checkpoint_read(path, &c, err, sizeof err) != -1)
            fail_msg("corrupt checkpoint %zu accepted: %s", i, cases[i].text);
        if (!strstr(err, cases[i].want) || !strstr(err, path))
            fail_msg("case %zu: message '%s' lacks '%s' or the path", i, err, cases[i].want);
        assert_null(c.parts);
        assert_null(c.topic);
    }
    /* a directory is not a checkpoint */
    checkpoint c;
    assert_int_equal(checkpoint_read(dir, &c, err, sizeof err), -1);
    /* an unwritable location is an error, not a crash */
    checkpoint w = {"t", -1, -1, NULL, 0};
    assert_int_equal(checkpoint_write("/nonexistent-dir/ck.json", &w, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot write"));
}

int main(void)
{
    const struct CMUnitTest bounds[] = {
        cmocka_unit_test(bound_keywords_and_offsets), cmocka_unit_test(bound_per_partition),
        cmocka_unit_test(bound_times), cmocka_unit_test(bound_errors), cmocka_unit_test(partitions_and_rates),
    };
    const struct CMUnitTest ckpt[] = {
        cmocka_unit_test(checkpoint_round_trip),
        cmocka_unit_test(checkpoint_corrupt_files_are_refused),
    };
    int rc = cmocka_run_group_tests_name("replay bounds", bounds, NULL, NULL);
    return rc | cmocka_run_group_tests_name("replay checkpoint", ckpt, dir_setup, dir_teardown);
}
