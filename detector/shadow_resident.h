/* shadow_resident.h: the parts of an application range whose shadow may
 * hold cells, found from the page tables (mincore) instead of by reading
 * the shadow.
 *
 * A shadow page the kernel never mapped (or that rw_map_zero gave back)
 * reads as zero: no cell, no freed mark, nothing to check or clear.  The
 * shadow chunks are private anonymous memory, so "not resident" means
 * exactly that, unless pages can be swapped out: with swap configured at
 * start-up every page counts as resident (the caller reads it all, as
 * before).  One shadow page covers 4 KiB of application memory with
 * planes (shadow.h), 1 KiB without. */
#ifndef RW_SHADOW_RESIDENT_H
#define RW_SHADOW_RESIDENT_H

#include <stdint.h>

#include "detector/shadow.h"

/* Application bytes covered by one 4 KiB page of shadow. */
#define RW_SHADOW_PAGE_APP (4096u / (unsigned)RW_RUN_BYTES(1) * RW_GRANULE)

/* Call visit(run_lo, run_hi, arg) for each run of [lo, hi) (lo and hi
 * multiples of 8) whose shadow pages are resident, in address order; the
 * runs cover every cell of the range.  A range whose shadow chunk was
 * never mapped has no run.  Costs one mincore call per 2 MiB of
 * application memory (8 MiB with shadow planes, whose other planes are
 * known from their flags) and nothing per byte. */
void rw_shadow_resident_runs(uintptr_t lo, uintptr_t hi,
                             void (*visit)(uintptr_t, uintptr_t, void *), void *arg);

/* Whether the page tables are asked at all (0 with swap: see above). */
int rw_shadow_resident_exact(void);

#endif
