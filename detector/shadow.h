/* shadow.h: shadow memory, 4 cells (32 bytes) per 8-byte granule of
 * application memory (2 cells, 16 bytes, in a build configured with
 * `meson setup -Dcells_per_granule=2`).
 *
 * The mapping is a two-level table: a directory entry per 1 MiB of the
 * 47-bit user address space points to a 4 MiB chunk of cells, mapped on
 * first use.  Inside a chunk the cells are kept in planes (the default,
 * `-Dshadow_planes=true`): plane i holds cell i of every granule, 8 bytes
 * per granule, so a granule's cell i lies RW_CELL_STRIDE cells after its
 * cell 0.  Data that one thread at a time accesses keeps only plane 0's
 * pages in use (a plane's pages are not even read before its flag is
 * set, see "Plane flags" below), and a stream over it reads 8 bytes of
 * shadow per granule instead of 32.  With -Dshadow_planes=false a
 * granule's cells are adjacent (32 bytes, one cache line's half).
 *
 * The directory costs one extra load compared with ThreadSanitizer's
 * fixed arithmetic mapping, but assumes nothing about where the program's
 * memory lives, which matters for LD_PRELOAD on binaries that were never
 * built for a race detector.  Untouched chunk pages cost no memory. */
#ifndef RW_SHADOW_H
#define RW_SHADOW_H

#include <stddef.h>
#include <stdint.h>

#include "detector/cell.h"

/* The cells of a granule: 4 by default, 2 with -Dcells_per_granule=2
 * (half the shadow; a granule whose accessors do not fit makes an
 * extension sooner).  Code that packs one byte per cell in a 32-bit word
 * (store_no_conflict's buddy search) assumes at most 4. */
#ifndef RW_CELLS_PER_GRANULE
#define RW_CELLS_PER_GRANULE 4
#endif
_Static_assert(RW_CELLS_PER_GRANULE == 2 || RW_CELLS_PER_GRANULE == 4,
               "a granule has 2 or 4 cells");
#define RW_GRANULE 8

#ifndef RW_SHADOW_PLANES
#define RW_SHADOW_PLANES 1
#endif
/* Cells from a granule's cell i to its cell i + 1, and from a granule's
 * cell 0 to the next granule's. */
#if RW_SHADOW_PLANES
#define RW_CELL_STRIDE ((size_t)1 << (RW_CHUNK_SHIFT - 3))
#define RW_GRANULE_STRIDE 1
#else
#define RW_CELL_STRIDE ((size_t)1)
#define RW_GRANULE_STRIDE RW_CELLS_PER_GRANULE
#endif
/* The address of cell i of the granule whose cell 0 is at cells. */
#define RW_CELL_AT(cells, i) ((cells) + (size_t)(i) * RW_CELL_STRIDE)
/* The shadow of a run of granules inside one chunk is RW_SHADOW_RUNS
 * contiguous runs of memory, the k-th starting at RW_CELL_AT(first, k),
 * each RW_RUN_BYTES(granules) long. */
#define RW_SHADOW_RUNS (RW_SHADOW_PLANES ? RW_CELLS_PER_GRANULE : 1)
#define RW_RUN_BYTES(granules) ((size_t)(granules) * RW_GRANULE_STRIDE * sizeof(rw_cell))
#define RW_CHUNK_SHIFT 20
#define RW_CHUNK_APP_SIZE (UINT64_C(1) << RW_CHUNK_SHIFT)
#define RW_CHUNK_SHADOW_SIZE (RW_CHUNK_APP_SIZE / RW_GRANULE * RW_CELLS_PER_GRANULE * sizeof(rw_cell))
#define RW_APP_LIMIT (UINT64_C(1) << 47)

extern rw_cell **rw_shadow_dir;

int rw_shadow_init(void);
rw_cell *rw_shadow_chunk_slow(uintptr_t addr);

/* Plane flags.  This kernel (and any without a shared zero page for
 * anonymous memory) gives a page real memory on its first read, so a
 * plane's page must not even be read before a cell is stored in it.  A
 * chunk is mapped at an RW_CHUNK_ALIGN boundary with one more page after
 * its planes: for each 4 KiB page of plane 0 (512 granules, 4 KiB of
 * memory), one byte per plane i >= 1, set (sequentially consistent)
 * before the first cell is stored in plane i for those granules and
 * never cleared while the chunk lives.  A load of cell i >= 1 first
 * loads its flag: not set, the cell is empty and its page is not
 * touched.  The order keeps the protocol at the top of race_check.c: a
 * check that finds a flag not set read it before the flag's store, so
 * before the other check's store of the cell and its re-read of ours. */
#if RW_SHADOW_PLANES
#define RW_CHUNK_ALIGN ((uintptr_t)8 << 20)
#define RW_PLANE_PAGE_GRANULES (4096 / sizeof(rw_cell))
#define RW_CHUNK_MAP_SIZE (RW_CHUNK_SHADOW_SIZE + 4096)
_Static_assert(RW_CHUNK_MAP_SIZE <= RW_CHUNK_ALIGN, "a chunk and its flags fit the alignment");

/* The flag bytes of the granule whose cell 0 is at cells (byte i for
 * plane i). */
static inline uint8_t *rw_plane_flags(const rw_cell *cells)
{
    uintptr_t a = (uintptr_t)cells;
    return (uint8_t *)((a & ~(RW_CHUNK_ALIGN - 1)) + RW_CHUNK_SHADOW_SIZE) +
           ((a & (RW_CELL_STRIDE * sizeof(rw_cell) - 1)) >> 12) * 4;
}

/* The four flag bytes of a granule as one word (byte i: plane i). */
static inline __attribute__((always_inline)) uint32_t rw_plane_flags_word(const rw_cell *cells,
                                                                          int order)
{
    uint32_t word;
    __atomic_load((const uint32_t *)(const void *)rw_plane_flags(cells), &word, order);
    return word;
}
#else
#define RW_CHUNK_MAP_SIZE RW_CHUNK_SHADOW_SIZE
#endif

/* Cell i of a granule, loaded with the given memory order (0 for a cell
 * of a plane whose flag is not set). */
static inline __attribute__((always_inline)) rw_cell rw_cell_load(const rw_cell *cells, int i,
                                                                  int order)
{
#if RW_SHADOW_PLANES
    if (i > 0 && !__atomic_load_n(rw_plane_flags(cells) + i, order))
        return 0;
#endif
    return __atomic_load_n(RW_CELL_AT(cells, i), order);
}

/* All cells of a granule into snap, each loaded with the given order
 * (with planes, the flags once for all of them). */
static inline __attribute__((always_inline)) void rw_cells_load_all(const rw_cell *cells,
                                                                    rw_cell *snap, int order)
{
#if RW_SHADOW_PLANES
    uint32_t planes = rw_plane_flags_word(cells, order);
    snap[0] = __atomic_load_n(cells, order);
#pragma GCC unroll 4
    for (int i = 1; i < RW_CELLS_PER_GRANULE; i++)
        snap[i] = (planes >> (8 * i) & 0xff) ? __atomic_load_n(RW_CELL_AT(cells, i), order) : 0;
#else
#pragma GCC unroll 4
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        snap[i] = __atomic_load_n(RW_CELL_AT(cells, i), order);
#endif
}

/* Before a store of a non-empty value into cell i: its plane's flag. */
static inline void rw_plane_mark(rw_cell *cells, int i)
{
#if RW_SHADOW_PLANES
    uint8_t *f = rw_plane_flags(cells) + i;
    if (i > 0 && !__atomic_load_n(f, __ATOMIC_SEQ_CST))
        __atomic_store_n(f, 1, __ATOMIC_SEQ_CST);
#else
    (void)cells;
    (void)i;
#endif
}

/* Store value into cell i (a store of 0 into a plane whose flag is not
 * set has nothing to clear and is left out). */
static inline void rw_cell_store(rw_cell *cells, int i, rw_cell value, int order)
{
#if RW_SHADOW_PLANES
    if (i > 0) {
        if (value == 0 && !__atomic_load_n(rw_plane_flags(cells) + i, __ATOMIC_SEQ_CST))
            return;
        rw_plane_mark(cells, i);
    }
#endif
    __atomic_store_n(RW_CELL_AT(cells, i), value, order);
}

/* Compare-and-swap of cell i (sequentially consistent; relaxed on
 * failure).  An empty cell of a plane whose flag is not set is 0 to
 * compare with. */
static inline int rw_cell_cas(rw_cell *cells, int i, rw_cell expected, rw_cell value)
{
#if RW_SHADOW_PLANES
    if (i > 0) {
        if (value == 0 && expected == 0)
            return rw_cell_load(cells, i, __ATOMIC_SEQ_CST) == 0;
        if (value != 0)
            rw_plane_mark(cells, i);
        else if (!__atomic_load_n(rw_plane_flags(cells) + i, __ATOMIC_SEQ_CST))
            return 0; /* the cell is empty, not expected */
    }
#endif
    return __atomic_compare_exchange_n(RW_CELL_AT(cells, i), &expected, value, 0,
                                       __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}

/* The bitwise or of the cells from..RW_CELLS_PER_GRANULE-1 of a granule,
 * each loaded with the given memory order; 0 when they are all empty. */
static inline rw_cell rw_cells_or(const rw_cell *cells, int from, int order)
{
    rw_cell snap[RW_CELLS_PER_GRANULE], v = 0;
    rw_cells_load_all(cells, snap, order);
    for (int i = from; i < RW_CELLS_PER_GRANULE; i++)
        v |= snap[i];
    return v;
}

/* Do the granule's cells (loaded with order) differ from snap?  The
 * re-read after a store, and the open read's test of its granule. */
static inline int rw_cells_changed(const rw_cell *cells, const rw_cell *snap, int order)
{
    rw_cell now[RW_CELLS_PER_GRANULE], changed = 0;
    rw_cells_load_all(cells, now, order);
#pragma GCC unroll 4
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        changed |= now[i] ^ snap[i];
    return changed != 0;
}

/* The same for a snapshot (plain reads). */
static inline rw_cell rw_snapshot_or(const rw_cell *snap)
{
    rw_cell v = 0;
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++)
        v |= snap[i];
    return v;
}

/* The cells of the granule holding addr; NULL outside user space or when
 * no memory could be mapped. */
static inline rw_cell *rw_shadow_cells(uintptr_t addr)
{
    if (__builtin_expect(addr >= RW_APP_LIMIT, 0))
        return NULL;
    rw_cell *chunk = __atomic_load_n(&rw_shadow_dir[addr >> RW_CHUNK_SHIFT], __ATOMIC_ACQUIRE);
    if (__builtin_expect(chunk == NULL, 0))
        chunk = rw_shadow_chunk_slow(addr);
    if (__builtin_expect(chunk == NULL, 0))
        return NULL;
    return chunk + ((addr & (RW_CHUNK_APP_SIZE - 1)) >> 3) * RW_GRANULE_STRIDE;
}

/* The hot path's form of rw_shadow_cells: NULL also when the chunk is not
 * mapped yet (the caller's slow path then calls rw_shadow_cells), so that
 * it calls nothing and needs no stack frame. */
static inline rw_cell *rw_shadow_cells_mapped(uintptr_t addr)
{
    if (__builtin_expect(addr >= RW_APP_LIMIT, 0))
        return NULL;
    rw_cell *chunk = __atomic_load_n(&rw_shadow_dir[addr >> RW_CHUNK_SHIFT], __ATOMIC_ACQUIRE);
    if (__builtin_expect(chunk == NULL, 0))
        return NULL;
    return chunk + ((addr & (RW_CHUNK_APP_SIZE - 1)) >> 3) * RW_GRANULE_STRIDE;
}

/* Shadow pages are mapped by the kernel on first touch, and the first
 * touch is almost always a read (the hot path looks before the slow path
 * stores): the kernel maps its shared zero page read-only, and the first
 * store then replaces it, which in a multithreaded process costs a TLB
 * shootdown (an interrupt to every other core running the process).  A
 * thread that streams over fresh memory paid that for every 1 KiB of
 * data.  So when a check stores into a fresh granule that starts a block
 * of RW_PREFAULT_BLOCK bytes of shadow, the slow path asks the kernel to
 * map the following block writable (MADV_POPULATE_WRITE, one call per
 * block) before anything reads it.  At most one block of shadow ahead of
 * what a thread touched is mapped for nothing.  With planes, only plane 0
 * is prefaulted: an empty granule's first cell goes there, and the other
 * planes of data that one thread accesses are never touched. */
#define RW_PREFAULT_BLOCK 65536u

static inline int rw_shadow_starts_prefault_block(const rw_cell *cells)
{
    return ((uintptr_t)cells & (RW_PREFAULT_BLOCK - 1)) == 0;
}

/* Map the shadow block after the one holding addr's cells writable, if it
 * lies in the same chunk (a no-op on kernels without MADV_POPULATE_WRITE). */
void rw_shadow_prefault_next(uintptr_t addr);

/* Map the shadow of [addr, addr + size) writable now (addr and size
 * multiples of 4 KiB; with planes, plane 0's only, where an empty
 * granule's first cell goes): its cells are about to be stored, and a first
 * read of fresh shadow would map the zero page that the first store then
 * copies, a TLB shootdown each (runtime/touched_pages.c).  Errors leave
 * the pages to be mapped on first touch. */
void rw_shadow_populate(uintptr_t addr, size_t size);

/* Forget all history of the granules overlapping [addr, addr+size): fresh
 * memory (malloc, mmap, a new thread's stack). */
void rw_shadow_clear(uintptr_t addr, size_t size);
/* The same where the caller knows the shadow to be mapped (LD_PRELOAD's
 * noted pages): the page tables are not asked (shadow_resident.h). */
void rw_shadow_clear_mapped(uintptr_t addr, size_t size);

/* How many granules from the one whose cell 0 is at cells (at most
 * granules, inside one chunk) hold no cell at all; reads only the planes
 * whose flags are set. */
size_t rw_shadow_empty_prefix(const rw_cell *cells, size_t granules);

/* Bytes of shadow currently mapped (for statistics). */
size_t rw_shadow_mapped_bytes(void);

#endif
