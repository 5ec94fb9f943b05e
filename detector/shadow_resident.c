/* shadow_resident.c: runs of an application range whose shadow pages are
 * resident (shadow_resident.h).  Per shadow chunk, the shadow span of the
 * range is widened to whole pages and given to mincore in batches of 2048
 * pages; each run of resident pages is turned back into application
 * addresses and clipped to the range.  Swap is looked up once (sysinfo):
 * a swapped-out shadow page would read as not resident although it holds
 * cells, so with swap every run is the whole range. */
#include "detector/shadow_resident.h"

#include <sys/mman.h>
#include <sys/sysinfo.h>

#include "detector/shadow.h"

#define SHADOW_PAGE 4096u
#define BATCH_PAGES 2048u

/* -1 not looked up yet, 1 mincore is exact, 0 not (swap). */
static int exact = -1;

int rw_shadow_resident_exact(void)
{
    int e = __atomic_load_n(&exact, __ATOMIC_RELAXED);
    if (e < 0) {
        struct sysinfo si;
        e = sysinfo(&si) == 0 && si.totalswap == 0;
        __atomic_store_n(&exact, e, __ATOMIC_RELAXED);
    }
    return e;
}

/* The runs of [lo, hi), all inside one shadow chunk whose cells start at
 * chunk (with planes: plane 0's resident pages, and the pages of granules
 * whose other planes' flags are set). */
static void chunk_runs(rw_cell *chunk, uintptr_t lo, uintptr_t hi,
                       void (*visit)(uintptr_t, uintptr_t, void *), void *arg)
{
    uintptr_t chunk_app = lo & ~(uintptr_t)(RW_CHUNK_APP_SIZE - 1);
    uintptr_t base = (uintptr_t)chunk; /* page-aligned: mmap */
    /* Shadow offset of an application address, and back. */
#define SHADOW_OFF(a) RW_RUN_BYTES(((a) - chunk_app) / RW_GRANULE)
#define APP_OF(off) (chunk_app + (off) / RW_RUN_BYTES(1) * RW_GRANULE)
    uintptr_t page = SHADOW_OFF(lo) / SHADOW_PAGE;
    uintptr_t end_page = (SHADOW_OFF(hi) + SHADOW_PAGE - 1) / SHADOW_PAGE;
    unsigned char vec[BATCH_PAGES];
    uintptr_t run_start = 0;
    int in_run = 0;
    while (page < end_page) {
        uintptr_t n = end_page - page < BATCH_PAGES ? end_page - page : BATCH_PAGES;
        if (mincore((void *)(base + page * SHADOW_PAGE), n * SHADOW_PAGE, vec) != 0) {
            /* Cannot tell: everything may hold cells. */
            for (uintptr_t i = 0; i < n; i++)
                vec[i] = 1;
        }
#if RW_SHADOW_PLANES
        /* The other planes' cells of a page of granules can only be
         * there if their flags are set (shadow.h): no mincore for them. */
        for (uintptr_t i = 0; i < n; i++)
            vec[i] |= rw_plane_flags_word((const rw_cell *)(base + (page + i) * SHADOW_PAGE),
                                          __ATOMIC_SEQ_CST) != 0;
#endif
        for (uintptr_t i = 0; i < n; i++) {
            int resident = vec[i] & 1;
            if (resident && !in_run) {
                run_start = page + i;
                in_run = 1;
            } else if (!resident && in_run) {
                uintptr_t a = APP_OF(run_start * SHADOW_PAGE), b = APP_OF((page + i) * SHADOW_PAGE);
                visit(a < lo ? lo : a, b > hi ? hi : b, arg);
                in_run = 0;
            }
        }
        page += n;
    }
    if (in_run) {
        uintptr_t a = APP_OF(run_start * SHADOW_PAGE), b = APP_OF(end_page * SHADOW_PAGE);
        visit(a < lo ? lo : a, b > hi ? hi : b, arg);
    }
#undef SHADOW_OFF
#undef APP_OF
}

void rw_shadow_resident_runs(uintptr_t lo, uintptr_t hi,
                             void (*visit)(uintptr_t, uintptr_t, void *), void *arg)
{
    if (!rw_shadow_dir || hi <= lo)
        return;
    if (hi > RW_APP_LIMIT)
        hi = RW_APP_LIMIT;
    int e = rw_shadow_resident_exact();
    while (lo < hi) {
        uintptr_t chunk_end = (lo | (RW_CHUNK_APP_SIZE - 1)) + 1;
        uintptr_t stop = hi < chunk_end ? hi : chunk_end;
        rw_cell *chunk = __atomic_load_n(&rw_shadow_dir[lo >> RW_CHUNK_SHIFT], __ATOMIC_ACQUIRE);
        if (chunk) {
            if (e)
                chunk_runs(chunk, lo, stop, visit, arg);
            else
                visit(lo, stop, arg);
        }
        lo = stop;
    }
}
