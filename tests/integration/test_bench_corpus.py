"""The bench corpus generator (tests/bench/gen_corpus.py): deterministic, in bounds, all three forms,
and articles the worker really processes (headline, entities, events, boilerplate gone)."""
import json
import os
import subprocess
import sys
import tempfile

from harness import BIN, ROOT, check

sys.path.insert(0, os.path.join(ROOT, "tests", "bench"))
import gen_corpus  # noqa: E402


def test_corpus_is_deterministic_varied_and_in_bounds():
    a = list(gen_corpus.generate(7, 90))
    check(a == list(gen_corpus.generate(7, 90)), "same seed, different bytes")
    check(a[:30] == list(gen_corpus.generate(7, 30)), "article i must depend only on (seed, i)")
    other = list(gen_corpus.generate(8, 90))
    check(all(x[2] != y[2] for x, y in zip(a, other)), "another seed should give other articles")
    check({f for f, _, _ in a} == {"txt", "html", "json"}, "all three forms: %s" % {f for f, _, _ in a})
    check(len({k for _, k, _ in a}) == len(a), "keys are unique")
    check(len({d for _, _, d in a}) == len(a), "articles are distinct")
    for form, key, data in a:
        check(gen_corpus.MIN_BYTES <= len(data) <= gen_corpus.MAX_BYTES, "%s is %d bytes" % (key, len(data)))
        text = data.decode("utf-8")  # strict: raises on invalid UTF-8
        if form == "json":
            env = json.loads(text)
            check(env["id"] == key and any(env.get(f) for f in ("text", "body", "content", "html")),
                  "%s: envelope without id or article" % key)
        elif form == "html":
            check(text.startswith("<"), "%s: HTML must start with <" % key)
    sizes = sorted(len(d) for _, _, d in a)
    check(sizes[len(sizes) // 4] < 5000 < sizes[3 * len(sizes) // 4], "sizes should spread over 2-15 KB: %s" % sizes)
    # the file format round trip, as bench.c and e2e.py read it
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "c.bin")
        gen_corpus.write_corpus(path, 7, 30)
        check(list(gen_corpus.read_corpus(path)) == a[:30], "corpus file round trip")


def test_corpus_articles_go_through_the_worker():
    arts = list(gen_corpus.generate(3, 60))
    picked = [x for f in ("txt", "html", "json") for x in [y for y in arts if y[0] == f][:6]]
    with tempfile.TemporaryDirectory() as d:
        files = []
        for form, key, data in picked:
            path = os.path.join(d, "%s.%s" % (key, form))
            with open(path, "wb") as f:
                f.write(data)
            files.append(path)
        r = subprocess.run([BIN, "tag"] + files, capture_output=True, timeout=120, cwd=ROOT)
    check(r.returncode == 0, "tag failed on generated articles: %s" % r.stderr.decode()[-2000:])
    recs = [json.loads(line) for line in r.stdout.decode().splitlines()]
    check(len(recs) == len(picked), "one record per article: %d of %d" % (len(recs), len(picked)))
    for (form, key, _), rec in zip(picked, recs):
        check(rec["title"] and len(rec["body"]) > 500, "%s: no headline or body" % key)
        check(len(rec["entities"]) >= 3 and len(rec["events"]) >= 1, "%s: %d entities, %d events" % (
            key, len(rec["entities"]), len(rec["events"])))
        for chrome in ("Strictly Necessary Cookies", "Cookie Preferences", "Sign up for our daily newsletter"):
            check(chrome not in rec["body"], "%s (%s): boilerplate left in the body: %r" % (key, form, chrome))
        check(rec["removed"], "%s: nothing reported as removed" % key)
