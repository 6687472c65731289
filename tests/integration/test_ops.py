"""Operations, end to end: /livez, /readyz and /metrics with curl against a running worker, readiness
through a broker outage (the broker's control channel), the healthcheck command's exit codes, SIGTERM
during a slow shutdown (readiness first, a second signal forces exit 1) and SIGHUP lexicon reloads."""
import json
import os
import re
import shutil
import signal
import subprocess
import time

from harness import (BIN, ROOT, Env, check, free_port, http_get, sanitizer_clean, scratch_dir, synthetic_article,
                     wait_status)

# Reconnect quickly after the broker comes back, so the test does not wait out librdkafka's backoff.
FAST_RECONNECT = ["-X", "reconnect.backoff.ms=100", "-X", "reconnect.backoff.max.ms=1000"]


def healthcheck(*args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    r = subprocess.run([BIN, "healthcheck"] + list(args), capture_output=True, cwd=ROOT, env=e, timeout=30)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def test_probes_and_healthcheck_through_a_broker_outage():
    with Env() as env:
        # no worker answers yet: healthcheck says so, exit 1, one line
        rc, _, err = healthcheck("--url", "http://127.0.0.1:%d/readyz" % free_port())
        check(rc == 1 and "no answer" in err and len(err.strip().splitlines()) == 1,
              "healthcheck without a worker: exit %d, %r" % (rc, err))
        rc, _, err = healthcheck("--bogus")
        check(rc == 2 and "--bogus" in err, "healthcheck usage error: exit %d, %r" % (rc, err))

        check(env.broker_ctl("down") == "ok", "broker down")
        w = env.worker(*FAST_RECONNECT)
        port = w.health_port
        wait_status(port, "/livez", 200, proc=w)
        status, body = http_get(port, "/readyz")
        check(status == 503, "/readyz before the group was joined: HTTP %d" % status)
        check(json.loads(body)["check"] in ("group", "brokers"), "names the failing check: %s" % body)
        rc, _, err = healthcheck("--url", "http://127.0.0.1:%d/readyz" % port)
        check(rc == 1 and err.startswith("not ready: HTTP 503") and len(err.strip().splitlines()) == 1,
              "healthcheck while not ready: exit %d, %r" % (rc, err))

        check(env.broker_ctl("up") == "ok", "broker up")
        wait_status(port, "/readyz", 200, proc=w)
        # the default URL follows INGEST_HEALTH_ADDR, as in a container that sets it for both
        rc, out, err = healthcheck(env={"INGEST_HEALTH_ADDR": "127.0.0.1:%d" % port})
        check(rc == 0 and out.strip() == "ready", "healthcheck while ready: exit %d, %r %r" % (rc, out, err))
        # an idle topic is ready, and stays so (no flapping between polls)
        for _ in range(10):
            status, body = http_get(port, "/readyz")
            check(status == 200, "idle worker flapped to %d: %s" % (status, body))
            time.sleep(0.3)

        check(env.broker_ctl("down") == "ok", "broker down again")
        body = wait_status(port, "/readyz", 503, timeout=30, proc=w)
        check(json.loads(body)["check"] == "brokers", "outage named: %s" % body)
        status, _ = http_get(port, "/livez")
        check(status == 200, "a broker outage is not a liveness failure (HTTP %d)" % status)
        check(env.broker_ctl("up") == "ok", "broker up again")
        wait_status(port, "/readyz", 200, timeout=60, proc=w)

        status, _ = http_get(port, "/nope")
        check(status == 404, "unknown path: HTTP %d" % status)
        rc, secs = w.stop()
        check(rc == 0, "exit %d after SIGTERM" % rc)
        sanitizer_clean(w)
        status, _ = http_get(port, "/livez")
        check(status == 0, "endpoints gone after exit")


def parse_prometheus(text):
    """A small parser of the Prometheus text format: {(name, frozenset(labels)): value} plus
    {family: type}; fails on lines that are not HELP, TYPE or samples of a declared family."""
    types, samples = {}, {}
    sample_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
    label_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
    for line in text.splitlines():
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, typ = line.split(" ")
            check(typ in ("counter", "gauge", "histogram", "summary", "untyped"), "bad TYPE line: " + line)
            types[name] = typ
            continue
        m = sample_re.match(line)
        check(m is not None, "not a sample line: %r" % line)
        name, labels = m.group(1), frozenset(label_re.findall(m.group(3) or ""))
        family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in types else name
        check(family in types, "sample of an undeclared family: " + line)
        samples[(name, labels)] = float(m.group(4))
    return types, samples


def check_histogram(types, samples, name):
    check(types.get(name) == "histogram", name + " is a histogram")
    buckets = sorted((float("inf") if dict(l)["le"] == "+Inf" else float(dict(l)["le"]), v)
                     for (n, l), v in samples.items() if n == name + "_bucket")
    counts = [v for _, v in buckets]
    check(counts == sorted(counts), name + ": buckets are cumulative")
    check(buckets[-1][0] == float("inf") and buckets[-1][1] == samples[(name + "_count", frozenset())],
          name + ": +Inf bucket equals _count")
    return samples[(name + "_count", frozenset())]


def test_metrics_count_exactly_what_was_sent():
    n_good, bad = 40, [(b"bad-json", b'{"text": "unterminated', "invalid_json"),
                       (b"empty", b"", "empty"), (b"blank", b"   \n", "empty")]
    with Env() as env:
        w = env.worker()
        port = w.health_port
        wait_status(port, "/readyz", 200, proc=w)
        env.produce([(("art-%d" % i).encode(), synthetic_article(i), None) for i in range(n_good)] +
                    [(k, v, None) for k, v, _ in bad])
        arts = env.read("articles.normalized", min_count=n_good)
        ents = env.read("articles.entities", min_count=1)
        evs = env.read("articles.events", min_count=0)
        dlq = env.read("articles.dlq", min_count=len(bad))
        check(len(arts) == n_good and len(dlq) == len(bad), "%d articles, %d DLQ" % (len(arts), len(dlq)))
        want = {
            ("ingest_messages_consumed_total", frozenset()): n_good + len(bad),
            ("ingest_records_produced_total", frozenset({("topic", "articles.normalized")})): len(arts),
            ("ingest_records_produced_total", frozenset({("topic", "articles.entities")})): len(ents),
            ("ingest_records_produced_total", frozenset({("topic", "articles.events")})): len(evs),
            ("ingest_records_produced_total", frozenset({("topic", "articles.dlq")})): len(dlq),
            ("ingest_dlq_messages_total", frozenset({("reason", "invalid_json")})): 1,
            ("ingest_dlq_messages_total", frozenset({("reason", "empty")})): 2,
            ("ingest_dlq_messages_total", frozenset({("reason", "no_text")})): 0,
            ("ingest_processing_duration_seconds_count", frozenset()): n_good + len(bad),
            ("ingest_end_to_end_latency_seconds_count", frozenset()): n_good + len(bad),
            ("ingest_delivery_failures_total", frozenset()): 0,
        }
        deadline = time.time() + 20  # the snapshot is published every loop tick; lag every stats interval
        while True:
            status, text = http_get(port, "/metrics")
            check(status == 200, "/metrics HTTP %d" % status)
            types, samples = parse_prometheus(text)
            got = {k: samples.get(k) for k in want}
            lags = {dict(l)["partition"]: v for (n, l), v in samples.items() if n == "ingest_consumer_lag_messages"}
            if (got == want and lags and not any(lags.values())) or time.time() > deadline:
                break
            time.sleep(0.3)
        check(got == want, "metrics differ from what was sent: %s" %
              {k[0] + str(sorted(k[1])): (got[k], want[k]) for k in want if got[k] != want[k]})
        check(sorted(lags) == ["0", "1", "2"] and not any(lags.values()),
              "lag per assigned partition, zero once all is committed: %s" % lags)
        check_histogram(types, samples, "ingest_processing_duration_seconds")
        check_histogram(types, samples, "ingest_end_to_end_latency_seconds")
        for name, typ in (("ingest_messages_consumed_total", "counter"), ("ingest_rebalances_total", "counter"),
                          ("ingest_producer_queue_messages", "gauge"), ("ingest_broker_errors_total", "counter"),
                          ("ingest_consumer_lag_messages", "gauge"), ("ingest_build_info", "gauge")):
            check(types.get(name) == typ, "%s declared as %s" % (name, typ))
        check(samples[("ingest_rebalances_total", frozenset())] >= 1, "the assignment counted as a rebalance")
        check(samples[("ingest_assigned_partitions", frozenset())] == 3, "three partitions assigned")
        check(any(n == "ingest_build_info" and dict(l).get("version") for (n, l) in samples), "build info version")
        check(all(n.startswith("ingest_") for n in types), "every name prefixed ingest_")
        rc, _ = w.stop()
        check(rc == 0, "exit %d" % rc)
        sanitizer_clean(w)


def test_shutdown_turns_unready_first_and_a_second_signal_forces_exit_1():
    with Env() as env:
        env.produce((None, synthetic_article(i), None) for i in range(400))
        w = env.worker("--shutdown-timeout", "30000", "--max-inflight", "100")
        port = w.health_port
        wait_status(port, "/readyz", 200, proc=w)
        env.wait_records(50)
        check(env.broker_ctl("rtt 1500") == "ok", "slow broker")  # acks, commits and the leave take long
        time.sleep(0.5)
        w.p.send_signal(signal.SIGTERM)
        body = wait_status(port, "/readyz", 503, timeout=5, proc=w)
        check(json.loads(body)["check"] == "shutdown", "readiness names the shutdown: %s" % body)
        check(w.alive(), "still finishing its work while unready")
        rc, secs = w.stop(sig=signal.SIGTERM, timeout=10)
        check(rc == 1, "second signal: exit %d, want 1" % rc)
        check(secs < 3, "second signal took %.1fs" % secs)
        check("second signal: forced exit" in w.stderr(), "forced exit logged")
        check(env.broker_ctl("rtt 0") == "ok", "broker back to normal")


ZORB_ROW = "slug:org:zorblatt-peace-institute\tORG\tZorblatt Peace Institute\t\tZorblattistan Bureau\t\n"


def zorb_article(i):
    return ("Envoys gather in Geneva, round %d\nThe Zorblattistan Bureau hosted talks in Geneva on Monday, "
            "officials said. Secretary of State Antony Blinken attended round %d of the meeting.\n" % (i, i)).encode()


def test_sighup_reloads_lexicons_without_losing_messages():
    schemas = scratch_dir("ingest-schemas-")
    for f in os.listdir(os.path.join(ROOT, "schemas")):
        if f.endswith((".tsv", ".json")):
            shutil.copy(os.path.join(ROOT, "schemas", f), schemas)
    with Env() as env:
        w = env.worker("--schemas-dir", schemas)
        port = w.health_port
        wait_status(port, "/readyz", 200, proc=w)

        def names(key):
            # wait for this key's record itself: a busy machine may take seconds per message
            deadline = time.time() + 60
            while time.time() < deadline:
                for m in env.read("articles.normalized", min_count=1, timeout=5, idle=0.3):
                    if m.key() == key:
                        return {e["name"] for e in json.loads(m.value())["entities"]}
                time.sleep(0.2)
            raise AssertionError("no record for %s" % key)

        env.produce([(b"before", zorb_article(1), None)])
        check("Zorblatt Peace Institute" not in names(b"before"), "entity unknown before the reload")
        with open(os.path.join(schemas, "gazetteer.tsv"), "a") as f:
            f.write(ZORB_ROW)
        w.p.send_signal(signal.SIGHUP)
        env.produce([(b"during-%d" % i, synthetic_article(i), None) for i in range(20)])
        deadline = time.time() + 30
        while "lexicons reloaded" not in w.stderr() and time.time() < deadline:
            time.sleep(0.1)
        check("lexicons reloaded" in w.stderr(), "reload logged")
        env.produce([(b"after", zorb_article(2), None)])
        check("Zorblatt Peace Institute" in names(b"after"), "the new gazetteer row is used after SIGHUP")

        with open(os.path.join(schemas, "events.json"), "w") as f:
            f.write("{ not json")
        w.p.send_signal(signal.SIGHUP)
        deadline = time.time() + 30
        while "lexicon reload failed" not in w.stderr() and time.time() < deadline:
            time.sleep(0.1)
        check("lexicon reload failed" in w.stderr(), "a broken lexicon is reported")
        env.produce([(b"kept", zorb_article(3), None)])
        check("Zorblatt Peace Institute" in names(b"kept"), "the previous lexicons stay after a failed reload")
        keys = {m.key() for m in env.read("articles.normalized", min_count=23)}
        lost = {b"before", b"after", b"kept"} | {b"during-%d" % i for i in range(20)}
        check(lost <= keys, "messages lost around the reloads: %s" % sorted(lost - keys))
        _, text = http_get(port, "/metrics")
        _, samples = parse_prometheus(text)
        check(samples[("ingest_lexicon_reloads_total", frozenset({("result", "ok")}))] == 1 and
              samples[("ingest_lexicon_reloads_total", frozenset({("result", "failed")}))] == 1,
              "reloads counted by result")
        check(w.alive(), "worker survived the reloads")
        rc, _ = w.stop()
        check(rc == 0, "exit %d" % rc)
        sanitizer_clean(w)
    shutil.rmtree(schemas, ignore_errors=True)


def test_livez_fails_while_the_main_loop_is_stuck():
    """A real stuck call: SIGHUP makes the loop reload lexicons from --schemas-dir, whose gazetteer is
    now a FIFO nobody writes to (a hung file system), so the loop blocks in open(). /livez must turn
    503 naming main_loop while the endpoints keep answering, and recover once the read completes."""
    schemas = scratch_dir("ingest-schemas-")
    for f in os.listdir(os.path.join(ROOT, "schemas")):
        if f.endswith((".tsv", ".json")):
            shutil.copy(os.path.join(ROOT, "schemas", f), schemas)
    gaz = os.path.join(schemas, "gazetteer.tsv")
    with open(gaz, "rb") as f:
        content = f.read()
    with Env() as env:
        w = env.worker("--schemas-dir", schemas, "--liveness-timeout", "1000")
        port = w.health_port
        wait_status(port, "/readyz", 200, proc=w)
        wait_status(port, "/livez", 200, proc=w)
        os.unlink(gaz)
        os.mkfifo(gaz)
        w.p.send_signal(signal.SIGHUP)
        body = wait_status(port, "/livez", 503, timeout=10, proc=w)
        check(json.loads(body)["check"] == "main_loop", "names the stuck loop: %s" % body)
        _, samples = parse_prometheus(http_get(port, "/metrics")[1])
        check(samples[("ingest_main_loop_age_seconds", frozenset())] > 1, "the loop's age is exported")
        with open(gaz, "wb") as f:  # the worker is blocked opening it for reading: this completes the read
            f.write(content)
        wait_status(port, "/livez", 200, timeout=20, proc=w)
        check("lexicons reloaded" in w.stderr(), "the reload finished")
        rc, _ = w.stop()
        check(rc == 0, "exit %d" % rc)
        sanitizer_clean(w)
    shutil.rmtree(schemas, ignore_errors=True)
