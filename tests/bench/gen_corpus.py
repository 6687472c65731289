#!/usr/bin/python3
"""Seeded synthetic corpus for `make bench`: diplomatic-news-like articles in the three input forms.

usage: gen_corpus.py [--seed S] [--count N] [--schemas DIR] OUT

Every article is built from this file's own templates and the gazetteer's names (schemas/gazetteer.tsv):
officials with their titles, countries, capitals, bodies, groups; events of the contract's types with
modality variants; attributed quotes; curly quotes, em dashes, non-breaking and doubled spaces; and
the boilerplate scraped pages carry (cookie notices of several KB, related links, newsletter and
share prompts, comment prompts, photo captions repeated with a credit, a lone "X" line).

Forms: plain text, HTML (whole pages with head, scripts, navigation and footer, or fragments) and
JSON envelopes (the article in text, body, content or html, with extra fields that land in
source_meta). Every article is 2,048-15,000 bytes. Article i depends only on (seed, i), so a corpus
of 1,000 is the first 1,000 of a corpus of 20,000, and the same seed always gives the same bytes.

OUT format (read by tests/bench/bench.c and e2e.py): a first line
"ingest-bench-corpus 1 seed=S count=N", then per article a line "FORM KEY LENGTH", LENGTH bytes of
the article, and a newline. FORM is txt, html or json; KEY is the message key (bench-S-I), which is
also the envelope id, so every article's record id is its key.
"""
import argparse
import json
import os
import random
import sys

MIN_BYTES, MAX_BYTES = 2048, 15000
FORMS = (("txt", 40), ("html", 30), ("json", 30))
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCHEMAS = os.path.join(HERE, "..", "..", "schemas")


# ---- names from the gazetteer ---------------------------------------------------------------------

class Names:
    """Gazetteer rows sorted into what the templates need."""

    def __init__(self, schemas):
        self.officials = []   # (title, name, country)
        self.people = []      # (name, country): persons without a title in the gazetteer
        self.countries = []   # name
        self.capitals = []    # (city, country code)
        self.cities = []
        self.orgs = []
        self.norps = []
        self.locs = []
        self.facs = []
        by_code = {}
        with open(os.path.join(schemas, "gazetteer.tsv"), encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                cols = line.rstrip("\n").split("\t")
                cols += [""] * (6 - len(cols))
                _id, typ, name, country, _aliases, attrs = cols[:6]
                attr = dict(kv.split("=", 1) for kv in attrs.split(";") if "=" in kv)
                if typ == "PERSON":
                    if attr.get("role_title"):
                        self.officials.append((attr["role_title"], name, country))
                    else:
                        self.people.append((name, country))
                elif typ == "GPE":
                    if "capital_of" in attr:
                        self.capitals.append((name, attr["capital_of"]))
                    elif country and not attrs:
                        if by_code.setdefault(country, name) == name:  # a country's own row comes first
                            self.countries.append(name)
                        else:
                            self.cities.append(name)
                    else:
                        self.cities.append(name)
                elif typ == "ORG":
                    self.orgs.append(name)
                elif typ == "NORP":
                    self.norps.append(name)
                elif typ == "LOC":
                    self.locs.append(name)
                elif typ == "FAC":
                    self.facs.append(name)
        for lst in (self.officials, self.people, self.countries, self.capitals, self.cities, self.orgs,
                    self.norps, self.locs, self.facs):
            if not lst:
                raise SystemExit("gen_corpus: the gazetteer in %s lacks a kind of name the templates need" % schemas)
            lst.sort()


# Names the gazetteer does not know, with generic titles: the tagger must find these by rule.
FIRST = ["Amina", "Tomasz", "Leila", "Ivan", "Marta", "Kwame", "Sofia", "Hamid", "Yuki", "Daniel", "Farah",
         "Oleksandr", "Priya", "Mateo", "Nadia", "Jonas", "Aisha", "Pavel", "Ingrid", "Samir", "Elena", "Kofi"]
LAST = ["Haddad", "Kowalczyk", "Nazari", "Petrenko", "Lindqvist", "Mensah", "Rossi", "Karimi", "Tanaka",
        "Okafor", "Dubois", "Moreno", "Varga", "Rahimi", "Novak", "Bakr", "Hartmann", "Osei", "Silva", "Zayed"]
GENERIC_TITLES = ["Deputy Foreign Minister", "spokesman", "spokeswoman", "Gen.", "Lt. Gen.", "Adm.", "Col.",
                  "Ambassador", "Sen.", "Rep.", "envoy", "Defense Minister", "Interior Minister"]
OUTLETS = ["The Evening Sentinel", "World Desk", "The Capitol Chronicle", "Harbor Times", "The Continental Post",
           "Global Ledger", "The Morning Dispatch", "Frontier Wire"]
PHOTO = ["AP Photo/{n}", "REUTERS/{n}", "AFP via Getty Images/{n}", "{o} / {N}", "Photo: {n}/Pool"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
TOPICS = ["the ceasefire", "the nuclear deal", "grain exports", "the prisoner exchange", "border security",
          "sanctions relief", "humanitarian corridors", "the evacuation", "trade tariffs", "the peace plan",
          "military cooperation", "energy supplies", "the hostage negotiations", "refugee returns"]

# Event sentences by contract type; {A} and {B} are actors (an official or a country), {C} a country,
# {CAP} a capital, {ORG} a body, {T} a topic, {D} a time expression. Variants carry modality.
EVENTS = {
    "meet": ["{A} met {B} in {CAP} {D} to discuss {T}.",
             "{A} will meet {B} in {CAP} {D}, officials said.",
             "{A} and {B} held talks in {CAP} about {T}."],
    "visit": ["{A} visited {CAP} {D}, the first such trip in years.",
              "{A} is expected to travel to {CAP} {D} for talks on {T}.",
              "{A} made an unannounced visit to {C} {D}."],
    "phone_call": ["{A} spoke by phone with {B} {D} about {T}.",
                   "In a call {D}, {A} told {B} that {T} remained a priority."],
    "sign_agreement": ["{A} and {B} signed an agreement on {T} in {CAP} {D}.",
                       "{C} and {C2} could sign a memorandum on {T} {D}, diplomats said."],
    "negotiate": ["Negotiators from {C} and {C2} resumed talks on {T} in {CAP}.",
                  "{A} said {C} was ready to negotiate with {C2} over {T}."],
    "criticize": ["{A} condemned the decision by {C2}, calling it “a grave mistake.”",
                  "{A} criticized {B} over {T} {D}."],
    "demand": ["{A} demanded that {C2} release the detained diplomats.",
               "{ORG} called on {C} to halt {T} immediately."],
    "threaten": ["{A} warned that {C} would respond if {C2} moved troops closer to the border.",
                 "{A} threatened new sanctions against {C2} over {T}."],
    "reject": ["{A} rejected the proposal from {C2} {D}.",
               "{C} did not accept the terms offered by {C2}, {A} said."],
    "provide_aid": ["{C} pledged ${N} million in humanitarian aid to {C2}, {A} said.",
                    "{ORG} delivered food and medical supplies to {CAP} {D}."],
    "withdraw": ["{C} will withdraw its troops from {C2} by the end of the year, {A} said.",
                 "{A} announced that {C} had pulled out of the agreement on {T}."],
    "evacuate": ["{C} evacuated its embassy staff from {CAP} {D}.",
                 "Military aircraft evacuated {N} people from {FAC} over the weekend."],
    "attack": ["A drone attack struck a depot near {CAP} {D}, killing {N} people, {ORG} said.",
               "Forces loyal to {C} shelled positions outside {CITY} overnight."],
    "detain": ["Authorities in {C} arrested {N} people suspected of spying for {C2}.",
               "{C} detained a journalist from {C2} {D}, {A} said."],
    "reduce_relations": ["{C} expelled {N} diplomats from {C2} {D}.",
                         "{C} recalled its ambassador from {CAP} for consultations."],
    "praise": ["{A} praised the role of {C2} in securing {T}.",
               "{A} thanked {B} for the support of {C2} during {T}."],
    "appeal": ["{A} urged both sides to show restraint and return to talks on {T}.",
               "{ORG} appealed for calm after the clashes in {CITY}."],
    "host_visit": ["{A} hosted {B} at the {FAC} {D}.",
                   "{C} welcomed a delegation from {C2} for talks on {T}."],
    "statement": ["{A} said {D} that {C} remained committed to {T}.",
                  "“We are not going to walk away from {T},” {A} told reporters."],
}
BACKGROUND = [
    "The talks come after months of tension between {C} and {C2} over {T}.",
    "Analysts said the move reflected growing concern in {CAP} about the situation in {LOC}.",
    "{NORP} officials have long argued that {T} cannot be separated from regional security.",
    "More than {N} people have been displaced since the fighting began, according to {ORG}.",
    "{ORG} has called for an independent investigation into the incident near {CITY}.",
    "Diplomats in {CAP} described the atmosphere as constructive but cautious.",
    "The agreement, if it holds, would be the first of its kind since {Y}.",
    "Trade between the two countries fell by {P} percent last year, according to official figures.",
    "Critics in {C} said the government had moved too slowly on {T}.",
    "A senior official, who spoke on condition of anonymity, said no decision had been made.",
    "The region around {LOC} has seen repeated clashes in recent weeks.",
    "Officials said the next round of talks on {T} could take place in {CAP} {D}.",
    "The statement did not say whether {C} would take part in the next meeting.",
    "Shares in regional markets rose {P} percent after the announcement.",
    "The {NORP} delegation left {CAP} without commenting on the outcome.",
    "Humanitarian groups warned that supplies of fuel and medicine were running low.",
    "{A} is due to brief lawmakers on {T} {D}.",
    "The foreign ministry in {CAP} said it was studying the proposal carefully.",
]
QUOTES = ["We have made real progress, but there is still a lot of work to do",
          "This is a decisive moment for the whole region",
          "Nobody should doubt our commitment to our partners",
          "The door to diplomacy remains open",
          "We will not accept any attempt to change borders by force",
          "Our priority is the safety of civilians",
          "There can be no lasting peace without accountability",
          "We expect concrete steps, not just words"]
QUOTE_VERBS = ["said", "told reporters", "said in a statement", "wrote on social media", "added"]

COOKIE = [
    "Cookie Preferences",
    "We and our partners use cookies and similar technologies to store and access information on your device, "
    "to personalise content and ads, to provide social media features and to analyse our traffic. You can "
    "accept all cookies or manage your preferences below. Some cookies are strictly necessary for the site to "
    "work and cannot be switched off.",
    "Strictly Necessary Cookies: These cookies are necessary for the website to function and cannot be switched "
    "off in our systems. They are usually only set in response to actions made by you, such as setting your "
    "privacy preferences, logging in or filling in forms.",
    "Performance Cookies: These cookies allow us to count visits and traffic sources so we can measure and "
    "improve the performance of our site. All information these cookies collect is aggregated.",
    "Targeting Cookies: These cookies may be set through our site by our advertising partners to build a "
    "profile of your interests and show you relevant adverts on other sites.",
    "Do Not Sell My Personal Information. Under the California Consumer Privacy Act you have the right to opt "
    "out of the sale of your personal information. Read our Privacy Policy and Cookie Policy for details.",
    "Accept All Cookies | Reject All | Cookie Settings",
]
PROMPTS = ["Please let us know if you're having issues with commenting.",
           "Sign up for our daily newsletter to get the biggest stories delivered to your inbox every morning.",
           "Share this article: Facebook Twitter Email Copy link",
           "Advertisement",
           "Subscribe now for unlimited access to our journalism.",
           "Follow us on Twitter and Facebook for the latest updates."]
RELATED = ["Related:", "Read more:", "More from World:", "Most read:"]
NAV = ["Home", "World", "Politics", "Business", "Opinion", "Podcasts", "Newsletters", "Subscribe", "Sign in"]


class Article:
    """One article's parts (unicode strings), before a form renders them."""

    def __init__(self, rng, names, key):
        self.rng, self.n, self.key = rng, names, key
        r = rng
        self.year = r.randint(2019, 2025)
        self.month = r.randint(1, 12)
        self.day = r.randint(1, 28)
        self.outlet = r.choice(OUTLETS)
        self.officials = r.sample(names.officials, 4)
        self.unknown = ["%s %s %s" % (r.choice(GENERIC_TITLES), r.choice(FIRST), r.choice(LAST)) for _ in range(2)]
        self.countries = r.sample(names.countries, 3)
        self.capitals = r.sample(names.capitals, 2)
        self.event_types = r.sample(sorted(EVENTS), 5)
        a = self.actor(0)
        self.headline = self.fill(r.choice([
            "{A} meets {B} in {CAP} as talks on {T} resume",
            "{C} and {C2} sign deal on {T}",
            "{C} warns {C2} over {T}",
            "{ORG} urges restraint after clashes near {CITY}",
            "{A} visits {CAP} amid tensions over {T}",
            "{C} expels {C2} diplomats in row over {T}"]), a)
        if r.random() < 0.08:
            self.headline = r.choice(["Watch: ", "VIDEO: "]) + self.headline
        self.dek = self.fill("The move follows weeks of pressure from {C2} and its allies over {T}.", a)
        photog = "%s %s" % (r.choice(FIRST), r.choice(LAST))
        self.caption = self.fill("{A} arrives for talks in {CAP}, %s, %s %d, %d." % (
            self.weekday(), MONTHS[self.month - 1], self.day, self.year), a)
        self.credit = r.choice(PHOTO).format(n=photog, N=photog.upper(), o=self.outlet.upper())
        self.dateline = self.capitals[0][0].upper()
        self.paragraphs = []

    def weekday(self):
        return WEEKDAYS[(self.day + self.month * 3 + self.year) % 7]

    def actor(self, i):
        o = self.officials[i % len(self.officials)]
        return "%s %s" % (o[0], o[1])

    def when(self):
        r = self.rng
        return r.choice(["on Friday", "on Monday", "next week", "on Tuesday", "last week", "on Sunday",
                         "on %s %d" % (MONTHS[self.month - 1], self.day), "later this month", "this week",
                         "on %s %d, %d" % (MONTHS[self.month - 1], self.day, self.year)])

    def fill(self, tmpl, a=None, b=None):
        r, n = self.rng, self.n
        if "{" not in tmpl:
            return tmpl
        c1, c2, c3 = self.countries
        return (tmpl.replace("{A}", a or self.actor(r.randrange(4)))
                .replace("{B}", b or r.choice([self.actor(r.randrange(4)), r.choice(self.unknown)]))
                .replace("{C}", c1).replace("{C2}", r.choice((c2, c3)))
                .replace("{CAP}", r.choice(self.capitals)[0]).replace("{CITY}", r.choice(n.cities))
                .replace("{ORG}", r.choice(n.orgs)).replace("{NORP}", r.choice(n.norps))
                .replace("{LOC}", r.choice(n.locs)).replace("{FAC}", r.choice(n.facs))
                .replace("{T}", r.choice(TOPICS)).replace("{D}", self.when())
                .replace("{N}", "{:,}".format(r.choice([3, 7, 12, 26, 40, 150, 380, 1200, 8000, 25000])))
                .replace("{P}", str(r.randint(2, 40))).replace("{Y}", str(r.randint(1991, 2018))))

    def dirty(self, s):
        """Scraping damage: straight quotes made curly, a doubled space, a non-breaking space."""
        r = self.rng
        if r.random() < 0.5:
            s = s.replace("'s", "’s")
        if r.random() < 0.2:
            s = s.replace(", ", ",  ", 1)
        if r.random() < 0.15:
            s = s.replace(" ", "\u00a0", 1)
        if r.random() < 0.15:
            s = s.replace(", ", " — ", 1)
        return s

    def paragraph(self):
        """One body paragraph: an event sentence, background, or a quote, two or three sentences."""
        r = self.rng
        out = []
        for _ in range(r.randint(2, 3)):
            k = r.random()
            if k < 0.45:
                out.append(self.fill(r.choice(EVENTS[r.choice(self.event_types)])))
            elif k < 0.8:
                out.append(self.fill(r.choice(BACKGROUND)))
            else:
                who = r.choice([self.actor(r.randrange(4)), r.choice(self.unknown)])
                out.append("“%s,” %s %s." % (r.choice(QUOTES), who, r.choice(QUOTE_VERBS)))
        return self.dirty(" ".join(out))

    def boilerplate(self):
        """Site chrome for this article: a cookie notice (before or after the article), prompts, and a
        related-links block (a heading and headlines)."""
        r = self.rng
        self.cookie = COOKIE[:r.randint(3, len(COOKIE))]
        self.cookie_first = r.random() < 0.3
        self.prompts = r.sample(PROMPTS, r.randint(1, 3))
        self.related_head = r.choice(RELATED)
        self.related = [self.fill(r.choice(["{C} and {C2} agree to reopen embassies", "Inside the talks on {T}",
                                            "What {A} said about {T}", "Explainer: why {LOC} matters to {C}"]))
                        for _ in range(r.randint(2, 5))]

    def before(self):
        """Boilerplate paragraphs before the article (plain-text forms)."""
        return self.cookie if self.cookie_first else []

    def after(self):
        """Boilerplate paragraphs after the article (plain-text forms)."""
        return ([] if self.cookie_first else self.cookie) + self.prompts + [self.related_head] + self.related


def fit_body(art, overhead, per_par, target):
    """Adds paragraphs until the rendered size reaches target; per_par(p) is a paragraph's cost in bytes."""
    size = overhead
    while size < target or len(art.paragraphs) < 3:
        p = art.paragraph()
        art.paragraphs.append(p)
        size += per_par(p)


def render_text(art):
    r = art.rng
    lines = []
    if r.random() < 0.7:
        lines += [art.caption, "%s %s" % (art.caption, art.credit)]
    lines += art.before()
    if r.random() < 0.2:
        lines.append("date %04d-%02d-%02d %s" % (art.year, art.month, art.day, art.headline))
    else:
        lines.append(art.headline)
    lines.append(art.dek)
    if r.random() < 0.3:
        lines.append("X")
    lines.append("Published %s %d, %d at %d:%02d p.m. EDT" % (MONTHS[art.month - 1], art.day, art.year,
                                                               r.randint(1, 11), r.randint(0, 59)))
    body = list(art.paragraphs)
    if body:
        body[0] = "%s — %s" % (art.dateline, body[0])
    return "\n\n".join(lines + body + art.after()) + "\n"


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_html(art, whole):
    r = art.rng
    pars = "\n".join("<p>%s</p>" % esc(p) for p in art.paragraphs)
    fig = ("<figure><img src=\"/img/%s.jpg\" alt=\"\"><figcaption>%s <span class=\"credit\">%s</span>"
           "</figcaption></figure>" % (art.key, esc(art.caption), esc(art.credit)))
    iso = "%04d-%02d-%02dT%02d:%02d:00Z" % (art.year, art.month, art.day, r.randint(0, 23), r.randint(0, 59))
    article = ("<article>\n<h1>%s</h1>\n<p class=\"dek\">%s</p>\n<time datetime=\"%s\">%s %d, %d</time>\n%s\n%s\n"
               "</article>" % (esc(art.headline), esc(art.dek), iso, MONTHS[art.month - 1], art.day, art.year,
                               fig, pars))
    aside = "<aside class=\"related\"><h3>%s</h3><ul>%s</ul></aside>" % (esc(art.related_head), "".join(
        "<li><a href=\"/world/%d\">%s</a></li>" % (i, esc(t)) for i, t in enumerate(art.related)))
    prompts = "".join("<div class=\"promo\"><p>%s</p></div>" % esc(p) for p in art.prompts)
    cookie = "<div id=\"cookie-banner\" role=\"dialog\">%s</div>" % "".join("<p>%s</p>" % esc(p) for p in art.cookie)
    if not whole:
        parts = [cookie if art.cookie_first else "", article, prompts, aside, "" if art.cookie_first else cookie]
        return "\n".join(p for p in parts if p) + "\n"
    nav = "<nav class=\"site-nav\"><ul>%s</ul></nav>" % "".join(
        "<li><a href=\"/%s\">%s</a></li>" % (t.lower(), t) for t in NAV)
    script = ("<script>(function(w,d){w.__ads=w.__ads||[];var s=d.createElement('script');s.async=true;"
              "s.src='https://ads.example.net/tag.js';d.head.appendChild(s);})(window,document);</script>")
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s | %s</title>\n"
            "<meta property=\"og:title\" content=\"%s\">\n<meta property=\"article:published_time\" content=\"%s\">\n"
            "<style>.cookie-banner{position:fixed;bottom:0}.site-nav ul{display:flex}</style>\n%s\n</head>\n"
            "<body>\n<header><a class=\"brand\" href=\"/\">%s</a>%s</header>\n%s\n<main>\n%s\n%s\n%s\n</main>\n"
            "<footer><p>&copy; %d %s. All rights reserved.</p></footer>\n%s\n</body>\n</html>\n" % (
                esc(art.headline), esc(art.outlet), esc(art.headline).replace("\"", "&quot;"), iso, script,
                esc(art.outlet), nav, cookie if art.cookie_first else "", article, prompts, aside, art.year,
                esc(art.outlet), "" if art.cookie_first else cookie))


def render_json(art):
    r = art.rng
    field = r.choice(["text", "text", "body", "content", "html"])
    env = {"id": art.key,
           "url": "https://www.%s.example/world/%04d/%02d/%02d/%s" % (
               art.outlet.lower().replace(" ", "-"), art.year, art.month, art.day, art.key),
           "source": art.outlet,
           "title": art.headline,
           "published_at": "%04d-%02d-%02dT%02d:%02d:00Z" % (art.year, art.month, art.day, r.randint(0, 23),
                                                           r.randint(0, 59)),
           "language": "en"}
    if field == "html":
        env["html"] = render_html(art, False)
    else:
        env[field] = "\n\n".join(art.before() + [art.headline, art.credit] + art.paragraphs + art.after())
    env["section"] = r.choice(["world", "politics", "europe", "middle-east", "asia"])
    env["tags"] = r.sample(["diplomacy", "security", "sanctions", "talks", "conflict", "aid"], 2)
    env["crawl"] = {"fetched_at": env["published_at"], "status": 200}
    return json.dumps(env, ensure_ascii=False, indent=r.choice([None, 2]))


def blen(s):
    return len(s.encode("utf-8"))


def article(seed, i, names):
    """(form, key, bytes) of article i."""
    rng = random.Random("%d:%d" % (seed, i))
    key = "bench-%d-%d" % (seed, i)
    form = rng.choices([f for f, _ in FORMS], [w for _, w in FORMS])[0]
    art = Article(rng, names, key)
    art.boilerplate()
    target = int(MIN_BYTES * (MAX_BYTES / MIN_BYTES) ** rng.random())  # log-uniform: more short articles
    whole = rng.random() < 0.7
    state = rng.getstate()

    def render():
        rng.setstate(state)  # the same choices in every render of this article
        if form == "txt":
            return render_text(art)
        if form == "html":
            return render_html(art, whole)
        return render_json(art)

    per_par = {"txt": lambda p: blen(p) + 2, "html": lambda p: blen(esc(p)) + 8,
               "json": lambda p: blen(json.dumps(p, ensure_ascii=False)) + 2}[form]
    overhead = blen(render())
    fit_body(art, overhead, per_par, max(target, MIN_BYTES + 200))
    data = render().encode("utf-8")
    while len(data) > MAX_BYTES and len(art.paragraphs) > 3:
        art.paragraphs.pop()
        data = render().encode("utf-8")
    if not MIN_BYTES <= len(data) <= MAX_BYTES:
        raise SystemExit("gen_corpus: article %d is %d bytes, outside %d-%d" % (i, len(data), MIN_BYTES, MAX_BYTES))
    return form, key, data


def generate(seed, count, schemas=DEFAULT_SCHEMAS):
    """Yields (form, key, bytes) for articles 0..count-1."""
    names = Names(schemas)
    for i in range(count):
        yield article(seed, i, names)


def write_corpus(out, seed, count, schemas=DEFAULT_SCHEMAS):
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(b"ingest-bench-corpus 1 seed=%d count=%d\n" % (seed, count))
        for form, key, data in generate(seed, count, schemas):
            f.write(b"%s %s %d\n" % (form.encode(), key.encode(), len(data)))
            f.write(data)
            f.write(b"\n")
    os.replace(tmp, out)


def read_corpus(path):
    """Yields (form, key, bytes) from a file written by write_corpus."""
    with open(path, "rb") as f:
        head = f.readline().split()
        if head[:2] != [b"ingest-bench-corpus", b"1"]:
            raise ValueError("%s: not a bench corpus" % path)
        while True:
            line = f.readline()
            if not line:
                return
            form, key, n = line.split()
            data = f.read(int(n))
            f.read(1)
            yield form.decode(), key.decode(), data


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--schemas", default=DEFAULT_SCHEMAS)
    ap.add_argument("out")
    a = ap.parse_args()
    write_corpus(a.out, a.seed, a.count, a.schemas)
    print("gen_corpus: %d articles (seed %d) in %s, %d bytes" % (a.count, a.seed, a.out, os.path.getsize(a.out)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
