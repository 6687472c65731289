/* fileio.h - bounded reads for the shell (commands, lexicon loading). */
#ifndef INGEST_FILEIO_H
#define INGEST_FILEIO_H

#include <stdio.h>
#include <stddef.h>

/* Reads f to its end, but never more than max + 1 bytes, so an oversized
 * input is detected (*len > max) without being loaded whole. Returns a
 * malloc'd buffer (caller frees) with a NUL after the *len bytes, or NULL
 * when memory runs out. */
char *read_stream_bounded(FILE *f, size_t max, size_t *len);

/* read_stream_bounded on the file at path; NULL also when it cannot be opened. */
char *read_file_bounded(const char *path, size_t max, size_t *len);

#endif
