/* mockbroker.c - see include/mockbroker.h. */
#include "mockbroker.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>

struct mockbroker {
    rd_kafka_t *rk; /* the handle the mock cluster is attached to */
    rd_kafka_mock_cluster_t *mc;
};

mockbroker *mockbroker_start(int n_brokers, const char *const *topics, int partitions, char *err, size_t errlen)
{
    mockbroker *mb = calloc(1, sizeof *mb);
    if (!mb) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", NULL, 0);
    mb->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, errlen); /* takes conf */
    if (!mb->rk) {
        rd_kafka_conf_destroy(conf);
        free(mb);
        return NULL;
    }
    mb->mc = rd_kafka_mock_cluster_new(mb->rk, n_brokers);
    if (!mb->mc) {
        snprintf(err, errlen, "cannot create mock cluster");
        mockbroker_stop(mb);
        return NULL;
    }
    for (int i = 0; topics && topics[i]; i++) {
        rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(mb->mc, topics[i], partitions, 1);
        if (e) {
            snprintf(err, errlen, "create topic %s: %s", topics[i], rd_kafka_err2str(e));
            mockbroker_stop(mb);
            return NULL;
        }
    }
    return mb;
}

const char *mockbroker_bootstraps(const mockbroker *mb) { return rd_kafka_mock_cluster_bootstraps(mb->mc); }

void *mockbroker_cluster(mockbroker *mb) { return mb->mc; }

void mockbroker_stop(mockbroker *mb)
{
    if (!mb)
        return;
    if (mb->mc)
        rd_kafka_mock_cluster_destroy(mb->mc);
    if (mb->rk)
        rd_kafka_destroy(mb->rk);
    free(mb);
}

int mockbroker_write_bootstrap(const char *path, const char *bootstraps)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return -1;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    int bad = fprintf(f, "%s\n", bootstraps) < 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path)) {
        remove(tmp);
        return -1;
    }
    return 0;
}
