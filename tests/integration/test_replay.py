"""`ingest-worker replay` against `ingest-worker broker` (a separate process): offset, time, partition
and beginning..end ranges give exactly the expected records; SIGTERM + resume from the checkpoint
leaves no gap; a replay beside a live worker leaves the live group's committed offsets alone.

The offsets-for-times path needs a real Kafka (KAFKA_BROKERS=host:port); without one that test is
reported as SKIP. librdkafka 2.0.2's mock cluster answers every offsets-for-times lookup with -1, so
on it the replay takes the documented fallback (timestamp filtering), which is tested here."""
import datetime
import json
import os
import pty
import signal
import subprocess
import time
import uuid

from confluent_kafka import Consumer, Producer

import schema_check
from harness import ASAN_ENV, BIN, ROOT, Env, Skip, check, read_topic, sanitizer_clean, synthetic_article

PARTS = 3
PER_PART = 12
MINUTE = 60 * 1000
BAD = (1, 5)  # (partition, index): invalid UTF-8, goes to the DLQ
OUT = ["articles.normalized", "articles.entities", "articles.events", "articles.dlq"]


def rfc3339(ms):
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def produce_dataset(bootstrap, base_ms, topic="articles.raw", per_part=PER_PART):
    """per_part articles on each partition; message i of every partition has timestamp base + i minutes."""
    p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5})
    for part in range(PARTS):
        for i in range(per_part):
            value = b"Headline\n\xc3\x28 broken\n" if (part, i) == BAD else synthetic_article(part * 1000 + i)
            p.produce(topic, key=b"art-%d-%d" % (part, i), value=value, partition=part, timestamp=base_ms + i * MINUTE)
    check(p.flush(30) == 0, "test input not delivered")


def read_all(bootstrap, topic, min_count=0, timeout=60, idle=0.5):
    return read_topic(bootstrap, topic, min_count, timeout, idle)


def topic_exists(bootstrap, topic):
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "md-" + uuid.uuid4().hex[:8]})
    names = c.list_topics(timeout=10).topics.keys()  # all topics: asking for one would auto-create it
    c.close()
    return topic in names


def run_replay(bootstrap, *args, timeout=180):
    """Runs a replay to completion; returns (exit code, summary dict or None, stderr text)."""
    e = dict(os.environ)
    e.update(ASAN_ENV)
    r = subprocess.run([BIN, "replay", "--brokers", bootstrap] + list(args), capture_output=True, cwd=ROOT, env=e,
                       timeout=timeout)
    err = r.stderr.decode("utf-8", "replace")
    for marker in ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer"):
        check(marker not in err, "replay %s: sanitizer report:\n%s" % (args, err[-4000:]))
    lines = [l for l in r.stdout.decode().splitlines() if l.strip()]
    summary = json.loads(lines[-1]) if lines else None
    return r.returncode, summary, err


class Live:
    """What the live worker made of the dataset: per input (partition, offset), the article id and the
    number of entity and event records; plus the DLQ'd inputs."""

    def __init__(self, env):
        w = env.worker()
        good = PARTS * PER_PART - 1
        arts = env.read("articles.normalized", min_count=good, timeout=120)
        dlq = env.read("articles.dlq", min_count=1, timeout=30)
        self.ids, self.ents, self.evs = {}, {}, {}
        for m in arts:
            rec = json.loads(m.value())
            check(rec["replay"] is False, "live records are not replays")
            at = (rec["source"]["partition"], rec["source"]["offset"])
            self.ids[at] = rec["id"]
            self.ents[at] = len(rec["entities"])
            self.evs[at] = len(rec["events"])
        self.dlq = {(int(dict(m.headers())["x-ingest-source-partition"]),
                     int(dict(m.headers())["x-ingest-source-offset"])) for m in dlq}
        check(len(self.ids) == good and len(self.dlq) == 1, "live worker: %d records, %d DLQ" %
              (len(self.ids), len(self.dlq)))
        self.committed_ok = env.all_committed()[0]
        rc, _ = w.stop()
        check(rc == 0, "live worker exit %d" % rc)


def expect(live, offsets):
    """Expected outputs of a replay of the input offsets {(partition, offset)}."""
    good = {at for at in offsets if at in live.ids}
    return {"articles": {at: live.ids[at] for at in good},
            "entities": sum(live.ents[at] for at in good), "events": sum(live.evs[at] for at in good),
            "dlq": offsets & live.dlq}


def check_outputs(env, prefix, live, offsets, summary, what):
    """The replay's outputs under prefix are exactly those of offsets; the summary agrees."""
    exp = expect(live, offsets)
    arts = read_all(env.bootstrap, prefix + "articles.normalized", min_count=len(exp["articles"])) \
        if exp["articles"] else []
    got = {}
    for m in arts:
        rec = json.loads(m.value())
        check(rec["replay"] is True, "%s: replayed record without replay: true" % what)
        check(dict(m.headers() or []).get("x-ingest-replay") == b"1", "%s: no x-ingest-replay header" % what)
        at = (rec["source"]["partition"], rec["source"]["offset"])
        check(at not in got, "%s: input %s replayed twice" % (what, at))
        got[at] = rec["id"]
    check(got == exp["articles"], "%s: replayed %d articles %s, expected %d %s" % (
        what, len(got), sorted(set(got) ^ set(exp["articles"]))[:6], len(exp["articles"]), ""))
    n_ent = len(read_all(env.bootstrap, prefix + "articles.entities", min_count=exp["entities"])) \
        if exp["entities"] else 0
    n_ev = len(read_all(env.bootstrap, prefix + "articles.events", min_count=exp["events"])) if exp["events"] else 0
    check(n_ent == exp["entities"] and n_ev == exp["events"], "%s: %d entity / %d event records, expected %d / %d" %
          (what, n_ent, n_ev, exp["entities"], exp["events"]))
    dlq = read_all(env.bootstrap, prefix + "articles.dlq", min_count=len(exp["dlq"])) if exp["dlq"] else []
    check(len(dlq) == len(exp["dlq"]), "%s: %d DLQ copies, expected %d" % (what, len(dlq), len(exp["dlq"])))
    for m in dlq:
        h = dict(m.headers())
        check(h.get("x-ingest-replay") == b"1" and
              h.get("x-ingest-error") == b"invalid_utf8", "%s: DLQ copy headers %s" % (what, h))
    # summary figures
    check(summary["complete"] is True and summary["dry_run"] is False, "%s: summary %s" % (what, summary))
    by_part = {p["partition"]: p for p in summary["partitions"]}
    for part in range(PARTS):
        offs = sorted(o for p, o in offsets if p == part)
        if part not in by_part:
            check(not offs, "%s: partition %d missing from the summary" % (what, part))
            continue
        s = by_part[part]
        recs = sum(1 + live.ents[(part, o)] + live.evs[(part, o)] for o in offs if (part, o) in live.ids)
        want = {"messages": len(offs), "first_offset": offs[0] if offs else None,
                "last_offset": offs[-1] if offs else None, "records": recs,
                "dlq": sum(1 for o in offs if (part, o) in live.dlq)}
        have = {k: s[k] for k in want}
        check(have == want, "%s: partition %d summary %s, expected %s" % (what, part, have, want))
    check(summary["messages"] == len(offsets), "%s: summary messages %d, expected %d" %
          (what, summary["messages"], len(offsets)))
    check(summary["seconds"] >= 0, "seconds reported")
    for kind, msgs in (("article", arts),):
        v = schema_check.validator(kind)
        for m in msgs:
            probs = schema_check.problems(kind, json.loads(m.value()), v)
            check(not probs, "%s: replayed record breaks the schema: %s" % (what, probs[:3]))


def all_offsets(parts=range(PARTS), lo=0, hi=PER_PART):
    return {(p, o) for p in parts for o in range(lo, hi)}


def test_replay_ranges_by_offset_time_and_partition():
    base = int(time.time() * 1000) - 60 * MINUTE - 30 * 1000  # message i: now - 60.5 min + i min
    with Env(partitions=PARTS) as env:
        produce_dataset(env.bootstrap, base)
        live = Live(env)
        cases = [
            ("beginning..end", ["--from", "beginning", "--to", "end"], all_offsets()),
            ("offsets 3..8", ["--from", "3", "--to", "8"], all_offsets(lo=3, hi=8)),
            ("per partition", ["--from", "0:2,2:5", "--to", "0:6,2:9"],
             {(0, o) for o in range(2, 6)} | {(2, o) for o in range(5, 9)}),
            ("single partition", ["--partitions", "1", "--from", "beginning", "--to", "end"], all_offsets([1])),
            ("two partitions, offset to end", ["--partitions", "0,2", "--from", "10", "--to", "end"],
             all_offsets([0, 2], 10, PER_PART)),
            ("time range", ["--from", rfc3339(base + 3 * MINUTE), "--to", rfc3339(base + 7 * MINUTE)],
             all_offsets(lo=3, hi=7)),
            ("relative time", None, all_offsets(lo=5, hi=PER_PART)),
            ("empty range", ["--from", "5", "--to", "5"], set()),
        ]
        for n, (what, args, offsets) in enumerate(cases):
            if args is None:
                # "-<N>s" reaching back to base + 4.5 minutes, half a minute from any message
                back = int(time.time() - (base + 4 * MINUTE + 30 * 1000) / 1000)
                args = ["--from", "-%ds" % back, "--to", "end"]
            prefix = "r%d." % n
            rc, summary, err = run_replay(env.bootstrap, "--output-prefix", prefix, *args)
            check(rc == 0, "%s: exit %d\n%s" % (what, rc, err[-3000:]))
            check(summary["output_normalized"] == prefix + "articles.normalized", "%s: output topic" % what)
            if "time" in what:
                # the mock cannot look up offsets by time: the documented fallback filters on timestamps
                check(summary["time_bounds"] == "filter", "%s: time_bounds %s" % (what, summary["time_bounds"]))
                check("cannot look up offsets by time" in err, "%s: fallback not logged" % what)
                scanned = PER_PART * PARTS
                check(summary["messages"] + summary["skipped"] == scanned, "%s: %d + %d skipped != %d scanned" %
                      (what, summary["messages"], summary["skipped"], scanned))
            check_outputs(env, prefix, live, offsets, summary, what)
            logs = [json.loads(l) for l in err.splitlines() if l.startswith("{")]
            check(any(l["msg"] == "replay progress" for l in logs), "%s: no JSON progress line off a terminal" % what)
            check(any(l["msg"] == "replay finished" for l in logs), "%s: no finish line" % what)
        # the live topics were not written by any of these (all went to prefixed topics)
        live_arts = read_all(env.bootstrap, "articles.normalized", min_count=len(live.ids))
        check(all(json.loads(m.value())["replay"] is False for m in live_arts) and
              len(live_arts) == len(live.ids), "replays with --output-prefix wrote to the live topics")

        # on a terminal: a progress bar with rate and ETA, and the summary as a table
        master, slave = pty.openpty()
        e = dict(os.environ)
        e.update(ASAN_ENV)
        r = subprocess.run([BIN, "replay", "--brokers", env.bootstrap, "--from", "beginning", "--to", "end",
                            "--output-prefix", "tty.", "--log-level", "warn"], stdout=subprocess.PIPE,
                           stderr=slave, cwd=ROOT, env=e, timeout=120)
        os.close(slave)
        tty = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            tty += chunk
        os.close(master)
        tty = tty.decode("utf-8", "replace")
        check(r.returncode == 0 and json.loads(r.stdout)["complete"], "tty run: exit %d" % r.returncode)
        check("\r[" in tty and "msg/s" in tty and "ETA" in tty and "100%" in tty, "no progress bar: %r" % tty[-500:])
        check("partition" in tty and "records" in tty and "replay complete" in tty, "no summary table: %r" % tty[-800:])

        # dry runs count per partition and produce nothing
        rc, s, err = run_replay(env.bootstrap, "--output-prefix", "dry.", "--from", "2", "--to", "0:9,1:5,2:12",
                                "--dry-run")
        check(rc == 0 and s["dry_run"] is True, "dry run: exit %d %s" % (rc, err[-2000:]))
        check({p["partition"]: p["messages"] for p in s["partitions"]} == {0: 7, 1: 3, 2: 10},
              "dry run counts %s" % s["partitions"])
        rc, s, err = run_replay(env.bootstrap, "--output-prefix", "dry.", "--from", rfc3339(base + 8 * MINUTE),
                                "--to", "end", "--dry-run")
        check(rc == 0 and s["time_bounds"] == "filter", "time dry run: exit %d %s" % (rc, err[-2000:]))
        check({p["partition"]: p["messages"] for p in s["partitions"]} == {0: 4, 1: 4, 2: 4},
              "time dry run counts %s" % s["partitions"])
        check(not topic_exists(env.bootstrap, "dry.articles.normalized"), "a dry run produced records")

        # configuration errors that need the broker to be found: exit 2, one line naming the problem
        for args, needle in [
            (["--from", "beginning", "--to", "end", "--partitions", "7"], "partition 7 does not exist"),
            (["--from", "0:1,1:1", "--to", "end", "--partitions", "0,2"], "--from names no offset for partition 2"),
            (["--from", "beginning", "--to", "end", "--input", "no.such.topic"], "no.such.topic"),
        ]:
            rc, s, err = run_replay(env.bootstrap, *args)
            check(rc == 2 and needle in err, "%s: exit %d, stderr %s" % (args, rc, err[-500:]))


def test_replay_usage_errors_exit_2():
    for args, needle in [
        ([], "--from and --to are required"),
        (["--from", "beginning"], "--from and --to are required"),
        (["--from", "yesterday", "--to", "end"], "--from: 'yesterday'"),
        (["--from", "beginning", "--to", "2024-02-30T00:00:00Z"], "--to: no such date"),
        (["--from", "0:1,0:2", "--to", "end"], "partition 0 named twice"),
        (["--from", "-1h", "--to", "-2h"], "later than --to"),
        (["--from", "beginning", "--to", "end", "--partitions", "a,b"], "--partitions"),
        (["--from", "beginning", "--to", "end", "--rate", "fast"], "--rate"),
        (["--from", "beginning", "--to", "end", "--group", "g"], "--group"),
    ]:
        rc, _, err = run_replay("127.0.0.1:1", *args, timeout=30)
        check(rc == 2 and needle in err, "%s: exit %d, stderr %r" % (args, rc, err[-500:]))
        check(len(err.strip().splitlines()) == 1, "%s: one line expected, got %r" % (args, err))


def test_replay_corrupt_checkpoint_exits_2():
    with Env(partitions=PARTS) as env:
        path = os.path.join(env.dir, "ck.json")
        with open(path, "w") as f:
            f.write('{"version":1,"topic":"articles.raw","partitions":[{"partition":0,"next":9,"end":3}]}')
        rc, _, err = run_replay(env.bootstrap, "--from", "beginning", "--to", "end", "--checkpoint", path)
        check(rc == 2 and "beyond its end" in err and path in err, "corrupt checkpoint: exit %d %s" % (rc, err))
        with open(path, "w") as f:
            f.write('{"version":1,"topic":"other.topic","partitions":[]}')
        rc, _, err = run_replay(env.bootstrap, "--from", "beginning", "--to", "end", "--checkpoint", path)
        check(rc == 2 and "other.topic" in err, "checkpoint of another topic: exit %d %s" % (rc, err))


def test_replay_sigterm_then_resume_from_checkpoint_leaves_no_gap():
    per_part = 120
    with Env(partitions=PARTS) as env:
        produce_dataset(env.bootstrap, int(time.time() * 1000) - 3 * 3600 * 1000, per_part=per_part)
        ck = os.path.join(env.dir, "replay.ckpt")
        args = [BIN, "replay", "--brokers", env.bootstrap, "--from", "beginning", "--to", "end", "--output-prefix",
                "bf.", "--checkpoint", ck, "--commit-interval", "100", "--rate", "60/s", "--progress-interval", "200"]
        p = env.spawn(args, "replay")
        deadline = time.time() + 60
        started = lambda: os.path.exists(ck) and sum(x["next"] for x in json.load(open(ck))["partitions"]) >= 40
        while time.time() < deadline and not started():
            check(p.alive(), "replay exited early: " + p.stderr()[-2000:])
            time.sleep(0.1)
        check(started(), "checkpoint did not advance")
        rc, secs = p.stop(signal.SIGTERM)
        check(rc == 0, "exit %d after SIGTERM:\n%s" % (rc, p.stderr()[-2000:]))
        sanitizer_clean(p)
        first = json.loads(p.stdout().splitlines()[-1])
        check(first["complete"] is False, "an interrupted replay must not claim completion")
        with open(ck) as f:
            saved = {x["partition"]: x for x in json.load(f)["partitions"]}
        check(all(x["end"] == per_part for x in saved.values()), "checkpoint keeps the range: %s" % saved)
        check(sum(x["next"] for x in saved.values()) < PARTS * per_part, "interrupted before the end")
        # everything below the checkpoint is downstream already (acknowledged before it was written)
        # read until every record the checkpoint vouches for could be there: an idle read alone can
        # end before the reader's first fetch from some partition (the output topics' partitions
        # have different leaders); a missing record then still fails below, after the timeout
        bad_below = BAD[1] < saved[BAD[0]]["next"]
        n_below = sum(x["next"] for x in saved.values())
        arts = read_all(env.bootstrap, "bf.articles.normalized", min_count=n_below - bad_below, timeout=30)
        dl = read_all(env.bootstrap, "bf.articles.dlq", min_count=1 if bad_below else 0, idle=0.3,
                      timeout=15) if bad_below or topic_exists(env.bootstrap, "bf.articles.dlq") else []
        seen = {(json.loads(m.value())["source"]["partition"], json.loads(m.value())["source"]["offset"]) for m in arts}
        seen |= {(int(dict(m.headers())["x-ingest-source-partition"]),
                  int(dict(m.headers())["x-ingest-source-offset"])) for m in dl}
        below = {(pt, o) for pt, x in saved.items() for o in range(x["next"])}
        check(below <= seen, "checkpoint ahead of acknowledged output: %s" % sorted(below - seen)[:5])

        rc, second, err = run_replay(env.bootstrap, "--from", "beginning", "--to", "end", "--output-prefix", "bf.",
                                     "--checkpoint", ck, "--commit-interval", "100")
        check(rc == 0 and second["complete"] and second["resumed"], "resume: exit %d %s" % (rc, err[-2000:]))
        for part in second["partitions"]:
            check(part["start"] == saved[part["partition"]]["next"], "resumed partition %d at %d, checkpoint %d" %
                  (part["partition"], part["start"], saved[part["partition"]]["next"]))
        total = PARTS * per_part
        arts = read_all(env.bootstrap, "bf.articles.normalized", min_count=total - 1, timeout=120)
        dl = read_all(env.bootstrap, "bf.articles.dlq", min_count=1)
        seen = {(json.loads(m.value())["source"]["partition"], json.loads(m.value())["source"]["offset"]) for m in arts}
        seen |= {(int(dict(m.headers())["x-ingest-source-partition"]),
                  int(dict(m.headers())["x-ingest-source-offset"])) for m in dl}
        want = all_offsets(lo=0, hi=per_part)
        check(seen == want, "union of both runs misses %d inputs, e.g. %s" % (len(want - seen),
                                                                             sorted(want - seen)[:5]))
        dups = len(arts) + len(dl) - len(want)
        check(dups <= first["messages"], "more duplicates (%d) than the first run processed" % dups)
        # a third run finds the range done
        rc, third, err = run_replay(env.bootstrap, "--from", "beginning", "--to", "end", "--output-prefix", "bf.",
                                    "--checkpoint", ck)
        check(rc == 0 and third["complete"] and third["messages"] == 0, "finished checkpoint rerun: %s" % third)


def test_replay_beside_live_worker_leaves_group_offsets_untouched():
    with Env(partitions=PARTS) as env:
        produce_dataset(env.bootstrap, int(time.time() * 1000) - 3600 * 1000, per_part=40)
        w = env.worker()
        ok, before, ends = env.all_committed(timeout=120)
        check(ok, "live worker did not commit everything: %s vs %s" % (before, ends))
        # the replay writes to the live topics, beside the running live worker
        rc, s, err = run_replay(env.bootstrap, "--from", "beginning", "--to", "end")
        check(rc == 0 and s["complete"], "replay exit %d: %s" % (rc, err[-2000:]))
        time.sleep(1.5)  # a commit interval of the live worker
        after = env.committed()
        check(after == before, "live group's committed offsets moved: %s -> %s" % (before, after))
        check(w.alive(), "live worker died")
        log = [json.loads(l) for l in w.stderr().splitlines() if l.startswith("{")]
        check(sum(1 for l in log if l.get("msg") == "partitions assigned") == 1 and
              not any(l.get("msg") in ("partitions revoked", "partitions lost") for l in log),
              "the replay disturbed the live group's membership")
        arts = env.read("articles.normalized", min_count=2 * (PARTS * 40 - 1))
        live = {json.loads(m.value())["id"] for m in arts if not json.loads(m.value())["replay"]}
        replayed = [json.loads(m.value())["id"] for m in arts if json.loads(m.value())["replay"]]
        check(len(replayed) == PARTS * 40 - 1 and set(replayed) == live,
              "replayed ids must equal the live ids (upserts): %d replayed, %d live" % (len(replayed), len(live)))
        rc, _ = w.stop()
        check(rc == 0, "live worker exit %d" % rc)
        sanitizer_clean(w)


def test_replay_offsets_for_times_on_real_kafka():
    """Only against a real Kafka (KAFKA_BROKERS): time bounds through the broker's lookup."""
    brokers = os.environ.get("KAFKA_BROKERS")
    if not brokers:
        raise Skip("KAFKA_BROKERS not set: the offsets-for-times path is NOT tested "
                   "(the mock broker cannot answer it; its fallback is tested above)")
    from confluent_kafka.admin import AdminClient, NewTopic
    tag = uuid.uuid4().hex[:8]
    raw, prefix = "replay-it-%s.raw" % tag, "replay-it-%s." % tag
    admin = AdminClient({"bootstrap.servers": brokers})
    fs = admin.create_topics([NewTopic(t, PARTS, 1) for t in [raw] + [prefix + o for o in OUT]])
    for f in fs.values():
        f.result(30)
    try:
        base = int(time.time() * 1000) - 60 * MINUTE
        produce_dataset(brokers, base, topic=raw)
        rc, s, err = run_replay(brokers, "--input", raw, "--output-prefix", prefix,
                                "--from", rfc3339(base + 3 * MINUTE), "--to", rfc3339(base + 7 * MINUTE))
        check(rc == 0 and s["complete"], "exit %d: %s" % (rc, err[-2000:]))
        check(s["time_bounds"] == "lookup", "a real broker must answer the lookup: %s" % s["time_bounds"])
        check(s["skipped"] == 0, "with the lookup nothing outside the range is read")
        for part in s["partitions"]:
            check((part["start"], part["end"]) == (3, 7), "partition %d range %s" %
                  (part["partition"], (part["start"], part["end"])))
        arts = read_all(brokers, prefix + "articles.normalized", min_count=PARTS * 4 - 1)
        got = {(json.loads(m.value())["source"]["partition"], json.loads(m.value())["source"]["offset"]) for m in arts}
        check(got == all_offsets(lo=3, hi=7) - {BAD}, "replayed %s" % sorted(got))
    finally:
        admin.delete_topics([raw] + [prefix + o for o in OUT])
