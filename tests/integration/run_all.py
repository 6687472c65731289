#!/usr/bin/python3
"""Runs every test_* function of tests/integration/test_*.py; prints PASS/FAIL per test and a summary.
usage: run_all.py [--jobs N] [name-substring ...]

--jobs N (default: $INTEGRATION_JOBS, else 1) runs N tests at a time, each in its own process: the
tests spend most of their time waiting on brokers, workers and timeouts, and every test starts its
own broker on free ports, so they do not share state. A test's output is printed when it ends, so
the lines of two tests never interleave."""
import importlib
import os
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Skip  # noqa: E402

EXIT_PASS, EXIT_FAIL, EXIT_SKIP = 0, 1, 3

# Tests that take a minute or more start first, so that N at a time end together.
LONG_FIRST = ("test_worker.test_rebalance", "test_worker.test_kill9", "test_replay.test_replay_ranges",
              "test_exactly_once.test_transactions_commit", "test_hostile.test_hostile_corpus")


def all_tests(wanted):
    """The full names (module.function) of the tests matching any of wanted (all when empty)."""
    names = []
    for fname in sorted(os.listdir(HERE)):
        if not (fname.startswith("test_") and fname.endswith(".py")):
            continue
        mod = importlib.import_module(fname[:-3])
        for name in sorted(n for n in dir(mod) if n.startswith("test_")):
            full = "%s.%s" % (fname[:-3], name)
            if not wanted or any(w in full for w in wanted):
                names.append(full)
    return names


def run_one(full):
    """Runs one test here; prints its PASS/SKIP/FAIL line and returns its exit code."""
    module, name = full.split(".", 1)
    t0 = time.time()
    try:
        getattr(importlib.import_module(module), name)()
        print("PASS %s (%.1fs)" % (full, time.time() - t0), flush=True)
        return EXIT_PASS
    except Skip as e:
        print("SKIP %s: %s" % (full, e), flush=True)
        return EXIT_SKIP
    except Exception:
        print("FAIL %s (%.1fs)\n%s" % (full, time.time() - t0, traceback.format_exc()), flush=True)
        return EXIT_FAIL


def run_parallel(names, jobs):
    """Runs the tests jobs at a time, each in a child process; returns {name: exit code}."""
    names = sorted(names, key=lambda n: not n.startswith(LONG_FIRST))  # stable: the rest keep their order
    results, running = {}, []
    while names or running:
        while names and len(running) < jobs:
            full = names.pop(0)
            p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--one", full],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            running.append((full, p))
        time.sleep(0.2)
        for full, p in list(running):
            if p.poll() is None:
                continue
            out = p.stdout.read().decode("utf-8", "replace")
            sys.stdout.write(out)
            sys.stdout.flush()
            code = p.returncode
            if code not in (EXIT_PASS, EXIT_SKIP, EXIT_FAIL):  # died without reporting (a signal, a crash)
                print("FAIL %s: the test process ended with %d" % (full, code), flush=True)
                code = EXIT_FAIL
            results[full] = code
            running.remove((full, p))
    return results


def main():
    args = sys.argv[1:]
    if args[:1] == ["--one"]:
        sys.exit(run_one(args[1]))
    jobs = int(os.environ.get("INTEGRATION_JOBS", "1"))
    if args[:1] == ["--jobs"]:
        jobs, args = int(args[1]), args[2:]
    t_all = time.time()
    names = all_tests(args)
    if jobs > 1:
        results = run_parallel(names, jobs)
    else:
        results = {full: run_one(full) for full in names}
    passed = sum(1 for c in results.values() if c == EXIT_PASS)
    skipped = sorted(n for n, c in results.items() if c == EXIT_SKIP)
    failed = sorted(n for n, c in results.items() if c == EXIT_FAIL)
    print("integration: %d passed, %d failed, %d SKIPPED in %.0fs (%d at a time)" % (
        passed, len(failed), len(skipped), time.time() - t_all, max(1, jobs)))
    for s in skipped:
        print("  SKIPPED (not tested here): " + s)
    for f in failed:
        print("  failed: " + f)
    sys.exit(1 if failed or passed == 0 else 0)


if __name__ == "__main__":
    main()
