/* intercept_mmap.c: mmap and munmap.  Memory that is mapped anew holds
 * nothing of what used to live at its addresses, so its shadow is
 * cleared on both calls (a fresh anonymous mapping reused at an old
 * address must not race with the old mapping's accesses). */
/* Define both mmap and mmap64 (the build asks for 64-bit off_t, which
 * would rename our mmap to mmap64). */
#undef _FILE_OFFSET_BITS
#include "runtime/rt.h"

#include <sys/mman.h>

#include "detector/shadow.h"

RW_DECLARE_REAL(void *, mmap, void *, size_t, int, int, int, off_t);
RW_DECLARE_REAL(int, munmap, void *, size_t);

static void fresh(void *p, size_t n)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_shadow_clear((uintptr_t)p, n);
    rw_range_seen_forget_all(); /* runtime/range_seen.h */
    rw_leave();
}

RW_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    void *p = RW_RESOLVE(mmap)(addr, len, prot, flags, fd, off);
    if (p != MAP_FAILED)
        fresh(p, len);
    return p;
}

RW_EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    return mmap(addr, len, prot, flags, fd, off);
}

RW_EXPORT int munmap(void *addr, size_t len)
{
    int r = RW_RESOLVE(munmap)(addr, len);
    if (r == 0)
        fresh(addr, len);
    return r;
}
