/* evmodality.h - modality cues and their scope.
 *
 * Cues of schemas/modality.json are found once per sentence, when an event
 * first asks about it (arrays owned by the arena, allocated by
 * ev_compute_cues); an event's modality is then the strongest cue
 * in its scope: negated > hypothetical > planned > asserted, so a denied or
 * conditional event is never emitted as asserted.
 */
#ifndef INGEST_EVMODALITY_H
#define INGEST_EVMODALITY_H

#include "evdoc.h"

/* Allocates the per-token cue arrays and the per-sentence record of which
 * sentences have had their cues found. Returns 0, or -1 on exhaustion. */
int ev_compute_cues(ev_ctx *C);

/* Finds the cues of the sentence holding token k (into C's arena-owned cue arrays). */
void ev_cues_of(const ev_ctx *C, size_t k);

/* The last token of the shortest cue of class m starting at token k, or -1; a sentence's cues
 * are found on the first question about it. */
static inline int32_t ev_cue_end(const ev_ctx *C, int m, size_t k)
{
    if (!C->cue_done[C->tk->t[k].sent])
        ev_cues_of(C, k);
    return (C->cue_bits[k] >> m) & 1 ? (int32_t)(k + C->cue_len[m][k]) : -1;
}

/* Negation outranks hypothesis outranks plan: a negated or hypothetical
 * event must never come out as asserted. Negated and planned cues count in
 * the trigger's clause; a condition ("If talks fail, ...") reaches across
 * the comma from the sentence start. */
modality ev_find_modality(const ev_ctx *C, size_t first, size_t trig, size_t trig_end, size_t last, bool noun,
                          bool speech);

#endif
