#!/usr/bin/python3
"""Validate records against the project's JSON Schemas (schemas/*.schema.json, draft 2020-12).

usage: schema_check.py KIND [FILE]   KIND: article | entity | event | dlq; JSON lines from FILE or stdin.
Also importable: validator(kind) returns a jsonschema validator. Beyond the schema, article records get
the offset checks a consumer relies on: every mention/trigger/quote span is inside body and its text
is the body's bytes at that span.
"""
import json
import os
import sys

import jsonschema

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMAS = os.path.join(ROOT, "schemas")


def _store():
    store = {}
    for name in os.listdir(SCHEMAS):
        if name.endswith(".schema.json"):
            with open(os.path.join(SCHEMAS, name)) as f:
                s = json.load(f)
            store[s["$id"]] = s
    return store


def validator(kind):
    store = _store()
    schema = next(s for s in store.values() if s["$id"].endswith("/%s.schema.json" % kind))
    resolver = jsonschema.RefResolver(base_uri=schema["$id"], referrer=schema, store=store)
    return jsonschema.Draft202012Validator(schema, resolver=resolver,
                                           format_checker=jsonschema.draft202012_format_checker)


def span_problems(rec):
    """Offsets are UTF-8 byte offsets into body; the text at each must match."""
    body = rec["body"].encode("utf-8")
    out = []

    def check(what, start, end, text):
        if not (0 <= start < end <= len(body)):
            out.append("%s: span %d..%d outside body" % (what, start, end))
        elif text is not None and body[start:end].decode("utf-8", "replace") != text:
            out.append("%s: body[%d:%d] is %r, record says %r" % (what, start, end,
                                                                  body[start:end].decode("utf-8", "replace"), text))
    ids = {e["id"] for e in rec["entities"]}
    for e in rec["entities"]:
        for m in e["mentions"]:
            check("entity %s" % e["name"], m["start"], m["end"], m["text"])
    for ev in rec["events"]:
        check("event %s trigger" % ev["type"], ev["trigger"]["start"], ev["trigger"]["end"], ev["trigger"]["text"])
        check("event %s sentence" % ev["type"], ev["sentence"]["start"], ev["sentence"]["end"], None)
        for role in ("actor", "target", "location"):
            if ev[role] is not None and ev[role]["id"] not in ids:
                out.append("event %s: %s is not an entity of the record" % (ev["type"], role))
    for q in rec["quotes"]:
        check("quote", q["start"], q["end"], q["text"])
        if q["speaker"] is not None and q["speaker"]["id"] not in ids:
            out.append("quote speaker is not an entity of the record")
    return out


def problems(kind, rec, v=None):
    v = v or validator(kind)
    out = ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "<root>", e.message)
           for e in v.iter_errors(rec)]
    if kind == "article" and not out:
        out += span_problems(rec)
    return out


def main():
    kind = sys.argv[1]
    src = open(sys.argv[2]) if len(sys.argv) > 2 else sys.stdin
    v = validator(kind)
    n = bad = 0
    for line in src:
        if not line.strip():
            continue
        n += 1
        for p in problems(kind, json.loads(line), v):
            bad += 1
            print("record %d: %s" % (n, p))
    print("%d %s records, %d problems" % (n, kind, bad))
    sys.exit(1 if bad or n == 0 else 0)


if __name__ == "__main__":
    main()
