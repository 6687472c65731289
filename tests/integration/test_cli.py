"""Commands without a broker: tag, configuration errors and precedence, --print-config."""
import json
import os
import subprocess

import schema_check
from harness import BIN, ROOT, check, fixture_files, scratch_dir


def run(args, env=None, stdin=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([BIN] + args, capture_output=True, cwd=ROOT, env=e, input=stdin, timeout=60)


def test_tag_fixtures_validate_against_schemas():
    files = fixture_files()
    r = run(["tag"] + files)
    check(r.returncode == 0, "tag failed: %s" % r.stderr.decode()[-2000:])
    lines = r.stdout.decode().splitlines()
    check(len(lines) == len(files), "one record per file, in order")
    v = schema_check.validator("article")
    for f, line in zip(files, lines):
        probs = schema_check.problems("article", json.loads(line), v)
        check(not probs, "%s: %s" % (os.path.basename(f), probs[:5]))


def test_tag_is_deterministic():
    files = fixture_files()[:5]
    a, b = run(["tag"] + files), run(["tag"] + files)
    check(a.stdout == b.stdout and a.stdout, "same input must give byte-identical records (ids for upserts)")


def test_tag_reports_bad_input_and_exits_1():
    r = run(["tag"], stdin=b"\xff\xfe not utf-8")
    check(r.returncode == 1, "exit %d for invalid input" % r.returncode)
    check(b"invalid_utf8" in r.stderr, "reason code named on stderr")
    check(r.stdout == b"", "no record for a failed input")


def test_schema_rejects_a_broken_record():
    # the validator must not be a rubber stamp
    r = run(["tag", fixture_files()[0]])
    rec = json.loads(r.stdout)
    rec["entities"].append({"id": "Q1", "name": "X", "type": "ALIEN", "country": None, "mentions": [], "salience": 2})
    rec["published_at"] = "31 Aug 2021"
    probs = schema_check.problems("article", rec)
    check(len(probs) >= 2, "broken record passed: %s" % probs)


def test_usage_errors_exit_2_naming_the_problem():
    cases = [
        (["run", "--no-such-flag"], "no-such-flag"),
        (["run", "--max-message-bytes", "lots"], "max-message-bytes"),
        (["run", "--shutdown-timeout", "-5"], "shutdown-timeout"),
        (["run", "-X", "no.such.property=1", "--brokers", "127.0.0.1:1"], "no.such.property"),
        (["run", "-X", "novalue"], "key=value"),
        (["frobnicate"], "frobnicate"),
        (["broker", "--partitions", "0"], "partitions"),
    ]
    for args, needle in cases:
        r = run(args)
        check(r.returncode == 2, "%s: exit %d, want 2" % (args, r.returncode))
        err = r.stderr.decode()
        check(needle in err and len(err.strip().splitlines()) >= 1, "%s: message does not name %s: %s" % (args, needle, err))


def test_config_precedence_flag_env_file_default_and_masking():
    d = scratch_dir()
    cfg = os.path.join(d, "worker.conf")
    with open(cfg, "w") as f:
        f.write("# comment\ngroup = from-file\ninput = file-topic\nmax-inflight = 111\n"
                "kafka.sasl.password = hunter2\nkafka.client.rack = r1\n")
    r = run(["run", "--config", cfg, "--group", "from-flag", "--print-config"],
            env={"INGEST_GROUP": "from-env", "INGEST_INPUT": "env-topic"})
    check(r.returncode == 0, r.stderr.decode())
    conf = dict(l.split(" = ", 1) for l in r.stdout.decode().splitlines())
    check(conf["group"] == "from-flag", "flag beats env and file")
    check(conf["input"] == "env-topic", "env beats file")
    check(conf["max-inflight"] == "111", "file beats default")
    check(conf["output-dlq"] == "articles.dlq", "default stays")
    check(conf["kafka.sasl.password"] == "********" and "hunter2" not in r.stdout.decode(), "secret masked")
    check(conf["kafka.client.rack"] == "r1", "other -X values shown")
    with open(cfg, "a") as f:
        f.write("bogus-key = 1\n")
    r = run(["run", "--config", cfg, "--print-config"])
    check(r.returncode == 2 and b"bogus-key" in r.stderr, "unknown config key names the key, exit 2")


def test_every_configuration_error_exits_2_naming_the_key():
    """Each validation path of worker/shell/config.c (and the checks made before the worker starts):
    exit 2, one line on stderr naming the offending option, key, variable or property."""
    d = scratch_dir()

    def conf(text):
        path = os.path.join(d, "c%d.conf" % len(os.listdir(d)))
        with open(path, "w") as f:
            f.write(text)
        return path

    many_x = []
    for i in range(65):
        many_x += ["-X", "client.rack=r%d" % i if i == 0 else "debug.%d=x" % i]
    cases = [
        # flags
        (["run", "--no-such-flag"], {}, "no-such-flag"),
        (["broker", "--max-inflight", "5"], {}, "max-inflight"),  # an option of another command
        (["run", "--group"], {}, "--group needs a value"),
        (["run", "--max-inflight", "lots"], {}, "max-inflight"),
        (["run", "--max-inflight", "5"], {}, "max-inflight"),  # below its minimum
        (["run", "--max-inflight", "99999999999999999999999"], {}, "max-inflight"),
        (["run", "--shutdown-timeout", "5h"], {}, "shutdown-timeout"),
        (["run", "--embedded=maybe"], {}, "embedded"),
        (["run", "--print", "xml"], {}, "--print"),
        (["run", "--log-level", "loud"], {}, "--log-level"),
        (["run", "stray-argument"], {}, "stray-argument"),
        (["run", "--health-addr", "8080"], {}, "health-addr"),
        (["run", "--health-addr", ":99999"], {}, "health-addr"),
        (["run", "--health-addr", "no-such-host.invalid:8080"], {}, "health-addr"),
        # -X pass-through
        (["run", "-X"], {}, "-X needs key=value"),
        (["run", "-X", "novalue"], {}, "key=value"),
        (["run", "-X", "=1"], {}, "key=value"),
        (["run", "-X", "no.such.property=1"], {}, "no.such.property"),
        (["run", "-X", "acks=banana"], {}, "acks"),
        (["run", "--print-config", "-X", "no.such.property=1"], {}, "no.such.property"),
        (["run"] + many_x, {}, "more than 64"),
        # environment
        (["run"], {"INGEST_MAX_INFLIGHT": "abc"}, "INGEST_MAX_INFLIGHT"),
        (["run"], {"INGEST_EMBEDDED": "perhaps"}, "INGEST_EMBEDDED"),
        (["run"], {"INGEST_CONFIG": os.path.join(d, "missing.conf")}, "missing.conf"),
        # config file
        (["run", "--config", os.path.join(d, "missing.conf")], {}, "cannot open"),
        (["run", "--config", conf("group\n")], {}, "expected key = value"),
        (["run", "--config", conf("bogus-key = 1\n")], {}, "bogus-key"),
        (["run", "--config", conf("config = other.conf\n")], {}, "'config'"),
        (["tag", "--config", conf("group = g\n")], {}, "'group'"),  # a run option in a tag config
        (["run", "--config", conf("# ok\nmax-events = many\n")], {}, ".conf:2: max-events"),
        (["run", "--config", conf("kafka.no.such.property = 1\n")], {}, "no.such.property"),
        (["run", "--config", conf("liveness-timeout = 10\n")], {}, "liveness-timeout"),
        (["run", "--config", conf("stall-timeout = x\n")], {}, "stall-timeout"),
    ]
    for args, env, needle in cases:
        r = run(args, env=env)
        err = r.stderr.decode()
        check(r.returncode == 2, "%s %s: exit %d, want 2 (%s)" % (args[:4], env, r.returncode, err.strip()))
        check(needle in err, "%s %s: message does not name %r: %s" % (args[:4], env, needle, err))
        check(len(err.strip().splitlines()) == 1, "%s: one line, got %r" % (args[:4], err))


def test_config_precedence_for_kafka_properties_instance_id_and_secrets():
    d = scratch_dir()
    cfg = os.path.join(d, "worker.conf")
    with open(cfg, "w") as f:
        f.write("kafka.client.rack = from-file\nkafka.ssl.key.password = s3cret-file\nhealth-addr = :9999\n"
                "liveness-timeout = 5s\n")
    r = run(["run", "--config", cfg, "-X", "client.rack=from-flag", "-X", "sasl.password=s3cret-flag",
             "--print-config"], env={"POD_NAME": "ingest-worker-7d9f-x2", "INGEST_STALL_TIMEOUT": "60000"})
    check(r.returncode == 0, r.stderr.decode())
    out = r.stdout.decode()
    conf = dict(l.split(" = ", 1) for l in out.splitlines())
    check(conf["kafka.client.rack"] == "from-flag", "-X beats kafka.* in the file")
    check(conf["kafka.ssl.key.password"] == "********" and conf["kafka.sasl.password"] == "********",
          "secrets masked from file and flag")
    check("s3cret" not in out, "no secret printed")
    check(conf["health-addr"] == ":9999" and conf["liveness-timeout"] == "5000", "file values with units")
    check(conf["stall-timeout"] == "60000", "env value")
    check(conf["instance-id"] == "ingest-worker-7d9f-x2", "POD_NAME is the default static member id")
    r = run(["run", "--print-config"], env={"POD_NAME": "pod-a", "INGEST_INSTANCE_ID": "explicit"})
    conf = dict(l.split(" = ", 1) for l in r.stdout.decode().splitlines())
    check(conf["instance-id"] == "explicit", "INGEST_INSTANCE_ID beats POD_NAME")
    r = run(["run", "--print-config", "--instance-id", "flag-id"], env={"POD_NAME": "pod-a"})
    conf = dict(l.split(" = ", 1) for l in r.stdout.decode().splitlines())
    check(conf["instance-id"] == "flag-id", "--instance-id beats POD_NAME")
    r = run(["run", "--print-config"], env={"POD_NAME": ""})
    conf = dict(l.split(" = ", 1) for l in r.stdout.decode().splitlines())
    check(conf["instance-id"] == "", "no POD_NAME: dynamic membership")


def test_readme_option_table_is_generated_from_the_code():
    r = subprocess.run(["/usr/bin/python3", "tests/readme_options.py", BIN, "--check"], capture_output=True,
                       cwd=ROOT, timeout=30)
    check(r.returncode == 0, r.stderr.decode())


def test_normalization_properties_on_every_fixture():
    """Idempotent (the normalized article, fed back as an envelope, comes out unchanged), never
    longer than its input, always valid UTF-8 (strict decoding of the raw record bytes)."""
    files = fixture_files()
    r = run(["tag"] + files)
    check(r.returncode == 0, r.stderr.decode()[-2000:])
    for path, raw_line in zip(files, r.stdout.splitlines()):
        raw_line.decode("utf-8", "strict")
        rec = json.loads(raw_line)
        with open(path, "rb") as f:
            size = len(f.read())
        check(len(rec["body"].encode()) <= size, "%s: body longer than its input" % path)
        again = run(["tag"], stdin=json.dumps({"title": rec["title"], "text": rec["body"],
                                                "published_at": rec["published_at"]}).encode())
        check(again.returncode == 0, "%s: normalized text rejected: %s" % (path, again.stderr.decode()))
        rec2 = json.loads(again.stdout)
        check(rec2["body"] == rec["body"], "%s: normalizing the normalized body changed it" % os.path.basename(path))
