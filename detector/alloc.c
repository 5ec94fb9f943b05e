/* alloc.c: anonymous mappings for the detector's large tables (shadow
 * chunks, traces).  MAP_NORESERVE keeps untouched pages free, so a table
 * sized for the worst case costs only what is used. */
#include "detector/alloc.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

void *rw_map_reserve(size_t size)
{
    return rw_map_reserve_as(size, RW_MAP_OTHER);
}

static struct map_region {
    void *addr;
    size_t size;
    enum rw_map_kind kind;
} regions[RW_MAP_REGIONS_MAX] RW_LARGE_BSS;
static unsigned region_count;

static void note_region(void *p, size_t size, enum rw_map_kind kind);

void *rw_map_reserve_as(size_t size, enum rw_map_kind kind)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    note_region(p, size, kind);
    return p;
}

void *rw_map_reserve_aligned(size_t size, size_t align, enum rw_map_kind kind)
{
    /* Map size + align, keep the aligned part, give back both ends. */
    size_t span = size + align;
    void *raw = mmap(NULL, span, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (raw == MAP_FAILED)
        return NULL;
    uintptr_t lo = (uintptr_t)raw, at = (lo + align - 1) & ~(uintptr_t)(align - 1);
    uintptr_t end = at + ((size + 4095) & ~(size_t)4095);
    if (at > lo)
        munmap(raw, at - lo);
    if (lo + span > end)
        munmap((void *)end, lo + span - end);
    note_region((void *)at, size, kind);
    return (void *)at;
}

static void note_region(void *p, size_t size, enum rw_map_kind kind)
{
    unsigned i = __atomic_fetch_add(&region_count, 1, __ATOMIC_RELAXED);
    if (i < RW_MAP_REGIONS_MAX) {
        regions[i].addr = p;
        regions[i].kind = kind;
        __atomic_store_n(&regions[i].size, size, __ATOMIC_RELEASE);
    }
}

unsigned rw_map_region_count(void)
{
    unsigned n = __atomic_load_n(&region_count, __ATOMIC_RELAXED);
    return n < RW_MAP_REGIONS_MAX ? n : RW_MAP_REGIONS_MAX;
}

void rw_map_region(unsigned i, void **addr, size_t *size, enum rw_map_kind *kind)
{
    *size = __atomic_load_n(&regions[i].size, __ATOMIC_ACQUIRE);
    *addr = regions[i].addr;
    *kind = regions[i].kind;
}

size_t rw_map_zero_prefix(const void *addr, size_t size)
{
    /* 256 bytes per step, OR-ed in 16-byte vectors (plain SSE2 on x86-64):
     * shadow that holds no access is mostly the kernel's zero page, so
     * this runs from L1 at a few bytes per cycle. */
    typedef uint64_t pair __attribute__((vector_size(16), may_alias));
    const uint64_t *w = addr;
    size_t words = size / 8, i = 0;
    while (i < words && ((uintptr_t)&w[i] & 15))
        if (w[i++])
            return (i - 1) * 8;
    for (; i + 32 <= words; i += 32) {
        const pair *v = (const pair *)&w[i];
        pair any = v[0];
        for (int k = 1; k < 16; k++)
            any |= v[k];
        if (any[0] | any[1])
            break;
    }
    for (; i < words; i++)
        if (w[i])
            return i * 8;
    return size;
}

/* Pages that are already zero are read, not written: a page
 * of a MAP_NORESERVE table that was never written stays the kernel's
 * shared zero page (a read neither allocates nor dirties it), so clearing
 * the shadow of a big block that held only a few accesses costs cache-hot
 * reads instead of page faults and a memset of fresh pages (libuv's
 * ping-pong tests malloc and free a 64 KiB buffer per message: 256 KiB of
 * shadow cleared each time, bench/libuv.py). */
static void zero_dirty_lines(void *addr, size_t size)
{
    char *p = addr;
    size_t off = 0;
    while (off < size) {
        off += rw_map_zero_prefix(p + off, size - off);
        if (off >= size)
            break;
        /* A page with a byte that is not zero is a page of its own, not
         * the zero page: clear the rest of it at once (the freed marks of
         * a block's head fill every line of their pages). */
        size_t page_end = (((uintptr_t)(p + off)) | 4095) + 1 - (uintptr_t)p;
        if (page_end > size)
            page_end = size;
        memset(p + off, 0, page_end - off);
        off = page_end;
    }
}

void rw_map_zero(void *addr, size_t size)
{
    /* Up to 4 MiB, clearing in place is cheaper than giving pages back
     * (each would fault in again on next use: allocators reuse blocks);
     * beyond, whole pages go back to the kernel and the memory is
     * released, the partial pages at both ends are cleared. */
    uintptr_t lo = (uintptr_t)addr, hi = lo + size;
    uintptr_t plo = (lo + 4095) & ~(uintptr_t)4095, phi = hi & ~(uintptr_t)4095;
    /* Never a store into a page that is all zero, however small the
     * range: with shadow planes (shadow.h) the shadow of a small block
     * that one thread used is zero in planes 1-3, read as the kernel's
     * zero page, and a memset there would give each plane real pages. */
    if (size < (4u << 20) || plo >= phi) {
        zero_dirty_lines(addr, size);
        return;
    }
    zero_dirty_lines(addr, plo - lo);
    madvise((void *)plo, phi - plo, MADV_DONTNEED);
    zero_dirty_lines((void *)phi, hi - phi);
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define SLAB_BYTES (1024u * 1024)
#define SLAB_POPULATE (64u * 1024)

void *rw_slab_take(rw_slab *slab, size_t size)
{
    if (slab->end - slab->next < size) {
        uintptr_t p = (uintptr_t)rw_map_reserve(SLAB_BYTES);
        if (!p)
            return NULL;
        slab->next = slab->mapped = p; /* page aligned */
        slab->end = p + SLAB_BYTES;
    }
    while (slab->next + size > slab->mapped) {
        rw_map_populate((void *)slab->mapped, SLAB_POPULATE);
        slab->mapped += SLAB_POPULATE;
    }
    void *obj = (void *)slab->next;
    slab->next += size;
    return obj;
}

void rw_map_populate(void *addr, size_t size)
{
    madvise(addr, size, MADV_POPULATE_WRITE);
}

void rw_map_forget(void *addr, size_t size)
{
    madvise(addr, size, MADV_DONTNEED);
}

void rw_map_release(void *addr, size_t size)
{
    unsigned n = rw_map_region_count();
    for (unsigned i = n; i > 0; i--)
        if (regions[i - 1].addr == addr) {
            __atomic_store_n(&regions[i - 1].size, 0, __ATOMIC_RELEASE);
            break;
        }
    munmap(addr, size);
}
