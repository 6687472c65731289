#!/usr/bin/python3
"""Runs every test_* function of tests/integration/test_*.py; prints PASS/FAIL per test and a summary.
usage: run_all.py [name-substring ...]"""
import importlib
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Skip  # noqa: E402


def main():
    wanted = sys.argv[1:]
    passed, failed, skipped = 0, [], []
    t_all = time.time()
    for fname in sorted(os.listdir(HERE)):
        if not (fname.startswith("test_") and fname.endswith(".py")):
            continue
        mod = importlib.import_module(fname[:-3])
        for name in sorted(n for n in dir(mod) if n.startswith("test_")):
            full = "%s.%s" % (fname[:-3], name)
            if wanted and not any(w in full for w in wanted):
                continue
            t0 = time.time()
            try:
                getattr(mod, name)()
                passed += 1
                print("PASS %s (%.1fs)" % (full, time.time() - t0), flush=True)
            except Skip as e:
                skipped.append(full)
                print("SKIP %s: %s" % (full, e), flush=True)
            except Exception:
                failed.append(full)
                print("FAIL %s (%.1fs)\n%s" % (full, time.time() - t0, traceback.format_exc()), flush=True)
    print("integration: %d passed, %d failed, %d SKIPPED in %.0fs" % (passed, len(failed), len(skipped),
                                                                    time.time() - t_all))
    for s in skipped:
        print("  SKIPPED (not tested here): " + s)
    for f in failed:
        print("  failed: " + f)
    sys.exit(1 if failed or passed == 0 else 0)


if __name__ == "__main__":
    main()
