/* evmodality.h - modality cues and their scope.
 *
 * Cues of schemas/modality.json are found once per article (ev_compute_cues,
 * arrays owned by the arena); an event's modality is then the strongest cue
 * in its scope: negated > hypothetical > planned > asserted, so a denied or
 * conditional event is never emitted as asserted.
 */
#ifndef INGEST_EVMODALITY_H
#define INGEST_EVMODALITY_H

#include "evdoc.h"

/* For every token and modality class, the end of the shortest cue starting
 * there: computed once per article, so that a cue search is an int compare. */
int ev_compute_cues(ev_ctx *C);

/* Negation outranks hypothesis outranks plan: a negated or hypothetical
 * event must never come out as asserted. Negated and planned cues count in
 * the trigger's clause; a condition ("If talks fail, ...") reaches across
 * the comma from the sentence start. */
modality ev_find_modality(const ev_ctx *C, size_t first, size_t trig, size_t trig_end, size_t last, bool noun,
                          bool speech);

#endif
