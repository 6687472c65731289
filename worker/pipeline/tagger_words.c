/* tagger_words.c - see include/tagger_words.h. */
#include "tagger_words.h"

#include <string.h>

typedef struct word_class {
    unsigned bit;
    const char *const *words; /* NULL-terminated */
} word_class;

/* prepositions of place or motion before a capital: "in Moscow", "flew to
 * Beijing" (case-blind) */
static const char *const PLACE_PREPS[] = {"across", "around", "at",      "from",     "in",     "inside", "into",
                                          "near",   "of",     "outside", "through",  "to",     "toward", "towards",
                                          "via",    "visit",  "visited", "visiting", "visits", NULL};

/* nouns a capital names the venue of: "the Vienna talks" */
static const char *const VENUE_NOUNS[] = {
    "accord",  "accords", "agreement", "agreements", "airport",      "bureau", "conference", "declaration",
    "embassy", "format",  "meeting",   "meetings",   "negotiations", "office", "process",    "residents",
    "round",   "station", "streets",   "summit",     "talks",        "trip",   "visit",      NULL};

/* prepositions before a body named after its seat: "at the White House"
 * (case-blind) */
static const char *const SEAT_PREPS[] = {"around", "at", "in", "inside", "near", "of", "on", "outside", NULL};

/* lower-case or Arabic particles inside names: "bin", "Al" */
static const char *const NAME_PARTICLES[] = {"Abu", "Al", "Bin", "abu", "al", "bin", "bint", "da", "de",
                                             "der", "el", "ibn", "la",  "le", "van", "von",  NULL};

/* capitalised words that start sentences or stand before names but are no
 * names */
static const char *const STOP_CAPS[] = {"A",      "After",     "An",   "And",   "At",   "Before", "But",      "For",
                                        "Friday", "He",        "Her",  "His",   "I",    "In",     "It",       "Monday",
                                        "Mr.",    "Mrs.",      "Ms.",  "Of",    "On",   "Our",    "Saturday", "She",
                                        "Sunday", "That",      "The",  "Their", "They", "This",   "Thursday", "Tuesday",
                                        "We",     "Wednesday", "When", NULL};

/* speech verbs after or before an unknown name: "X said", "said X" */
static const char *const SPEECH_VERBS[] = {"added", "said", "says", "stated", "tells", "told", "wrote", NULL};

/* nouns that describe a person in an apposition ("X, a spokeswoman for ...") */
static const char *const PERSON_ROLES[] = {
    "activist",      "adviser",    "advisor",       "ambassador",     "analyst",       "author",
    "billionaire",   "bishop",     "brother",       "businessman",    "businesswoman", "campaigner",
    "chairman",      "chairwoman", "chief",         "commander",      "consultant",    "coordinator",
    "correspondent", "councillor", "councilor",     "daughter",       "deputy",        "diplomat",
    "director",      "doctor",     "economist",     "editor",         "engineer",      "envoy",
    "executive",     "expert",     "farmer",        "father",         "fellow",        "founder",
    "general",       "governor",   "head",          "historian",      "husband",       "imam",
    "journalist",    "lawmaker",   "lawyer",        "leader",         "legislator",    "manager",
    "mayor",         "member",     "minister",      "mother",         "negotiator",    "novelist",
    "nurse",         "officer",    "official",      "organiser",      "organizer",     "owner",
    "partner",       "pharmacist", "photographer",  "physician",      "politician",    "president",
    "priest",        "professor",  "refugee",       "representative", "researcher",    "researchers",
    "resident",      "scholar",    "schoolteacher", "secretary",      "senator",       "sister",
    "soldier",       "son",        "spokesman",     "spokesperson",   "spokeswoman",   "strategist",
    "student",       "surgeon",    "survivor",      "teacher",        "trader",        "veteran",
    "volunteer",     "widow",      "wife",          "worker",         "writer",        NULL};

/* head nouns that end an organisation's name: "Interior Ministry", "Gulf
 * Research Forum" */
static const char *const ORG_HEADS[] = {"Administration",
                                        "Affairs",
                                        "Agency",
                                        "Airlines",
                                        "Airways",
                                        "Alliance",
                                        "Army",
                                        "Assembly",
                                        "Association",
                                        "Authority",
                                        "Bank",
                                        "Board",
                                        "Brigade",
                                        "Brigades",
                                        "Bureau",
                                        "Cabinet",
                                        "Center",
                                        "Centre",
                                        "Coalition",
                                        "Command",
                                        "Commission",
                                        "Committee",
                                        "Company",
                                        "Corporation",
                                        "Corps",
                                        "Council",
                                        "Court",
                                        "Department",
                                        "Directorate",
                                        "Division",
                                        "Federation",
                                        "Forces",
                                        "Forum",
                                        "Foundation",
                                        "Front",
                                        "Fund",
                                        "Group",
                                        "Guard",
                                        "Institute",
                                        "League",
                                        "Ministry",
                                        "Monitor",
                                        "Movement",
                                        "Navy",
                                        "Network",
                                        "Office",
                                        "Organisation",
                                        "Organization",
                                        "Parliament",
                                        "Party",
                                        "Police",
                                        "Secretariat",
                                        "Service",
                                        "Society",
                                        "Studies",
                                        "Tribunal",
                                        "Trust",
                                        "Union",
                                        "University",
                                        "Watch",
                                        NULL};

/* head nouns that end a facility's name: "Dolmabahçe Palace", "Bagram Air Base"
 */
static const char *const FAC_HEADS[] = {
    "Airbase",  "Airfield",  "Airport",  "Balcony", "Base",    "Bridge",  "Castle",   "Cathedral", "Church",
    "Compound", "Consulate", "Crossing", "Dam",     "Embassy", "Hall",    "Hospital", "Monastery", "Mosque",
    "Museum",   "Palace",    "Plant",    "Prison",  "Square",  "Stadium", "Terminal", "Tower",     NULL};

static const word_class CLASSES[] = {
    {TW_PLACE_PREP, PLACE_PREPS},       {TW_VENUE_NOUN, VENUE_NOUNS}, {TW_SEAT_PREP, SEAT_PREPS},
    {TW_NAME_PARTICLE, NAME_PARTICLES}, {TW_STOP_CAP, STOP_CAPS},     {TW_SPEECH_VERB, SPEECH_VERBS},
    {TW_PERSON_ROLE, PERSON_ROLES},     {TW_ORG_HEAD, ORG_HEADS},     {TW_FAC_HEAD, FAC_HEADS},
};

int tagger_words_index(strmap *m, uint64_t *filter, unsigned filter_bits)
{
    for (size_t c = 0; c < sizeof CLASSES / sizeof *CLASSES; c++)
        for (const char *const *w = CLASSES[c].words; *w; w++) {
            size_t len = strlen(*w);
            char low[32];
            if (len >= sizeof low)
                return -1; /* the lists hold short words only */
            for (size_t k = 0; k < len; k++)
                low[k] = (char)((*w)[k] >= 'A' && (*w)[k] <= 'Z' ? (*w)[k] + 32 : (*w)[k]);
            uint64_t bit = strmap_word_hash(low, len) >> (64 - filter_bits);
            filter[bit >> 6] |= (uint64_t)1 << (bit & 63);
            int bits = 0;
            strmap_get(m, *w, len, &bits);
            if (strmap_put(m, *w, len, bits | (int)CLASSES[c].bit))
                return -1;
        }
    return 0;
}
