/* Unit tests: decode (envelope, HTML, text) and normalize (Unicode, structure, boilerplate). */
#include "test_support.h"

#include "decode.h"
#include "dates.h"
#include "langid_textcat.h"
#include "lexicon.h"
#include "normalize.h"

static int decode_str(arena *a, const char *s, raw_doc *d, ingest_error *e)
{
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    return decode_raw(a, &lim, (const unsigned char *)s, strlen(s), d, e);
}

static void envelope_fields_and_source_meta(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 24);
    raw_doc d;
    ingest_error e;
    const char *s = "{\"id\": \"abc-1\", \"url\": \"https://x.org/a\", \"title\": \"T\", \"published_at\": "
                    "\"2021-08-31\", \"language\": \"en\", \"crawler\": {\"v\": 2}, \"tags\": [\"a\"], "
                    "\"body\": \"line one\\nline two\"}";
    assert_int_equal(decode_str(a, s, &d, &e), 0);
    assert_string_equal(d.form, "json");
    assert_string_equal(d.env_id, "abc-1");
    assert_string_equal(d.env_title, "T");
    assert_string_equal(d.env_published_at, "2021-08-31");
    assert_int_equal(d.n_blocks, 2);
    assert_string_equal(d.blocks[1].text, "line two");
    assert_non_null(strstr(d.source_meta_json, "\"crawler\""));
    assert_non_null(strstr(d.source_meta_json, "\"tags\""));
    assert_null(strstr(d.source_meta_json, "\"title\""));
    arena_destroy(a);
}

static void envelope_errors(void **state)
{
    (void)state;
    struct {
        const char *s;
        ingest_reason r;
    } cases[] = {
        {"{\"text\": \"a\", \"text\": \"b\"}", INGEST_ERR_INVALID_JSON},  /* duplicate key */
        {"{\"text\": 5}", INGEST_ERR_INVALID_JSON},                       /* wrong type */
        {"{\"title\": [\"x\"], \"text\": \"y\"}", INGEST_ERR_INVALID_JSON},
        {"{\"text\": \"a\\u0000b\"}", INGEST_ERR_INVALID_JSON},           /* NUL inside */
        {"{\"text\": \"unterminated", INGEST_ERR_INVALID_JSON},
        {"{\"text\": \"\\ud800\"}", INGEST_ERR_INVALID_JSON},              /* lone surrogate */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        arena *a = arena_new(1 << 20);
        raw_doc d;
        ingest_error e;
        assert_int_equal(decode_str(a, cases[i].s, &d, &e), -1);
        assert_int_equal(e.reason, cases[i].r);
        assert_true(strlen(e.detail) > 0);
        arena_destroy(a);
    }
}

static void json_depth_limit(void **state)
{
    (void)state;
    char buf[4096];
    size_t n = 0;
    buf[n++] = '{';
    memcpy(buf + n, "\"a\":", 4), n += 4;
    for (int i = 0; i < 100; i++)
        buf[n++] = '[';
    for (int i = 0; i < 100; i++)
        buf[n++] = ']';
    buf[n++] = '}';
    buf[n] = '\0';
    assert_int_equal(json_nesting_depth((unsigned char *)buf, n), 101);
    assert_int_equal(json_nesting_depth((const unsigned char *)"{\"a\": \"[[[[\"}", 12), 1);
    arena *a = arena_new(1 << 20);
    raw_doc d;
    ingest_error e;
    assert_int_equal(decode_str(a, buf, &d, &e), -1);
    assert_int_equal(e.reason, INGEST_ERR_INVALID_JSON);
    assert_non_null(strstr(e.detail, "max_json_depth"));
    arena_destroy(a);
}

static const char *PAGE =
    "<!doctype html><html><head><title>Talks resume | The Daily Example</title>"
    "<meta property=\"og:title\" content=\"Talks resume in Doha\">"
    "<meta property=\"article:published_time\" content=\"2021-08-31T09:00:00Z\">"
    "<style>p{color:red}</style><script>var tracking = 1;</script></head><body>"
    "<header><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav></header>"
    "<div id=\"cookie-banner\" role=\"dialog\"><p>We use cookies.</p><button>Accept all</button></div>"
    "<main><article><h1>Talks resume in Doha</h1><p class=\"dek\">Envoys return after a pause.</p>"
    "<time datetime=\"2021-08-31\">Aug. 31</time>"
    "<figure><img src=\"a.jpg\"><figcaption>Envoys arrive in Doha. <span class=\"credit\">AP Photo/Jane Roe</span>"
    "</figcaption></figure>"
    "<p>Negotiators met on Tuesday &amp; agreed to continue.</p><p>Officials said the next round&nbsp;starts soon.</p>"
    "</article></main><aside><a href=\"/r\">Related story</a></aside>"
    "<form><input name=email><button>Subscribe</button></form><footer>All rights reserved</footer></body></html>";

static void html_page_structure(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 24);
    raw_doc d;
    ingest_error e;
    assert_int_equal(decode_str(a, PAGE, &d, &e), 0);
    assert_string_equal(d.form, "html");
    assert_string_equal(d.og_title, "Talks resume in Doha");
    assert_string_equal(d.meta_published, "2021-08-31T09:00:00Z");
    assert_string_equal(d.time_datetime, "2021-08-31");
    assert_string_equal(d.html_title, "Talks resume | The Daily Example");
    bool saw_caption = false, saw_credit = false, saw_sub = false, saw_amp = false;
    for (size_t i = 0; i < d.n_blocks; i++) {
        const char *t = d.blocks[i].text;
        assert_null(strstr(t, "tracking"));
        assert_null(strstr(t, "We use cookies"));
        assert_null(strstr(t, "Related story"));
        assert_null(strstr(t, "All rights reserved"));
        assert_null(strstr(t, "Home"));
        saw_caption |= d.blocks[i].kind == BLOCK_CAPTION && strstr(t, "Envoys arrive") != NULL;
        saw_credit |= d.blocks[i].kind == BLOCK_CREDIT && !strcmp(t, "AP Photo/Jane Roe");
        saw_sub |= d.blocks[i].kind == BLOCK_SUBTITLE;
        saw_amp |= strstr(t, "Tuesday & agreed") != NULL;
    }
    assert_true(saw_caption && saw_credit && saw_sub && saw_amp);
    assert_true(d.removed[REMOVED_COOKIE_NOTICE].count == 1);
    assert_true(d.removed[REMOVED_PAGE_CHROME].bytes > 0);
    arena_destroy(a);
}

static void html_deep_nesting_is_bounded(void **state)
{
    (void)state;
    size_t depth = 20000, n = 0;
    char *buf = malloc(depth * 5 + 64);
    for (size_t i = 0; i < depth; i++)
        memcpy(buf + n, "<div>", 5), n += 5;
    memcpy(buf + n, "deep text", 9), n += 9;
    buf[n] = '\0';
    arena *a = arena_new(1 << 26);
    raw_doc d;
    ingest_error e;
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    assert_int_equal(decode_html(a, &lim, buf, n, &d, &e), -1); /* refused before the parser sees it */
    assert_int_equal(e.reason, INGEST_ERR_TOO_LARGE);
    assert_non_null(strstr(e.detail, "max_html_depth"));
    /* the walk itself stays iterative: a depth just under the limit parses */
    lim.max_html_depth = 100000;
    assert_int_equal(decode_html(a, &lim, buf, n, &d, &e), 0); /* no stack overflow */
    /* implicitly closed and void elements do not count as nesting */
    const char *flat = "<p>a<p>b<p>c<br><img src=x><li>d<li>e<!-- <div><div> --><div/><span>f</span>";
    assert_int_equal(html_nesting_depth(flat, strlen(flat)), 1);
    /* tags inside script and style text are not markup; the end tag matches in any case */
    const char *raw = "<div><script>var s = '<div><div><div>';</SCRIPT><style>a<b{}</style><b>x</b></div>";
    assert_int_equal(html_nesting_depth(raw, strlen(raw)), 2);
    const char *unclosed = "<div><script>document.write('<div><div><div>')"; /* to the end: text */
    assert_int_equal(html_nesting_depth(unclosed, strlen(unclosed)), 2);
    arena_destroy(a);
    free(buf);
}

static void text_lines_any_line_ending(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    raw_doc d;
    ingest_error e;
    assert_int_equal(decode_str(a, "Head\r\nBody one\rBody two\n\n  \nBody three", &d, &e), 0);
    assert_string_equal(d.form, "text");
    assert_int_equal(d.n_blocks, 4);
    assert_string_equal(d.blocks[2].text, "Body two");
    arena_destroy(a);
}

static void paragraph_cleanup_is_idempotent(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    size_t n, n2;
    /* NBSP, doubled spaces, tab, zero-width space, decomposed e + acute, soft hyphen */
    const char *s = "  Caf\x65\xcc\x81\xc2\xa0 talks\t\tresume\xe2\x80\x8b now\xc2\xad.  ";
    char *c = normalize_paragraph(a, s, strlen(s), &n);
    assert_string_equal(c, "Caf\xc3\xa9 talks resume now.");
    char *c2 = normalize_paragraph(a, c, n, &n2);
    assert_string_equal(c2, c);
    /* curly quotes and dashes are kept as they are */
    const char *q = "\xe2\x80\x9cNo,\xe2\x80\x9d she said \xe2\x80\x94 firmly.";
    assert_string_equal(normalize_paragraph(a, q, strlen(q), &n), q);
    arena_destroy(a);
}

/* The definition of the body simhash, one shingle and one bit at a time:
 * each 3-word shingle's hash (word hashes as the lexicon computes them)
 * votes on every bit; a bit is set when more than half the shingles have
 * it. A text of one or two words is one short shingle. */
static unsigned long long reference_simhash(char words[][8], size_t n)
{
    uint64_t h[3] = {0, 0, 0};
    size_t votes[64] = {0}, shingles = 0;
    for (size_t i = 0; i < n || (i == n && n > 0 && n < 3); i++) {
        if (i < n) {
            h[0] = h[1], h[1] = h[2], h[2] = lexicon_word_hash(words[i], strlen(words[i]));
            if (i + 1 < 3)
                continue;
        }
        uint64_t x = h[0] ^ ((h[1] << 21) | (h[1] >> 43)) ^ ((h[2] << 42) | (h[2] >> 22));
        x *= 0x9E3779B97F4A7C15ull;
        x ^= x >> 29;
        for (int b = 0; b < 64; b++)
            votes[b] += (x >> b) & 1;
        shingles++;
        if (i == n)
            break;
    }
    unsigned long long out = 0;
    for (int b = 0; b < 64; b++)
        if (2 * votes[b] > shingles)
            out |= 1ull << b;
    return out;
}

/* The fast simhash (bit counts in carry-save planes and byte lanes) agrees
 * with the definition at every length around its group and flush sizes. */
static void simhash_matches_its_definition(void **state)
{
    (void)state;
    static char words[2100][8];
    char *text = malloc(2100 * 8);
    assert_non_null(text);
    unsigned seed = 7;
    for (size_t i = 0; i < 2100; i++) {
        size_t wl = 1 + ((seed = seed * 1103515245u + 12345u) >> 16) % 6;
        for (size_t k = 0; k < wl; k++)
            words[i][k] = (char)('a' + ((seed = seed * 1103515245u + 12345u) >> 16) % 26);
        words[i][wl] = '\0';
    }
    static const size_t lengths[] = {1, 2, 3, 4, 9, 10, 11, 17, 100, 257, 258, 263, 2040, 2041, 2047, 2100};
    for (size_t li = 0; li < sizeof lengths / sizeof *lengths; li++) {
        size_t n = lengths[li], o = 0;
        for (size_t i = 0; i < n; i++) {
            size_t wl = strlen(words[i]);
            memcpy(text + o, words[i], wl);
            o += wl;
            text[o++] = ' ';
        }
        assert_int_equal(normalize_simhash(text, o), reference_simhash(words, n));
    }
    free(text);
}

/* The reference for normalize_paragraph's space rules, one code point at a
 * time: spaces (ASCII, tab, NBSP) collapse to one, none at either end,
 * zero-width space and DEL vanish, everything else is copied. */
static size_t reference_clean(const char *s, size_t len, char *out)
{
    size_t o = 0;
    bool pending = false;
    for (size_t i = 0; i < len;) {
        unsigned char b = (unsigned char)s[i];
        size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : 3;
        bool space = b == ' ' || b == '\t' || (n == 2 && (unsigned char)s[i + 1] == 0xA0);
        bool invisible = b == 0x7F || (n == 3 && !memcmp(s + i, "\xe2\x80\x8b", 3));
        if (space) {
            pending = o > 0;
        } else if (!invisible) {
            if (pending)
                out[o++] = ' ';
            pending = false;
            memcpy(out + o, s + i, n);
            o += n;
        }
        i += n;
    }
    out[o] = '\0';
    return o;
}

/* The eight-bytes-at-a-time fast path must agree with the rules on every
 * arrangement of spaces around chunk boundaries. */
static void paragraph_cleanup_matches_reference(void **state)
{
    (void)state;
    static const char *const parts[] = {"a", "bc", "defghij", " ", "  ", ".", "\xc2\xa0", "\xe2\x80\x9c",
                                        "\t", "\xe2\x80\x8b", "\x7f", "xyz "};
    unsigned seed = 12345;
    arena *a = arena_new(64 << 20);
    for (int iter = 0; iter < 20000; iter++) {
        char in[256], want[256];
        size_t len = 0;
        int n_parts = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 24;
        for (int k = 0; k < n_parts; k++) {
            const char *p = parts[((seed = seed * 1103515245u + 12345u) >> 16) % (sizeof parts / sizeof *parts)];
            memcpy(in + len, p, strlen(p));
            len += strlen(p);
        }
        in[len] = '\0';
        size_t wl = reference_clean(in, len, want), got_len;
        char *got = normalize_paragraph(a, in, len, &got_len);
        assert_non_null(got);
        assert_string_equal(got, want);
        assert_int_equal(got_len, wl);
    }
    arena_destroy(a);
}

/* word_count counts the body's space-separated words. */
static void word_count_counts_body_words(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    const char *txt = "Talks resume in Doha\n\nThe  talks\xc2\xa0resumed on Monday, officials said.\n\n"
                      "A second   paragraph follows with \xe2\x80\x9cquoted words\xe2\x80\x9d here.\n";
    raw_doc d;
    article art;
    ingest_error e;
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    assert_int_equal(decode_str(a, txt, &d, &e), 0);
    assert_int_equal(normalize_article(a, LX, &lim, &d, NULL, 0, &art, &e), 0);
    size_t words = 0;
    bool in_word = false;
    for (size_t i = 0; i < art.body_len; i++) {
        bool w = art.body[i] != ' ' && art.body[i] != '\n';
        words += w && !in_word;
        in_word = w;
    }
    assert_int_equal(art.word_count, words);
    assert_int_equal(art.word_count, 15); /* 7 + 8: the headline is not body */
    arena_destroy(a);
}

static void boilerplate_scores(void **state)
{
    (void)state;
    removed_kind k;
    const char *cookie = "We use cookies and similar technologies to improve your browsing experience. "
                         "Click Accept All to consent or Manage Preferences.";
    assert_true(normalize_boilerplate_score(LX, cookie, strlen(cookie), 0, &k) >= NORMALIZE_BOILERPLATE_THRESHOLD);
    assert_int_equal(k, REMOVED_COOKIE_NOTICE);
    const char *news = "\xe2\x80\x9cThe new rules on cookies and consent protect citizens,\xe2\x80\x9d the minister "
                       "said on Tuesday, adding that regulators would enforce them.";
    assert_true(normalize_boilerplate_score(LX, news, strlen(news), 0, &k) < NORMALIZE_BOILERPLATE_THRESHOLD);
    const char *nl = "Sign up for our newsletter to get the news delivered to your inbox.";
    assert_true(normalize_boilerplate_score(LX, nl, strlen(nl), 0, &k) >= NORMALIZE_BOILERPLATE_THRESHOLD);
    assert_int_equal(k, REMOVED_NEWSLETTER);
    const char *links = "Kabul airport chaos Biden speech Taliban rule";
    assert_true(normalize_boilerplate_score(LX, links, strlen(links), strlen(links), &k) >=
                NORMALIZE_BOILERPLATE_THRESHOLD);
}

static void structure_recovery_plain_text(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "date 2021-08-16 VIDEO: Envoys meet in Doha\n"
                 "Talks to continue through the week.\n"
                 "Envoys gathered in the Qatari capital on Monday for a new round of talks about the future.\n"
                 "X\n"
                 "AP Photo/Jane Roe, Pool\n"
                 "Officials said the meetings would continue until Friday and perhaps longer than planned.\n"
                 "Please let us know if you're having issues with commenting.\n",
                 &r);
    assert_string_equal(r.art.title, "Envoys meet in Doha");
    assert_string_equal(r.art.title_flag, "video");
    assert_string_equal(r.art.subtitle, "Talks to continue through the week.");
    assert_string_equal(r.art.published_at, "2021-08-16");
    assert_int_equal(r.art.n_credits, 1);
    assert_string_equal(r.art.credits[0], "AP Photo/Jane Roe, Pool");
    assert_int_equal(r.art.n_paragraphs, 2);
    assert_null(strstr(r.art.body, "commenting"));
    assert_null(strstr(r.art.body, "\n\nX\n\n"));
    assert_int_equal(r.art.removed[REMOVED_POPUP_REMNANT].count, 1);
    assert_int_equal(r.art.removed[REMOVED_COMMENT_PROMPT].count, 1);
    pipeline_result_free(&r);
}

/* A scraper that strips line breaks delivers the article as one line: that
 * line is body text, not a headline (found by the hostile corpus). */
static void one_long_line_is_body_not_headline(void **state)
{
    (void)state;
    char line[2048] = "";
    while (strlen(line) < 1500)
        strcat(line, "Envoys gathered in the Qatari capital on Monday for a new round of talks. ");
    pipeline_result r;
    test_process(LX, line, &r);
    assert_null(r.art.title);
    assert_int_equal(r.art.n_paragraphs, 1);
    assert_true(r.art.body_len > 1400);
    pipeline_result_free(&r);
    /* a short first line stays the headline */
    test_process(LX, "Envoys meet in Doha\nEnvoys gathered in the Qatari capital on Monday for talks.\n", &r);
    assert_string_equal(r.art.title, "Envoys meet in Doha");
    pipeline_result_free(&r);
}

static void duplicate_caption_with_credit(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "People wait outside the airport in Kabul, Afghanistan, Aug. 31, 2021.\n"
                 "People wait outside the airport in Kabul, Afghanistan, Aug. 31, 2021. LOS ANGELES TIMES / JANE ROE\n"
                 "Evacuation flights end in Kabul\n"
                 "The last flights left the airport late on Monday night, officials said in a statement.\n"
                 "Thousands of people remained outside the gates as the deadline passed on Tuesday.\n",
                 &r);
    assert_int_equal(r.art.n_captions, 1);
    assert_string_equal(r.art.captions[0], "People wait outside the airport in Kabul, Afghanistan, Aug. 31, 2021.");
    assert_string_equal(r.art.credits[0], "LOS ANGELES TIMES / JANE ROE");
    assert_string_equal(r.art.title, "Evacuation flights end in Kabul");
    assert_string_equal(r.art.published_at, "2021-08-31"); /* from the caption's date */
    assert_null(strstr(r.art.body, "People wait"));
    assert_int_equal(r.art.removed[REMOVED_DUPLICATE_CAPTION].count, 1);
    pipeline_result_free(&r);
}

static void cookie_notice_removed_news_quote_kept(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "EU tightens data rules\n"
                 "Brussels adopted new rules on Thursday after months of negotiation between member states.\n"
                 "\xe2\x80\x9c" "Citizens must be able to refuse cookies without losing access,\xe2\x80\x9d the commissioner "
                 "said, adding that consent must be freely given.\n"
                 "Cookie Preferences\n"
                 "We use cookies to improve your experience on our site. Strictly necessary cookies are always on.\n"
                 "Performance Cookies\n"
                 "These cookies help us count visits. Do Not Sell My Personal Information.\n"
                 "Accept All\n",
                 &r);
    assert_non_null(strstr(r.art.body, "refuse cookies without losing access"));
    assert_null(strstr(r.art.body, "Cookie Preferences"));
    assert_null(strstr(r.art.body, "Performance Cookies"));
    assert_null(strstr(r.art.body, "Accept All"));
    assert_null(strstr(r.art.body, "count visits"));
    assert_true(r.art.removed[REMOVED_COOKIE_NOTICE].count >= 4);
    pipeline_result_free(&r);
}

static void envelope_title_wins_and_html_title_suffix_stripped(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX, PAGE, &r);
    assert_string_equal(r.art.title, "Talks resume in Doha");
    assert_string_equal(r.art.subtitle, "Envoys return after a pause.");
    assert_string_equal(r.art.published_at, "2021-08-31T09:00:00Z");
    assert_string_equal(r.art.captions[0], "Envoys arrive in Doha.");
    assert_non_null(strstr(r.art.body, "Negotiators met on Tuesday & agreed to continue."));
    assert_non_null(strstr(r.art.body, "next round starts soon")); /* NBSP became a space */
    pipeline_result_free(&r);
    test_process(LX, "{\"title\": \"Envelope headline\", \"text\": \"Envelope headline\\nBody paragraph that "
                     "is long enough to be the article text itself.\\nSecond body paragraph with more words.\"}",
                 &r);
    assert_string_equal(r.art.title, "Envelope headline");
    assert_null(strstr(r.art.body, "Envelope headline"));
    pipeline_result_free(&r);
}

static void language_detection(void **state)
{
    (void)state;
    const char *en = "The minister said that the talks with the envoy were useful and that the next round is on Monday.";
    const char *fr = "Le ministre a dit que les discussions avec les envoyés sont utiles et que la prochaine réunion est "
                     "prévue pour lundi dans la capitale.";
    const char *es = "El ministro dijo que las conversaciones con los enviados fueron útiles y que la próxima ronda será "
                     "el lunes en la capital del país.";
    assert_string_equal(normalize_detect_language(en, strlen(en), false), "en");
    assert_string_equal(normalize_detect_language(fr, strlen(fr), false), "fr");
    assert_string_equal(normalize_detect_language(es, strlen(es), false), "es");
    assert_null(normalize_detect_language("Doha", 4, false));
    assert_true(normalize_language_table_sorted());
}

static void stamp_lines(void **state)
{
    (void)state;
    char out[48];
    assert_true(date_stamp_line("Updated June 19, 2023, 11:47 AM EDT", 35, out, sizeof out));
    assert_string_equal(out, "2023-06-19T11:47:00-04:00");
    const char *p = "Published Aug. 1, 2024 at 9:40 p.m. EDT";
    assert_true(date_stamp_line(p, strlen(p), out, sizeof out));
    assert_string_equal(out, "2024-08-01T21:40:00-04:00");
    assert_true(date_stamp_line("March 3, 2023", 13, out, sizeof out));
    assert_string_equal(out, "2023-03-03");
    p = "March 3, 2023 was the day the talks collapsed.";
    assert_false(date_stamp_line(p, strlen(p), out, sizeof out)); /* a sentence, not a stamp */
}

static void captions_credits_and_tail(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "Talks collapse in Geneva\n"
                 "By Maria Costa and Tom Ames\n"
                 "AP Photo/Jane Roe\n"
                 "Negotiators left the Palais des Nations late on Friday after the third round of talks ended without a "
                 "deal on prisoner exchanges, officials said.\n"
                 "Delegates leave the Palais des Nations in Geneva, Switzerland.\n"
                 "REUTERS/John Doe\n"
                 "Both delegations blamed each other for the failure and said they would report to their capitals before "
                 "any new round is scheduled.\n"
                 "The envoys did not set a new date.\n"
                 "Advertisement\n"
                 "Newsletter\n"
                 "Get the Europe briefing in your inbox every week.\n",
                 &r);
    assert_string_equal(r.art.title, "Talks collapse in Geneva"); /* a headline above a credit is no caption */
    assert_int_equal(r.art.n_captions, 1);
    assert_string_equal(r.art.captions[0], "Delegates leave the Palais des Nations in Geneva, Switzerland.");
    assert_int_equal(r.art.n_credits, 2);
    assert_non_null(strstr(r.art.body, "The envoys did not set a new date.")); /* short last story paragraph stays */
    assert_null(strstr(r.art.body, "Europe briefing"));                        /* the prompt's leftover goes */
    assert_null(strstr(r.art.body, "Maria Costa"));                            /* bylines are metadata */
    pipeline_result_free(&r);
}

static void html_widgets_by_markup(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "<div class=\"story share-enabled\"><h1>Envoys meet</h1>"
                 "<div class=\"promo-overlay\"><p>Subscribe for unlimited access, first month free.</p></div>"
                 "<p>The envoys met in Vienna on Monday to discuss the next round of talks on the nuclear program.</p>"
                 "<p class=\"related\">Read more: <a href=\"/x\">Earlier talks</a></p>"
                 "<p>They agreed to meet again next week, according to diplomats familiar with the talks.</p></div>",
                 &r);
    assert_null(strstr(r.art.body, "unlimited access"));
    assert_null(strstr(r.art.body, "Earlier talks"));
    assert_non_null(strstr(r.art.body, "agreed to meet again")); /* the story container is not a widget */
    assert_int_equal(r.art.removed[REMOVED_NEWSLETTER].count, 1);
    assert_int_equal(r.art.removed[REMOVED_RELATED_LINKS].count, 1);
    pipeline_result_free(&r);
}

static void late_dateline_and_separators(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "Your Privacy Choices\n"
                 "We use cookies on this site. Select Accept All to consent, or Manage Preferences to choose.\n"
                 "Accept All\n"
                 "date 2024-03-11 Envoy summoned over shoal incident\n"
                 "\xc2\xb7\n"
                 "The foreign ministry summoned the deputy ambassador on Monday after the incident near the shoal, "
                 "officials said.\n"
                 "The ambassador was told the ministry expected an explanation within a week.\n",
                 &r);
    assert_string_equal(r.art.title, "Envoy summoned over shoal incident");
    assert_string_equal(r.art.published_at, "2024-03-11");
    assert_null(strstr(r.art.body, "\xc2\xb7"));
    assert_int_equal(r.art.n_paragraphs, 2);
    pipeline_result_free(&r);
}

static void video_teasers_and_watch_flag(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "<html><head><meta property=\"og:title\" content=\"Leaders meet in Kyiv\"></head><body><article>"
                 "<h1>Watch: Leaders meet in Kyiv</h1>"
                 "<p>The leaders met in Kyiv on Monday and discussed air defence deliveries for the winter.</p>"
                 "<div class=\"video-embed\">VIDEO: Arrival at the station (1:42)</div>"
                 "<p>Officials said further meetings would follow in the spring.</p>"
                 "<p>VIDEO: What the leaders said (0:58)</p>"
                 "</article></body></html>",
                 &r);
    assert_string_equal(r.art.title, "Leaders meet in Kyiv");
    assert_string_equal(r.art.title_flag, "watch"); /* from the <h1>, though og:title has no prefix */
    assert_null(strstr(r.art.body, "VIDEO:"));
    assert_int_equal(r.art.n_paragraphs, 2);
    pipeline_result_free(&r);
}

static int plug_calls;
static const char *fake_langid(void *ctx, const char *text, size_t len)
{
    (void)text;
    (void)len;
    plug_calls++;
    return ctx;
}

static void language_plugin_only_for_uncertain_text(void **state)
{
    (void)state;
    lexicons_set_langid(LX, fake_langid, "xx");
    const char *en = "The minister said that the talks with the envoy in Doha were useful and that the next round of "
                     "the talks is on Monday, and the officials of the two sides agreed with that view of the matter.";
    plug_calls = 0;
    assert_string_equal(normalize_language(LX, en, strlen(en)), "en");
    assert_int_equal(plug_calls, 0); /* confident English never pays for the library */
    const char *ru = "\xd0\x9c\xd0\xb8\xd0\xbd\xd0\xb8\xd1\x81\xd1\x82\xd1\x80 \xd0\xb7\xd0\xb0\xd1\x8f\xd0\xb2\xd0\xb8\xd0\xbb";
    assert_string_equal(normalize_language(LX, ru, strlen(ru)), "xx");
    assert_int_equal(plug_calls, 1);
    lexicons_set_langid(LX, NULL, NULL);
}

static void textcat_identifies_languages(void **state)
{
    (void)state;
    char err[256];
    langid_textcat *lt = langid_textcat_open(LANGID_TEXTCAT_DEFAULT_DIR, err, sizeof err);
    if (!lt)
        fail_msg("%s", err);
    struct {
        const char *text, *code;
    } cases[] = {
        {"Le ministre a dit que les discussions avec les envoy\xc3\xa9s sont utiles et que la prochaine r\xc3\xa9union "
         "est pr\xc3\xa9vue pour lundi.", "fr"},
        {"Der Minister sagte, die Gespr\xc3\xa4" "che mit dem Gesandten seien n\xc3\xbctzlich gewesen und die n\xc3\xa4" "chste "
         "Runde finde am Montag statt.", "de"},
        {"\xd0\x9c\xd0\xb8\xd0\xbd\xd0\xb8\xd1\x81\xd1\x82\xd1\x80 \xd0\xb7\xd0\xb0\xd1\x8f\xd0\xb2\xd0\xb8\xd0\xbb, "
         "\xd1\x87\xd1\x82\xd0\xbe \xd0\xbf\xd0\xb5\xd1\x80\xd0\xb5\xd0\xb3\xd0\xbe\xd0\xb2\xd0\xbe\xd1\x80\xd1\x8b "
         "\xd0\xb1\xd1\x8b\xd0\xbb\xd0\xb8 \xd0\xbf\xd0\xbe\xd0\xbb\xd0\xb5\xd0\xb7\xd0\xbd\xd1\x8b\xd0\xbc\xd0\xb8.", "ru"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *got = langid_textcat_classify(lt, cases[i].text, strlen(cases[i].text));
        assert_non_null(got);
        assert_string_equal(got, cases[i].code);
    }
    assert_null(langid_textcat_classify(lt, "Doha", 4)); /* too short: no guess */
    assert_null(langid_textcat_open("/nonexistent", err, sizeof err));
    assert_non_null(strstr(err, "fpdb.conf"));
    langid_textcat_close(lt);
}

static void simhash_near_duplicates(void **state)
{
    (void)state;
    const char *a = "The foreign ministers met in Doha on Monday to discuss the evacuation of foreign nationals and "
                    "Afghan staff from Kabul airport after the withdrawal of troops.";
    const char *b = "The foreign ministers met in Doha on Monday to discuss the evacuation of foreign nationals and "
                    "Afghan staff from Kabul airport after the withdrawal of all troops.";
    const char *c = "Markets rallied in Tokyo as investors bought technology shares ahead of the central bank meeting.";
    unsigned long long ha = normalize_simhash(a, strlen(a)), hb = normalize_simhash(b, strlen(b)),
                       hc = normalize_simhash(c, strlen(c));
    assert_true(__builtin_popcountll(ha ^ hb) < __builtin_popcountll(ha ^ hc));
    assert_true(__builtin_popcountll(ha ^ hb) <= 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(envelope_fields_and_source_meta),
        cmocka_unit_test(envelope_errors),
        cmocka_unit_test(json_depth_limit),
        cmocka_unit_test(html_page_structure),
        cmocka_unit_test(html_deep_nesting_is_bounded),
        cmocka_unit_test(text_lines_any_line_ending),
        cmocka_unit_test(paragraph_cleanup_is_idempotent),
        cmocka_unit_test(boilerplate_scores),
        cmocka_unit_test(structure_recovery_plain_text),
        cmocka_unit_test(one_long_line_is_body_not_headline),
        cmocka_unit_test(duplicate_caption_with_credit),
        cmocka_unit_test(cookie_notice_removed_news_quote_kept),
        cmocka_unit_test(envelope_title_wins_and_html_title_suffix_stripped),
        cmocka_unit_test(language_detection),
        cmocka_unit_test(stamp_lines),
        cmocka_unit_test(video_teasers_and_watch_flag),
        cmocka_unit_test(late_dateline_and_separators),
        cmocka_unit_test(captions_credits_and_tail),
        cmocka_unit_test(html_widgets_by_markup),
        cmocka_unit_test(language_plugin_only_for_uncertain_text),
        cmocka_unit_test(textcat_identifies_languages),
        cmocka_unit_test(simhash_near_duplicates),
        cmocka_unit_test(simhash_matches_its_definition),
        cmocka_unit_test(paragraph_cleanup_matches_reference),
        cmocka_unit_test(word_count_counts_body_words),
    };
    return cmocka_run_group_tests_name("decode_normalize", tests, LX_setup, LX_teardown);
}
