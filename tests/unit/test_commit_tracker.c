/* Unit tests: the commit tracker's at-least-once rule, without a broker. */
#include "test_support.h"

#include "commit_tracker.h"

static void commits_only_acknowledged_prefix(void **state)
{
    (void)state;
    commit_tracker *ct = ct_new();
    ct_ticket *a = ct_begin(ct, 0, 10), *b = ct_begin(ct, 0, 11), *c = ct_begin(ct, 0, 12);
    for (int i = 0; i < 3; i++)
        ct_add_pending(ct, a);
    ct_add_pending(ct, b);
    ct_add_pending(ct, c);
    ct_end(ct, a);
    ct_end(ct, b);
    ct_end(ct, c);
    assert_int_equal(ct_pending(ct), 5);
    assert_int_equal(ct_safe_offset(ct, 0), -1);
    ct_ack(ct, c, true); /* later message done first: nothing safe yet */
    ct_ack(ct, b, true);
    assert_int_equal(ct_safe_offset(ct, 0), -1);
    ct_ack(ct, a, true);
    ct_ack(ct, a, true);
    assert_int_equal(ct_safe_offset(ct, 0), -1); /* a still has one record out */
    ct_ack(ct, a, true);
    assert_int_equal(ct_safe_offset(ct, 0), 13); /* all three: next offset to read is 13 */
    assert_int_equal(ct_open_messages(ct), 0);
    assert_int_equal(ct_pending(ct), 0);
    ct_free(ct);
}

static void guard_holds_until_end(void **state)
{
    (void)state;
    commit_tracker *ct = ct_new();
    ct_ticket *a = ct_begin(ct, 1, 0);
    ct_add_pending(ct, a);
    ct_ack(ct, a, true); /* acked before all its records were handed over */
    assert_int_equal(ct_safe_offset(ct, 1), -1);
    ct_end(ct, a);
    assert_int_equal(ct_safe_offset(ct, 1), 1);
    ct_free(ct);
}

static void partitions_are_independent_and_collect_marks(void **state)
{
    (void)state;
    commit_tracker *ct = ct_new();
    ct_ticket *p0 = ct_begin(ct, 0, 5), *p1 = ct_begin(ct, 1, 7);
    ct_end(ct, p0); /* a message without records (cannot happen in the worker, but is safe) */
    ct_add_pending(ct, p1);
    ct_end(ct, p1);
    ct_commit out[4];
    size_t n = ct_collect(ct, out, 4);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].partition, 0);
    assert_int_equal(out[0].offset, 6);
    ct_mark_committed(ct, 0, 6);
    assert_int_equal(ct_collect(ct, out, 4), 0);
    ct_ack(ct, p1, true);
    n = ct_collect(ct, out, 4);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].partition, 1);
    assert_int_equal(out[0].offset, 8);
    ct_free(ct);
}

static void failed_delivery_never_commits_past(void **state)
{
    (void)state;
    commit_tracker *ct = ct_new();
    ct_ticket *a = ct_begin(ct, 0, 0), *b = ct_begin(ct, 0, 1);
    ct_add_pending(ct, a);
    ct_add_pending(ct, b);
    ct_end(ct, a);
    ct_end(ct, b);
    ct_ack(ct, a, false);
    ct_ack(ct, b, true);
    assert_true(ct_failed(ct));
    assert_int_equal(ct_safe_offset(ct, 0), -1);
    ct_free(ct);
}

static void revoke_orphans_inflight_tickets(void **state)
{
    (void)state;
    commit_tracker *ct = ct_new();
    ct_ticket *done = ct_begin(ct, 2, 0), *inflight = ct_begin(ct, 2, 1), *unfinished = ct_begin(ct, 2, 2);
    ct_add_pending(ct, done);
    ct_end(ct, done);
    ct_ack(ct, done, true);
    ct_add_pending(ct, inflight);
    ct_add_pending(ct, inflight);
    ct_end(ct, inflight);
    ct_add_pending(ct, unfinished); /* its other records never reach the producer */
    ct_revoke(ct, 2);
    assert_int_equal(ct_open_messages(ct), 0);
    assert_int_equal(ct_safe_offset(ct, 2), -1); /* nothing to commit for a revoked partition */
    /* late delivery reports for orphans are harmless and free them (ASan/valgrind check) */
    ct_ack(ct, inflight, true);
    ct_ack(ct, inflight, true);
    ct_ack(ct, unfinished, true);
    assert_int_equal(ct_pending(ct), 0);
    /* the partition can be assigned again later */
    ct_ticket *again = ct_begin(ct, 2, 3);
    ct_add_pending(ct, again);
    ct_end(ct, again);
    ct_ack(ct, again, true);
    assert_int_equal(ct_safe_offset(ct, 2), 4);
    ct_free(ct);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(commits_only_acknowledged_prefix), cmocka_unit_test(guard_holds_until_end),
        cmocka_unit_test(partitions_are_independent_and_collect_marks),
        cmocka_unit_test(failed_delivery_never_commits_past), cmocka_unit_test(revoke_orphans_inflight_tickets),
    };
    return cmocka_run_group_tests_name("commit_tracker", tests, NULL, NULL);
}
