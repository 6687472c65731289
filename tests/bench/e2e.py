#!/usr/bin/python3
"""End to end through `ingest-worker broker` (the third table of `make bench`).

usage: e2e.py [--bin build/ingest-worker] [--guarantee at-least-once|exactly-once] [--limit N]
              [--paced N] [--window N] [--partitions P] [--expect-records N] [--json] CORPUS

Starts the broker (librdkafka's mock cluster) and one worker (`ingest-worker run`) as separate
processes, waits until the worker is ready, then, with python3-confluent-kafka:
  1. saturated: produces the corpus (but its last --paced articles) as fast as the worker takes it,
     keeping at most --window articles produced but not yet seen downstream (the mock broker keeps
     only about 5 MB per partition, so an unbounded backlog would be dropped before it is read);
  2. paced: produces the last --paced articles at half the rate measured in 1, so that latency is
     seen without a queue in front of the worker;
while reading the article records off articles.normalized (read_committed for exactly-once). Then it
waits until every record is out: the entity and event topics hold --expect-records minus the
articles (when given) and the worker's committed offsets reach the end of the input.

Throughput: articles of phase 1 / (last article record's timestamp - first input's timestamp);
also per CPU-second of the worker process (utime + stime, librdkafka's threads included), which a
busy machine disturbs less. Latency: the article record's timestamp (set by the worker's producer
when it hands the record over) minus the input's timestamp (set here at produce time), and the time a
consumer here read it minus the input's timestamp. Run with /usr/bin/python3 (Debian's confluent_kafka).
"""
import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

from confluent_kafka import Consumer, Producer, TopicPartition, OFFSET_BEGINNING

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "integration"))
import gen_corpus  # noqa: E402
from harness import free_port  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def proc_cpu_seconds(pid):
    """utime + stime of a process (all its threads), from /proc."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def thread_cpu_seconds(pid, tid):
    """utime + stime of one thread of a process (tid == pid: its main thread)."""
    with open("/proc/%d/task/%d/stat" % (pid, tid)) as f:
        fields = f.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_status_kb(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def http_status(port, path):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=2) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return 0


def produced_total(port):
    """Sum of the worker's ingest_records_produced_total (records the broker acknowledged), or -1."""
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=2) as r:
            text = r.read().decode()
    except OSError:
        return -1
    return sum(int(float(line.rsplit(" ", 1)[1])) for line in text.splitlines()
               if line.startswith("ingest_records_produced_total{"))


def pct(values, q):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))]


class Run:
    def __init__(self, a):
        self.a = a
        self.dir = tempfile.mkdtemp(prefix="ingest-bench-")
        self.procs = []

    def spawn(self, args, name):
        p = subprocess.Popen(args, stdout=open(os.path.join(self.dir, name + ".out"), "wb"),
                             stderr=open(os.path.join(self.dir, name + ".err"), "wb"), stdin=subprocess.DEVNULL,
                             cwd=ROOT)
        self.procs.append(p)
        return p

    def stderr(self, name):
        with open(os.path.join(self.dir, name + ".err"), "rb") as f:
            return f.read().decode("utf-8", "replace")

    def start(self):
        boot_file = os.path.join(self.dir, "bootstrap")
        self.broker = self.spawn([self.a.bin, "broker", "--partitions", str(self.a.partitions), "--bootstrap-file",
                                  boot_file, "--log-level", "warn"], "broker")
        deadline = time.time() + 20
        while not os.path.exists(boot_file):
            if self.broker.poll() is not None or time.time() > deadline:
                raise SystemExit("e2e: broker did not start: " + self.stderr("broker")[-2000:])
            time.sleep(0.05)
        with open(boot_file) as f:
            self.bootstrap = f.read().strip()
        self.group = "bench-" + uuid.uuid4().hex[:8]
        self.workers, self.ports = [], []
        for k in range(self.a.workers):
            port = free_port()
            args = [self.a.bin, "run", "--brokers", self.bootstrap, "--group", self.group, "--health-addr",
                    "127.0.0.1:%d" % port, "--log-level", "warn", "--guarantee", self.a.guarantee]
            for x in self.a.X:
                args += ["-X", x]
            self.workers.append(self.spawn(args, "worker-%d" % k))
            self.ports.append(port)
        deadline = time.time() + 60
        while not all(http_status(p, "/readyz") == 200 for p in self.ports):
            if any(w.poll() is not None for w in self.workers) or time.time() > deadline:
                raise SystemExit("e2e: worker not ready: " + self.stderr("worker-0")[-2000:])
            time.sleep(0.1)

    # figures over every worker of the group
    def cpu(self):
        return sum(proc_cpu_seconds(w.pid) for w in self.workers)

    def main_cpu(self):
        return sum(thread_cpu_seconds(w.pid, w.pid) for w in self.workers)

    def peak_rss_kb(self):
        return max(proc_status_kb(w.pid, "VmHWM") for w in self.workers)

    def acked(self):
        counts = [produced_total(p) for p in self.ports]
        return -1 if min(counts) < 0 else sum(counts)

    def exited(self):
        return next((w for w in self.workers if w.poll() is not None), None)

    def stop(self):
        """Stops the processes and removes the run's directory (a failure has quoted its logs already)."""
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def output_consumer(self):
        conf = {"bootstrap.servers": self.bootstrap, "group.id": "bench-reader-" + uuid.uuid4().hex[:8],
                "enable.auto.commit": False, "enable.partition.eof": False, "fetch.wait.max.ms": 10}
        if self.a.guarantee == "exactly-once":
            conf["isolation.level"] = "read_committed"
        c = Consumer(conf)
        md = c.list_topics("articles.normalized", timeout=10)
        c.assign([TopicPartition("articles.normalized", p, OFFSET_BEGINNING)
                  for p in md.topics["articles.normalized"].partitions])
        return c

    def watermarks(self, topic):
        c = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "bench-wm-" + uuid.uuid4().hex[:8]})
        md = c.list_topics(topic, timeout=10)
        res = {p: c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in md.topics[topic].partitions}
        c.close()
        return res

    def committed_to_end(self):
        c = Consumer({"bootstrap.servers": self.bootstrap, "group.id": self.group, "enable.auto.commit": False})
        ends = self.watermarks("articles.raw")
        got = {tp.partition: tp.offset for tp in c.committed([TopicPartition("articles.raw", p) for p in ends], 10)}
        c.close()
        return all(got.get(p) == hw for p, hw in ends.items() if hw > 0)


def run(a):
    articles = []
    for form, key, data in gen_corpus.read_corpus(a.corpus):
        articles.append((key, data))
        if a.limit and len(articles) >= a.limit:
            break
    n_paced = min(a.paced, len(articles) // 4)
    sat, paced = articles[:len(articles) - n_paced], articles[len(articles) - n_paced:]
    r = Run(a)
    try:
        r.start()
        cpu0 = r.cpu()
        main0 = r.main_cpu()
        bcpu0 = proc_cpu_seconds(r.broker.pid)
        ru0 = resource.getrusage(resource.RUSAGE_SELF)
        cons = r.output_consumer()
        prod = Producer({"bootstrap.servers": r.bootstrap, "linger.ms": 2, "sticky.partitioning.linger.ms": 0,
                         "queue.buffering.max.messages": 1000000})
        in_ts, rec_lat, read_lat, seen, dups = {}, {}, {}, set(), 0
        last_rec_ts = [0]
        rss_at = {}  # the worker's peak RSS (kB) after N article records

        def drain(timeout):
            nonlocal dups
            for m in cons.consume(num_messages=1000, timeout=timeout):
                if m.error():
                    continue
                key = m.key().decode()
                if key in seen:
                    dups += 1
                    continue
                now = time.time() * 1000
                seen.add(key)
                if len(seen) in (1000, 2000, 5000, 10000, 15000, 20000):
                    rss_at[len(seen)] = r.peak_rss_kb()
                t_in = in_ts.get(key)
                if t_in is None:
                    continue
                ts = m.timestamp()[1]
                rec_lat[key] = ts - t_in
                read_lat[key] = now - t_in
                last_rec_ts[0] = max(last_rec_ts[0], ts)

        def produce(key, data):
            ts = int(time.time() * 1000)
            in_ts[key] = ts
            prod.produce("articles.raw", key=key, value=data, timestamp=ts)

        # 1. saturated, bounded by the window; gives up after 30 s without progress
        t_first = int(time.time() * 1000)
        i, last_progress, last_seen = 0, time.time(), 0
        while i < len(sat) or len(seen) < len(sat):
            while i < len(sat) and i - len(seen) < a.window:
                produce(*sat[i])
                i += 1
            prod.poll(0)
            drain(0.02)
            if len(seen) != last_seen:
                last_seen, last_progress = len(seen), time.time()
            if r.exited():
                raise SystemExit("e2e: a worker exited: " + r.stderr("worker-0")[-2000:])
            if time.time() - last_progress > 30:
                print("e2e: no article record for 30 s (%d of %d seen)" % (len(seen), len(sat)), file=sys.stderr)
                break
        t_sat_end = last_rec_ts[0]
        sat_secs = (t_sat_end - t_first) / 1000.0
        cpu_sat = r.cpu() - cpu0
        main_sat = r.main_cpu() - main0
        rate = len(sat) / sat_secs if sat_secs > 0 else 100.0
        # 2. paced at half that rate
        interval = 2.0 / rate
        t_next = time.time()
        for key, data in paced:
            while time.time() < t_next:
                drain(min(0.01, max(0.0, t_next - time.time())))
            produce(key, data)
            prod.poll(0)
            t_next += interval
        prod.flush(30)
        deadline = time.time() + 60
        while len(seen) < len(articles) and time.time() < deadline:
            drain(0.05)
        # 3. every record out: the entity and event records on their topics, every record acknowledged
        # (the worker's /metrics), and, at-least-once, the offsets committed to the end of the input
        # (librdkafka 2.0.2's mock does not store offsets committed in a transaction: not checked for
        # exactly-once here)
        want_side = a.expect_records - len(articles) if a.expect_records else 0
        side, acked, all_out = 0, 0, False
        while time.time() < deadline:
            side = sum(r.watermarks("articles.entities").values()) + sum(r.watermarks("articles.events").values())
            acked = r.acked()
            if side >= want_side and acked >= a.expect_records and (
                    a.guarantee == "exactly-once" or r.committed_to_end()):
                all_out = True
                break
            time.sleep(0.2)
        t_all_out = time.time()
        cpu_total = r.cpu() - cpu0
        broker_cpu = proc_cpu_seconds(r.broker.pid) - bcpu0
        ru1 = resource.getrusage(resource.RUSAGE_SELF)
        driver_cpu = ru1.ru_utime + ru1.ru_stime - ru0.ru_utime - ru0.ru_stime
        hwm_kb = r.peak_rss_kb()
        cons.close()
        for w in r.workers:
            w.send_signal(signal.SIGTERM)
        rc = max(abs(w.wait(30)) for w in r.workers)
        sat_keys = [k for k, _ in sat]
        paced_keys = [k for k, _ in paced]
        res = {
            "mode": "e2e", "guarantee": a.guarantee, "articles": len(articles), "saturated": len(sat),
            "paced": len(paced), "window": a.window, "partitions": a.partitions,
            "articles_per_s": len(sat) / sat_secs if sat_secs > 0 else 0,
            "mb_per_s": sum(len(d) for _, d in sat) / sat_secs / 1e6 if sat_secs > 0 else 0,
            "articles_per_worker_cpu_s": len(sat) / cpu_sat if cpu_sat > 0 else 0,
            "worker_cpu_s": cpu_total, "broker_cpu_s": broker_cpu, "driver_cpu_s": driver_cpu,
            "wall_s": time.time() - t_first / 1000.0,
            # the share of the saturated phase the worker's main thread (pipeline, produce calls,
            # callbacks) was on a CPU: below 100% it waited for input or for a CPU
            "main_thread_busy": main_sat / sat_secs / a.workers if sat_secs > 0 else 0,
            "workers": a.workers,
            "main_thread_share": main_sat / cpu_sat if cpu_sat > 0 else 0,
            "sat_p50_ms": pct([rec_lat[k] for k in sat_keys if k in rec_lat], 0.5),
            "sat_p99_ms": pct([rec_lat[k] for k in sat_keys if k in rec_lat], 0.99),
            "paced_rate": rate / 2,
            "paced_p50_ms": pct([rec_lat[k] for k in paced_keys if k in rec_lat], 0.5),
            "paced_p99_ms": pct([rec_lat[k] for k in paced_keys if k in rec_lat], 0.99),
            "paced_read_p50_ms": pct([read_lat[k] for k in paced_keys if k in read_lat], 0.5),
            "paced_read_p99_ms": pct([read_lat[k] for k in paced_keys if k in read_lat], 0.99),
            "seen": len(seen), "duplicates": dups, "side_records": side, "side_expected": want_side,
            "acknowledged": acked, "expected_records": a.expect_records,
            "all_out": all_out and len(seen) == len(articles), "drain_s": t_all_out - t_first / 1000.0,
            "worker_peak_rss_mb": hwm_kb / 1024.0, "worker_rss_1k_mb": rss_at.get(1000, 0) / 1024.0,
            "worker_rss_at_mb": {str(k): v / 1024.0 for k, v in sorted(rss_at.items())}, "worker_exit": rc,
        }
    finally:
        r.stop()
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "ingest-worker"))
    ap.add_argument("--guarantee", default="at-least-once", choices=["at-least-once", "exactly-once"])
    ap.add_argument("--limit", type=int, default=0, help="first N articles of the corpus (0: all)")
    ap.add_argument("--paced", type=int, default=2000, help="articles of the paced phase")
    ap.add_argument("--window", type=int, default=200, help="most articles produced but not yet seen downstream")
    ap.add_argument("--partitions", type=int, default=3)
    ap.add_argument("--workers", type=int, default=1, help="workers in the group (CPU and RSS: summed / the largest)")
    ap.add_argument("--expect-records", type=int, default=0, help="records the corpus makes (bench pipeline)")
    ap.add_argument("-X", action="append", default=[], help="librdkafka property for the worker")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("corpus")
    a = ap.parse_args()
    res = run(a)
    print("end to end (%s): %d articles, %.0f articles/s, %.1f MB/s (%.0f per worker CPU-second); "
          "saturated p50 %.0f ms p99 %.0f ms; at %.0f/s p50 %.0f ms p99 %.0f ms (read: p50 %.0f p99 %.0f); "
          "records out: %s; worker peak RSS %.1f MB, exit %d; main thread busy %.0f%% (%.0f%% of the worker's CPU)" % (
              res["guarantee"], res["articles"], res["articles_per_s"], res["mb_per_s"],
              res["articles_per_worker_cpu_s"], res["sat_p50_ms"], res["sat_p99_ms"], res["paced_rate"],
              res["paced_p50_ms"], res["paced_p99_ms"], res["paced_read_p50_ms"], res["paced_read_p99_ms"],
              "all" if res["all_out"] else "NOT ALL (%d of %d articles, %d of %d others)" % (
                  res["seen"], res["articles"], res["side_records"], res["side_expected"]),
              res["worker_peak_rss_mb"], res["worker_exit"], 100 * res["main_thread_busy"],
              100 * res["main_thread_share"]))
    if a.json:
        print("BENCH_JSON " + json.dumps(res))
    return 0 if res["all_out"] and res["worker_exit"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
