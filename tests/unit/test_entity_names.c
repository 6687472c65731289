/* Unit tests: how people's names are found and how their shorter later forms refer back to them
 * (worker/pipeline/entities.c: name index, merge of short names, coreference, role descriptions),
 * and the sentence splitter around acronyms. The people named here are invented: none is in the
 * gazetteer, so every rule is tested on names it cannot know. */
#include "test_support.h"

#include "text.h"

/* The last occurrence of text in the body, or NULL. */
static const char *last_occurrence(const pipeline_result *r, const char *text)
{
    const char *p = NULL;
    for (const char *q = strstr(r->art.body, text); q; q = strstr(q + 1, text))
        p = q;
    return p;
}

/* The name of the entity with a mention starting at the last occurrence of text, or "(none)". */
static const char *entity_at_last(const pipeline_result *r, const char *text)
{
    const char *p = last_occurrence(r, text);
    int e;
    return p && test_mention_starting(r, (size_t)(p - r->art.body), &e) ? r->entities[e].name : "(none)";
}

/* The text of the mention starting at the last occurrence of text (into buf), or "". */
static const char *mention_text_at_last(const pipeline_result *r, const char *text, char *buf, size_t cap)
{
    const char *p = last_occurrence(r, text);
    int e;
    const span *m = p ? test_mention_starting(r, (size_t)(p - r->art.body), &e) : NULL;
    snprintf(buf, cap, "%.*s", m ? (int)(m->end - m->start) : 0, m ? r->art.body + m->start : "");
    return buf;
}

/* A name written family name first ("Lin Yufei") is later written with that name alone. */
static void family_name_first_recurs_alone(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "Port talks go on\n"
                 "Lin Yufei, a researcher at a shipping institute in Singapore, said the talks had stalled. "
                 "\xe2\x80\x9cNobody wants to move first,\xe2\x80\x9d Lin said on Friday.\n",
                 &r);
    assert_string_equal(test_entity_at(&r, "Lin Yufei"), "Lin Yufei");
    assert_string_equal(entity_at_last(&r, "Lin"), "Lin Yufei");
    pipeline_result_free(&r);
}

/* A two-word surname ("Ruiz Ortega" for Tomas Ruiz Ortega) is the same person, not a second one. */
static void two_word_surname(void **state)
{
    (void)state;
    pipeline_result r;
    char buf[64];
    test_process(LX,
                 "Water accord\n"
                 "Tomas Ruiz Ortega, a negotiator for the river commission, arrived in Lima on Monday. "
                 "Later in the week Ruiz Ortega told reporters that a draft was ready, and Ruiz Ortega said "
                 "it would be signed soon.\n",
                 &r);
    assert_true(test_entity(&r, "Tomas Ruiz Ortega") >= 0);
    assert_int_equal(test_entity(&r, "Ruiz Ortega"), -1);
    assert_string_equal(test_entity_at(&r, "Ruiz Ortega told"), "Tomas Ruiz Ortega");
    assert_string_equal(entity_at_last(&r, "Ruiz Ortega"), "Tomas Ruiz Ortega");
    /* the mention is the whole surname, not its last word */
    assert_string_equal(mention_text_at_last(&r, "Ruiz Ortega", buf, sizeof buf), "Ruiz Ortega");
    pipeline_result_free(&r);
}

/* A later mention without the accents is the same person; so is a surname without its article
 * ("Haddad" for al-Haddad), and a name with a lower-case particle ("al-Haddad") is a name. */
static void accents_and_articles(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "Envoys meet\n"
                 "Foreign Minister Zo\xc3\xab Kova\xc4\x8di\xc4\x87 met Karim Nasser al-Haddad, a spokesman for the "
                 "port authority, in Split. Kovacic said the meeting went well. \xe2\x80\x9cWe agreed on the "
                 "timetable,\xe2\x80\x9d Haddad said afterwards.\n",
                 &r);
    assert_true(test_entity(&r, "Zo\xc3\xab Kova\xc4\x8di\xc4\x87") >= 0);
    assert_string_equal(test_entity_at(&r, "Kovacic said"), "Zo\xc3\xab Kova\xc4\x8di\xc4\x87");
    assert_string_equal(test_entity_at(&r, "Karim Nasser"), "Karim Nasser al-Haddad");
    assert_string_equal(test_entity_at(&r, "Haddad said"), "Karim Nasser al-Haddad");
    pipeline_result_free(&r);
}

/* An honorific with the given name ("Sheikh Faisal") refers to the person named in full; a given
 * name two people share refers to neither. */
static void honorific_and_given_name(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "Gulf visit\n"
                 "Sheikh Faisal bin Khalid Al Rumi opened the trade fair on Sunday. Maria Gomez and Maria Silva "
                 "led the visiting delegations. Sheikh Faisal later toured the harbour, and Maria said the "
                 "visit had gone well.\n",
                 &r);
    assert_true(test_entity(&r, "Faisal bin Khalid Al Rumi") >= 0);
    assert_int_equal(test_entity(&r, "Faisal"), -1);
    assert_string_equal(entity_at_last(&r, "Faisal"), "Faisal bin Khalid Al Rumi");
    assert_string_equal(test_entity_at(&r, "Maria said"), "(none)");
    pipeline_result_free(&r);
}

/* "the emir" refers to the person introduced as emir, even when named after it, never to the
 * president mentioned last; "the king", with no king named, refers to nobody. A second title
 * after the first ("Foreign Minister Dr. X") is not part of the name. */
static void role_descriptions_follow_titles(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "State visit\n"
                 "The emir of the visiting state arrived at noon. Emir Khalid bin Saud Al Nour was greeted by "
                 "President Ana Lopez at the airport. Later the emir spoke, and the president listened. "
                 "The king sent a letter. Foreign Minister Dr. Lena Marsh joined them, and the foreign minister "
                 "said little.\n",
                 &r);
    const char *emir = "Khalid bin Saud Al Nour";
    assert_true(test_entity(&r, emir) >= 0);
    assert_string_equal(test_entity_at(&r, "emir of the"), emir); /* named only after the description */
    assert_string_equal(test_entity_at(&r, "emir spoke"), emir);
    assert_string_equal(test_entity_at(&r, "president listened"), "Ana Lopez");
    assert_string_equal(test_entity_at(&r, "king sent"), "(none)");
    assert_true(test_entity(&r, "Lena Marsh") >= 0);
    assert_int_equal(test_entity(&r, "Dr. Lena Marsh"), -1);
    assert_string_equal(test_entity_at(&r, "foreign minister said"), "Lena Marsh");
    pipeline_result_free(&r);
}

/* The dot of an acronym inside a name ("U.N. Human Rights Council") ends no sentence, also after a
 * paragraph that ends with a closing quote. */
/* "his Chilean counterpart Rosa Valdivieso": the name after "counterpart" is a person, and the one
 * met, not the nationality before it. */
static void counterpart_introduces_a_person(void **state)
{
    (void)state;
    pipeline_result r;
    test_process(LX,
                 "Border talks resume\n"
                 "Deputy Foreign Minister Anders Holmqvist met his Chilean counterpart Rosa Valdivieso in "
                 "Lima on Monday.\n",
                 &r);
    assert_string_equal(test_entity_at(&r, "Rosa Valdivieso"), "Rosa Valdivieso");
    bool met = false;
    for (size_t i = 0; i < r.n_events; i++)
        if (!strcmp(r.events[i].type, "meet") && r.events[i].target >= 0)
            met |= !strcmp(r.entities[r.events[i].target].name, "Rosa Valdivieso");
    assert_true(met);
    pipeline_result_free(&r);
}

static void acronym_dots_end_no_sentence(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    tokens tk;
    const char *s = "\xe2\x80\x9cWe will see,\xe2\x80\x9d the aide said.\n\nSpeaking in Geneva, where she was attending "
                    "the U.N. Human Rights Council, the minister said talks would go on. They did.";
    assert_int_equal(text_tokenize(a, s, strlen(s), &tk), 0);
    assert_int_equal(tk.n_sents, 3);
    const char *second = s + tk.sents[1].start;
    assert_memory_equal(second, "Speaking in Geneva", 18);
    assert_non_null(memmem(second, tk.sents[1].end - tk.sents[1].start, "the minister said talks would go on.", 36));
    arena_destroy(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(family_name_first_recurs_alone), cmocka_unit_test(two_word_surname),
        cmocka_unit_test(accents_and_articles),           cmocka_unit_test(honorific_and_given_name),
        cmocka_unit_test(role_descriptions_follow_titles), cmocka_unit_test(acronym_dots_end_no_sentence),
        cmocka_unit_test(counterpart_introduces_a_person),
    };
    return cmocka_run_group_tests(tests, LX_setup, LX_teardown);
}
