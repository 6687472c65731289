"""Worker end to end on a Kafka-protocol broker: records validate, DLQ keeps bad input intact,
offsets are committed only for acknowledged work, kill -9 and SIGTERM lose nothing."""
import json
import os
import socket
import time

import crashloop

import schema_check
from harness import FIXTURES, Env, check, fixture_values, sanitizer_clean, synthetic_article

BAD_INPUTS = [
    # (key, value, reason)
    (b"bad-utf8", b"Headline\n\xc3\x28 broken sequence in the body text of this article.\n", "invalid_utf8"),
    (b"overlong", b"Headline\n\xc0\xaf overlong slash in the body of the article.\n", "invalid_utf8"),
    (b"nul", b"Headline\nA body with a NUL \x00 byte inside it.\n", "invalid_utf8"),
    (b"bad-json", b'{"title": "Broken", "text": "unterminated', "invalid_json"),
    (b"dup-json", b'{"text": "one", "text": "two"}', "invalid_json"),
    (b"deep-json", b'{"a":' * 200 + b"1" + b"}" * 200, "invalid_json"),
    (b"empty", b"", "empty"),
    (b"blank", b"  \n\t \r\n", "empty"),
    (b"no-text-json", b'{"id": "x1", "title": "Only a title", "url": "https://example.org/x"}', "no_text"),
    (b"no-text-html", b"<html><body><nav><a href='/'>Home</a></nav><script>var x=1;</script></body></html>",
     "no_text"),
    (b"deep-html", b"<div>" * 20000 + b"text", "too_large"),
]


def dlq_headers(m):
    return {k: v.decode() for k, v in (m.headers() or []) if k.startswith("x-ingest-")}


def test_records_validate_and_bad_input_lands_in_dlq_intact():
    goods = fixture_values()
    check(len(goods) >= 10, "need the fixture corpus under tests/fixtures/articles")
    with Env() as env:
        w = env.worker("--max-message-bytes", "200000")
        big = (b"big", b"Headline\n" + b"word " * 50000, "too_large")
        headers = [("trace-id", b"abc-123"), ("origin", b"\xff\x00binary")]
        n = env.produce([(k.encode(), v, None) for k, v in goods] +
                        [(k, v, headers) for k, v, _ in BAD_INPUTS + [big]])
        arts = env.read("articles.normalized", min_count=len(goods))
        dlq = env.read("articles.dlq", min_count=len(BAD_INPUTS) + 1)
        ents = env.read("articles.entities", min_count=1)
        evs = env.read("articles.events", min_count=1)
        check(w.alive(), "worker died on bad input:\n" + w.stderr()[-3000:])
        check(len(arts) == len(goods), "%d article records for %d good inputs" % (len(arts), len(goods)))
        for kind, msgs in (("article", arts), ("entity", ents), ("event", evs)):
            v = schema_check.validator(kind)
            for m in msgs:
                rec = json.loads(m.value())
                probs = schema_check.problems(kind, rec, v)
                check(not probs, "%s record %s: %s" % (kind, m.key(), probs[:5]))
                if kind == "article":
                    check(m.key().decode() == rec["id"], "article key must be the article id")
                elif kind == "entity":
                    check(m.key().decode() == rec["entity"]["id"], "entity key must be the entity id")
                else:
                    check(m.key().decode() == rec["article_id"], "event key must be the article id")
        by_key = {m.key(): m for m in dlq}
        vd = schema_check.validator("dlq")
        for key, value, reason in BAD_INPUTS + [big]:
            check(key in by_key, "%s missing from the DLQ" % key)
            m = by_key[key]
            check(m.value() == value or (m.value() is None and value == b""), "%s: DLQ value differs" % key)
            h = dlq_headers(m)
            check(h.get("x-ingest-error") == reason, "%s: reason %s, want %s" % (key, h.get("x-ingest-error"), reason))
            check(not list(vd.iter_errors(h)), "%s: DLQ headers break dlq.schema.json" % key)
            orig = [(k, v) for k, v in m.headers() if not k.startswith("x-ingest-")]
            check(orig == headers, "%s: original headers not kept byte for byte: %r" % (key, orig))
        # the worker logs one JSON line per failure
        lines = [json.loads(l) for l in w.stderr().splitlines() if l.startswith("{")]
        check(sum(1 for l in lines if l.get("msg") == "dead-lettered") == len(BAD_INPUTS) + 1,
              "one log line per dead-lettered input")
        rc, secs = w.stop()
        check(rc == 0, "exit code %d after SIGTERM" % rc)
        sanitizer_clean(w)
        check(n == len(goods) + len(BAD_INPUTS) + 1, "all inputs produced")


def test_thousand_articles_with_kcat_commit_everything():
    n = 1000
    with Env() as env:
        env.kcat_produce([("art-%04d" % i, synthetic_article(i).decode()) for i in range(n)])
        w = env.worker()
        arts = env.read("articles.normalized", min_count=n, timeout=180)
        ids = {json.loads(m.value())["id"] for m in arts}
        check(len(ids) == n, "%d distinct article ids for %d inputs" % (len(ids), n))
        # offsets are committed within the commit interval once acknowledged
        ok, committed, ends = env.all_committed()
        check(ok, "committed %s, end of input %s" % (committed, ends))
        rc, secs = w.stop()
        check(rc == 0 and secs < 5, "SIGTERM: exit %d after %.1fs" % (rc, secs))
        sanitizer_clean(w)
        # a second member of the same group finds nothing left to do
        w2 = env.worker()
        time.sleep(8)
        rc, _ = w2.stop()
        check(rc == 0, "second worker exit %d" % rc)
        check(len(env.read("articles.normalized", min_count=n)) == n, "second worker reprocessed input")


def _offsets_seen(env, min_count, timeout=120, inputs=None):
    """Input (partition, offset) pairs that have an article record downstream. With inputs, keeps
    reading until every one of them is seen or the timeout passes: a record count alone can be
    reached early by duplicates while the group is still rebalancing."""
    deadline = time.time() + timeout
    while True:
        arts = env.read("articles.normalized", min_count=min_count, timeout=max(5, deadline - time.time()))
        seen = {(json.loads(m.value())["source"]["partition"], json.loads(m.value())["source"]["offset"])
                for m in arts}
        if inputs is None or inputs <= seen or time.time() >= deadline:
            lows = env.low_watermarks("articles.normalized")
            check(not any(lows.values()), "the broker dropped early output (retention; low watermarks %s): this "
                  "test's volume is too large to check for losses" % lows)
            return arts, seen
        time.sleep(1)


FAST_SESSION = ["-X", "session.timeout.ms=3000", "-X", "heartbeat.interval.ms=500", "--commit-interval", "200"]


def test_kill9_twenty_times_while_articles_flow_loses_nothing():
    """kill -9 at 20 random points while 2,000 articles are produced; at-least-once: every input has its
    record downstream afterwards (duplicates allowed) and no committed offset passes the input end.
    INGEST_CRASH_SEED replays one sequence of kill times."""
    n, kills = int(os.environ.get("INGEST_CRASH_ARTICLES", "2000")), int(os.environ.get("INGEST_CRASH_KILLS", "20"))
    seed = int(os.environ.get("INGEST_CRASH_SEED", str(int(time.time()))))
    with Env() as env:
        values = [(("art-%04d" % i).encode(), synthetic_article(i)) for i in range(n)]
        collector = crashloop.Collector({"bootstrap.servers": env.bootstrap, "group.id": "collector",
                                         "enable.auto.commit": False}, "articles.normalized")
        collector.start()
        feeder = crashloop.GradualProducer(env.produce, values, seconds=20 * n / 2000)
        feeder.start()
        # a short session timeout: the broker notices a killed member in 3 s, not 6
        live, kill_log = crashloop.kill_loop(lambda slot: env.worker(*FAST_SESSION), kills, seed)
        feeder.join(120)
        check(feeder.error is None and not feeder.is_alive(), "feeding the input failed: %s" % feeder.error)
        during = collector.records
        working = sum(1 for _, _, assigned in kill_log if assigned)
        check(during > 0 and working >= kills // 2, "seed %d: %d records produced between the kills, %d of %d kills "
              "hit a worker holding partitions: the test proved too little" % (seed, during, working, kills))
        inputs = {(p, o) for p, hw in env.high_watermarks().items() for o in range(hw)}
        check(len(inputs) == n, "input offsets: %d" % len(inputs))
        seen, records = collector.wait_for(inputs, timeout=240)
        collector.stop()
        missing = inputs - seen
        check(not missing, "seed %d: %d inputs lost across %d kills %s (e.g. %s)" %
              (seed, len(missing), kills, kill_log, sorted(missing)[:5]))
        ok, committed, ends = env.all_committed(timeout=60)
        check(ok, "seed %d: committed %s, end of input %s" % (seed, committed, ends))
        for w in live.values():
            rc, _ = w.stop()
            check(rc == 0, "surviving worker exit %d" % rc)
            sanitizer_clean(w)
        print("  kill -9 x%d (seed %d, %d of them holding partitions): %d records for %d inputs, %d produced "
              "between kills" % (kills, seed, working, records, n, during))


def test_sigterm_under_load_exits_fast_and_loses_nothing():
    n = 3000
    with Env() as env:
        env.produce((None, synthetic_article(i), None) for i in range(n))
        inputs = {(p, o) for p, hw in env.high_watermarks().items() for o in range(hw)}
        w = env.worker()
        env.wait_records(200)
        rc, secs = w.stop()
        check(rc == 0, "exit code %d after SIGTERM under load" % rc)
        check(secs < 5, "took %.1fs to stop (limit 5s)" % secs)
        sanitizer_clean(w)
        committed = env.committed()
        check(sum(max(v, 0) for v in committed.values()) >= 200, "offsets committed on the way out: %s" % committed)
        _, seen = _offsets_seen(env, 0, timeout=10)
        # everything below the committed offsets has its record downstream
        for p, off in committed.items():
            lost = {(p, o) for o in range(max(off, 0))} - seen
            check(not lost, "partition %d committed to %d but %d records missing" % (p, off, len(lost)))
        w2 = env.worker()
        _, seen = _offsets_seen(env, n, timeout=180, inputs=inputs)
        check(inputs <= seen, "%d inputs lost after SIGTERM + restart" % len(inputs - seen))
        w2.stop()


def test_embedded_mode_prints_the_fixture_articles():
    goods = fixture_values()
    with Env() as env:
        # the endpoints' port is taken: the demo warns and goes on (make run must not fail on a busy :8080)
        busy = socket.socket()
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        p = env.spawn([env.broker.p.args[0], "run", "--embedded", "--partitions", "2", "--fixtures", FIXTURES,
                       "--health-addr", "127.0.0.1:%d" % busy.getsockname()[1]], "embedded")
        deadline = time.time() + 60
        while time.time() < deadline and p.stdout().count("\n[p") + p.stdout().startswith("[p") < len(goods):
            check(p.alive(), "embedded run exited: " + p.stderr()[-2000:])
            time.sleep(0.3)
        out = p.stdout()
        lines = [l for l in out.splitlines() if l.startswith("[p")]
        check(len(lines) == len(goods), "printed %d articles of %d" % (len(lines), len(goods)))
        check(out.startswith("embedded Kafka-protocol broker at 127.0.0.1:"), "bootstrap address printed first")
        logs = [json.loads(l) for l in p.stderr().splitlines() if l.strip()]  # every stderr line is JSON
        check(all({"ts", "level", "msg"} <= set(l) for l in logs), "log lines carry ts, level, msg")
        check(any(l["msg"] == "embedded broker ready" and l["bootstrap"].startswith("127.0.0.1:") for l in logs),
              "bootstrap address logged")
        check(any(l["msg"].startswith("HTTP endpoints not started") for l in logs), "busy port warned about")
        rc, secs = p.stop(sig=2)
        busy.close()
        check(rc == 0 and secs < 5, "Ctrl-C: exit %d after %.1fs" % (rc, secs))
        sanitizer_clean(p)


def test_back_pressure_pauses_and_resumes_without_loss():
    n = 200
    with Env() as env:
        env.produce((None, synthetic_article(i), None) for i in range(n))
        inputs = {(p, o) for p, hw in env.high_watermarks().items() for o in range(hw)}
        # a tiny producer queue and in-flight budget force the pause path (and QUEUE_FULL) repeatedly
        w = env.worker("--max-inflight", "60", "-X", "queue.buffering.max.messages=50")
        _, seen = _offsets_seen(env, n, timeout=180, inputs=inputs)
        check(inputs <= seen, "%d inputs lost under back-pressure" % len(inputs - seen))
        log = [json.loads(l) for l in w.stderr().splitlines() if l.startswith("{")]
        pauses = sum(1 for l in log if l.get("msg") == "input paused (back-pressure)")
        resumes = sum(1 for l in log if l.get("msg") == "input resumed")
        check(pauses >= 1 and resumes >= 1, "expected pause/resume cycles, saw %d/%d" % (pauses, resumes))
        rc, secs = w.stop()
        check(rc == 0 and secs < 5, "exit %d after %.1fs" % (rc, secs))
        sanitizer_clean(w)


def _wait_assigned(w, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline and "partitions assigned" not in w.stderr():
        time.sleep(0.2)
    check("partitions assigned" in w.stderr(), "%s never got partitions" % w.name)


def test_rebalance_second_worker_joins_and_leaves_without_loss():
    """Members join and leave while input flows (a thread produces it throughout): w2 joins w1, w1 leaves
    (its partitions move to w2), w3 joins w2 and leaves again. Same guarantees as a crash: every input
    downstream, every offset committed, clean exits."""
    n = 1200
    with Env() as env:
        values = [(None, synthetic_article(i)) for i in range(n)]
        env.produce((k, v, None) for k, v in values[:200])
        feeder = crashloop.GradualProducer(env.produce, values[200:], seconds=60)  # rushed once w3 has left
        w1 = env.worker("--max-inflight", "200")
        feeder.start()
        env.wait_records(100)
        w2 = env.worker("--max-inflight", "200")
        _wait_assigned(w2)
        rc, _ = w1.stop()  # leaves the group: its partitions move to w2
        check(rc == 0, "first worker exit %d" % rc)
        check("partitions revoked" in w1.stderr(), "first worker never gave partitions up")
        w3 = env.worker("--max-inflight", "200")
        _wait_assigned(w3)
        time.sleep(1)
        check(feeder.is_alive(), "the input stopped flowing before the third worker left: not mid-stream")
        rc, _ = w3.stop()  # joined and left mid-stream: its partitions go back to w2
        check(rc == 0, "third worker exit %d" % rc)
        check("partitions revoked" in w3.stderr(), "third worker never gave partitions up")
        feeder.rush()
        feeder.join(60)
        check(feeder.error is None and not feeder.is_alive(), "feeding the input failed: %s" % feeder.error)
        inputs = {(p, o) for p, hw in env.high_watermarks().items() for o in range(hw)}
        check(len(inputs) == n, "input offsets: %d" % len(inputs))
        _, seen = _offsets_seen(env, n, timeout=180, inputs=inputs)
        check(inputs <= seen, "%d inputs lost across the rebalances" % len(inputs - seen))
        ok, committed, ends = env.all_committed()
        check(ok, "not all offsets committed after the rebalances: %s vs end %s" % (committed, ends))
        rc, _ = w2.stop()
        check(rc == 0, "second worker exit %d" % rc)
        for w in (w1, w2, w3):
            sanitizer_clean(w)


def test_stop_before_the_first_assignment_exits_cleanly():
    """SIGTERM to a worker whose group has chosen the assignor but not yet sent its first assignment
    (the brokers hold SyncGroup answers back 15 s): it leaves the group and exits 0, sanitizer-clean.
    librdkafka before 2.3.0 aborts in rd_kafka_destroy of such a cooperative-sticky consumer
    (librdkafka #4312); a worker stopped during a rebalance must not die of it."""
    with Env() as env:
        first = env.worker()
        _wait_assigned(first)
        for broker in (1, 2, 3):
            check(env.broker_ctl("broker-errors %d SyncGroup 0 4 15000" % broker) == "ok", "delay SyncGroup")
        late = env.worker()
        time.sleep(9)
        check("partitions assigned" not in late.stderr(), "the second worker was assigned already: the test "
              "did not reach the moment it is about")
        rc, _ = late.stop()
        check(rc == 0, "exit %d: %s" % (rc, late.stderr()[-1500:]))
        sanitizer_clean(late)
