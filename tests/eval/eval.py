#!/usr/bin/python3
"""Scores `ingest-worker tag` against the gold annotations in tests/fixtures/gold/.

usage: eval.py BIN [--normalization-ratchet FILE] [--write-ratchet FILE] [--entity-errors]
                   [--min-entity-f1 F] [--min-events P,R,M] [--event-errors]

Prints, over every fixture that has a gold file:
  - normalization checks: title, title flag, subtitle, published_at, language, body must-contain,
    body must-not-contain, captions, credits (one line per failed check);
  - document-level entity precision/recall/F1 per type (names compared through the gazetteer's
    aliases, so 'U.S.' and 'United States' are one entity);
  - event precision/recall by type and by quad class, modality accuracy on matched events, and the
    count of negated/hypothetical gold events emitted as asserted;
  - quote speaker accuracy.
With --min-entity-f1 F it exits 1 when the overall entity F1 is below F (make test's floor).
With --min-events P,R,M it exits 1 when event precision, recall or modality accuracy fall below
those floors, and whenever a negated or hypothetical gold event comes out asserted.
With --event-errors it also lists, per fixture, the gold events missed and the spurious ones.
With --entity-errors it also lists, per fixture, the entities missed (-) and the spurious ones (+).
With --normalization-ratchet FILE it exits 1 when a normalization check fails that FILE does not
list (FILE holds 'fixture<TAB>check' lines of known failures), so fixes are kept and regressions
are caught; it also says which listed failures now pass.
"""
import collections
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARTICLES = os.path.join(ROOT, "tests", "fixtures", "articles")
GOLD = os.path.join(ROOT, "tests", "fixtures", "gold")
QUAD = {}


def load_aliases():
    canon = {}
    with open(os.path.join(ROOT, "schemas", "gazetteer.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            name = cols[2]
            for a in [name] + [x for x in cols[4].split("|") if x]:
                canon.setdefault(a.lower(), name.lower())
    with open(os.path.join(ROOT, "schemas", "events.json"), encoding="utf-8") as f:
        for t in json.load(f)["types"]:
            QUAD[t["type"]] = t["quad_class"]
    return canon


def norm_ws(s):
    return " ".join(s.replace("\u00a0", " ").split())


def tag(binary, paths):
    r = subprocess.run([binary, "tag"] + paths, capture_output=True, cwd=ROOT)
    out = [json.loads(l) for l in r.stdout.decode().splitlines()]
    if len(out) != len(paths):
        sys.exit("tag produced %d records for %d files: %s" % (len(out), len(paths), r.stderr.decode()[-2000:]))
    return out


def normalization_checks(name, gold, rec):
    fails = []
    body = norm_ws(rec["body"])

    def expect(check, ok):
        if not ok:
            fails.append((name, check))
    if "title" in gold:
        expect("title", norm_ws(rec["title"] or "") == norm_ws(gold["title"] or ""))
    if "title_prefix_flag" in gold:
        expect("title_flag", rec.get("title_flag") == gold["title_prefix_flag"])
    if "subtitle" in gold:
        expect("subtitle", norm_ws(rec["subtitle"] or "") == norm_ws(gold["subtitle"] or ""))
    if "published_at" in gold:
        want, got = gold["published_at"], rec["published_at"]
        expect("published_at", (want is None and got is None) or (want and got and got.startswith(want[:10])))
    if gold.get("language"):
        expect("language", rec["language"] == gold["language"])
    for i, s in enumerate(gold.get("body_contains", [])):
        expect("body_contains[%d]" % i, norm_ws(s) in body)
    for i, s in enumerate(gold.get("body_not_contains", [])):
        expect("body_not_contains[%d]" % i, norm_ws(s) not in body)
    for key in ("captions", "credits"):
        if key in gold:
            expect(key, sorted(norm_ws(x) for x in rec[key]) == sorted(norm_ws(x) for x in gold[key]))
    return fails


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main():
    binary = sys.argv[1]
    ratchet = sys.argv[sys.argv.index("--normalization-ratchet") + 1] if "--normalization-ratchet" in sys.argv else None
    write = sys.argv[sys.argv.index("--write-ratchet") + 1] if "--write-ratchet" in sys.argv else None
    canon = load_aliases()
    show_errors = "--event-errors" in sys.argv
    c = lambda n: canon.get((n or "").lower(), (n or "").lower()) if n else None
    golds = sorted(f[:-5] for f in os.listdir(GOLD) if f.endswith(".json"))
    arts = {os.path.splitext(f)[0]: f for f in os.listdir(ARTICLES)}
    names = [g for g in golds if g in arts]
    if not names:
        sys.exit("no fixtures with gold annotations")
    recs = tag(binary, [os.path.join(ARTICLES, arts[n]) for n in names])
    norm_fails = []
    ent = collections.defaultdict(lambda: [0, 0, 0])
    ev_type = collections.defaultdict(lambda: [0, 0, 0])
    ev_quad = collections.defaultdict(lambda: [0, 0, 0])
    mod_ok = mod_n = unsafe = q_ok = q_n = 0
    for name, rec in zip(names, recs):
        with open(os.path.join(GOLD, name + ".json"), encoding="utf-8") as f:
            gold = json.load(f)
        norm_fails += normalization_checks(name, gold, rec)
        g_ents = {(c(e["name"]), e["type"]) for e in gold.get("entities", [])}
        p_ents = {(c(e["name"]), e["type"]) for e in rec["entities"]}
        for t in set(t for _, t in g_ents | p_ents):
            g = {e for e in g_ents if e[1] == t}
            p = {e for e in p_ents if e[1] == t}
            ent[t][0] += len(g & p)
            ent[t][1] += len(p - g)
            ent[t][2] += len(g - p)
        if "--entity-errors" in sys.argv:
            for e in sorted(g_ents - p_ents):
                print("%s\t-\t%s\t%s" % (name, e[1], e[0]))
            for e in sorted(p_ents - g_ents):
                print("%s\t+\t%s\t%s" % (name, e[1], e[0]))
        # events: a gold event is found by a predicted one of the same type with the same actor
        # and (when the gold names one) the same target
        body = rec["body"].encode()
        preds = [dict(type=e["type"], actor=c((e["actor"] or {}).get("name")), target=c((e["target"] or {}).get("name")),
                      mod=e["modality"], used=False,
                      sentence=norm_ws(body[e["sentence"]["start"]:e["sentence"]["end"]].decode("utf-8", "replace")))
                 for e in rec["events"]]
        # gold events that name a target are matched first, so that one without a target does not
        # take the only prediction a more specific gold event could match; and each gold event
        # first looks for its prediction in its own sentence, so that a prediction from another
        # sentence (with another modality) is taken only when its own sentence has none
        golds = sorted(gold.get("events", []), key=lambda g: g.get("target") is None)
        matches = {}
        for same in (True, False):
            for i, g in enumerate(golds):
                if i in matches:
                    continue
                ga, gt = c(g.get("actor")), c(g.get("target"))
                gs = norm_ws(g.get("sentence", ""))
                m = next((p for p in preds if not p["used"] and p["type"] == g["type"] and p["actor"] == ga and
                          (gt is None or p["target"] == gt) and
                          (not same or (gs and (gs in p["sentence"] or p["sentence"] in gs)))), None)
                if m:
                    m["used"] = True
                    matches[i] = m
        for p in preds:
            p["used"] = False
        for i, g in enumerate(golds):
            ga, gt = c(g.get("actor")), c(g.get("target"))
            match = matches.get(i)
            for table, key in ((ev_type, g["type"]), (ev_quad, QUAD.get(g["type"], 0))):
                table[key][0 if match else 2] += 1
            if not match and show_errors:
                print("  %s: missed %s %s -> %s (%s): %s" % (name, g["type"], ga, gt, g.get("modality", "asserted"),
                                                          norm_ws(g.get("sentence", ""))[:120]))
            if match:
                match["used"] = True
                mod_n += 1
                mod_ok += match["mod"] == g.get("modality", "asserted")
                unsafe += g.get("modality") in ("negated", "hypothetical") and match["mod"] == "asserted"
            elif g.get("modality") in ("negated", "hypothetical"):
                # a denied event must not come out as asserted under another argument assignment:
                # same type, same sentence, and the same target when the gold names one (another
                # sentence, or another target, is another event that may well have happened)
                gs = norm_ws(g.get("sentence", ""))
                unsafe += any(p["type"] == g["type"] and p["mod"] == "asserted" and gs and
                              (gs in p["sentence"] or p["sentence"] in gs) and (gt is None or p["target"] == gt)
                              for p in preds)
        for p in preds:
            if not p["used"]:
                if show_errors:
                    print("  %s: spurious %s %s -> %s (%s): %s" % (name, p["type"], p["actor"], p["target"], p["mod"],
                                                                p["sentence"][:120]))
                ev_type[p["type"]][1] += 1
                ev_quad[QUAD.get(p["type"], 0)][1] += 1
        for gq in gold.get("quotes", []):
            q = next((q for q in rec["quotes"] if gq["contains"] in q["text"]), None)
            q_n += 1
            q_ok += q is not None and c((q["speaker"] or {}).get("name")) == c(gq.get("speaker"))
    print("fixtures scored: %d" % len(names))
    print("\nnormalization: %d failed checks" % len(norm_fails))
    for n, chk in norm_fails:
        print("  %s: %s" % (n, chk))
    print("\nentities (document level)")
    print("  %-8s %6s %6s %6s" % ("type", "P", "R", "F1"))
    tot = [0, 0, 0]
    for t in sorted(ent):
        tot = [a + b for a, b in zip(tot, ent[t])]
        print("  %-8s %6.3f %6.3f %6.3f" % ((t,) + prf(*ent[t])))
    print("  %-8s %6.3f %6.3f %6.3f" % (("ALL",) + prf(*tot)))
    entity_f1 = prf(*tot)[2]
    print("\nevents by type")
    tot = [0, 0, 0]
    for t in sorted(ev_type):
        tot = [a + b for a, b in zip(tot, ev_type[t])]
        print("  %-18s P %5.3f R %5.3f" % ((t,) + prf(*ev_type[t])[:2]))
    print("  %-18s P %5.3f R %5.3f" % (("ALL",) + prf(*tot)[:2]))
    nost = [a - b for a, b in zip(tot, ev_type.get("statement", [0, 0, 0]))]
    print("  %-18s P %5.3f R %5.3f" % (("ALL but statement",) + prf(*nost)[:2]))
    for qc in sorted(ev_quad):
        print("  quad class %-7s P %5.3f R %5.3f" % ((qc,) + prf(*ev_quad[qc])[:2]))
    event_p, event_r = prf(*tot)[:2]
    print("  modality accuracy on matched events: %s" % ("%.3f (%d)" % (mod_ok / mod_n, mod_n) if mod_n else "n/a"))
    print("  negated/hypothetical gold events emitted as asserted: %d" % unsafe)
    print("quotes: speaker right for %d of %d" % (q_ok, q_n))
    if write:
        with open(write, "w") as f:
            f.write("# normalization checks known to fail (fixture<TAB>check); make test fails on any other\n")
            for n, chk in norm_fails:
                f.write("%s\t%s\n" % (n, chk))
    if ratchet:
        with open(ratchet) as f:
            known = {tuple(l.rstrip("\n").split("\t")) for l in f if l.strip() and not l.startswith("#")}
        new = [x for x in norm_fails if x not in known]
        fixed = sorted(known - set(norm_fails))
        for n, chk in fixed:
            print("now passing (remove from %s): %s %s" % (os.path.basename(ratchet), n, chk))
        if new:
            print("NEW normalization failures:")
            for n, chk in new:
                print("  %s: %s" % (n, chk))
            sys.exit(1)
    if "--min-events" in sys.argv:
        fp, fr, fm = (float(x) for x in sys.argv[sys.argv.index("--min-events") + 1].split(","))
        mod_acc = mod_ok / mod_n if mod_n else 0.0
        bad = [what for what, got, floor in (("event precision", event_p, fp), ("event recall", event_r, fr),
                                             ("modality accuracy", mod_acc, fm)) if got < floor]
        for what in bad:
            print("%s fell below its floor" % what)
        if unsafe:
            print("%d negated/hypothetical gold events came out asserted" % unsafe)
        if bad or unsafe:
            sys.exit(1)
    if "--min-entity-f1" in sys.argv:
        floor = float(sys.argv[sys.argv.index("--min-entity-f1") + 1])
        if entity_f1 < floor:
            print("entity F1 %.3f fell below the floor %.3f" % (entity_f1, floor))
            sys.exit(1)


if __name__ == "__main__":
    main()
