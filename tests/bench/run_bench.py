#!/usr/bin/python3
"""`make bench`: runs the measuring instruments and prints the three tables (markdown).

usage: run_bench.py --corpus FILE [--bench build/bench] [--bin build/ingest-worker]
                    [--skip-e2e] [--write-results tests/bench/RESULTS.md]

1. each pipeline stage alone on one core: `bench --json CORPUS` (its first 1,000 articles);
2. the whole pipeline in-process: `bench pipeline --json` on the first 1,000 and on all articles;
3. end to end through `ingest-worker broker`: tests/bench/e2e.py, at-least-once then exactly-once.
The tables and the machine they ran on (nproc, CPU model, load average before and after) are
printed, and with --write-results replace the block between the bench markers in RESULTS.md (the
notes around it are kept). Times are figures, never assertions: `make bench` fails only when a run
itself fails (a crash, records missing downstream).
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
TARGETS = {"inproc_articles": 10000, "inproc_mb": 50.0, "inproc_p99_ms": 2.0, "alo_articles": 5000,
           "eo_articles": 2500, "rss_mb": 100.0}


def bench_json(cmd):
    """Runs a command printing a BENCH_JSON line; returns (parsed, human output)."""
    t0 = time.time()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    out = [l for l in r.stdout.splitlines() if not l.startswith("BENCH_JSON ")]
    js = [l for l in r.stdout.splitlines() if l.startswith("BENCH_JSON ")]
    if r.returncode != 0 and not js:
        sys.stderr.write(r.stdout + r.stderr)
        raise SystemExit("bench: %s failed (exit %d)" % (" ".join(cmd), r.returncode))
    shown = [os.path.basename(c) if os.path.isabs(c) else c for c in cmd]
    sys.stderr.write("  %s: %.0f s\n" % (" ".join(c for c in shown if not c.endswith(".bin")), time.time() - t0))
    return (json.loads(js[-1][len("BENCH_JSON "):]) if js else None), "\n".join(out), r.returncode


def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) // 1024
    cc = subprocess.run(["gcc", "--version"], capture_output=True, text=True).stdout.splitlines()
    rev = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True)
    return {"nproc": os.cpu_count(), "cpu": model, "mem_mb": mem, "kernel": platform.release(),
            "compiler": cc[0] if cc else "?", "revision": rev.stdout.strip() or "?"}


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def mark(ok):
    return "met" if ok else "**not met**"


def stage_rows(st):
    rows = {r["stage"].strip(): r for r in st["rows"]}
    tok, ent = rows.get("tokenize"), rows.get("entities")
    if tok and ent:  # issue #4's stage: the tokenizer and the entity tagger together
        rows["tokenize+entities"] = dict(tok, stage="tokenize+entities", seconds=tok["seconds"] + ent["seconds"])
    return rows


def stage_table(st):
    rows = stage_rows(st)
    lines = ["| stage | MB/s of raw input | articles/s | MB/s of its own input |", "| --- | ---: | ---: | ---: |"]
    order = [("normalize (txt)", "decode + normalize, plain text", None),
             ("normalize (html)", "decode + normalize, HTML", None),
             ("normalize (json)", "decode + normalize, JSON envelope", None),
             ("normalize (all forms)", "**normalize** (all forms)", None),
             ("tokenize", "tokenize", "body"),
             ("entities", "**entities**", "body"),
             ("events+quotes", "**events + quotes**", "body"),
             ("tokenize+entities", "entity tagging (tokenize + entities)", "body"),
             ("tag (tokenize..quotes)", "tag stage (tokenize..quotes)", "body"),
             ("record serialization", "**record serialization** (all records, keyed)", "body")]
    for key, label, own in order:
        r = rows.get(key)
        if not r or not r["articles"] or r["seconds"] <= 0:
            continue
        mb = r["raw_bytes"] / r["seconds"] / 1e6
        aps = r["articles"] / r["seconds"]
        own_s = "%.1f (%s)" % (r["own_bytes"] / r["seconds"] / 1e6, own) if own else ""
        lines.append("| %s | %.1f | %.0f | %s |" % (label, mb, aps, own_s))
    lines.append("")
    lines.append("%d articles (the corpus's first), %.1f records per article, %.0f MB/s of records written." % (
        st["inputs"], st["records"] / max(1, rows["record serialization"]["articles"]),
        st["record_bytes"] / max(1e-9, rows["record serialization"]["seconds"]) / 1e6))
    return lines


def pipeline_table(runs):
    lines = ["| articles | articles/s (CPU) | MB/s (CPU) | articles/s (wall) | latency p50 / p99 / max, wall (ms) "
             "| latency p50 / p99 / max, CPU (ms) | peak RSS (MB) |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for p in runs:
        lines.append("| %d | %.0f | %.1f | %.0f | %.2f / %.2f / %.1f | %.2f / %.2f / %.1f | %.1f |" % (
            p["articles"], p["articles"] / p["cpu_seconds"], p["raw_bytes"] / p["cpu_seconds"] / 1e6,
            p["articles"] / p["wall_seconds"], p["wall_p50"] * 1e3, p["wall_p99"] * 1e3, p["wall_max"] * 1e3,
            p["cpu_p50"] * 1e3, p["cpu_p99"] * 1e3, p["cpu_max"] * 1e3, p["rss_end"] / 1048576))
    big = runs[-1]
    marks = ", ".join("%s: %.1f" % (k, v / 1048576) for k, v in sorted(big["rss_at"].items(), key=lambda kv: int(kv[0])))
    lines.append("")
    lines.append("Per-article CPU latency by input form (%d articles): %s." % (big["articles"], "; ".join(
        "%s %d articles, p50 %.2f ms, p99 %.2f ms" % (f, v["articles"], v["cpu_p50"] * 1e3, v["cpu_p99"] * 1e3)
        for f, v in big["by_form"].items())))
    sizes = []
    for b in big.get("by_size", []):
        if b["bytes"]:
            label = ("under %d KB" % (b["below"] // 1024)) if b["below"] else "larger"
            sizes.append("%s %d articles, %.1f us" % (label, b["articles"], b["cpu_seconds"] / b["bytes"] * 1024 * 1e6))
    lines.append("")
    lines.append("CPU time per KB of input by article size (flat when no stage is quadratic in the size): %s." %
                 "; ".join(sizes))
    lines.append("")
    lines.append("Peak RSS of the %d-article run after N articles (MB): %s; before the first article: %.1f. "
                 "%.1f records per article (%.0f in all), %d failed." % (
                     big["articles"], marks, big["rss_start"] / 1048576, big["records"] / big["articles"],
                     big["records"], big["failed"]))
    return lines


def e2e_table(runs):
    lines = ["| guarantee | articles | articles/s | MB/s | articles per worker CPU-s | latency p50 / p99, saturated (ms) "
             "| paced at (articles/s) | latency p50 / p99, paced (ms) | read by a consumer p50 / p99, paced (ms) "
             "| worker peak RSS (MB) | every record out |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for e in runs:
        lines.append("| %s | %d | %.0f | %.1f | %.0f | %.0f / %.0f | %.0f | %.0f / %.0f | %.0f / %.0f | %.1f | %s |" % (
            e["guarantee"], e["articles"], e["articles_per_s"], e["mb_per_s"], e["articles_per_worker_cpu_s"],
            e["sat_p50_ms"], e["sat_p99_ms"], e["paced_rate"], e["paced_p50_ms"], e["paced_p99_ms"],
            e["paced_read_p50_ms"], e["paced_read_p99_ms"], e["worker_peak_rss_mb"],
            "yes" if e["all_out"] else "**no** (%d of %d articles, %d of %d other records)" % (
                e["seen"], e["articles"], e["side_records"], e["side_expected"])))
    if runs:
        e = runs[0]
        lines.append("")
        lines.append("Saturated: the first %d articles produced as fast as the worker takes them (at most %d in flight);"
                     " paced: the last %d at half that rate. Latency: the article record's timestamp minus the "
                     "input's; read: when a consumer here got it. Worker peak RSS after N articles (MB): %s. "
                     "The worker's main thread (pipeline, produce calls, callbacks) was on a CPU %s of the saturated "
                     "phase, and used %s of the worker's CPU time (the rest: librdkafka's threads). CPU seconds "
                     "over each whole run: worker %s, broker %s, this driver (producer and reader) %s, in %s s." % (
                         e["saturated"], e["window"], e["paced"],
                         "; ".join("%s: %s" % (x["guarantee"], ", ".join("%s: %.1f" % (k, v) for k, v in
                                                                         x.get("worker_rss_at_mb", {}).items()))
                                   for x in runs),
                         " / ".join("%.0f%%" % (100 * x["main_thread_busy"]) for x in runs),
                         " / ".join("%.0f%%" % (100 * x["main_thread_share"]) for x in runs),
                         " / ".join("%.1f" % x["worker_cpu_s"] for x in runs),
                         " / ".join("%.1f" % x["broker_cpu_s"] for x in runs),
                         " / ".join("%.1f" % x["driver_cpu_s"] for x in runs),
                         " / ".join("%.0f" % x["wall_s"] for x in runs)))
    return lines


def stage_mbs(rows, key, own):
    r = rows.get(key)
    if not r or r["seconds"] <= 0:
        return None
    return (r["own_bytes"] if own else r["raw_bytes"]) / r["seconds"] / 1e6


def targets(big, e2e, st):
    rows = stage_rows(st)
    lines = ["| target | measured | |", "| --- | ---: | --- |"]
    for label, key, own, goal in (("normalize plain text >= %d MB/s (issue #3)", "normalize (txt)", False, 200),
                                  ("entity tagging (tokenize + entities) >= %d MB/s of body (issue #4)",
                                   "tokenize+entities", True, 50),
                                  ("whole tag stage >= %d MB/s of body (issue #5)", "tag (tokenize..quotes)", True, 40)):
        v = stage_mbs(rows, key, own)
        if v is not None:
            lines.append("| %s | %.1f | %s |" % (label % goal, v, mark(v >= goal)))
    aps = big["articles"] / big["cpu_seconds"]
    mbs = big["raw_bytes"] / big["cpu_seconds"] / 1e6
    p99 = big["cpu_p99"] * 1e3
    rss = max([big["rss_end"] / 1048576] + [e["worker_peak_rss_mb"] for e in e2e])
    by = {e["guarantee"]: e for e in e2e}
    lines += ["| in-process >= %d articles/s per core | %.0f | %s |" % (TARGETS["inproc_articles"], aps,
                                                                     mark(aps >= TARGETS["inproc_articles"])),
             "| in-process >= %.0f MB/s per core | %.1f | %s |" % (TARGETS["inproc_mb"], mbs, mark(mbs >= TARGETS["inproc_mb"])),
             "| in-process p99 per article < %.0f ms (CPU) | %.2f | %s |" % (TARGETS["inproc_p99_ms"], p99,
                                                                           mark(p99 < TARGETS["inproc_p99_ms"]))]
    for g, key in (("at-least-once", "alo_articles"), ("exactly-once", "eo_articles")):
        if g in by:
            v = by[g]["articles_per_s"]
            lines.append("| end to end, %s >= %d articles/s | %.0f | %s |" % (g, TARGETS[key], v, mark(v >= TARGETS[key])))
    lines.append("| peak RSS < %.0f MB (in-process and worker) | %.1f | %s |" % (TARGETS["rss_mb"], rss,
                                                                              mark(rss < TARGETS["rss_mb"])))
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--bench", default=os.path.join(ROOT, "build", "bench"))
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "ingest-worker"))
    ap.add_argument("--skip-e2e", action="store_true")
    ap.add_argument("--write-results", metavar="RESULTS_MD")
    a = ap.parse_args()
    t0 = time.time()
    m = machine()
    load0 = loadavg()
    sys.stderr.write("make bench: corpus %s\n" % os.path.relpath(a.corpus, ROOT))
    st, _, _ = bench_json([a.bench, "--json", a.corpus])
    p1k, _, _ = bench_json([a.bench, "pipeline", "--json", "--limit", "1000", a.corpus])
    pall, _, _ = bench_json([a.bench, "pipeline", "--json", a.corpus])
    e2e, failed = [], []
    for g in ([] if a.skip_e2e else ["at-least-once", "exactly-once"]):
        res, out, rc = bench_json(["/usr/bin/python3", os.path.join(HERE, "e2e.py"), "--json", "--bin", a.bin,
                                   "--guarantee", g, "--expect-records", str(pall["records"]), a.corpus])
        if res:
            e2e.append(res)
        if rc:
            failed.append("%s: %s" % (g, out.strip()))
    load1 = loadavg()
    doc = ["Run %s on %d CPUs (%s, %d MB RAM), kernel %s, %s; revision %s. Load average (1/5/15 min) %s at the "
           "start, %s at the end; `make bench` took %.0f s." % (
               datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), m["nproc"], m["cpu"], m["mem_mb"], m["kernel"],
               m["compiler"], m["revision"], load0, load1, time.time() - t0), ""]
    doc += ["### 1. Each stage alone, one core (CPU time)", ""] + stage_table(st) + [""]
    doc += ["### 2. Whole pipeline in-process (pipeline + all records serialized, as the worker does), one core",
            ""] + pipeline_table([p1k, pall]) + [""]
    if e2e:
        doc += ["### 3. End to end through `ingest-worker broker` (mock cluster, 3 partitions, one worker)", ""] + \
            e2e_table(e2e) + [""]
    doc += ["### Targets", ""] + targets(pall, e2e, st)
    text = "\n".join(doc) + "\n"
    print(text)
    if a.write_results:
        path = a.write_results
        old = open(path).read() if os.path.exists(path) else "# Benchmark results\n\n%s\n%s\n" % (BEGIN, END)
        if BEGIN not in old or END not in old:
            raise SystemExit("bench: %s has no %s ... %s block" % (path, BEGIN, END))
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        with open(path, "w") as f:
            f.write(head + BEGIN + "\n" + text + END + tail)
        sys.stderr.write("make bench: tables written to %s\n" % path)
    if failed:
        raise SystemExit("make bench: end-to-end run failed:\n" + "\n".join(failed))


if __name__ == "__main__":
    main()
