/* intercept_malloc.c: the malloc family.
 *
 * Allocation goes to glibc (__libc_malloc and friends: never intercepted,
 * no start-up dlsym); we add the block's history: a new block starts clean
 * (its shadow is cleared, so whoever used that memory before cannot race
 * with the new owner) and is recorded with its allocation stack for
 * "Location is heap block" lines.  free() is checked as a write of the
 * whole block that leaves "freed" cells, so a free racing with an access,
 * in either order, is a report ("Previous free").  Freed blocks wait in a
 * small FIFO quarantine (1024 blocks, 16 MiB; blocks of 64 KiB to 1 MiB in
 * one of their own, 1 MiB) before glibc may reuse them,
 * so an access shortly after a free is seen as such.  realloc is glibc's
 * own (in place when it can be), with work only on the bytes that change
 * owner (see realloc). */
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
#include "runtime/touched_pages.h"

extern void *__libc_memalign(size_t, size_t);

#define QUARANTINE_BLOCKS 1024
#define QUARANTINE_BYTES (16u << 20)
#define QUARANTINE_MAX_BLOCK (1u << 20)
/* Blocks from this size on wait in a FIFO of their own, of at most
 * QUARANTINE_BIG_BYTES: 256 freed 64 KiB read buffers (libuv's ping-pong
 * tests) filled all 16 MiB of the shared one, so that glibc's heap grew by
 * 16 MiB of fresh pages (page faults in every new buffer), the buffers'
 * shadow no longer stayed in the cache, and small blocks passed through
 * the quarantine at once.  1 MiB, not 4: bench/workloads/malloc.c (a few
 * big blocks among 1024 small ones in the shared FIFO before) peaked at
 * 106 MB with 4, 67 MB with 1 (65 MB before the split).  A big block that
 * left it keeps its freed marks until its memory is handed out again. */
#define QUARANTINE_BIG_BLOCK (64u << 10)
#define QUARANTINE_BIG_BYTES (1u << 20)

struct quarantine {
    rw_spin lock;
    void *ptr[QUARANTINE_BLOCKS];
    size_t size[QUARANTINE_BLOCKS];
    unsigned head, count;
    size_t bytes, budget; /* bytes held, and at most */
};

static struct quarantine small_blocks = { .budget = QUARANTINE_BYTES },
                         big_blocks = { .budget = QUARANTINE_BIG_BYTES };

void rw_quarantine_lock(void)
{
    rw_spin_lock(&small_blocks.lock);
    rw_spin_lock(&big_blocks.lock);
}

void rw_quarantine_unlock(void)
{
    rw_spin_unlock(&big_blocks.lock);
    rw_spin_unlock(&small_blocks.lock);
}

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
    struct quarantine *q = size >= QUARANTINE_BIG_BLOCK ? &big_blocks : &small_blocks;
    void *out[8];
    int nout = 0;
    rw_spin_lock(&q->lock);
    while (q->count > 0 && nout < 8 &&
           (q->count == QUARANTINE_BLOCKS || q->bytes + size > q->budget)) {
        unsigned i = q->head;
        out[nout++] = q->ptr[i];
        q->bytes -= q->size[i];
        q->head = (i + 1) % QUARANTINE_BLOCKS;
        q->count--;
    }
    if (q->count < QUARANTINE_BLOCKS) {
        unsigned i = (q->head + q->count) % QUARANTINE_BLOCKS;
        q->ptr[i] = p;
        q->size[i] = size;
        q->count++;
        q->bytes += size;
        p = NULL;
    }
    rw_spin_unlock(&q->lock);
    for (int i = 0; i < nout; i++)
        really_free(out[i]);
    if (p)
        really_free(p);
}

/* The head of a freed block whose every granule is marked freed, as
 * rw_check_free does it (detector/race_check.c): a use after free there is
 * always seen.  Blocks up to this size are freed and cleared whole. */
#define FREE_HEAD 4096
/* Under LD_PRELOAD (the map of touched pages valid), a block bigger than
 * FREE_HEAD has only its first KiB marked whatever it held, as
 * ThreadSanitizer marks 1 KiB of any freed block; past it, the granules
 * that hold accesses (noted pages).  Marking 4 KiB was a quarter of the
 * runtime's work in libuv's ping-pong tests (a 64 KiB read buffer per
 * message that carries a few bytes: the marks, then the next malloc's
 * clear of them).  What is not seen: an intercepted access made after
 * the free in [1 KiB, 4 KiB) of a page nothing touched before it. */
#define FREE_HEAD_MARKED 1024

/* The bytes from a block's start that its free notes in the map of
 * touched pages whatever the block held (check_free, below): the whole
 * block up to FREE_HEAD, else the marked head. */
static size_t free_noted_bytes(size_t size)
{
    return size > FREE_HEAD ? FREE_HEAD_MARKED : size;
}

/* Clear the shadow of a run of noted pages inside a new block; the pages
 * that lie wholly inside it are forgotten first (touched_pages.h), except
 * those its free will note again anyway (from *keep_below down): a
 * forgotten page noted again has its shadow populated again, one
 * MADV_POPULATE_WRITE system call on a page still mapped (libuv's
 * ping-pong tests: a 64 KiB buffer whose marked head crosses into a page
 * wholly inside it, 700 such calls per test, each buffer every time).  A
 * page kept noted with no cell costs only its scan, which its free makes
 * anyway. */
static void clear_noted_run(uintptr_t lo, uintptr_t hi, void *keep_below)
{
    uintptr_t forget_from = *(uintptr_t *)keep_below;
    rw_touched_forget_inside(lo > forget_from ? lo : forget_from, hi);
    rw_shadow_clear_mapped(lo, hi - lo);
}

/* A new block starts clean.  Under LD_PRELOAD with no instrumented code
 * only the pages where the runtime stored cells are cleared (a 64 KiB
 * buffer that carried a few bytes: one or two pages, not 256 KiB of
 * shadow), whatever the block's size: a small block in a page nothing was
 * noted in has no cell to clear, and reading its shadow to find that out
 * cost a page fault per shadow page (the kernel maps its zero page; ~12
 * us each on the 2-CPU VM).  The quarantine hands out fresh heap pages
 * all the time (a 1024-block FIFO: libuv's 1,000 write requests of a
 * ping-pong test each in new memory), so that was 160 faults per test. */
static void clear_new_block(uintptr_t p, size_t size)
{
    if (!size)
        size = 1;
    if (__atomic_load_n(&rw_touched_valid, __ATOMIC_SEQ_CST)) {
        uintptr_t keep_below = p + free_noted_bytes(size);
        rw_touched_runs(p, p + size, clear_noted_run, &keep_below);
    }
    else
        rw_shadow_clear(p, size);
}

struct free_run_ctx {
    rw_thread *t;
    uintptr_t pc;
};

static void free_noted_run(uintptr_t lo, uintptr_t hi, void *arg)
{
    struct free_run_ctx *c = arg;
    rw_check_free_used(c->t, lo, hi - lo, c->pc);
}

/* free() checked as a write of the whole block, freed marks left (see
 * rw_check_free).  Under LD_PRELOAD with no instrumented code, past the
 * head only the runs of pages noted as holding cells are checked: there
 * is nothing to find in the others, and reading their shadow was the cost
 * of freeing a big, mostly unused buffer.  Each run is checked as
 * rw_check_free checks a block past its head: every granule that holds
 * cells, to the run's end. */
static void check_free(rw_thread *t, uintptr_t p, size_t size, uintptr_t pc)
{
    if (size > FREE_HEAD && __atomic_load_n(&rw_touched_valid, __ATOMIC_SEQ_CST)) {
        rw_touched_note(p, FREE_HEAD_MARKED);
        rw_check_free(t, p, FREE_HEAD_MARKED, pc);
        struct free_run_ctx c = { t, pc };
        rw_touched_runs(p + FREE_HEAD_MARKED, p + size, free_noted_run, &c);
        return;
    }
    rw_touched_note(p, size < FREE_HEAD + 8 ? size : FREE_HEAD + 8);
    rw_check_free(t, p, size, pc);
}

/* Whether glibc gives p's memory back to the kernel inside this free():
 * a block past the quarantine's limit (quarantine_put frees it at once)
 * that glibc mmapped for itself.  glibc keeps a chunk's size just before
 * its memory, with bit 1 set (IS_MMAPPED, malloc/malloc.c) for a chunk of
 * its own mapping, and its free unmaps such a chunk whole (munmap_chunk),
 * never into a free list.  GNU sort's 64 MiB line buffer is one. */
static int unmapped_by_free(uintptr_t p, size_t size)
{
    return size > QUARANTINE_MAX_BLOCK && (((const size_t *)p)[-1] & 2) != 0;
}

static void free_unmapped_run(uintptr_t lo, uintptr_t hi, void *arg)
{
    struct free_run_ctx *c = arg;
    rw_check_free_unmapped(c->t, lo, hi - lo, c->pc, 1);
}

/* The free of a block that unmapped_by_free: every granule that holds
 * cells checked against the free, none marked.  The marks serve a later
 * access: the same thread's or an ordered thread's (a use after free), an
 * unordered one's (a race with the free).  After the munmap an access
 * there faults, and memory mapped there again starts clean (our mmap;
 * malloc's clear_new_block clears the noted pages, which stay noted;
 * a new thread's stack).  Marking every granule in use was 23% of GNU
 * sort's instructions under LD_PRELOAD (a CAS per pair of granules over
 * its 64 MiB buffer).  What the marks also gave: another thread's access
 * made during the free itself, before the munmap, into a granule whose
 * cells all happen before the free (one that does not is the race the
 * check reports), was one side of a Dekker pair with the mark; here the
 * check may read the granule before that access stores its cell, as it
 * always may for a granule without cells past a block's head.  The cells
 * are left as they are: clearing them, or giving their pages back, cost
 * sort CPU time for memory that every reuse clears anyway (docs/design.md,
 * sortpre). */
static void check_free_unmapped(rw_thread *t, uintptr_t p, size_t size, uintptr_t pc)
{
    if (__atomic_load_n(&rw_touched_valid, __ATOMIC_SEQ_CST)) {
        struct free_run_ctx c = { t, pc };
        rw_touched_runs(p, p + size, free_unmapped_run, &c);
        return;
    }
    rw_check_free_unmapped(t, p, size, pc, 0);
}

static void *allocated(void *p, size_t size, uintptr_t pc)
{
    if (!p)
        return p;
    rw_thread *t = rw_enter();
    if (!t)
        return p;
    clear_new_block((uintptr_t)p, size);
    rw_heap_add((uintptr_t)p, size, rw_capture_alloc_stack_id(t, pc), t->info ? t->info->number : 0);
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
        if (t->ignore || rw_called_from_ignored_lib(pc))
            ; /* not checked */
        else if (unmapped_by_free((uintptr_t)p, size))
            check_free_unmapped(t, (uintptr_t)p, size, pc);
        else
            check_free(t, (uintptr_t)p, size ? size : 1, pc);
        rw_range_seen_forget(); /* our own use after free is still checked */
        quarantine_put(p, size);
    } else {
        __libc_free(p);
    }
    rw_leave();
}

RW_EXPORT void *malloc(size_t n)
{
    rw_signal_unsafe_call("malloc", RW_CALLER_PC());
    return allocated(__libc_malloc(n), n, RW_CALLER_PC());
}

RW_EXPORT void *calloc(size_t n, size_t m)
{
    rw_signal_unsafe_call("calloc", RW_CALLER_PC());
    void *p = __libc_calloc(n, m);
    return allocated(p, p ? n * m : 0, RW_CALLER_PC());
}

RW_EXPORT void free(void *p)
{
    rw_signal_unsafe_call("free", RW_CALLER_PC());
    freed(p, RW_CALLER_PC());
}

RW_EXPORT void cfree(void *p)
{
    freed(p, RW_CALLER_PC());
}

/* The bytes of a growth that may move whose free is checked before the
 * call (see realloc). */
#define REALLOC_MOVE_CHECK 1024

/* realloc ends the old object and begins a new one (C11 7.22.3.5), but
 * glibc keeps the block where it is whenever it can (shrinking, growing
 * into free space, mremap for big blocks): a loop that grows and shrinks
 * a block costs it almost nothing.  So the work here is proportional to
 * the bytes that change owner, never to the block:
 *   - before the call, while the memory is still ours: a shrink frees the
 *     cut tail (checked and marked as free() does); a growth past the
 *     usable size may move, so the old block's free is checked in its
 *     first REALLOC_MOVE_CHECK bytes (once glibc has moved it, the memory
 *     may already be another thread's new block: nothing may be stored
 *     there after the call);
 *   - after it: the bytes that became the block's start clean (the grown
 *     tail, or the whole new block when it moved), and when a growth that
 *     could have moved stayed in place (glibc extended the block, mremap
 *     grew it), the checked bytes too: their freed marks would make the
 *     block's own start look freed.
 * The old block of a moving realloc goes straight back to glibc, not
 * through the quarantine.  The block leaves the heap table during the
 * call, so that another thread's malloc of the same memory (after glibc
 * freed it) can never be confused with it. */
RW_EXPORT void *realloc(void *p, size_t n)
{
    uintptr_t pc = RW_CALLER_PC();
    rw_signal_unsafe_call("realloc", pc);
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
    uintptr_t old = (uintptr_t)p;
    int may_move = n > malloc_usable_size(p);
    t = rw_enter();
    if (t) {
        if (t->ignore)
            ;
        else if (n < b.size) {
            /* The cut tail from its first whole granule: a freed cell
             * covers its granule, and the bytes before old + n live on. */
            uintptr_t cut = (old + n + 7) & ~(uintptr_t)7;
            if (cut < old + b.size)
                check_free(t, cut, old + b.size - cut, pc);
        }
        else if (may_move) {
            size_t checked = b.size < REALLOC_MOVE_CHECK ? b.size : REALLOC_MOVE_CHECK;
            rw_touched_note(old, checked);
            rw_check_free(t, old, checked, pc);
        }
        rw_range_seen_forget();
        rw_heap_remove(old);
        rw_leave();
    }
    void *q = __libc_realloc(p, n);
    t = rw_enter();
    if (!t)
        return q;
    if (!q) {
        /* Failed: the old block is unchanged. */
        rw_heap_add(old, b.size, b.alloc_stack, b.thread);
    } else {
        if ((uintptr_t)q != old) {
            rw_shadow_clear((uintptr_t)q, n);
        } else {
            /* Grown in place after all: the move check's freed marks
             * must not turn the block's own start into freed memory. */
            if (may_move && n >= b.size)
                rw_shadow_clear(old, b.size < REALLOC_MOVE_CHECK ? b.size : REALLOC_MOVE_CHECK);
            if (n > b.size)
                rw_shadow_clear(old + b.size, n - b.size);
        }
        rw_heap_add((uintptr_t)q, n, rw_capture_alloc_stack_id(t, pc), t->info ? t->info->number : 0);
    }
    rw_leave();
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
