/* alloc_policy.h - the process's allocator policy (glibc malloc), set once at start.
 *
 * Every message allocates its pipeline arena and record buffers (a few hundred KB) and frees them
 * all before the next one. With glibc's defaults the freed top of the heap is given back to the
 * kernel after each message (brk shrinks past M_TRIM_THRESHOLD, 128 KB) and taken again for the
 * next, and allocations over the dynamic mmap threshold get their own mappings: every message then
 * pays page faults and TLB shootdowns. `make bench` measured that at over half of the whole
 * pipeline's time (tests/bench/RESULTS.md). Keeping up to ALLOC_TRIM_BYTES of free heap and
 * serving allocations below ALLOC_MMAP_BYTES from the heap removes it; the peak resident size does
 * not change (what is kept was in use at the peak), only how soon memory goes back after a peak.
 */
#ifndef INGEST_ALLOC_POLICY_H
#define INGEST_ALLOC_POLICY_H

#define ALLOC_TRIM_BYTES (32u << 20) /* free heap kept for the next messages */
#define ALLOC_MMAP_BYTES (4u << 20)  /* larger single allocations get their own mapping */

/* Applies the policy (mallopt). Returns 0, or -1 when the allocator refused a setting (e.g. under
 * a sanitizer's allocator), which only costs speed. */
int alloc_policy_apply(void);

#endif
