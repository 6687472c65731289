"""Integration harness: start `ingest-worker broker` and `ingest-worker run` as separate processes,
talk to them over TCP with clients nobody here wrote (kcat, python3-confluent-kafka).

Run with /usr/bin/python3 (Debian's python3-confluent-kafka and python3-jsonschema live there).
"""
import atexit
import os
import shutil
import signal
import sys
import socket
import subprocess
import tempfile
import time
import uuid

from confluent_kafka import Consumer, Producer, TopicPartition, OFFSET_BEGINNING

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, os.environ.get("INGEST_BIN", "build/asan/ingest-worker"))
FIXTURES = os.environ.get("INGEST_FIXTURES", os.path.join(ROOT, "tests", "fixtures", "articles"))
TOPICS = ["articles.raw", "articles.normalized", "articles.entities", "articles.events", "articles.dlq"]
# Short group timeouts so a killed member is noticed quickly by the broker.
GROUP_OPTS = ["-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500"]
ASAN_ENV = {"ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:exitcode=86",
            "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1:exitcode=87"}


class Fail(AssertionError):
    pass


class Skip(Exception):
    """Raised by a test that cannot run here; run_all prints a SKIP line with the reason."""


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def read_topic(bootstrap, topic, min_count=0, timeout=60, idle=1.5, isolation=None):
    """All messages of topic from the beginning: waits until at least min_count arrived and the
    topic has been idle for `idle` seconds (or timeout). isolation: a consumer isolation.level.
    Returns confluent_kafka Messages."""
    conf = {"bootstrap.servers": bootstrap, "group.id": "reader-" + uuid.uuid4().hex[:8],
            "enable.auto.commit": False, "enable.partition.eof": False}
    if isolation:
        conf["isolation.level"] = isolation
    c = Consumer(conf)
    md = c.list_topics(topic, timeout=10)
    c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in md.topics[topic].partitions])
    out, deadline, last = [], time.time() + timeout, time.time()
    while time.time() < deadline:
        m = c.poll(0.2)
        if m is None:
            if len(out) >= min_count and time.time() - last >= idle:
                break
            continue
        if m.error():
            continue
        out.append(m)
        last = time.time()
    c.close()
    return out


class Proc:
    """A child process with its stdout/stderr in files, killed at the end of a test."""

    def __init__(self, args, workdir, name, env=None, stdin=None):
        self.name = name
        self.out_path = os.path.join(workdir, name + ".out")
        self.err_path = os.path.join(workdir, name + ".err")
        e = dict(os.environ)
        e.update(ASAN_ENV)
        e.update(env or {})
        self.p = subprocess.Popen(args, stdout=open(self.out_path, "wb"), stderr=open(self.err_path, "wb"),
                                  cwd=ROOT, env=e, stdin=stdin)
        self.health_port = None

    def alive(self):
        return self.p.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Sends sig, waits; returns (exit code, seconds to exit)."""
        t0 = time.time()
        if self.alive():
            self.p.send_signal(sig)
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait()
            raise Fail("%s did not exit within %ss after signal %d" % (self.name, timeout, sig))
        return rc, time.time() - t0

    def kill9(self):
        self.p.kill()
        self.p.wait()

    def stderr(self):
        with open(self.err_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stdout(self):
        with open(self.out_path, "rb") as f:
            return f.read().decode("utf-8", "replace")


_scratch_dirs = []


def scratch_dir(prefix="ingest-it-"):
    """A directory for one test's files, removed when the test's process exits (each test runs in a
    process of its own); an Env keeps its directory instead when the test failed, for the logs."""
    d = tempfile.mkdtemp(prefix=prefix)
    _scratch_dirs.append(d)
    return d


@atexit.register
def _remove_scratch_dirs():
    for d in _scratch_dirs:
        shutil.rmtree(d, ignore_errors=True)


class Env:
    """One test's world: a broker process, workers, clients. Use as a context manager."""

    def __init__(self, partitions=3):
        self.dir = tempfile.mkdtemp(prefix="ingest-it-")  # kept when the test fails (see __exit__)
        self.procs = []
        boot_file = os.path.join(self.dir, "bootstrap")
        # the broker's stdin is its fault-injection control channel (see broker_ctl)
        self.broker = self.spawn([BIN, "broker", "--partitions", str(partitions), "--bootstrap-file", boot_file],
                                 "broker", stdin=subprocess.PIPE)
        self.ctl_replies = 0
        deadline = time.time() + 20
        while not os.path.exists(boot_file):
            check(self.broker.alive(), "broker exited: " + self.broker.stderr())
            check(time.time() < deadline, "broker did not write its bootstrap file")
            time.sleep(0.05)
        with open(boot_file) as f:
            self.bootstrap = f.read().strip()
        self.group = "it-" + uuid.uuid4().hex[:8]

    def spawn(self, args, name, env=None, stdin=None):
        p = Proc(args, self.dir, "%s-%d" % (name, len(self.procs)), env, stdin)
        self.procs.append(p)
        return p

    def worker(self, *extra, env=None):
        """A worker of the test's group; its HTTP endpoints on a free loopback port (p.health_port)."""
        port = free_port()
        p = self.spawn([BIN, "run", "--brokers", self.bootstrap, "--group", self.group,
                        "--health-addr", "127.0.0.1:%d" % port] + GROUP_OPTS + list(extra), "worker", env)
        p.health_port = port
        return p

    def broker_ctl(self, line, timeout=10):
        """Sends one control command to the broker process; returns its one-line answer."""
        self.broker.p.stdin.write((line + "\n").encode())
        self.broker.p.stdin.flush()
        self.ctl_replies += 1
        deadline = time.time() + timeout
        while time.time() < deadline:
            lines = self.broker.stdout().splitlines()  # line 1 is the bootstrap address
            if len(lines) > self.ctl_replies:
                return lines[self.ctl_replies]
            time.sleep(0.02)
        raise Fail("broker did not answer %r" % line)

    def producer(self):
        # no sticky partitioning: key-less test input spreads over every partition
        return Producer({"bootstrap.servers": self.bootstrap, "linger.ms": 5, "sticky.partitioning.linger.ms": 0})

    def produce(self, msgs):
        """msgs: iterable of (key or None, value bytes, headers list or None). Returns count."""
        p = self.producer()
        n = 0
        for key, value, headers in msgs:
            p.produce("articles.raw", key=key, value=value, headers=headers)
            n += 1
            if n % 500 == 0:
                p.flush(30)
        check(p.flush(30) == 0, "producer could not deliver test input")
        return n

    def kcat_produce(self, lines, topic="articles.raw"):
        """Produces (key, value) pairs with kcat (a client nobody here wrote); records are separated by
        ASCII RS so that values keep their newlines."""
        data = "".join("%s\t%s\x1e" % (k, v) for k, v in lines).encode()
        r = subprocess.run(["kcat", "-P", "-b", self.bootstrap, "-t", topic, "-K", "\t", "-D", "\x1e"], input=data,
                           capture_output=True, timeout=60)
        check(r.returncode == 0, "kcat produce failed: %s" % r.stderr.decode())

    def read(self, topic, min_count=0, timeout=60, idle=1.5):
        """All messages of topic from the beginning: see read_topic."""
        return read_topic(self.bootstrap, topic, min_count, timeout, idle)

    def wait_records(self, count, timeout=60):
        """Waits until at least count article records are downstream (progress of a running worker)."""
        deadline = time.time() + timeout
        while time.time() < deadline and len(self.read("articles.normalized", idle=0.2, timeout=2)) < count:
            time.sleep(0.1)

    def committed(self, topic="articles.raw"):
        """The worker group's committed offsets per partition (what a restart resumes from)."""
        c = Consumer({"bootstrap.servers": self.bootstrap, "group.id": self.group, "enable.auto.commit": False})
        md = c.list_topics(topic, timeout=10)
        tps = [TopicPartition(topic, p) for p in md.topics[topic].partitions]
        res = {tp.partition: tp.offset for tp in c.committed(tps, timeout=10)}
        c.close()
        return res

    def all_committed(self, timeout=20):
        """Waits until the group's committed offset equals the end of every non-empty input partition
        (an empty partition has nothing to commit). Returns (ok, committed, ends)."""
        deadline = time.time() + timeout
        while True:
            committed, ends = self.committed(), self.high_watermarks()
            ok = all(committed.get(p) == hw for p, hw in ends.items() if hw > 0)
            if ok or time.time() > deadline:
                return ok, committed, ends
            time.sleep(0.5)

    def high_watermarks(self, topic="articles.raw", which=1):
        c = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "wm-" + uuid.uuid4().hex[:8]})
        md = c.list_topics(topic, timeout=10)
        res = {p: c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[which]
               for p in md.topics[topic].partitions}
        c.close()
        return res

    def low_watermarks(self, topic):
        """First offset still stored per partition (the mock broker drops the oldest data past a few MB)."""
        return self.high_watermarks(topic, which=0)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        kill_all(self.procs)
        if exc_type is None:
            shutil.rmtree(self.dir, ignore_errors=True)
        else:
            print("logs of the failed test kept in %s" % self.dir, file=sys.stderr)
        return False


def kill_all(procs):
    """Kills (SIGKILL) and reaps every process of procs still running: a test's cleanup."""
    for p in procs:
        if p.alive():
            p.p.kill()
            p.p.wait()


def free_port():
    """A TCP port free on loopback right now (tests run concurrently: never a fixed port)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def http_get(port, path, timeout=5):
    """GET with curl (a client nobody here wrote): (status, body); status 0 when nothing answers."""
    r = subprocess.run(["curl", "-s", "-m", str(timeout), "-o", "-", "-w", "\n%{http_code}",
                        "http://127.0.0.1:%d%s" % (port, path)], capture_output=True, timeout=timeout + 5)
    body, _, code = r.stdout.decode("utf-8", "replace").rpartition("\n")
    return int(code or 0), body


def wait_status(port, path, want, timeout=60, proc=None):
    """Polls path until it answers HTTP `want`; returns the body. Fails after timeout."""
    deadline = time.time() + timeout
    status, body = 0, ""
    while time.time() < deadline:
        if proc is not None:
            check(proc.alive(), "%s exited: %s" % (proc.name, proc.stderr()[-2000:]))
        status, body = http_get(port, path)
        if status == want:
            return body
        time.sleep(0.2)
    raise Fail("%s: HTTP %d (%s), want %d after %ss" % (path, status, body.strip(), want, timeout))


def sanitizer_clean(proc):
    """No AddressSanitizer/UBSan report in a process's stderr."""
    err = proc.stderr()
    for marker in ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer"):
        check(marker not in err, "%s: sanitizer report:\n%s" % (proc.name, err[-4000:]))


def fixture_files():
    return sorted(os.path.join(FIXTURES, f) for f in os.listdir(FIXTURES) if not f.startswith("."))


def fixture_values():
    out = []
    for path in fixture_files():
        with open(path, "rb") as f:
            out.append((os.path.basename(path), f.read()))
    return out


def synthetic_article(i):
    """A small plain-text article, unique per i (so content-hash ids differ too)."""
    return ("Foreign ministers meet in Doha, round %d\n"
            "The talks continued for a %dth day.\n"
            "Secretary of State Antony Blinken met Qatari officials in Doha on Monday, the State Department said. "
            "Blinken thanked Qatar for its help with round %d of the evacuation.\n"
            "\u201cWe are grateful,\u201d Blinken told reporters. Officials said the next round could start on Friday.\n"
            % (i, i, i)).encode()
