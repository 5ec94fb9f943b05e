/* intercept_malloc.c: the malloc family.
 *
 * Allocation goes to glibc (__libc_malloc and friends: never intercepted,
 * no start-up dlsym); we add the block's history: a new block starts clean
 * (its shadow is cleared, so whoever used that memory before cannot race
 * with the new owner) and is recorded with its allocation stack for
 * "Location is heap block" lines.  free() is checked as a write of the
 * whole block that leaves "freed" cells, so a free racing with an access,
 * in either order, is a report ("Previous free").  Freed blocks wait in a
 * small FIFO quarantine (1024 blocks, 16 MiB) before glibc may reuse them,
 * so an access shortly after a free is seen as such. */
#include "runtime/rt.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "detector/alloc.h"
#include "detector/heapblock.h"
#include "detector/shadow.h"
#include "detector/spinlock.h"

extern void *__libc_memalign(size_t, size_t);

#define QUARANTINE_BLOCKS 1024
#define QUARANTINE_BYTES (16u << 20)
#define QUARANTINE_MAX_BLOCK (1u << 20)

static struct {
    rw_spin lock;
    void *ptr[QUARANTINE_BLOCKS];
    size_t size[QUARANTINE_BLOCKS];
    unsigned head, count;
    size_t bytes;
} quarantine;

static void really_free(void *p)
{
    rw_heap_remove((uintptr_t)p);
    __libc_free(p);
}

/* Park p; free whatever falls out of the FIFO. */
static void quarantine_put(void *p, size_t size)
{
    if (size > QUARANTINE_MAX_BLOCK) {
        really_free(p);
        return;
    }
    void *out[8];
    int nout = 0;
    rw_spin_lock(&quarantine.lock);
    while (quarantine.count > 0 && nout < 8 &&
           (quarantine.count == QUARANTINE_BLOCKS || quarantine.bytes + size > QUARANTINE_BYTES)) {
        unsigned i = quarantine.head;
        out[nout++] = quarantine.ptr[i];
        quarantine.bytes -= quarantine.size[i];
        quarantine.head = (i + 1) % QUARANTINE_BLOCKS;
        quarantine.count--;
    }
    if (quarantine.count < QUARANTINE_BLOCKS) {
        unsigned i = (quarantine.head + quarantine.count) % QUARANTINE_BLOCKS;
        quarantine.ptr[i] = p;
        quarantine.size[i] = size;
        quarantine.count++;
        quarantine.bytes += size;
        p = NULL;
    }
    rw_spin_unlock(&quarantine.lock);
    for (int i = 0; i < nout; i++)
        really_free(out[i]);
    if (p)
        really_free(p);
}

static void *allocated(void *p, size_t size, uintptr_t pc)
{
    if (!p)
        return p;
    rw_thread *t = rw_enter();
    if (!t)
        return p;
    rw_shadow_clear((uintptr_t)p, size ? size : 1);
    rw_heap_add((uintptr_t)p, size, rw_capture_stack_id(t, pc), t->info ? t->info->number : 0);
    rw_leave();
    return p;
}

static void freed(void *p, uintptr_t pc)
{
    if (!p)
        return;
    rw_thread *t = rw_enter();
    if (!t) {
        if (rw_ready && !rw_in_rt) {
            /* An unwatched thread: no check, but keep the table right. */
            rw_heap_remove((uintptr_t)p);
        }
        __libc_free(p);
        return;
    }
    size_t size;
    if (rw_heap_mark_freed((uintptr_t)p, &size)) {
        if (!t->ignore && !rw_called_from_ignored_lib(pc))
            rw_check_free(t, (uintptr_t)p, size ? size : 1, pc);
        quarantine_put(p, size);
    } else {
        __libc_free(p);
    }
    rw_leave();
}

RW_EXPORT void *malloc(size_t n)
{
    return allocated(__libc_malloc(n), n, RW_CALLER_PC());
}

RW_EXPORT void *calloc(size_t n, size_t m)
{
    void *p = __libc_calloc(n, m);
    return allocated(p, p ? n * m : 0, RW_CALLER_PC());
}

RW_EXPORT void free(void *p)
{
    freed(p, RW_CALLER_PC());
}

RW_EXPORT void cfree(void *p)
{
    freed(p, RW_CALLER_PC());
}

RW_EXPORT void *realloc(void *p, size_t n)
{
    uintptr_t pc = RW_CALLER_PC();
    if (!p)
        return allocated(__libc_malloc(n), n, pc);
    rw_thread *t = rw_enter();
    if (!t)
        return __libc_realloc(p, n);
    rw_heapblock b;
    int known = rw_heap_find((uintptr_t)p, &b) && b.start == (uintptr_t)p && !b.freed;
    rw_leave();
    if (!known) {
        /* Not ours (allocated before we started): let glibc handle it. */
        return __libc_realloc(p, n);
    }
    if (n == 0) {
        freed(p, pc);
        return NULL;
    }
    /* A new block, a read of the old one, a free of the old one. */
    void *q = allocated(__libc_malloc(n), n, pc);
    if (!q)
        return NULL;
    size_t copy = b.size < n ? b.size : n;
    t = rw_enter();
    if (t) {
        rw_range_access(t, p, copy, 0, pc);
        rw_range_access(t, q, copy, 1, pc);
    }
    memcpy(q, p, copy); /* inside the runtime: our memcpy passes through */
    if (t)
        rw_leave();
    freed(p, pc);
    return q;
}

RW_EXPORT void *reallocarray(void *p, size_t n, size_t m)
{
    size_t total;
    if (__builtin_mul_overflow(n, m, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, total);
}

RW_EXPORT int posix_memalign(void **out, size_t align, size_t n)
{
    if (align % sizeof(void *) != 0 || (align & (align - 1)) != 0)
        return EINVAL;
    void *p = __libc_memalign(align, n);
    if (!p)
        return ENOMEM;
    *out = allocated(p, n, RW_CALLER_PC());
    return 0;
}

RW_EXPORT void *aligned_alloc(size_t align, size_t n)
{
    return allocated(__libc_memalign(align, n), n, RW_CALLER_PC());
}

RW_EXPORT void *memalign(size_t align, size_t n)
{
    return allocated(__libc_memalign(align, n), n, RW_CALLER_PC());
}

RW_EXPORT void *valloc(size_t n)
{
    return allocated(__libc_memalign((size_t)sysconf(_SC_PAGESIZE), n), n, RW_CALLER_PC());
}

RW_EXPORT void *pvalloc(size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    n = n ? (n + page - 1) / page * page : page;
    return allocated(__libc_memalign(page, n), n, RW_CALLER_PC());
}
