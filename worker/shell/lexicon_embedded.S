/* The schemas/ lexicon files, embedded at build time so that the binary
 * is self-contained (an image needs no schemas/ directory). Each blob is
 * followed by a NUL byte; sizes are computed from the end labels. */
    .section .rodata
    .balign 16
#define BLOB(name, file) \
    .global lexblob_##name##_start; .global lexblob_##name##_end; \
    lexblob_##name##_start: .incbin file; lexblob_##name##_end: .byte 0; .balign 16
BLOB(gazetteer, "gazetteer.tsv")
BLOB(titles, "titles.tsv")
BLOB(lemmas, "lemmas.tsv")
BLOB(events, "events.json")
BLOB(modality, "modality.json")
BLOB(boilerplate, "boilerplate.tsv")
    .section .note.GNU-stack,"",@progbits
