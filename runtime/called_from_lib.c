/* called_from_lib.c: intercepted calls made by a runtime library whose
 * synchronization racewatch models at its API, and whose own memory
 * traffic must therefore not be checked: libgomp.
 *
 * libgomp allocates, fills (memset, memcpy) and frees its teams, work
 * shares and task blocks from whichever thread of a team gets there, with
 * futexes we never see in between: checked as the program's accesses,
 * its free of a task block would "race" with the memset another thread
 * made when creating it.  ThreadSanitizer's answer is the same
 * (called_from_lib suppressions): an interceptor whose caller lies in
 * such a library's code records nothing.  The range is learned from the
 * address of a real GOMP_* function, so it is found however the library
 * is named or loaded; a libgomp linked statically into the program
 * itself is not ignored (that would ignore the program). */
#include "runtime/rt.h"

#include <link.h>

#include "runtime/gomp.h"

uintptr_t rw_ignored_lib_lo;
uintptr_t rw_ignored_lib_len;

struct find {
    uintptr_t addr;
    uintptr_t lo, hi;
};

static int find_code_range(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    struct find *f = data;
    if (info->dlpi_name == NULL || info->dlpi_name[0] == '\0')
        return 0; /* the program itself */
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    int has_addr = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
            continue;
        uintptr_t a = info->dlpi_addr + ph->p_vaddr;
        if (f->addr >= a && f->addr < a + ph->p_memsz)
            has_addr = 1;
        if (a < lo)
            lo = a;
        if (a + ph->p_memsz > hi)
            hi = a + ph->p_memsz;
    }
    if (!has_addr)
        return 0;
    f->lo = lo;
    f->hi = hi;
    return 1;
}

void rw_ignore_calls_from_lib_of(const void *fn)
{
    if (rw_ignored_lib_len != 0 || fn == NULL)
        return;
    struct find f = { (uintptr_t)fn, 0, 0 };
    if (dl_iterate_phdr(find_code_range, &f) && f.hi > f.lo) {
        rw_ignored_lib_lo = f.lo;
        __atomic_store_n(&rw_ignored_lib_len, f.hi - f.lo, __ATOMIC_RELEASE);
    }
}
