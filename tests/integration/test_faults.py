"""Broker faults, at-least-once: each test injects one kind of fault through the broker's control
channel (`ingest-worker broker` stdin, see README "Fault injection") while articles flow, and then
checks that every input has its article record downstream (nothing lost) and that the worker
recovered by itself: still running, /readyz 200 again, offsets committed to the end of the input.
Outages must also show as /readyz 503 while they last.

INGEST_OUTAGE_SECONDS sets the length of the full-cluster outage (`make soak` uses 30; `make test`
a shorter one so the suite stays within its time budget)."""
import json
import os
import time

from harness import Env, check, http_get, sanitizer_clean, synthetic_article, wait_status

# Reconnect quickly once a broker is back, so the tests do not wait out librdkafka's backoff.
FAST_RECONNECT = ["-X", "reconnect.backoff.ms=100", "-X", "reconnect.backoff.max.ms=1000"]
OUTAGE_SECONDS = float(os.environ.get("INGEST_OUTAGE_SECONDS", "8"))


def _inputs(env):
    return {(p, o) for p, hw in env.high_watermarks().items() for o in range(hw)}


def _seen(env, inputs, timeout):
    """Input (partition, offset) pairs with an article record downstream, waiting for all of inputs."""
    deadline = time.time() + timeout
    while True:
        arts = env.read("articles.normalized", min_count=len(inputs), timeout=max(3, deadline - time.time()),
                        idle=0.5)
        seen = {(json.loads(m.value())["source"]["partition"], json.loads(m.value())["source"]["offset"])
                for m in arts}
        if inputs <= seen or time.time() >= deadline:
            return seen
        time.sleep(0.5)


def _log(proc):
    return [json.loads(l) for l in proc.stderr().splitlines() if l.startswith("{")]


def _finish(env, w, inputs, what, timeout=120):
    """The common end of every fault test: nothing lost, recovered, committed, clean exit."""
    seen = _seen(env, inputs, timeout)
    missing = inputs - seen
    check(not missing, "%s: %d of %d inputs lost (e.g. %s)" % (what, len(missing), len(inputs), sorted(missing)[:5]))
    check(w.alive(), "%s: the worker exited: %s" % (what, w.stderr()[-2000:]))
    wait_status(w.health_port, "/readyz", 200, timeout=60, proc=w)
    ok, committed, ends = env.all_committed(timeout=30)
    check(ok, "%s: committed %s, end of input %s" % (what, committed, ends))
    rc, secs = w.stop()
    check(rc == 0, "%s: exit %d after SIGTERM" % (what, rc))
    sanitizer_clean(w)


def _start(env, n, faults=()):
    """Produces n articles, injects faults (control commands) and starts a worker: the injected
    errors hit the worker's first requests, not the test's own clients."""
    env.produce((None, synthetic_article(i), None) for i in range(n))
    for f in faults:
        _ctl(env, f)
    w = env.worker(*FAST_RECONNECT)
    wait_status(w.health_port, "/readyz", 200, proc=w)
    return w


def _ctl(env, line):
    answer = env.broker_ctl(line)
    check(answer == "ok", "broker control %r: %s" % (line, answer))


def test_request_errors_are_retried():
    """Retriable errors on the worker's first Produce, Fetch and OffsetCommit requests: the idempotent
    producer retries in order, the consumer refetches, a failed commit is made good by a later one."""
    with Env() as env:
        w = _start(env, 400, ["errors Produce NOT_LEADER_FOR_PARTITION 30", "errors Produce REQUEST_TIMED_OUT 10",
                              "errors Fetch NOT_LEADER_FOR_PARTITION 20", "errors Fetch KAFKA_STORAGE_ERROR 5",
                              "errors OffsetCommit REQUEST_TIMED_OUT 5",
                              "errors OffsetCommit COORDINATOR_NOT_AVAILABLE 5"])
        _finish(env, w, _inputs(env), "request errors")
        log = _log(w)
        check(not any(l.get("msg") == "delivery failed" for l in log), "a retriable error failed a delivery")
        check(any(l.get("msg") == "offset commit failed" for l in log), "the commit failures were not seen")


def test_coordinator_moves_and_is_lost():
    with Env() as env:
        w = _start(env, 300)
        env.wait_records(50)
        # the group's coordinator moves to broker 2 (the old one answers NOT_COORDINATOR), then broker 2
        # goes down for a while: the consumer must find its coordinator again and go on committing
        _ctl(env, "coordinator %s 2" % env.group)
        _ctl(env, "errors Heartbeat NOT_COORDINATOR 3")
        _ctl(env, "errors OffsetCommit NOT_COORDINATOR 3")
        time.sleep(2)
        _ctl(env, "down 2")
        time.sleep(4)
        _ctl(env, "up 2")
        env.produce((None, synthetic_article(1000 + i), None) for i in range(200))
        _finish(env, w, _inputs(env), "coordinator loss")


def test_cluster_down_then_back():
    with Env() as env:
        w = _start(env, 200)
        env.wait_records(50)
        _ctl(env, "down")
        body = wait_status(w.health_port, "/readyz", 503, timeout=30, proc=w)
        check(json.loads(body)["check"] == "brokers", "outage named: %s" % body)
        time.sleep(max(0.0, OUTAGE_SECONDS - 5))
        status, _ = http_get(w.health_port, "/livez")
        check(status == 200, "an outage is not a liveness failure (HTTP %d)" % status)
        _ctl(env, "up")
        wait_status(w.health_port, "/readyz", 200, timeout=60, proc=w)
        env.produce((None, synthetic_article(1000 + i), None) for i in range(200))
        _finish(env, w, _inputs(env), "cluster outage")


def test_high_latency():
    with Env() as env:
        w = _start(env, 50)
        _ctl(env, "rtt 400")
        env.produce((None, synthetic_article(1000 + i), None) for i in range(150))  # also through the slow broker
        time.sleep(3)
        status, _ = http_get(w.health_port, "/readyz")
        check(status == 200, "slow brokers are not an outage (HTTP %d)" % status)
        _ctl(env, "rtt 0")
        _finish(env, w, _inputs(env), "high latency")
