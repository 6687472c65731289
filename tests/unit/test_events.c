/* Unit tests of events.c and the event vocabulary of lexicon.c: every trigger class, the argument
 * rules, the modality rules, time resolution against published_at, quote attribution, the
 * lemmatiser's forms, the loader's checks, and memory exhaustion. Each case runs the whole
 * pipeline on a short article, so the entities are the tagger's own. */
#include "test_support.h"

#include "arena.h"
#include "entities.h"
#include "events.h"
#include "text.h"

/* Runs one article: a JSON envelope with a headline, published_at (or none) and text. */
static void run(const char *text, const char *published_at, pipeline_result *r)
{
    char raw[4096];
    char esc[3000];
    size_t o = 0;
    for (const char *p = text; *p && o + 2 < sizeof esc; p++) {
        if (*p == '"' || *p == '\\')
            esc[o++] = '\\';
        esc[o++] = *p == '\n' ? ' ' : *p;
    }
    esc[o] = '\0';
    if (published_at)
        snprintf(raw, sizeof raw, "{\"title\":\"Diplomatic news\",\"published_at\":\"%s\",\"text\":\"%s\"}",
                 published_at, esc);
    else
        snprintf(raw, sizeof raw, "{\"title\":\"Diplomatic news\",\"text\":\"%s\"}", esc);
    test_process(LX, raw, r);
}

static const char *name_of(const pipeline_result *r, int e) { return e >= 0 ? r->entities[e].name : NULL; }

/* The first event of type whose actor is actor and whose target is target (NULL: none). */
static const event *find(const pipeline_result *r, const char *type, const char *actor, const char *target)
{
    for (size_t i = 0; i < r->n_events; i++) {
        const event *e = &r->events[i];
        const char *a = name_of(r, e->actor), *t = name_of(r, e->target);
        if (strcmp(e->type, type) || !a || strcmp(a, actor))
            continue;
        if ((target == NULL && t == NULL) || (target && t && !strcmp(t, target)))
            return e;
    }
    return NULL;
}

static size_t count_type(const pipeline_result *r, const char *type)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_events; i++)
        n += !strcmp(r->events[i].type, type);
    return n;
}

static void dump(const pipeline_result *r)
{
    for (size_t i = 0; i < r->n_events; i++)
        print_message("  event %s %s -> %s (%s)\n", r->events[i].type, name_of(r, r->events[i].actor),
                      name_of(r, r->events[i].target), modality_name(r->events[i].mod));
}

typedef struct ev_case {
    const char *text, *type, *actor, *target; /* target NULL: the event has none */
    modality mod;
} ev_case;

static void check_cases(const ev_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        pipeline_result r;
        run(cases[i].text, "2021-08-31T10:00:00Z", &r);
        const event *e = find(&r, cases[i].type, cases[i].actor, cases[i].target);
        if (!e || e->mod != cases[i].mod) {
            dump(&r);
            fail_msg("case %zu '%s': no %s event %s -> %s (%s)", i, cases[i].text, cases[i].type, cases[i].actor,
                     cases[i].target ? cases[i].target : "none", modality_name(cases[i].mod));
        }
        pipeline_result_free(&r);
    }
}

/* ---- trigger classes: verbs, inflections, nominalisations, multi-word phrases ----- */

static void every_trigger_class(void **state)
{
    (void)state;
    static const ev_case cases[] = {
        {"Antony Blinken said the talks had been useful.", "statement", "Antony Blinken", NULL, MOD_ASSERTED},
        {"Antony Blinken urged Iran to return to the negotiating table.", "appeal", "Antony Blinken", "Iran",
         MOD_ASSERTED},
        {"Joe Biden asked Japan to send more aid.", "appeal", "Joe Biden", "Japan", MOD_ASSERTED},
        {"Iran pledged to cooperate with Russia on energy.", "intend_cooperate", "Iran", "Russia", MOD_ASSERTED},
        {"Joe Biden consulted with Emmanuel Macron about the crisis.", "consult", "Joe Biden", "Emmanuel Macron",
         MOD_ASSERTED},
        {"Joe Biden spoke by phone with Boris Johnson about the airlift.", "phone_call", "Joe Biden",
         "Boris Johnson", MOD_ASSERTED},
        {"Antony Blinken flew to Qatar on Monday.", "visit", "Antony Blinken", "Qatar", MOD_ASSERTED},
        {"Joe Biden hosted Emmanuel Macron at the White House.", "host_visit", "Joe Biden", "Emmanuel Macron",
         MOD_ASSERTED},
        {"Antony Blinken met Wang Yi in Beijing.", "meet", "Antony Blinken", "Wang Yi", MOD_ASSERTED},
        {"Iran held talks with Russia in Vienna.", "negotiate", "Iran", "Russia", MOD_ASSERTED},
        {"Australia and China held their first strategic dialogue in years.", "consult", "Australia", "China",
         MOD_ASSERTED},
        {"South Africa recalled its diplomats from Israel.", "reduce_relations", "South Africa", "Israel",
         MOD_ASSERTED},
        {"Kim Jong Un vowed to strengthen ties with Russia.", "intend_cooperate", "Kim Jong Un", "Russia",
         MOD_PLANNED},
        {"Mexico sent a protest note to Ecuador on Friday.", "criticize", "Mexico", "Ecuador", MOD_ASSERTED},
        {"The United States evacuated its embassy staff from Sudan.", "evacuate", "United States", NULL,
         MOD_ASSERTED},
        {"Russia withdrew its troops from the border.", "withdraw", "Russia", NULL, MOD_ASSERTED},
        {"Antony Blinken thanked Qatar for its help.", "praise", "Antony Blinken", "Qatar", MOD_ASSERTED},
        {"Spain recognized Palestine on Tuesday.", "recognize", "Spain", "Palestine", MOD_ASSERTED},
        {"Israel signed an agreement with Bahrain.", "sign_agreement", "Israel", "Bahrain", MOD_ASSERTED},
        {"Germany sent military aid to Ukraine.", "provide_aid", "Germany", "Ukraine", MOD_ASSERTED},
        {"Iran demanded that the United States lift all sanctions.", "demand", "Iran", "United States",
         MOD_ASSERTED},
        {"China condemned Japan over the visit.", "criticize", "China", "Japan", MOD_ASSERTED},
        {"The Taliban rejected the proposal.", "reject", "Taliban", NULL, MOD_ASSERTED},
        {"North Korea threatened South Korea with retaliation.", "threaten", "North Korea", "South Korea",
         MOD_ASSERTED},
        {"Russia expelled dozens of diplomats from Finland.", "reduce_relations", "Russia", "Finland", MOD_ASSERTED},
        {"China imposed sanctions on Lithuania.", "reduce_relations", "China", "Lithuania", MOD_ASSERTED},
        {"Russia detained an American journalist.", "detain", "Russia", "American", MOD_ASSERTED},
        {"Russia attacked Ukraine from the north.", "attack", "Russia", "Ukraine", MOD_ASSERTED},
        /* lemmas, not surface lists: meets / met / meeting */
        {"Joe Biden meets Vladimir Putin in Geneva.", "meet", "Joe Biden", "Vladimir Putin", MOD_ASSERTED},
        {"Joe Biden held a meeting with Vladimir Putin in Geneva.", "meet", "Joe Biden", "Vladimir Putin",
         MOD_ASSERTED},
        {"Joe Biden made a visit to Ukraine.", "visit", "Joe Biden", "Ukraine", MOD_ASSERTED},
    };
    check_cases(cases, sizeof cases / sizeof *cases);
}

/* A verb pattern does not fire on a noun and the other way round; a pattern
 * that ends in its place preposition needs a place. */
static void parts_of_speech_and_places(void **state)
{
    (void)state;
    pipeline_result r;
    run("The attack on the convoy was condemned. Antony Blinken arrived in time for the vote.", NULL, &r);
    assert_int_equal(count_type(&r, "visit"), 0); /* "arrived in time": no place */
    pipeline_result_free(&r);
    run("The talks resumed on Monday in Vienna.", NULL, &r);
    assert_int_equal(count_type(&r, "negotiate"), 0); /* a nominal trigger without a support verb has no actor */
    pipeline_result_free(&r);
    /* a participle after a preposition is an adjective, no act: "access to frozen funds" */
    run("Iran agreed to release five prisoners in exchange for access to frozen funds.", NULL, &r);
    assert_int_equal(count_type(&r, "reduce_relations"), 0);
    assert_non_null(find(&r, "intend_cooperate", "Iran", NULL));
    pipeline_result_free(&r);
}

/* ---- argument rules ---------------------------------------------------------------- */

static void argument_rules(void **state)
{
    (void)state;
    static const ev_case cases[] = {
        /* a visit to a city of a country the article never names: the city (it carries the code) */
        {"Antony Blinken will travel to Seoul on Friday.", "visit", "Antony Blinken", "Seoul", MOD_PLANNED},
        /* subject past an apposition */
        {"Sergey Lavrov, Russia's foreign minister, met Antony Blinken in Geneva.", "meet", "Sergey Lavrov",
         "Antony Blinken", MOD_ASSERTED},
        /* a role in apposition names the person */
        {"Russia's foreign minister, Sergey Lavrov, criticized Antony Blinken.", "criticize", "Sergey Lavrov",
         "Antony Blinken", MOD_ASSERTED},
        /* relative pronoun: the antecedent (the visited country is not named: the city is the target) */
        {"Joe Biden, who arrived in Madrid on Tuesday, met Recep Tayyip Erdoğan.", "visit", "Joe Biden", "Madrid",
         MOD_ASSERTED},
        /* a visit's target is the country visited; a capital as object stands for it */
        {"Iran expects inspectors. Rafael Grossi arrived in Tehran on Tuesday.", "visit", "Rafael Grossi", "Iran",
         MOD_ASSERTED},
        /* he/she: the last person who was a sentence's subject */
        {"Joe Biden arrived in Geneva with Antony Blinken. He met Vladimir Putin on Wednesday.", "meet", "Joe Biden",
         "Vladimir Putin", MOD_ASSERTED},
        /* passive: the by-agent acts, the subject undergoes */
        {"Ten diplomats were expelled by Russia on Tuesday.", "reduce_relations", "Russia", NULL, MOD_ASSERTED},
        /* coordinated subject of a reciprocal verb: the first acts, the second is the target */
        {"Antony Blinken and Sergey Lavrov met in Geneva on Friday.", "meet", "Antony Blinken", "Sergey Lavrov",
         MOD_ASSERTED},
        /* between A and B */
        {"A meeting between Joe Biden and Vladimir Putin took place in Geneva.", "meet", "Joe Biden",
         "Vladimir Putin", MOD_ASSERTED},
        /* demonyms and capitals stand for the country the article names */
        {"American officials met the Taliban in Doha, the United States said.", "meet", "United States", "Taliban",
         MOD_ASSERTED},
        {"Saudi Arabia and Iran are rivals. Riyadh broke off relations with Tehran in 2016.", "reduce_relations",
         "Saudi Arabia", "Iran", MOD_ASSERTED},
        /* a coordinated verb shares the subject */
        {"China rejected the protest and accused Japan of provoking the clash.", "criticize", "China", "Japan",
         MOD_ASSERTED},
        /* a conjunct in apposition: "A and his counterpart, B, are expected to meet" */
        {"Sergey Lavrov and his American counterpart, Antony Blinken, are expected to meet in Geneva.", "meet",
         "Sergey Lavrov", "Antony Blinken", MOD_PLANNED},
        /* a non-reciprocal verb: the first conjunct acts, the others are not targets */
        {"France, Germany and Italy condemned the expulsions.", "criticize", "France", NULL, MOD_ASSERTED},
        /* an object that names an earlier act: its doer is the target */
        {"China began large-scale drills around Taiwan on Thursday. Japan condemned the drills on Friday.",
         "criticize", "Japan", "China", MOD_ASSERTED},
        /* a warning's target: the first party of another country in its that-clause */
        {"Russia massed troops. Antony Blinken warned that any Russian forces crossing the border would pay.",
         "threaten", "Antony Blinken", "Russia", MOD_ASSERTED},
        /* it/they: the government or group last named as a subject */
        {"China said on Friday that it was suspending cooperation with the United States.", "reduce_relations",
         "China", "United States", MOD_ASSERTED},
        /* recalling an ambassador from a capital targets its country */
        {"Lithuania and China quarrel. China recalled its ambassador from Vilnius in August.", "reduce_relations",
         "China", "Lithuania", MOD_ASSERTED},
        /* a titled person after a nationality is the target, not the nationality */
        {"Joe Biden spoke with British Prime Minister Boris Johnson.", "consult", "Joe Biden", "Boris Johnson",
         MOD_ASSERTED},
    };
    check_cases(cases, sizeof cases / sizeof *cases);

    /* several listed targets: one event each */
    pipeline_result r;
    run("Antony Blinken thanked Qatar and Kuwait for their help.", NULL, &r);
    assert_non_null(find(&r, "praise", "Antony Blinken", "Qatar"));
    assert_non_null(find(&r, "praise", "Antony Blinken", "Kuwait"));
    assert_int_equal(count_type(&r, "praise"), 2);
    pipeline_result_free(&r);

    /* people nouns stand for the countries after from/of: one event per country */
    run("Ali Bagheri Kani met envoys from Britain, France and Germany in Vienna.", NULL, &r);
    assert_non_null(find(&r, "meet", "Ali Bagheri Kani", "United Kingdom"));
    assert_non_null(find(&r, "meet", "Ali Bagheri Kani", "France"));
    assert_non_null(find(&r, "meet", "Ali Bagheri Kani", "Germany"));
    pipeline_result_free(&r);

    /* a list of titled signatories: the first signs with each of the others */
    run("President Recep Tayyip Erdoğan, Finnish President Sauli Niinistö and Swedish Prime Minister "
        "Magdalena Andersson signed the document in Madrid.",
        NULL, &r);
    assert_non_null(find(&r, "sign_agreement", "Recep Tayyip Erdoğan", "Sauli Niinistö"));
    assert_non_null(find(&r, "sign_agreement", "Recep Tayyip Erdoğan", "Magdalena Andersson"));
    pipeline_result_free(&r);

    /* location: in/at + place; the record carries country codes through the entities */
    run("Antony Blinken met Wang Yi in Beijing on Monday.", NULL, &r);
    const event *e = find(&r, "meet", "Antony Blinken", "Wang Yi");
    assert_non_null(e);
    assert_string_equal(name_of(&r, e->location), "Beijing");
    assert_string_equal(r.entities[e->actor].country, "USA");
    assert_string_equal(r.entities[e->target].country, "CHN");
    assert_true(e->sentence.start < e->trigger.start && e->trigger.end <= e->sentence.end);
    assert_memory_equal(r.art.body + e->trigger.start, "met", 3);
    pipeline_result_free(&r);

    /* statements need a named official: no event for anonymous, private or institutional speakers */
    run("A senior official said the talks were useful. The Pentagon said the flights would continue. "
        "Jane Doe, a teacher in Kabul, said she was afraid. "
        "Laleh Farahani, an Iran analyst at the Geneva Centre for Arms Control Studies, said both sides were tired.",
        NULL, &r);
    assert_int_equal(count_type(&r, "statement"), 0);
    pipeline_result_free(&r);

    /* a reported clause has its own subject: an unnamed one gives no actor, unless a government speaks */
    run("Josep Borrell said the bloc was ready to support the commission. "
        "France said the conditions were not yet right to recognize Palestine.",
        NULL, &r);
    assert_int_equal(count_type(&r, "intend_cooperate"), 0);
    e = find(&r, "recognize", "France", "Palestine");
    assert_non_null(e);
    assert_int_equal(e->mod, MOD_NEGATED);
    pipeline_result_free(&r);

    /* officials named in apposition to their role, either way round */
    run("Alexander Fomin, Russia's deputy defense minister, said the move would build trust. "
        "Russia's envoy to the talks, Mikhail Ulyanov, said the gaps were not critical.",
        NULL, &r);
    assert_non_null(find(&r, "statement", "Alexander Fomin", NULL));
    assert_non_null(find(&r, "statement", "Mikhail Ulyanov", NULL));
    pipeline_result_free(&r);

    /* one statement per speaker per sentence */
    run("Joe Biden said he had told Vladimir Putin that the consequences would be devastating.", NULL, &r);
    assert_int_equal(count_type(&r, "statement"), 1);
    pipeline_result_free(&r);
}

/* ---- coordination: titled conjuncts, lists after subordinators, topics are not targets ---------- */

static void coordination_rules(void **state)
{
    (void)state;
    static const ev_case cases[] = {
        /* a title with "of" belongs to its conjunct */
        {"Secretary of State Antony Blinken and Chinese Foreign Minister Wang Yi met in Bali on Friday.", "meet",
         "Antony Blinken", "Wang Yi", MOD_ASSERTED},
        /* a list after "after" is its clause's subject, not a prepositional object */
        {"Armenia and Azerbaijan fought. The guns fell silent after Armenian and Azerbaijani negotiators held talks.",
         "negotiate",
         "Armenia", "Azerbaijan", MOD_ASSERTED},
        /* a topic ("over", "about") is no target: the coordinated partner is */
        {"Joe Biden and Emmanuel Macron agreed to continue discussions over Ukraine.", "intend_cooperate",
         "Joe Biden", "Emmanuel Macron", MOD_ASSERTED},
        /* a people noun's coordinated parties are the subject ("The foreign ministers of A and B met") */
        {"The foreign ministers of India and China met on Friday.", "meet", "India", "China", MOD_ASSERTED},
        {"Negotiators for Armenia and Azerbaijan resumed talks in Vienna.", "negotiate", "Armenia", "Azerbaijan",
         MOD_ASSERTED},
        /* "both governments", "the two countries" as an object: the pair coordinated before it */
        {"Norway and Chile signed a fisheries accord on Monday. Brazil praised both governments for the deal.",
         "praise", "Brazil", "Norway", MOD_ASSERTED},
        {"Norway and Chile signed a fisheries accord on Monday. Brazil praised both governments for the deal.",
         "praise", "Brazil", "Chile", MOD_ASSERTED},
        {"Ecuador and Bolivia closed their border. Peru demanded that the two countries reopen it at once.",
         "demand", "Peru", "Bolivia", MOD_ASSERTED},
    };
    check_cases(cases, sizeof cases / sizeof *cases);
    /* a pair that includes the actor is no target of its own act, and "both of them" names no noun */
    pipeline_result r;
    run("Norway and Chile signed a fisheries accord on Monday. Norway praised both governments.",
        "2021-08-31T10:00:00Z", &r);
    assert_null(find(&r, "praise", "Norway", "Chile"));
    pipeline_result_free(&r);
    run("Norway and Chile signed a fisheries accord on Monday. Brazil praised both of them.", "2021-08-31T10:00:00Z",
        &r);
    assert_null(find(&r, "praise", "Brazil", "Norway"));
    pipeline_result_free(&r);
}

/* ---- subordinate clauses: their own subject and their own modality scope ------------------------ */

static void subordinate_clauses(void **state)
{
    (void)state;
    static const ev_case cases[] = {
        /* the subject of "after X met Y" is X, and "may have" outside the clause does not reach in */
        {"Experts said the test may have used foreign parts after Kim Jong Un met Vladimir Putin in September.",
         "meet", "Kim Jong Un", "Vladimir Putin", MOD_ASSERTED},
        {"Prices rose before Saudi Arabia met Iran in Beijing.", "meet", "Saudi Arabia", "Iran", MOD_ASSERTED},
        /* without a subject of its own the clause stays in the outer scope: planned */
        {"Joe Biden will fly to Brussels after meeting Emmanuel Macron.", "meet", "Joe Biden", "Emmanuel Macron",
         MOD_PLANNED},
        /* a participle after a subordinator has the main clause's subject, not the nearest name */
        {"Olaf Scholz will meet Emmanuel Macron in Paris before flying to Poland.", "visit", "Olaf Scholz",
         "Poland", MOD_PLANNED},
    };
    check_cases(cases, sizeof cases / sizeof *cases);

    /* a light verb used as a noun ("on the steps of") supports no nominal trigger */
    pipeline_result r;
    run("Swiss President Guy Parmelin stood on the steps of the villa before the meeting.", NULL, &r);
    assert_int_equal(count_type(&r, "meet"), 0);
    pipeline_result_free(&r);
}

/* ---- objects: pronouns, lists, purpose infinitives, verb groups --------------------------------- */

static void object_rules(void **state)
{
    (void)state;
    static const ev_case cases[] = {
        /* "him" as an object: the person last named who is not the actor */
        {"Vladimir Putin skipped the summit. Brazil would have been obliged to arrest him under the warrant.",
         "detain", "Brazil", "Vladimir Putin", MOD_HYPOTHETICAL},
        /* a purpose infinitive after a verb and its object has the verb's subject */
        {"Joe Biden called Olaf Scholz earlier in the day to urge him to send tanks.", "appeal", "Joe Biden",
         "Olaf Scholz", MOD_ASSERTED},
        /* a control verb's object acts: "urged Iran to negotiate" */
        {"Antony Blinken urged Iran to negotiate with the United States.", "negotiate", "Iran", "United States",
         MOD_HYPOTHETICAL},
    };
    check_cases(cases, sizeof cases / sizeof *cases);

    static const ev_case more[] = {
        /* "between" a few words into the noun phrase, a place phrase between */
        {"Talks to revive the trade agreement between Japan and Australia resumed in Tokyo on Monday.",
         "negotiate", "Japan", "Australia", MOD_ASSERTED},
        {"Five days of talks in Geneva between Armenia and Azerbaijan ended on Friday.", "negotiate", "Armenia",
         "Azerbaijan", MOD_ASSERTED},
        /* a trailing "at a summit" phrase has the main clause's subject; "near Paris" is a place */
        {"Emmanuel Macron and Olaf Scholz agreed on Monday to share intelligence, at a summit in a castle near "
         "Paris.",
         "meet", "Emmanuel Macron", "Olaf Scholz", MOD_ASSERTED},
        /* "Leaders of X" opening the clause: X acts */
        {"Leaders of the Group of Seven ended their meeting on Sunday promising to donate vaccines.", "provide_aid",
         "G7", NULL, MOD_PLANNED},
        /* vaccine doses are aid without a named recipient */
        {"Japan will provide half of the pledged doses, Fumio Kishida said.", "provide_aid", "Japan", NULL,
         MOD_PLANNED},
        /* "expected X to": a demand on X */
        {"The Kremlin expected the Taliban to keep order in Kabul.", "demand", "Kremlin", "Taliban",
         MOD_ASSERTED},
        /* a phrase trigger: reducing military activity is a withdrawal */
        {"Russia said it would sharply reduce military activity around Kharkiv.", "withdraw", "Russia", NULL,
         MOD_PLANNED},
    };
    check_cases(more, sizeof more / sizeof *more);

    static const ev_case states[] = {
        /* "their governments": the country of each coordinated person */
        {"Spain and Ireland acted together. Pedro Sánchez and Simon Harris announced that their governments would "
         "recognize Palestine.",
         "recognize", "Ireland", "Palestine", MOD_PLANNED},
        {"Spain and Ireland acted together. Pedro Sánchez and Simon Harris announced that their governments would "
         "recognize Palestine.",
         "recognize", "Spain", "Palestine", MOD_PLANNED},
        /* "her government had not promised": the person's country */
        {"Sweden wants to join NATO. Magdalena Andersson said her government had not promised to change its laws.",
         "intend_cooperate",
         "Sweden", NULL, MOD_NEGATED},
        /* a conjunct of a demonym and its head noun: "the Ethiopian government and Tigrayan forces" */
        {"Sudan made peace. Delegates representing the Sudanese government and Eritrean forces signed an agreement.",
         "sign_agreement", "Sudan", "Eritrean", MOD_ASSERTED},
        /* a detention in a country with no agent named: that state detains; an apposition's name */
        {"Among them was Jane Roe, a teacher who was detained in Iran in 2019.", "detain", "Iran", "Jane Roe",
         MOD_ASSERTED},
        /* a role that names no one, then the person in apposition to it */
        {"The junta spoke. Its spokesman, Col. Moussa Traore, accused a visiting French delegation of arrogance.",
         "criticize", "Moussa Traore", "French", MOD_ASSERTED},
        /* relations reduced in another country are reduced with it */
        {"The State Department suspended operations at the embassy in Sudan's capital.", "reduce_relations",
         "State Department", "Sudan", MOD_ASSERTED},
    };
    check_cases(states, sizeof states / sizeof *states);

    pipeline_result r;
    /* the opponent of a cooperation ("against ISIS-K") is no target */
    run("The United States and Iran are rivals. Iran rejected an American offer to cooperate against ISIS-K.", NULL,
        &r);
    assert_non_null(find(&r, "intend_cooperate", "United States", NULL));
    assert_null(find(&r, "intend_cooperate", "United States", "ISIS-K"));
    pipeline_result_free(&r);
    /* "the group" is a group, not the government body named last */
    run("The Taliban took Kabul. The State Department said it was worried. "
        "The United States expected the group to let foreigners leave.",
        NULL, &r);
    assert_non_null(find(&r, "demand", "United States", "Taliban"));
    pipeline_result_free(&r);
    /* a comma after a name ends the object when a new clause follows ("struck Kherson, Ukrainian officials said") */
    run("Russia and Ukraine are at war. Russian artillery struck Kharkiv, Ukrainian officials said.", NULL, &r);
    assert_non_null(find(&r, "attack", "Russia", "Kharkiv"));
    assert_null(find(&r, "attack", "Russia", "Ukraine"));
    pipeline_result_free(&r);
    /* ... and continues a list ("Britain, France and Germany") */
    run("Iran thanked Britain, France and Germany for their help.", NULL, &r);
    assert_int_equal(count_type(&r, "praise"), 3);
    pipeline_result_free(&r);
}

/* ---- descriptions that refer back, and the acts an object names --------------------------------- */

static void descriptions_and_acts(void **state)
{
    (void)state;
    static const ev_case cases[] = {
        /* "the ministry": the ORG whose name ends in the word */
        {"The Indian Foreign Ministry summoned the envoy on Monday. The ministry also announced sanctions on "
         "Pakistan.",
         "reduce_relations", "Indian Foreign Ministry", "Pakistan", MOD_ASSERTED},
        /* "the group" as a subject: the group named last */
        {"Hezbollah fired rockets across the border. The group attacked Israel again on Sunday.", "attack",
         "Hezbollah", "Israel", MOD_ASSERTED},
        /* "the militant group" as an object: not the subject of its own clause */
        {"Hamas fired rockets at dawn, and the Israeli army accused the militant group of breaking the truce.",
         "criticize", "Israel Defense Forces", "Hamas", MOD_ASSERTED},
        /* "the Russian leader": the country's head of state named before */
        {"Vladimir Putin spoke on Monday. Recep Tayyip Erdoğan said the Russian leader could visit Türkiye in "
         "August.",
         "visit", "Vladimir Putin", "Türkiye", MOD_HYPOTHETICAL},
        /* a demonstrative object with no earlier mention: the previous sentence's subject */
        {"Hamas demanded a ceasefire. Benjamin Netanyahu dismissed those conditions as absurd.", "reject",
         "Benjamin Netanyahu", "Hamas", MOD_ASSERTED},
        /* "the <act>" with no earlier mention: the subject the article opens with */
        {"The G7 adopted a joint declaration on Sunday after long talks. Officials were tired. "
         "Sergey Lavrov hailed the outcome as a success.",
         "praise", "Sergey Lavrov", "G7", MOD_ASSERTED},
        /* the object in a pattern's gap ("called the expansion historic") */
        {"The BRICS group agreed to expand on Thursday. Xi Jinping called the expansion historic.", "praise",
         "Xi Jinping", "BRICS", MOD_ASSERTED},
        /* a short act word matches itself ("trip") */
        {"Antony Blinken began a trip to Beijing on Sunday. Rep. Mike Gallagher criticized the trip on Monday.",
         "criticize", "Mike Gallagher", "Antony Blinken", MOD_ASSERTED},
    };
    check_cases(cases, sizeof cases / sizeof *cases);

    static const ev_case more[] = {
        /* the party a from/against/by phrase names, for criticism, rejection, demands and warnings */
        {"Hossein Amir-Abdollahian rejected what he called unfair pressure from Washington.", "reject",
         "Hossein Amir-Abdollahian", "United States", MOD_ASSERTED},
        {"Benjamin Netanyahu warned on Monday that Israel would keep its freedom to act against Iran's program.",
         "threaten", "Benjamin Netanyahu", "Iran", MOD_ASSERTED},
        /* "the two governments": a pair named before it in the sentence */
        {"If Tehran and Washington accept the text, the two governments could sign the agreement soon.",
         "sign_agreement", "Iran", "United States", MOD_HYPOTHETICAL},
        /* "the two men": the two people named before in the sentence, not an object after "after" */
        {"Antony Blinken told Sergey Lavrov that a reply would come, and said the two men could meet again after "
         "Moscow had read it.",
         "meet", "Antony Blinken", "Sergey Lavrov", MOD_HYPOTHETICAL},
        /* "the two delegations" long after the talks: the article's latest talks between sides */
        {"Russia and Ukraine are at war. Russian and Ukrainian negotiators held talks in Istanbul. Vladimir Putin "
         "spoke with Recep Tayyip Erdoğan "
         "by phone. Shelling went on. Residents fled. The two delegations are expected to meet again next week.",
         "meet", "Russia", "Ukraine", MOD_PLANNED},
        /* "the two delegations": a coordinated pair of the sentences before */
        {"Russia and Ukraine ended a round in Istanbul. The two delegations are expected to meet again.", "meet",
         "Russia", "Ukraine", MOD_PLANNED},
    };
    check_cases(more, sizeof more / sizeof *more);

    /* the lead's subject only when it opens the sentence, not an object further on */
    pipeline_result r;
    run("A convoy of trucks reached Kherson on Monday. Ukraine blamed the delay on the weather.", NULL, &r);
    const event *e = find(&r, "criticize", "Ukraine", "Kherson");
    assert_null(e);
    pipeline_result_free(&r);
}

/* ---- statements: who speaks as an official, and which "said" is a statement ------------------ */

static void statement_rules(void **state)
{
    (void)state;
    static const ev_case cases[] = {
        /* an office in apposition (office_cues in events.json) makes an official without a title */
        {"Mara Ostrova, a district councillor in Lviv, said the shelters were full.", "statement", "Mara Ostrova",
         NULL, MOD_ASSERTED},
        {"Tomas Weller, a member of the regional parliament, said the vote was close.", "statement",
         "Tomas Weller", NULL, MOD_ASSERTED},
        {"Ivan Sorokin, who heads the Russian delegation, said the draft was ready.", "statement", "Ivan Sorokin",
         NULL, MOD_ASSERTED},
        /* inverted attribution after a clause, titles between the verb and the name */
        {"The bridge will reopen in May, said Minister Lena Dvorak, who oversees transport.", "statement",
         "Lena Dvorak", NULL, MOD_ASSERTED},
        {"Kyiv wants firm guarantees, said Oleh Marchenko, a senior member of the Ukrainian delegation.",
         "statement", "Oleh Marchenko", NULL, MOD_ASSERTED},
        /* a deed in a who-clause is no private role, even with a private word in a name there */
        {"President Cyril Ramaphosa, who opened the fair at the Durban Exhibition Centre, said trade would grow.",
         "statement", "Cyril Ramaphosa", NULL, MOD_ASSERTED},
    };
    check_cases(cases, sizeof cases / sizeof *cases);

    pipeline_result r;
    /* a private body named in capitals ("... Traders Association") still marks a private speaker */
    run("Anna Petrenko, a spokeswoman for the Kherson Fishing Cooperative Association, said boats stayed in port. "
        "Ruth Adler, an adviser at the Baltic Policy Network, said the plan was sound.",
        NULL, &r);
    assert_int_equal(count_type(&r, "statement"), 0);
    pipeline_result_free(&r);
    /* speech inside a relative clause is parenthetical: "charges he said were false", "which he said had" */
    run("The court jailed Alexei Navalny on charges he said were invented. "
        "Joe Biden thanked Kuwait, which he said had been a loyal partner.",
        NULL, &r);
    assert_int_equal(count_type(&r, "statement"), 0);
    pipeline_result_free(&r);
    /* "said X had ...": X is the reported clause's subject, not an inverted speaker */
    run("A senior diplomat, speaking on condition of anonymity, said Antony Blinken had refused the offer.", NULL,
        &r);
    assert_int_equal(count_type(&r, "statement"), 0);
    pipeline_result_free(&r);
}

/* ---- modality ------------------------------------------------------------------------ */

static void modality_rules(void **state)
{
    (void)state;
    static const ev_case cases[] = {
        {"Antony Blinken met Wang Yi in Beijing.", "meet", "Antony Blinken", "Wang Yi", MOD_ASSERTED},
        {"Antony Blinken will travel to Qatar next week.", "visit", "Antony Blinken", "Qatar", MOD_PLANNED},
        {"Antony Blinken plans to meet Wang Yi in Beijing.", "meet", "Antony Blinken", "Wang Yi", MOD_PLANNED},
        {"Boris Johnson is expected to press Joe Biden to extend the airlift.", "appeal", "Boris Johnson",
         "Joe Biden", MOD_PLANNED},
        {"If the talks fail, Russia will attack Ukraine.", "attack", "Russia", "Ukraine", MOD_HYPOTHETICAL},
        {"Russia could attack Ukraine within weeks.", "attack", "Russia", "Ukraine", MOD_HYPOTHETICAL},
        {"The United States has no intention to meet the Taliban.", "meet", "United States", "Taliban",
         MOD_NEGATED},
        {"Russia did not attack Ukraine.", "attack", "Russia", "Ukraine", MOD_NEGATED},
        {"Iran refused to negotiate with the United States.", "negotiate", "Iran", "United States", MOD_NEGATED},
        {"Iran refused to negotiate with the United States.", "reject", "Iran", "United States", MOD_ASSERTED},
        /* a speech act coordinated after a complement cue is outside it; a modal governs both verbs */
        {"Wang Yi accused Japan of lying and said the talks were over.", "statement", "Wang Yi", NULL,
         MOD_ASSERTED},
        {"Russia could attack Kharkiv and bomb Ukraine within days.", "attack", "Russia", "Ukraine",
         MOD_HYPOTHETICAL},
        /* a relative clause after a plural noun is its own scope; a complement clause is not */
        {"Germany did not deliver the tanks that Ukraine has requested.", "appeal", "Ukraine", NULL, MOD_ASSERTED},
        {"Sergey Lavrov denied again that Russia was planning to invade Ukraine.", "attack", "Russia", "Ukraine",
         MOD_NEGATED},
        /* "may" is a cue, the name May is not ("May thanked" at a sentence start, once May is a person) */
        {"China may attack Taiwan before 2027.", "attack", "China", "Taiwan", MOD_HYPOTHETICAL},
        {"Prime Minister Theresa May met Joe Biden in London. May thanked Biden for his support.", "praise",
         "Theresa May", "Joe Biden", MOD_ASSERTED},
        {"Saudi Arabia is reportedly close to recognizing Israel.", "recognize", "Saudi Arabia", "Israel",
         MOD_HYPOTHETICAL},
        {"Germany hesitated to send tanks to Ukraine.", "provide_aid", "Germany", "Ukraine", MOD_HYPOTHETICAL},
        {"Brazil abstained from condemning Russia at the United Nations.", "criticize", "Brazil", "Russia",
         MOD_NEGATED},
        /* denying a report denies what it reports */
        {"Officials dismissed claims that Israel struck Iran last week.", "attack", "Israel", "Iran", MOD_NEGATED},
        {"The Russian Foreign Ministry rejected reports that Sergey Lavrov would meet Antony Blinken in Geneva.",
         "meet", "Sergey Lavrov", "Antony Blinken", MOD_NEGATED},
        /* what is demanded has not happened; what was agreed is to come */
        {"Hamas fired rockets. Hamas demanded a permanent ceasefire and the full withdrawal of Israeli forces.",
         "withdraw", "Israeli", NULL, MOD_HYPOTHETICAL},
        {"Joe Biden and Xi Jinping agreed on Monday to restore flights and to open talks on arms control.",
         "negotiate", "Joe Biden", "Xi Jinping", MOD_PLANNED},
        /* a relative clause whose verb's object is the gap, and "as it had ...", are their own scope */
        {"The European Union said the cabinet did not appear to be the inclusive body that the Taliban had "
         "promised.",
         "intend_cooperate", "Taliban", NULL, MOD_ASSERTED},
        {"The Taliban named a cabinet, dashing hopes that the group would share power as it had hinted during "
         "negotiations in Doha.",
         "negotiate", "Taliban", NULL, MOD_ASSERTED},
        /* what is pledged is still to come */
        {"The European Union pledged humanitarian aid for Sudan.", "provide_aid", "European Union", "Sudan",
         MOD_PLANNED},
        /* a nominal trigger takes the modality of its predicate */
        {"A meeting between Joe Biden and Vladimir Putin could take place in Geneva.", "meet", "Joe Biden",
         "Vladimir Putin", MOD_HYPOTHETICAL},
    };
    check_cases(cases, sizeof cases / sizeof *cases);

    /* negated or hypothetical events never come out asserted as well */
    pipeline_result r;
    run("Russia did not attack Ukraine. If talks fail, China could sanction Japan.", NULL, &r);
    for (size_t i = 0; i < r.n_events; i++)
        assert_true(r.events[i].mod != MOD_ASSERTED);
    pipeline_result_free(&r);

    /* words inside a quotation are the speaker's, not reported events */
    run("\u201cWe will attack Ukraine,\u201d Vladimir Putin said.", NULL, &r);
    assert_int_equal(count_type(&r, "attack"), 0);
    assert_non_null(find(&r, "statement", "Vladimir Putin", NULL));
    pipeline_result_free(&r);
}

/* ---- time ------------------------------------------------------------------------------ */

static void time_against_published_at(void **state)
{
    (void)state;
    char d[11];
    /* 2021-08-22 is a Sunday */
    assert_true(events_resolve_time("Saturday", 8, "2021-08-22T19:05:00-04:00", false, d));
    assert_string_equal(d, "2021-08-21");
    assert_true(events_resolve_time("Sunday", 6, "2021-08-22", false, d)); /* the same day */
    assert_string_equal(d, "2021-08-22");
    assert_true(events_resolve_time("Monday", 6, "2021-08-22", false, d)); /* reported: the last one */
    assert_string_equal(d, "2021-08-16");
    assert_true(events_resolve_time("Tuesday", 7, "2021-08-22", true, d)); /* planned: the next one */
    assert_string_equal(d, "2021-08-24");
    assert_true(events_resolve_time("Sunday", 6, "2021-08-22", true, d)); /* planned on the same weekday: next week */
    assert_string_equal(d, "2021-08-29");
    assert_true(events_resolve_time("Wednesday", 9, "2021-12-30", true, d)); /* across the year */
    assert_string_equal(d, "2022-01-05");
    assert_true(events_resolve_time("Aug. 31", 7, "2021-08-22", true, d)); /* no year: the anchor's */
    assert_string_equal(d, "2021-08-31");
    assert_true(events_resolve_time("Aug. 31, 2020", 13, "2021-08-22", false, d));
    assert_string_equal(d, "2020-08-31");
    assert_true(events_resolve_time("tomorrow", 8, "2021-08-31", true, d));
    assert_string_equal(d, "2021-09-01");
    assert_true(events_resolve_time("today", 5, "2021-08-31", false, d));
    assert_string_equal(d, "2021-08-31");
    assert_false(events_resolve_time("Monday", 6, NULL, false, d));
    assert_false(events_resolve_time("Monday", 6, "not a date", false, d));
    assert_false(events_resolve_time("next week", 9, "2021-08-31", true, d));

    /* through the pipeline: the time phrase nearest the trigger, resolved by the event's modality */
    pipeline_result r;
    run("Joe Biden met Vladimir Putin on Wednesday in Geneva.", "2021-06-17T12:00:00Z", &r); /* a Thursday */
    const event *e = find(&r, "meet", "Joe Biden", "Vladimir Putin");
    assert_non_null(e);
    assert_string_equal(e->time_text, "Wednesday");
    assert_string_equal(e->time_date, "2021-06-16");
    pipeline_result_free(&r);
    run("Joe Biden will meet Vladimir Putin on Wednesday in Geneva.", "2021-06-17T12:00:00Z", &r);
    e = find(&r, "meet", "Joe Biden", "Vladimir Putin");
    assert_non_null(e);
    assert_int_equal(e->mod, MOD_PLANNED);
    assert_string_equal(e->time_date, "2021-06-23");
    pipeline_result_free(&r);
    run("Joe Biden met Vladimir Putin on Wednesday in Geneva.", NULL, &r); /* no anchor: text only */
    e = find(&r, "meet", "Joe Biden", "Vladimir Putin");
    assert_non_null(e);
    assert_string_equal(e->time_text, "Wednesday");
    assert_null(e->time_date);
    pipeline_result_free(&r);
}

/* ---- quotes ------------------------------------------------------------------------------ */

static const quote *quote_with(const pipeline_result *r, const char *text)
{
    for (size_t i = 0; i < r->n_quotes; i++) {
        const quote *q = &r->quotes[i];
        size_t n = strlen(text);
        if (q->text.end - q->text.start >= n && !memcmp(r->art.body + q->text.start, text, n))
            return q;
    }
    return NULL;
}

static void quote_attribution(void **state)
{
    (void)state;
    pipeline_result r;
    run("Antony Blinken spoke in Doha. \u201cWe are not there yet,\u201d Blinken said. "
        "\u201cThe door is open,\u201d said Sergey Lavrov. "
        "Joe Biden arrived later. \u201cWe will keep going. Nobody is leaving,\u201d he told reporters. "
        "\"Straight quotes work too,\" according to Wang Yi. "
        "\u201cNothing has been decided,\u201d a senior official said.",
        NULL, &r);
    const quote *q = quote_with(&r, "We are not there yet,");
    assert_non_null(q);
    assert_string_equal(name_of(&r, q->speaker), "Antony Blinken");
    q = quote_with(&r, "The door is open,");
    assert_non_null(q);
    assert_string_equal(name_of(&r, q->speaker), "Sergey Lavrov"); /* said X */
    q = quote_with(&r, "We will keep going. Nobody is leaving,"); /* spans sentences; he -> the last person */
    assert_non_null(q);
    assert_string_equal(name_of(&r, q->speaker), "Joe Biden");
    q = quote_with(&r, "Straight quotes work too,");
    assert_non_null(q);
    assert_string_equal(name_of(&r, q->speaker), "Wang Yi");
    q = quote_with(&r, "Nothing has been decided,");
    assert_non_null(q);
    assert_int_equal(q->speaker, -1); /* an anonymous source stays null */
    /* offsets: inside the quotation marks */
    q = quote_with(&r, "We are not there yet,");
    assert_true(q->text.start > 0 && r.art.body[q->text.start - 1] == '\x9c'); /* after U+201C's last byte */
    pipeline_result_free(&r);

    /* a quotation inside a sentence belongs to the sentence's subject; an unnamed official stays null */
    run("Heiko Maas said the lineup \u201cdoes very little to earn trust.\u201d "
        "A senior U.S. official said the talks were \u201cuseful but slow.\u201d",
        NULL, &r);
    q = quote_with(&r, "does very little");
    assert_non_null(q);
    assert_string_equal(name_of(&r, q->speaker), "Heiko Maas");
    q = quote_with(&r, "useful but slow.");
    assert_non_null(q);
    assert_int_equal(q->speaker, -1);
    pipeline_result_free(&r);

    /* a quotation right after the previous one's attribution continues its speaker; "... and said" after a
     * quotation shares the sentence's subject; an attribution with a long apposition still counts */
    run("Olaf Scholz spoke in Berlin. \u201cThe talks went well,\u201d he said. \u201cWe will meet again.\u201d "
        "Emmanuel Macron called the deal \u201cgood\u201d and said it would hold. "
        "\u201cNobody can do it alone,\u201d Ursula von der Leyen, the president of the European Commission, told "
        "reporters.",
        NULL, &r);
    q = quote_with(&r, "We will meet again.");
    assert_non_null(q);
    assert_string_equal(name_of(&r, q->speaker), "Olaf Scholz");
    q = quote_with(&r, "good");
    assert_non_null(q);
    assert_string_equal(name_of(&r, q->speaker), "Emmanuel Macron");
    q = quote_with(&r, "Nobody can do it alone,");
    assert_non_null(q);
    assert_string_equal(name_of(&r, q->speaker), "Ursula von der Leyen");
    pipeline_result_free(&r);

    /* "Its spokesman, Col. X, accused ... of a \u201c...\u201d": the person in apposition to the role */
    run("Its spokesman, Col. Moussa Traore, accused the delegation of a \u201ccondescending attitude\u201d.", NULL, &r);
    q = quote_with(&r, "condescending attitude");
    assert_non_null(q);
    assert_string_equal(name_of(&r, q->speaker), "Moussa Traore");
    pipeline_result_free(&r);

    run("Sergey Lavrov said: \u201cThe answer is no.\u201d", NULL, &r);
    q = quote_with(&r, "The answer is no.");
    assert_non_null(q);
    assert_string_equal(name_of(&r, q->speaker), "Sergey Lavrov"); /* X said: "..." */
    pipeline_result_free(&r);
}

/* ---- the vocabulary: forms, symbols, cue index, loader checks ---------------------------------- */

static void lexicon_forms_and_symbols(void **state)
{
    (void)state;
    int32_t meet = lexicon_sym(LX, "meet", 4);
    assert_true(meet > 0);
    assert_int_equal(lexicon_sym(LX, "the", 3), LEX_W_THE); /* builtin words have their enum's id */
    assert_int_equal(lexicon_sym(LX, "'s", 2), LEX_W_POSS);
    form_entry f = lexicon_form(LX, "met", 3);
    assert_int_equal(f.lemma, meet);
    assert_int_equal(f.infl, INFL_IRREG);
    f = lexicon_form(LX, "meets", 5);
    assert_int_equal(f.lemma, meet);
    assert_int_equal(f.infl, INFL_S);
    f = lexicon_form(LX, "meeting", 7); /* the noun is a lemma of its own */
    assert_int_equal(f.form, lexicon_sym(LX, "meeting", 7));
    f = lexicon_form(LX, "travelled", 9); /* doubled consonant */
    assert_int_equal(f.lemma, lexicon_sym(LX, "travel", 6));
    assert_int_equal(f.infl, INFL_ED);
    f = lexicon_form(LX, "evacuating", 10); /* -e dropped */
    assert_int_equal(f.lemma, lexicon_sym(LX, "evacuate", 8));
    assert_int_equal(f.infl, INFL_ING);
    f = lexicon_form(LX, "bullfrog", 8); /* outside the vocabulary */
    assert_int_equal(f.lemma, 0);
    assert_int_equal(f.form, 0);
    /* cues are indexed by their first word */
    int32_t will = lexicon_sym(LX, "will", 4);
    assert_true(LX->cue_head[0][will] >= 0);
    assert_true(LX->trigger_head[meet] >= 0);
    assert_true(LX->sym_light[lexicon_sym(LX, "hold", 4)]);
}

/* The lemma pass's index by hash alone gives every form the entry the verified lookup gives, and
 * words outside the vocabulary nothing. */
static void form_index_agrees_with_the_forms_map(void **state)
{
    (void)state;
    size_t used = 0;
    for (size_t j = 0; j <= LX->form_index_mask; j++)
        used += LX->form_index[j].f.lemma != 0;
    assert_int_equal(used, LX->n_forms);
    assert_true(2 * LX->n_forms <= LX->form_index_mask + 1); /* at most half full: probes stay short */
    for (size_t i = 0; i < LX->forms.n; i++) {
        int idx;
        uint64_t h = strmap_entry_hash(&LX->forms, i, &idx);
        form_entry a = lexicon_form_by_hash(LX, h), b = LX->form_tab[idx];
        assert_int_equal(a.form, b.form);
        assert_int_equal(a.lemma, b.lemma);
        assert_int_equal(a.infl, b.infl);
    }
    static const char *const words[] = {"met", "meeting", "travelled", "evacuating", "the", "said", "bullfrog",
                                        "zzzz", "meetings", "visits"};
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        size_t n = strlen(words[w]);
        form_entry a = lexicon_form_by_hash(LX, strmap_hash(words[w], n)), b = lexicon_form(LX, words[w], n);
        assert_int_equal(a.form, b.form);
        assert_int_equal(a.lemma, b.lemma);
        assert_int_equal(a.infl, b.infl);
    }
    assert_int_equal(lexicon_form_by_hash(LX, strmap_hash("bullfrog", 8)).lemma, 0);
}

static void loader_rejects_bad_patterns(void **state)
{
    (void)state;
    lexicon_sources src;
    lexicon_sources_embedded(&src);
    char err[256];
    static const char *const bad[] = {
        "{\"types\":[{\"type\":\"meet\",\"cameo\":\"044\",\"quad_class\":1,\"triggers\":[\"meet ...\"]}]}",
        "{\"types\":[{\"type\":\"meet\",\"cameo\":\"044\",\"quad_class\":1,\"triggers\":[\"... meet\"]}]}",
        "{\"types\":[{\"type\":\"meet\",\"cameo\":\"044\",\"quad_class\":9,\"triggers\":[\"meet\"]}]}",
        "{\"light_verbs\":[1],\"types\":[{\"type\":\"meet\",\"quad_class\":1,\"triggers\":[\"meet\"]}]}",
        "{\"types\":[{\"type\":\"meet\",\"quad_class\":1,\"triggers\":[\"a b c d e f g h i\"]}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        lexicon_sources s = src;
        s.events = bad[i];
        s.events_len = strlen(bad[i]);
        lexicons *lx = lexicons_load(&s, err, sizeof err);
        if (lx) {
            lexicons_free(lx);
            fail_msg("pattern set %zu loaded", i);
        }
        assert_non_null(strstr(err, "events.json"));
    }
    lexicon_sources s = src;
    s.modality = "{\"planned\":[\"will ...\"],\"hypothetical\":[],\"negated\":[]}";
    s.modality_len = strlen(s.modality);
    assert_null(lexicons_load(&s, err, sizeof err));
    assert_non_null(strstr(err, "modality.json"));
}

/* Memory exhaustion inside the event stage is an error value, not a crash. */
static void out_of_memory_is_an_error(void **state)
{
    (void)state;
    /* every allocation of the event stage fails somewhere on the way up: descriptions ("the
     * ministry", "the group"), cues, times and quotations included */
    static const char body[] = "Antony Blinken met Wang Yi in Beijing on Monday. Joe Biden thanked Qatar. "
                               "The Indian Foreign Ministry summoned the envoy. The ministry also announced "
                               "sanctions on Pakistan, and the group would not attack the border. "
                               "\u201cWe will talk,\u201d Wang Yi said.";
    for (size_t cap = 2048; cap <= 131072; cap += cap < 16384 ? 256 : 4096) {
        arena *a = arena_new(cap);
        assert_non_null(a);
        pipeline_limits lim;
        pipeline_limits_default(&lim);
        tokens tk;
        entity_set es;
        event *ev;
        size_t nev;
        ingest_error e;
        if (!text_tokenize(a, body, sizeof body - 1, &tk) &&
            !entities_tag(a, LX, &lim, body, sizeof body - 1, &tk, &es, &e)) {
            int rc = events_extract(a, LX, &lim, body, &tk, &es, NULL, NULL, &ev, &nev, &e);
            assert_true(rc == 0 || (rc == -1 && e.reason == INGEST_ERR_INTERNAL));
            quote *q;
            size_t nq;
            rc = quotes_extract(a, LX, body, &tk, &es, NULL, &q, &nq, &e);
            assert_true(rc == 0 || (rc == -1 && e.reason == INGEST_ERR_INTERNAL));
        }
        arena_destroy(a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_trigger_class),
        cmocka_unit_test(parts_of_speech_and_places),
        cmocka_unit_test(argument_rules),
        cmocka_unit_test(statement_rules),
        cmocka_unit_test(coordination_rules),
        cmocka_unit_test(subordinate_clauses),
        cmocka_unit_test(object_rules),
        cmocka_unit_test(descriptions_and_acts),
        cmocka_unit_test(modality_rules),
        cmocka_unit_test(time_against_published_at),
        cmocka_unit_test(quote_attribution),
        cmocka_unit_test(lexicon_forms_and_symbols),
        cmocka_unit_test(form_index_agrees_with_the_forms_map),
        cmocka_unit_test(loader_rejects_bad_patterns),
        cmocka_unit_test(out_of_memory_is_an_error),
    };
    return cmocka_run_group_tests_name("events", tests, LX_setup, LX_teardown);
}
