/* alloc.c: anonymous mappings for the detector's large tables (shadow
 * chunks, traces).  MAP_NORESERVE keeps untouched pages free, so a table
 * sized for the worst case costs only what is used. */
#include "detector/alloc.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

void *rw_map_reserve(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void rw_map_zero(void *addr, size_t size)
{
    /* Up to 4 MiB, clearing in place is cheaper than giving pages back
     * (each would fault in again on next use: allocators reuse blocks);
     * beyond, whole pages go back to the kernel and the memory is
     * released, the partial pages at both ends are cleared. */
    uintptr_t lo = (uintptr_t)addr, hi = lo + size;
    uintptr_t plo = (lo + 4095) & ~(uintptr_t)4095, phi = hi & ~(uintptr_t)4095;
    if (size < (4u << 20) || plo >= phi) {
        memset(addr, 0, size);
        return;
    }
    memset(addr, 0, plo - lo);
    madvise((void *)plo, phi - plo, MADV_DONTNEED);
    memset((void *)phi, 0, hi - phi);
}

void rw_map_release(void *addr, size_t size)
{
    munmap(addr, size);
}
