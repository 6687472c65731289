"""kill -9 at random points while articles flow, shared by the at-least-once crash test (mock broker,
test_worker.py) and the exactly-once semantics test (real Kafka, test_exactly_once.py).

Two workers are kept in the group; one of them, chosen at random, is killed with SIGKILL at a random
moment (mostly while it holds partitions) and a replacement started in its slot, while a thread produces the input a little at a
time. Kills therefore land anywhere: while processing, with records in flight, during offset commits
or transactions, in the middle of a rebalance, before a worker has even joined."""
import random
import threading
import time

from harness import check


class GradualProducer(threading.Thread):
    """Produces values (a list of (key, value)) with produce_fn(batch) in small batches over `seconds`."""

    def __init__(self, produce_fn, values, seconds, batch=50):
        super().__init__(daemon=True)
        self.produce_fn, self.values, self.seconds, self.batch = produce_fn, values, seconds, batch
        self.error, self.rushed = None, threading.Event()

    def run(self):
        try:
            chunks = [self.values[i:i + self.batch] for i in range(0, len(self.values), self.batch)]
            for c in chunks:
                self.produce_fn([(k, v, None) for k, v in c])
                self.rushed.wait(self.seconds / max(1, len(chunks)))
        except Exception as e:  # reported by the test, not lost in the thread
            self.error = e

    def rush(self):
        """Produces what is left without pausing."""
        self.rushed.set()


def kill_loop(start_worker, kills, seed, min_gap=0.2, max_gap=1.0, join_wait=8.0, slots=2):
    """start_worker(slot) -> Proc. Kills `kills` times: a slot chosen at random, once its worker has been
    given partitions or join_wait seconds passed (so most kills interrupt real work and some land in
    start-up and rebalances), after a further random min_gap..max_gap seconds. Each kill costs the group
    a rebalance of a few seconds, which is why the pace is tied to joins rather than to the clock.
    join_wait is generous (8 s): with both cores busy a join under ASan took longer than 4 s, and
    kills that land before any assignment make the test prove too little.
    Returns the workers alive at the end and a list of (seconds since start, slot, whether the victim
    held partitions) per kill."""
    rng = random.Random(seed)
    live = {s: start_worker(s) for s in range(slots)}
    t0, log = time.time(), []
    for _ in range(kills):
        slot = rng.choice(sorted(live))
        victim = live[slot]
        deadline = time.time() + join_wait
        while time.time() < deadline and "partitions assigned" not in victim.stderr():
            time.sleep(0.1)
        time.sleep(rng.uniform(min_gap, max_gap))
        check(victim.alive(), "worker in slot %d died by itself: %s" % (slot, victim.stderr()[-2000:]))
        victim.kill9()
        log.append((round(time.time() - t0, 1), slot, "partitions assigned" in victim.stderr()))
        live[slot] = start_worker(slot)
    return live, log


class Collector(threading.Thread):
    """Reads an output topic from the beginning for as long as the test runs, keeping the input
    (partition, offset) of every article record. Reading as it is written, rather than once at the end,
    keeps long runs independent of the broker's retention (the mock keeps a few MB per partition)."""

    def __init__(self, consumer_conf, topic):
        super().__init__(daemon=True)
        from confluent_kafka import Consumer, TopicPartition, OFFSET_BEGINNING
        self.c = Consumer(consumer_conf)
        parts = self.c.list_topics(topic, timeout=10).topics[topic].partitions
        self.c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in parts])
        self.seen, self.records, self.lock, self.stopping = set(), 0, threading.Lock(), False

    def run(self):
        import json
        while not self.stopping:
            m = self.c.poll(0.2)
            if m is None or m.error():
                continue
            s = json.loads(m.value())["source"]
            with self.lock:
                self.seen.add((s["partition"], s["offset"]))
                self.records += 1
        self.c.close()

    def wait_for(self, inputs, timeout):
        """Waits until every input was seen; returns (seen copy, record count)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                if inputs <= self.seen:
                    break
            time.sleep(0.3)
        with self.lock:
            return set(self.seen), self.records

    def stop(self):
        self.stopping = True
        self.join(10)
