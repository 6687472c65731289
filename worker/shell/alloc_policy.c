/* alloc_policy.c - see include/alloc_policy.h. */
#include "alloc_policy.h"

#include <malloc.h>

int alloc_policy_apply(void)
{
    /* mallopt returns 1 on success; setting either value also turns off glibc's dynamic
     * adjustment of the mmap threshold, which is why both are set */
    int ok = mallopt(M_MMAP_THRESHOLD, (int)ALLOC_MMAP_BYTES) == 1;
    ok &= mallopt(M_TRIM_THRESHOLD, (int)ALLOC_TRIM_BYTES) == 1;
    return ok ? 0 : -1;
}
