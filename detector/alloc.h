/* alloc.h: the detector's own memory.  The runtime intercepts malloc, so the
 * detector allocates through glibc's __libc_* entry points, which are never
 * intercepted and need no dlsym at start-up.  Large, long-lived tables use
 * rw_map_reserve (anonymous mmap, NORESERVE: pages cost memory only when
 * touched). */
#ifndef RW_ALLOC_H
#define RW_ALLOC_H

#include <stddef.h>
#include <stdint.h>

/* For a static zeroed table of a page or more: .lbss (x86-64's large
 * zeroed data, placed by the linker after .bss in the same segment), so
 * that .bss keeps only the small variables.  Interleaved with 31 tables
 * (7 MiB) they spanned 29 pages, each faulted in on its first use by
 * every process (~16 us a fault on the 2-CPU VM, and again after a fork);
 * packed they are 5. */
#define RW_LARGE_BSS __attribute__((section(".lbss.rw")))

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

#define rw_malloc(n) __libc_malloc(n)
#define rw_calloc(n, m) __libc_calloc((n), (m))
#define rw_realloc(p, n) __libc_realloc((p), (n))
#define rw_free(p) __libc_free(p)

/* Reserve size bytes of zeroed address space; NULL on failure. */
void *rw_map_reserve(size_t size);

/* What a reserved region holds, for the memory breakdown at exit
 * (runtime/memory_dump.c).  rw_map_reserve_as records the region in a
 * fixed table (beyond RW_MAP_REGIONS_MAX regions, uncounted). */
enum rw_map_kind {
    RW_MAP_OTHER, RW_MAP_SHADOW, RW_MAP_TRACE, RW_MAP_DEPOT, RW_MAP_EXT, RW_MAP_KINDS
};
#define RW_MAP_REGIONS_MAX 16384
void *rw_map_reserve_as(size_t size, enum rw_map_kind kind);
/* The same at an address that is a multiple of align (a power of two,
 * at least 4 KiB). */
void *rw_map_reserve_aligned(size_t size, size_t align, enum rw_map_kind kind);
/* Region i (0 <= i < rw_map_region_count()): its start, size and kind;
 * size 0 for a region given back. */
unsigned rw_map_region_count(void);
void rw_map_region(unsigned i, void **addr, size_t *size, enum rw_map_kind *kind);
/* Give pages back to the kernel; they read as zero afterwards. */
void rw_map_zero(void *addr, size_t size);
/* How many leading bytes of [addr, addr + size) are zero, rounded down to
 * whole 8-byte words (size if all are); addr 8-byte aligned. */
size_t rw_map_zero_prefix(const void *addr, size_t size);
void rw_map_release(void *addr, size_t size);
/* Map the pages of [addr, addr + size) writable now, in one call (page
 * aligned): a page fault costs 17 us in this project's VMs against about
 * 10 us per page this way.  For memory about to be written anyway; a no-op
 * on kernels without MADV_POPULATE_WRITE. */
void rw_map_populate(void *addr, size_t size);
/* A bump allocator of zeroed, never freed objects (sync objects, the heap
 * table's nodes): 1 MiB reserved mappings whose pages are populated 64
 * KiB at a time as objects reach them.  Not locked: its user's lock
 * guards it.  rw_slab_take returns NULL when no mapping can be had. */
typedef struct rw_slab {
    uintptr_t next, end, mapped;
} rw_slab;
void *rw_slab_take(rw_slab *slab, size_t size);
/* Give all pages of [addr, addr + size) back at once (page-aligned); they
 * read as zero afterwards. */
void rw_map_forget(void *addr, size_t size);

#endif
