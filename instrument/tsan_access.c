/* tsan_access.c: the memory-access half of the ThreadSanitizer ABI that
 * gcc and clang emit under -fsanitize=thread: __tsan_read1..16,
 * __tsan_write1..16, their _pc and unaligned forms, and the range forms.
 *
 * This is the hot path.  An access that fits in one 8-byte granule (all
 * aligned ones) goes straight to the inlined hot path of race_check.h (a
 * directory load, four cell loads and compares), so each entry point is a
 * leaf function that at most tail-calls the slow path; everything else
 * is split into granule pieces by rw_check_range.  The access's pc is our
 * return address: the instruction after the call in the instrumented
 * function. */
#include "runtime/rt.h"

static inline __attribute__((always_inline)) void access_mem(uintptr_t addr, unsigned sizelog,
                                                             int write, uintptr_t pc)
{
    rw_thread *t = rw_cur;
    if (RW_UNLIKELY(t == NULL || t->ignore))
        return;
    if (RW_LIKELY((addr & 7) + (1u << sizelog) <= 8)) {
        rw_cell *cells = rw_shadow_cells_mapped(addr);
        if (RW_LIKELY(cells != NULL)) {
            int found = rw_access_is_redundant_or_open(t, cells, (unsigned)(addr & 7), sizelog,
                                                       write, 0, !write && sizelog < 3);
            if (found > 0)
                return;
            if (found < 0) {
                rw_open_read_add_at(t, addr, sizelog, pc);
                return;
            }
        }
        if (sizelog == 3) /* (aligned: it fits in its granule) */
            rw_check_word_slow(t, cells, addr, 3 | (unsigned)write << 2, pc);
        else
            rw_check_access_slow(t, cells, addr, sizelog | (unsigned)write << 2, pc);
    } else {
        rw_check_range(t, addr, (size_t)1 << sizelog, write, 0, pc);
    }
}

static inline __attribute__((always_inline)) void access_range(uintptr_t addr, size_t size,
                                                               int write, uintptr_t pc)
{
    rw_thread *t = rw_cur;
    if (RW_UNLIKELY(t == NULL || t->ignore))
        return;
    rw_check_range(t, addr, size, write, 0, pc);
}

#define DEFINE_ACCESS(size, sizelog)                                                         \
    RW_EXPORT void __tsan_read##size(void *a) { access_mem((uintptr_t)a, sizelog, 0, RW_CALLER_PC()); } \
    RW_EXPORT void __tsan_write##size(void *a) { access_mem((uintptr_t)a, sizelog, 1, RW_CALLER_PC()); } \
    RW_EXPORT void __tsan_read##size##_pc(void *a, void *pc) { access_mem((uintptr_t)a, sizelog, 0, (uintptr_t)pc); } \
    RW_EXPORT void __tsan_write##size##_pc(void *a, void *pc) { access_mem((uintptr_t)a, sizelog, 1, (uintptr_t)pc); } \
    RW_EXPORT void __tsan_unaligned_read##size(const void *a) { access_mem((uintptr_t)a, sizelog, 0, RW_CALLER_PC()); } \
    RW_EXPORT void __tsan_unaligned_write##size(void *a) { access_mem((uintptr_t)a, sizelog, 1, RW_CALLER_PC()); }

DEFINE_ACCESS(1, 0)
DEFINE_ACCESS(2, 1)
DEFINE_ACCESS(4, 2)
DEFINE_ACCESS(8, 3)

/* 16-byte accesses span two granules. */
RW_EXPORT void __tsan_read16(void *a) { access_range((uintptr_t)a, 16, 0, RW_CALLER_PC()); }
RW_EXPORT void __tsan_write16(void *a) { access_range((uintptr_t)a, 16, 1, RW_CALLER_PC()); }
RW_EXPORT void __tsan_read16_pc(void *a, void *pc) { access_range((uintptr_t)a, 16, 0, (uintptr_t)pc); }
RW_EXPORT void __tsan_write16_pc(void *a, void *pc) { access_range((uintptr_t)a, 16, 1, (uintptr_t)pc); }
RW_EXPORT void __tsan_unaligned_read16(const void *a) { access_range((uintptr_t)a, 16, 0, RW_CALLER_PC()); }
RW_EXPORT void __tsan_unaligned_write16(void *a) { access_range((uintptr_t)a, 16, 1, RW_CALLER_PC()); }

RW_EXPORT void __tsan_read_range(void *a, unsigned long size)
{
    access_range((uintptr_t)a, size, 0, RW_CALLER_PC());
}

RW_EXPORT void __tsan_write_range(void *a, unsigned long size)
{
    access_range((uintptr_t)a, size, 1, RW_CALLER_PC());
}

RW_EXPORT void __tsan_read_range_pc(void *a, unsigned long size, void *pc)
{
    access_range((uintptr_t)a, size, 0, (uintptr_t)pc);
}

RW_EXPORT void __tsan_write_range_pc(void *a, unsigned long size, void *pc)
{
    access_range((uintptr_t)a, size, 1, (uintptr_t)pc);
}

/* C++ virtual table pointer accesses (emitted for C++ only; kept so that
 * mixed C/C++ programs link). */
RW_EXPORT void __tsan_vptr_update(void **vptr, void *value)
{
    if (*vptr != value)
        access_mem((uintptr_t)vptr, 3, 1, RW_CALLER_PC());
}

RW_EXPORT void __tsan_vptr_read(void **vptr)
{
    access_mem((uintptr_t)vptr, 3, 0, RW_CALLER_PC());
}
