/* Unit tests of txn.c: the transactional.id rule and the batch bookkeeping (begin, offsets, due,
 * commit) against an in-process mock cluster. What the mock cannot show (fencing, read_committed
 * visibility) is tested against a real Kafka in tests/integration/test_exactly_once.py. */
#include "test_support.h"

#include <librdkafka/rdkafka.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "metrics.h"
#include "mockbroker.h"
#include "txn.h"

static void transactional_id_rule(void **state)
{
    (void)state;
    config c = {0};
    char group[] = "g", inst[] = "pod-0", empty[] = "", id[128];
    c.group = group;
    c.instance_id = inst;
    assert_int_equal(txn_id_for(&c, id, sizeof id), 0);
    assert_string_equal(id, "g.pod-0"); /* stable across restarts: fences the predecessor */

    c.instance_id = empty;
    assert_int_equal(txn_id_for(&c, id, sizeof id), 0);
    char want[64];
    snprintf(want, sizeof want, ".%ld", (long)getpid());
    assert_true(!strncmp(id, "g.", 2) && strstr(id, want)); /* unique per process */

    char k[] = "transactional.id", v[] = "explicit";
    c.kafka[0] = (kafka_prop){k, v};
    c.n_kafka = 1;
    assert_int_equal(txn_id_for(&c, id, sizeof id), 0);
    assert_string_equal(id, "explicit");
    assert_int_equal(txn_id_for(&c, id, 4), -1); /* does not fit */

    char alo[] = "at-least-once", eos[] = "exactly-once";
    c.guarantee = alo;
    assert_false(txn_enabled(&c));
    c.guarantee = eos;
    assert_true(txn_enabled(&c));
}

static void batch_bookkeeping_on_a_mock_cluster(void **state)
{
    (void)state;
    log_set_level(LOG_ERROR);
    const char *topics[] = {"in", "out", NULL};
    char err[512];
    mockbroker *mb = mockbroker_start(1, topics, 2, err, sizeof err);
    assert_non_null(mb);
    rd_kafka_conf_t *pc = rd_kafka_conf_new(), *cc = rd_kafka_conf_new();
    assert_int_equal(rd_kafka_conf_set(pc, "bootstrap.servers", mockbroker_bootstraps(mb), err, sizeof err), 0);
    assert_int_equal(rd_kafka_conf_set(pc, "transactional.id", "unit-txn", err, sizeof err), 0);
    assert_int_equal(rd_kafka_conf_set(cc, "bootstrap.servers", mockbroker_bootstraps(mb), err, sizeof err), 0);
    assert_int_equal(rd_kafka_conf_set(cc, "group.id", "unit-group", err, sizeof err), 0);
    rd_kafka_t *p = rd_kafka_new(RD_KAFKA_PRODUCER, pc, err, sizeof err);
    rd_kafka_t *c = rd_kafka_new(RD_KAFKA_CONSUMER, cc, err, sizeof err);
    assert_non_null(p);
    assert_non_null(c);

    txn *t = txn_new(p, c, "in", 3, 60000);
    assert_non_null(t);
    assert_int_equal(txn_init(t, 10000), TXN_OK);
    assert_false(txn_open(t));
    assert_int_equal(txn_commit(t, 1000), TXN_OK); /* nothing open: nothing to do */

    assert_int_equal(txn_begin(t), TXN_OK);
    assert_true(txn_open(t));
    assert_int_equal(txn_begin(t), TXN_OK); /* idempotent while open */
    assert_false(txn_due(t, metrics_now_ms())); /* empty: never due */
    txn_processed(t, 0, 10);
    txn_processed(t, 1, 4);
    assert_false(txn_due(t, metrics_now_ms()));
    assert_true(txn_due(t, metrics_now_ms() + 60000)); /* the interval passed */
    txn_processed(t, 0, 11);
    assert_true(txn_due(t, metrics_now_ms())); /* the batch is full */
    assert_int_equal(rd_kafka_producev(p, RD_KAFKA_V_TOPIC("out"), RD_KAFKA_V_VALUE("x", 1), RD_KAFKA_V_END), 0);
    assert_int_equal(txn_commit(t, 10000), TXN_OK);
    assert_false(txn_open(t));
    assert_int_equal(txn_get_stats(t)->committed, 1);

    /* an abort keeps where the batch started, for the rewind; nothing to rewind when unassigned */
    assert_int_equal(txn_begin(t), TXN_OK);
    txn_processed(t, 1, 5);
    assert_int_equal(txn_abort(t, 10000), TXN_ABORTED);
    assert_false(txn_open(t));
    assert_int_equal(txn_get_stats(t)->aborted, 1);
    assert_int_equal(txn_rewind(t), 0);
    assert_int_equal(txn_abort(t, 1000), TXN_OK); /* nothing open */

    txn_free(t);
    txn_free(NULL);
    rd_kafka_destroy(c);
    rd_kafka_destroy(p);
    mockbroker_stop(mb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transactional_id_rule),
        cmocka_unit_test(batch_bookkeeping_on_a_mock_cluster),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
