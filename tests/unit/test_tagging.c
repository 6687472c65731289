/* Unit tests: tokenizer, sentences, entity rules, coreference, events, modality, time, quotes.
 * They use the lexicons built from schemas/ (people and places named here are in the gazetteer). */
#include "test_support.h"

#include "events.h"
#include "lexicon.h"
#include "strmap.h"
#include "tagger_words.h"
#include "text.h"

static void tok_texts(const char *s, char out[][32], size_t *n)
{
    arena *a = arena_new(1 << 20);
    tokens tk;
    assert_int_equal(text_tokenize(a, s, strlen(s), &tk), 0);
    *n = tk.n;
    for (size_t i = 0; i < tk.n && i < 64; i++)
        snprintf(out[i], 32, "%.*s", (int)(tk.t[i].end - tk.t[i].start), s + tk.t[i].start);
    arena_destroy(a);
}

static void tokenizer_news_forms(void **state)
{
    (void)state;
    char t[64][32];
    size_t n;
    tok_texts("Gen. Mark Milley met Rep. Mike Gallagher, R-Wisc., in the U.S. on Aug. 31.", t, &n);
    const char *want[] = {"Gen.", "Mark", "Milley", "met", "Rep.", "Mike", "Gallagher", ",", "R-Wisc.", ",",
                          "in", "the", "U.S.", "on", "Aug.", "31", "."};
    assert_int_equal(n, sizeof want / sizeof *want);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(t[i], want[i]);
    tok_texts("Qatar\xe2\x80\x99s Sheikh Al-Thani didn\xe2\x80\x99t meet ISIS-K. \xe2\x80\x9cNo,\xe2\x80\x9d he said.", t,
              &n);
    const char *want2[] = {"Qatar", "\xe2\x80\x99s", "Sheikh", "Al-Thani", "did", "n\xe2\x80\x99t", "meet", "ISIS-K",
                           ".", "\xe2\x80\x9c", "No", ",", "\xe2\x80\x9d", "he", "said", "."};
    assert_int_equal(n, sizeof want2 / sizeof *want2);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(t[i], want2[i]);
}

/* Clause punctuation carries TOKF_BREAK, other punctuation and words do not. */
static void clause_breaks_are_flagged(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 16);
    tokens tk;
    const char *s = "A, b; c: (d) e \xe2\x80\x94 f. g - h \xe2\x80\x9cq\xe2\x80\x9d \xe2\x80\x93 i!";
    assert_int_equal(text_tokenize(a, s, strlen(s), &tk), 0);
    size_t breaks = 0;
    for (size_t i = 0; i < tk.n; i++) {
        const char *p = s + tk.t[i].start;
        size_t n = tk.t[i].end - tk.t[i].start;
        bool want = (n == 1 && strchr(",;:()", *p)) || (n == 3 && !memcmp(p, "\xe2\x80\x94", 3));
        assert_int_equal(!!(tk.t[i].flags & TOKF_BREAK), want);
        breaks += want;
    }
    assert_int_equal(breaks, 6);
    arena_destroy(a);
}

/* A word's end and case flags do not depend on where it falls in the 8-byte blocks the tokenizer
 * scans: each word of 1 to 19 letters, in each case pattern, after 0 to 8 spaces and before each
 * kind of end (end of text, space, comma, full stop, a non-ASCII letter, a hyphen), against the
 * rules stated in text.h. */
static void word_ends_and_case_flags_at_every_offset(void **state)
{
    (void)state;
    static const char *const ends[] = {"", " x", ", x", ". X", "\xc3\xa9", "-x"};
    char text[64];
    for (size_t len = 1; len < 20; len++)
        for (int pattern = 0; pattern < 5; pattern++) {
            char w[24];
            for (size_t i = 0; i < len; i++) {
                /* all capitals, capitalised, lower, all capitals then one lower letter, a digit inside */
                bool up = pattern == 0 || (pattern == 1 && i == 0) || (pattern == 3 && i + 1 < len);
                w[i] = pattern == 4 && i == len / 2 ? '7' : (char)((up ? 'A' : 'a') + (int)(i % 26));
            }
            w[len] = '\0';
            size_t uppers = 0, lowers = 0;
            for (size_t i = 0; i < len; i++)
                uppers += w[i] >= 'A' && w[i] <= 'Z', lowers += w[i] >= 'a' && w[i] <= 'z';
            uint16_t want = (w[0] >= 'A' && w[0] <= 'Z' ? TOKF_CAP : 0) |
                            (uppers >= 2 && lowers == 0 ? TOKF_ALLCAP : 0);
            for (size_t pad = 0; pad <= 8; pad++)
                for (size_t e = 0; e < sizeof ends / sizeof *ends; e++) {
                    int n = snprintf(text, sizeof text, "%*s%s%s", (int)pad, "", w, ends[e]);
                    tokens tk;
                    arena *a = arena_new(1 << 16);
                    assert_int_equal(text_tokenize(a, text, (size_t)n, &tk), 0);
                    assert_true(tk.n >= 1);
                    bool joins = e == 4 || e == 5; /* "wordé" and "word-x" are one token */
                    /* an initial ("A.") or an abbreviation keeps its dot */
                    bool dot = e == 3 && ((len == 1 && (want & TOKF_CAP)) || text_is_abbreviation(w, len));
                    size_t want_end = pad + len + (joins ? strlen(ends[e]) : dot);
                    if (tk.t[0].end != want_end || tk.t[0].start != pad)
                        fail_msg("\"%s\": token [%u, %u), want [%zu, %zu)", text, tk.t[0].start, tk.t[0].end, pad,
                                 want_end);
                    if (!joins && (tk.t[0].flags & (TOKF_CAP | TOKF_ALLCAP)) != want)
                        fail_msg("\"%s\": flags %u, want %u", text, tk.t[0].flags, want);
                    arena_destroy(a);
                }
        }
}

/* Every token carries the hashes of its two lookup forms: the key form
 * (case kept, curly apostrophe as ') and the folded form. */
static void tokens_carry_lookup_hashes(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    tokens tk;
    const char *s = "O\xe2\x80\x99" "Brien Foreign MINISTRY said";
    assert_int_equal(text_tokenize(a, s, strlen(s), &tk), 0);
    assert_int_equal(tk.n, 4);
    assert_true(tk.hkey[0] == strmap_word_hash("O'Brien", 7));
    assert_true(tk.hfold[0] == strmap_word_hash("o'brien", 7));
    assert_true(tk.hkey[1] == strmap_word_hash("Foreign", 7));
    assert_true(tk.hfold[2] == strmap_word_hash("ministry", 8));
    assert_true(tk.hkey[3] == tk.hfold[3]);
    assert_true(tk.t[0].flags & TOKF_NONASCII);
    assert_false(tk.t[1].flags & TOKF_NONASCII);
    /* a span's hash is its tokens' hashes joined: the key of a lexicon map */
    assert_true(strmap_hash_join(tk.hkey[1], tk.hkey[2]) == strmap_hash("Foreign MINISTRY", 16));
    arena_destroy(a);
}

/* The closed word classes are indexed once: a word in two classes has both bits. */
static void tagger_word_classes(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    strmap m;
    assert_int_equal(strmap_init(&m, a, 16), 0);
    static uint64_t filter[1024];
    assert_int_equal(tagger_words_index(&m, filter, 16), 0);
    uint64_t bit = strmap_word_hash("said", 4) >> 48;
    assert_true(filter[bit >> 6] >> (bit & 63) & 1);
    bit = strmap_word_hash("ministry", 8) >> 48; /* the folded form of "Ministry" */
    assert_true(filter[bit >> 6] >> (bit & 63) & 1);
    int v = 0;
    assert_true(strmap_get(&m, "in", 2, &v));
    assert_int_equal(v, TW_PLACE_PREP | TW_SEAT_PREP);
    assert_true(strmap_get(&m, "In", 2, &v));
    assert_int_equal(v, TW_STOP_CAP);
    assert_true(strmap_get(&m, "said", 4, &v));
    assert_int_equal(v, TW_SPEECH_VERB);
    assert_true(strmap_get(&m, "Ministry", 8, &v));
    assert_int_equal(v, TW_ORG_HEAD);
    assert_false(strmap_get(&m, "ministry", 8, &v));
    arena_destroy(a);
}

/* Every allocation of the tokenizer and the entity tagger can fail: at each
 * arena size on the way up, tagging either works or reports an internal
 * error (ASan and UBSan watch the failure paths). */
static void tagging_survives_every_allocation_failure(void **state)
{
    (void)state;
    static const char body[] = "WASHINGTON \xe2\x80\x94" " Secretary of State Antony Blinken met Wang Yi, "
                               "China\xe2\x80\x99" "s foreign minister, at the State Department. The secretary "
                               "said Blinken would visit the Gulf Research Forum. Wang told reporters so.";
    pipeline_limits lim;
    pipeline_limits_default(&lim);
    size_t tokenizer_failures = 0, tagger_failures = 0, successes = 0;
    for (size_t cap = 64; cap <= 65536 && !successes; cap += 64) {
        arena *a = arena_new(cap);
        assert_non_null(a);
        tokens tk;
        entity_set es;
        ingest_error e = {0};
        if (text_tokenize(a, body, sizeof body - 1, &tk)) {
            tokenizer_failures++;
        } else if (entities_tag(a, LX, &lim, body, sizeof body - 1, &tk, &es, &e)) {
            assert_int_equal(e.reason, INGEST_ERR_INTERNAL);
            tagger_failures++;
        } else {
            assert_true(es.n >= 4);
            successes++;
        }
        arena_destroy(a);
    }
    assert_true(tokenizer_failures > 0);
    assert_true(tagger_failures > 0);
    assert_int_equal(successes, 1);
}

static void sentences_respect_abbreviations(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    tokens tk;
    const char *s = "Gen. Milley spoke in the U.S. Capitol on Aug. 31. He left. \xe2\x80\x9cWe are done.\xe2\x80\x9d "
                    "Then he said more.\n\nNew paragraph";
    assert_int_equal(text_tokenize(a, s, strlen(s), &tk), 0);
    assert_int_equal(tk.n_sents, 5);
    assert_memory_equal(s + tk.sents[0].start, "Gen. Milley", 11);
    assert_memory_equal(s + tk.sents[2].start, "\xe2\x80\x9cWe are done.\xe2\x80\x9d", tk.sents[2].end - tk.sents[2].start);
    assert_memory_equal(s + tk.sents[4].start, "New paragraph", 13);
    /* the table is binary-searched: first, last and a party-state suffix are found */
    assert_true(text_abbreviations_sorted());
    assert_true(text_is_abbreviation("Adm", 3));
    assert_true(text_is_abbreviation("Wyo", 3));
    assert_true(text_is_abbreviation("R-Wisc", 6));
    assert_false(text_is_abbreviation("Milley", 6));
    arena_destroy(a);
}

static void runaway_sentences_are_cut(void **state)
{
    (void)state;
    /* 1,000 words without a sentence end: per-sentence work must stay bounded */
    size_t n = 1000 * 5;
    char *blob = malloc(n + 1);
    for (size_t i = 0; i < n; i += 5)
        memcpy(blob + i, "word ", 5);
    blob[n] = '\0';
    arena *a = arena_new(1 << 24);
    tokens tk;
    assert_int_equal(text_tokenize(a, blob, n, &tk), 0);
    assert_int_equal(tk.n, 1000);
    assert_int_equal(tk.n_sents, 1000 / TEXT_MAX_SENTENCE_TOKENS);
    for (size_t i = 0; i < tk.n; i++)
        assert_true(tk.t[i].sent == i / TEXT_MAX_SENTENCE_TOKENS);
    arena_destroy(a);
    free(blob);
}

static void datelines_name_the_city(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "Talks begin\n"
                 "WASHINGTON \xe2\x80\x94 The talks began on Monday, and Washington said it was hopeful.\n\n"
                 "PORT SUDAN, Sudan \xe2\x80\x94 Aid convoys arrived on Tuesday.\n",
                 &r);
    int dc = test_entity(&r, "Washington, D.C."), us = test_entity(&r, "United States"),
        ps = test_entity(&r, "Port Sudan");
    assert_true(dc >= 0 && us >= 0 && ps >= 0); /* the dateline city, and the government later */
    assert_int_equal(r.entities[dc].n_mentions, 1);
    assert_memory_equal(r.art.body + r.entities[dc].mentions[0].start, "WASHINGTON", 10);
    assert_int_equal(r.entities[us].n_mentions, 1);
    pipeline_result_free(&r);
}

static void capitals_for_governments(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "Talks stall\n"
                 "Beijing has refused to resume talks, officials said, and the dispute between Washington and "
                 "Tehran deepened.\n\n"
                 "In Moscow, officials met on Tuesday. The minister later flew to Tokyo.\n\n"
                 "The Vienna nuclear talks resumed, and officials in Seoul rejected Pyongyang\xe2\x80\x99s demands.\n",
                 &r);
    /* a capital standing for its government is the country, its mention kept */
    int cn = test_entity(&r, "China"), ir = test_entity(&r, "Iran");
    assert_true(cn >= 0 && ir >= 0);
    assert_memory_equal(r.art.body + r.entities[cn].mentions[0].start, "Beijing", 7);
    assert_int_equal(test_entity(&r, "Beijing"), -1);
    /* after a preposition of place or motion it is the city, sentence-initial "In" too */
    assert_true(test_entity(&r, "Moscow") >= 0);
    assert_true(test_entity(&r, "Tokyo") >= 0);
    assert_int_equal(test_entity(&r, "Russia"), -1);
    assert_int_equal(test_entity(&r, "Japan"), -1);
    /* a capital naming a venue is the city; a possessive is the government even after "in" */
    assert_true(test_entity(&r, "Vienna") >= 0);
    assert_int_equal(test_entity(&r, "Austria"), -1);
    assert_true(test_entity(&r, "North Korea") >= 0);
    pipeline_result_free(&r);
}

/* The name of the entity that token text names (its mention starts there), or NULL. */
static void appositions_and_organisation_names(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "Aid groups warn\n"
                 "Farida Sultani, a coordinator with the Kabul Women\xe2\x80\x99s Relief Network, said food was short. "
                 "Nasrin Hakimi, who ran a school, agreed.\n\n"
                 "Fair Shots Now, a coalition of charities, said the pledge fell short. "
                 "Analysts at the Geneva Centre for Arms Control Studies and the 82nd Airborne Division disagreed.\n\n"
                 "The Chinese Foreign Ministry and Lithuania\xe2\x80\x99s Foreign Ministry issued statements, as did "
                 "the U.S. Army and the Department of Foreign Affairs. Qatar named a major non-NATO ally.\n\n"
                 "The White House said the leaders met at the White House and later at Dolmabahçe Palace.\n",
                 &r);
    /* people in apposition: a person noun or "who" after the comma; not an organisation */
    assert_string_equal(test_entity_at(&r, "Farida Sultani"), "Farida Sultani");
    assert_string_equal(test_entity_at(&r, "Nasrin Hakimi"), "Nasrin Hakimi");
    assert_string_equal(test_entity_at(&r, "Fair Shots Now"), "(none)");
    /* organisations by head noun: a city opening the name, a possessive, of/for inside,
     * an ordinal, a demonym; a country opening it is written canonically */
    assert_string_equal(test_entity_at(&r, "Kabul Women"), "Kabul Women\xe2\x80\x99s Relief Network");
    assert_string_equal(test_entity_at(&r, "Geneva Centre"), "Geneva Centre for Arms Control Studies");
    assert_string_equal(test_entity_at(&r, "82nd"), "82nd Airborne Division");
    assert_string_equal(test_entity_at(&r, "Chinese Foreign"), "Chinese Foreign Ministry");
    assert_string_equal(test_entity_at(&r, "U.S. Army"), "United States Army");
    assert_string_equal(test_entity_at(&r, "Department of Foreign"), "Department of Foreign Affairs");
    /* "Lithuania's Foreign Ministry": named with the demonym, serving Lithuania, and a mention of it */
    int org = test_entity(&r, "Lithuanian Foreign Ministry");
    assert_true(org >= 0);
    assert_string_equal(r.entities[org].country, "LTU");
    assert_true(test_entity(&r, "Lithuania") >= 0);
    /* facilities by head noun; a body named after its seat is the building after "at the" */
    int palace = test_entity(&r, "Dolmabahçe Palace");
    assert_true(palace >= 0);
    assert_int_equal(r.entities[palace].type, ENT_FAC);
    int wh_org = -1, wh_fac = -1;
    for (size_t i = 0; i < r.n_entities; i++)
        if (!strcmp(r.entities[i].name, "White House"))
            *(r.entities[i].type == ENT_ORG ? &wh_org : &wh_fac) = (int)i;
    assert_true(wh_org >= 0 && wh_fac >= 0);
    assert_int_equal(r.entities[wh_org].n_mentions, 1);
    assert_int_equal(r.entities[wh_fac].n_mentions, 1);
    /* "non-NATO": the prefix is split off the name */
    assert_string_equal(test_entity_at(&r, "NATO"), "NATO");
    pipeline_result_free(&r);
}

static void role_descriptions_refer_to_holders(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "Envoys meet\n"
                 "Secretary of State Antony Blinken arrived on Monday. President Joe Biden stayed home. "
                 "The secretary of state met officials, and the president spoke later. "
                 "The prime minister was not mentioned before.\n",
                 &r);
    int blinken = test_entity(&r, "Antony Blinken"), biden = test_entity(&r, "Joe Biden");
    assert_true(blinken >= 0 && biden >= 0);
    assert_string_equal(test_entity_at(&r, "secretary of state met"), "Antony Blinken");
    assert_string_equal(test_entity_at(&r, "president spoke"), "Joe Biden");
    /* nobody with that office named earlier: no mention */
    assert_string_equal(test_entity_at(&r, "prime minister"), "(none)");
    pipeline_result_free(&r);
}

static void headline_and_subtitle_count(void **state)
{
    (void)state;
    pipeline_result r;
    /* a sentence-case dek between the headline and a dateline lead */
    test_process(LX,
                 "Ethiopia And Tigray Forces Sign Peace Deal In Pretoria\n"
                 "Mediators from Kenya welcomed the accord.\n"
                 "ADDIS ABABA, Ethiopia \xe2\x80\x94 The Ethiopian government signed a truce on Wednesday, "
                 "officials said. Ethiopia will restore services, the government said.\n\n"
                 "Aid agencies said convoys would move within days, and Ethiopia confirmed it.\n",
                 &r);
    assert_string_equal(r.art.subtitle, "Mediators from Kenya welcomed the accord.");
    /* named only in the headline or the subtitle: the entity, without mentions (offsets are into the body) */
    int pretoria = test_entity(&r, "Pretoria"), kenya = test_entity(&r, "Kenya");
    assert_true(pretoria >= 0 && kenya >= 0);
    assert_int_equal(r.entities[pretoria].n_mentions, 0);
    assert_int_equal(r.entities[kenya].n_mentions, 0);
    /* from a Title Case headline only what the gazetteer knows: no "Tigray Forces Sign Peace Deal" */
    for (size_t i = 0; i < r.n_entities; i++)
        assert_null(strstr(r.entities[i].name, "Sign"));
    /* the most mentioned entity, also in the headline, is the most salient */
    int ethiopia = test_entity(&r, "Ethiopia");
    assert_true(ethiopia >= 0);
    assert_true(r.entities[ethiopia].salience == 1.0);
    assert_true(r.entities[pretoria].salience < 1.0 && r.entities[pretoria].salience > 0.0);
    pipeline_result_free(&r);
}

static const char *ARTICLE =
    "Blinken heads to Doha\n"
    "Secretary of State Antony Blinken will travel to Qatar on Monday, the State Department said. "
    "Blinken met Foreign Minister Wang Yi in Beijing last month.\n"
    "Local organiser Farida Osmani said the Kabul office would reopen. Osmani spoke with reporters.\n"
    "Washington has no intention to meet Taliban leaders, officials said. \xe2\x80\x9cWe are not there yet,\xe2\x80\x9d "
    "Blinken said. \xe2\x80\x9cNothing is decided,\xe2\x80\x9d a senior official said.\n"
    "If talks fail, the Taliban could attack the airport. Qatar did not evacuate its embassy.\n";

static pipeline_result R;

static int setup_article(void **state)
{
    LX_setup(state);
    char buf[4096];
    snprintf(buf, sizeof buf, "date 2021-08-31 %s", ARTICLE);
    test_process(LX, buf, &R);
    return 0;
}

static int teardown_article(void **state)
{
    pipeline_result_free(&R);
    return LX_teardown(state);
}

/* A lone surname of one gazetteer person is that person where a proper noun must stand (inside a
 * sentence, or as a speaker at its start), not a capitalised common noun opening a sentence, nor a
 * word beside another capitalised one. */
static void known_surnames_alone(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "Gulf talks\n"
                 "Qatar's prime minister spoke by phone with Blinken on Wednesday. Putin said the talks had "
                 "failed.\n",
                 &r);
    int b = test_entity(&r, "Antony Blinken"), p = test_entity(&r, "Vladimir Putin");
    assert_true(b >= 0 && p >= 0);
    int g;
    assert_true(strmap_get(&LX->alias, "Antony Blinken", 14, &g));
    assert_string_equal(r.entities[b].id, LX->gaz[g].id);
    pipeline_result_free(&r);
    test_process(LX, "Markets\nPrice rises hit Cairo on Monday. Residents met Andrew Putin there.\n", &r);
    assert_int_equal(test_entity(&r, "Ned Price"), -1);
    assert_int_equal(test_entity(&r, "Vladimir Putin"), -1);
    pipeline_result_free(&r);
}

static void entities_gazetteer_titles_and_speech(void **state)
{
    (void)state;
    int blinken = test_entity(&R, "Antony Blinken");
    assert_true(blinken >= 0);
    int g;
    assert_true(strmap_get(&LX->alias, "Antony Blinken", 14, &g));
    assert_string_equal(R.entities[blinken].id, LX->gaz[g].id); /* the gazetteer's stable id */
    assert_int_equal(R.entities[blinken].type, ENT_PERSON);
    assert_true(R.entities[blinken].n_mentions >= 3); /* full name + surname coreference */
    assert_true(test_entity(&R, "Qatar") >= 0);
    assert_true(test_entity(&R, "Wang Yi") >= 0); /* title rule */
    int osmani = test_entity(&R, "Farida Osmani"); /* unknown to the gazetteer: speech-verb rule */
    assert_true(osmani >= 0);
    assert_int_equal(R.entities[osmani].type, ENT_PERSON);
    assert_string_equal(R.entities[osmani].id, "slug:person:farida-osmani");
    assert_true(R.entities[osmani].n_mentions >= 2);
    int us = test_entity(&R, "United States"); /* "Washington" as metonym */
    assert_true(us >= 0);
    assert_int_equal(R.entities[us].type, ENT_GPE);
    assert_true(test_entity(&R, "Taliban") >= 0);
    /* no person from a title alone, no titles in names */
    for (size_t i = 0; i < R.n_entities; i++) {
        assert_null(strstr(R.entities[i].name, "Secretary"));
        assert_null(strstr(R.entities[i].name, "Minister"));
        for (size_t m = 0; m < R.entities[i].n_mentions; m++)
            assert_true(R.entities[i].mentions[m].end <= R.art.body_len);
    }
}

static const event *find_event(const char *type, modality mod)
{
    for (size_t i = 0; i < R.n_events; i++)
        if (!strcmp(R.events[i].type, type) && R.events[i].mod == mod)
            return &R.events[i];
    return NULL;
}

static void events_with_arguments_modality_and_time(void **state)
{
    (void)state;
    const event *visit = find_event("visit", MOD_PLANNED);
    assert_non_null(visit);
    assert_string_equal(R.entities[visit->actor].name, "Antony Blinken");
    assert_string_equal(R.entities[visit->location].name, "Qatar");
    assert_string_equal(visit->time_text, "Monday");
    assert_string_equal(visit->time_date, "2021-09-06"); /* planned: the next Monday after Tue 2021-08-31 */
    assert_string_equal(visit->cameo, "042");
    const event *meet = find_event("meet", MOD_ASSERTED);
    assert_non_null(meet);
    assert_string_equal(R.entities[meet->target].name, "Wang Yi");
    /* "has no intention to meet": negated, never asserted */
    const event *neg = find_event("meet", MOD_NEGATED);
    assert_non_null(neg);
    assert_string_equal(R.entities[neg->actor].name, "United States");
    const event *attack = find_event("attack", MOD_HYPOTHETICAL);
    assert_non_null(attack);
    assert_null(find_event("attack", MOD_ASSERTED));
    assert_non_null(find_event("evacuate", MOD_NEGATED));
    assert_null(find_event("evacuate", MOD_ASSERTED));
}

static void nominal_triggers_take_modality_from_their_predicate(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "Talks stall\n"
                 "A meeting between Vladimir Putin and Volodymyr Zelenskyy could take place if a draft treaty is agreed, "
                 "officials said. Germany said recognition should come only at the end of negotiations.\n",
                 &r);
    bool meet_hyp = false, any_asserted = false;
    for (size_t i = 0; i < r.n_events; i++) {
        if (!strcmp(r.events[i].type, "meet") || !strcmp(r.events[i].type, "recognize")) {
            meet_hyp |= !strcmp(r.events[i].type, "meet") && r.events[i].mod == MOD_HYPOTHETICAL;
            any_asserted |= r.events[i].mod == MOD_ASSERTED;
        }
    }
    assert_true(meet_hyp);
    assert_false(any_asserted); /* neither the meeting nor the recognition has happened */
    pipeline_result_free(&r);
}

static void time_resolution(void **state)
{
    (void)state;
    char d[11];
    assert_true(events_resolve_time("Monday", 6, "2021-08-31", false, d)); /* Tue: last Monday */
    assert_string_equal(d, "2021-08-30");
    assert_true(events_resolve_time("Tuesday", 7, "2021-08-31T10:00:00Z", false, d)); /* same day */
    assert_string_equal(d, "2021-08-31");
    assert_true(events_resolve_time("Tuesday", 7, "2021-08-31", true, d)); /* planned: next week */
    assert_string_equal(d, "2021-09-07");
    assert_true(events_resolve_time("Aug. 15", 7, "2021-08-31", false, d));
    assert_string_equal(d, "2021-08-15");
    assert_true(events_resolve_time("yesterday", 9, "2021-09-01", false, d));
    assert_string_equal(d, "2021-08-31");
    assert_false(events_resolve_time("Monday", 6, NULL, false, d)); /* no anchor: no guess */
    assert_false(events_resolve_time("next week", 9, "2021-08-31", true, d));
}

static void quotes_and_speakers(void **state)
{
    (void)state;
    assert_int_equal(R.n_quotes, 2);
    int blinken = test_entity(&R, "Antony Blinken");
    assert_int_equal(R.quotes[0].speaker, blinken);
    assert_memory_equal(R.art.body + R.quotes[0].text.start, "We are not there yet,", 21);
    assert_int_equal(R.quotes[1].speaker, -1); /* anonymous source stays null */
}

int main(void)
{
    const struct CMUnitTest plain[] = {
        cmocka_unit_test(tokenizer_news_forms),
        cmocka_unit_test(word_ends_and_case_flags_at_every_offset),
        cmocka_unit_test(clause_breaks_are_flagged),
        cmocka_unit_test(known_surnames_alone),
        cmocka_unit_test(tokens_carry_lookup_hashes),
        cmocka_unit_test(tagger_word_classes),
        cmocka_unit_test(tagging_survives_every_allocation_failure),
        cmocka_unit_test(capitals_for_governments),
        cmocka_unit_test(appositions_and_organisation_names),
        cmocka_unit_test(role_descriptions_refer_to_holders),
        cmocka_unit_test(headline_and_subtitle_count),
        cmocka_unit_test(sentences_respect_abbreviations),
        cmocka_unit_test(runaway_sentences_are_cut),
        cmocka_unit_test(datelines_name_the_city),
        cmocka_unit_test(time_resolution),
        cmocka_unit_test(nominal_triggers_take_modality_from_their_predicate),
    };
    const struct CMUnitTest tagging[] = {
        cmocka_unit_test(entities_gazetteer_titles_and_speech),
        cmocka_unit_test(events_with_arguments_modality_and_time),
        cmocka_unit_test(quotes_and_speakers),
    };
    int rc = cmocka_run_group_tests_name("text", plain, LX_setup, LX_teardown);
    return rc | cmocka_run_group_tests_name("tagging", tagging, setup_article, teardown_article);
}
