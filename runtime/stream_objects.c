/* stream_objects.c: stdio FILE streams as racy memory.  Each FILE * the
 * program uses gets a 16-byte slot in a table of our own; the slot's
 * first byte is the stream's address in the shadow (the FILE itself is
 * glibc's memory, which fclose frees: its shadow is the heap block's).
 * The interceptors (intercept_stdio.c, and fread/fwrite in
 * intercept_io.c) say what a call does to the stream:
 *
 *   - a call that takes the stream's lock (fputs, fprintf, printf, fgets,
 *     fflush, fseek...) reads it: glibc's lock makes those calls safe
 *     with each other, so they never race among themselves;
 *   - fclose, freopen, and the calls that take no lock (fputs_unlocked,
 *     fwrite_unlocked...) write it: they race with any use that nothing
 *     orders;
 *   - fopen, fdopen, freopen, popen, tmpfile, fmemopen, open_memstream
 *     make a new object (the slot's history is forgotten, then written),
 *     and the slot keeps who made it and where.
 * The lock inside a locked call orders nothing for the detector (two
 * threads that merely print are not synchronized by printing, as in
 * ThreadSanitizer); flockfile/funlockfile are edges, like a mutex.
 *
 * A closed stream's slot keeps its history (the fclose write): another
 * thread's later use of the stale FILE * that nothing orders after the
 * fclose is a race with it.  The slot is taken over when glibc hands the
 * same FILE * out again (it is then made anew), or by another stream once
 * closed.
 *
 * The table: 2^16 slots in one anonymous NORESERVE mapping, open
 * addressing on the FILE * value with lock-free insertion (a CAS on the
 * key); a stream that finds the table full is not watched.  Race reports
 * say `Location is FILE stream 0x.. created by thread T at:` with the
 * opening stack, or `Location is FILE stream stdout` for the standard
 * streams and others opened where we did not look. */
#include "runtime/stream_objects.h"

#include <string.h>
#include <sys/mman.h>

#include "detector/objectaddr.h"
#include "detector/stackdepot.h"
#include "runtime/rt.h"

#define NSLOTS (1u << 16)
#define MAX_PROBES 64

typedef struct stream_slot {
    FILE *file;            /* key: NULL never used */
    uint32_t thread;       /* who opened it, 0 if not seen */
    uint32_t create_stack; /* where */
} stream_slot;

/* thread's top bit: the stream was closed (its slot may be taken over). */
#define CLOSED_BIT 0x80000000u

static stream_slot *slots;
static int table_state; /* 0 none, 1 being made, 2 ready, 3 failed */

static int describe(uintptr_t addr, rw_objectaddr *out)
{
    stream_slot *s = &slots[(addr - (uintptr_t)slots) / sizeof(stream_slot)];
    FILE *f = __atomic_load_n(&s->file, __ATOMIC_RELAXED);
    uint32_t thread = __atomic_load_n(&s->thread, __ATOMIC_RELAXED) & ~CLOSED_BIT;
    memset(out, 0, sizeof *out);
    out->addr = (uintptr_t)s;
    strcpy(out->kind, "stream");
    if (!thread && (f == stdin || f == stdout || f == stderr))
        snprintf(out->what, sizeof out->what, "FILE stream %s",
                 f == stdin ? "stdin" : f == stdout ? "stdout" : "stderr");
    else
        snprintf(out->what, sizeof out->what, "FILE stream %p", (void *)f);
    out->thread = thread;
    out->create_stack = thread ? __atomic_load_n(&s->create_stack, __ATOMIC_RELAXED) : 0;
    out->numbered = 1;
    return 1;
}

static int table_ready(void)
{
    int state = __atomic_load_n(&table_state, __ATOMIC_ACQUIRE);
    if (RW_LIKELY(state == 2))
        return 1;
    if (state == 3)
        return 0;
    int none = 0;
    if (__atomic_compare_exchange_n(&table_state, &none, 1, 0, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE)) {
        /* Called inside the runtime: our mmap interceptor passes through. */
        void *p = mmap(NULL, NSLOTS * sizeof(stream_slot), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) {
            __atomic_store_n(&table_state, 3, __ATOMIC_RELEASE);
            return 0;
        }
        slots = p;
        rw_objectaddr_add_range((uintptr_t)p, (uintptr_t)p + NSLOTS * sizeof(stream_slot),
                                describe);
        __atomic_store_n(&table_state, 2, __ATOMIC_RELEASE);
        return 1;
    }
    while ((state = __atomic_load_n(&table_state, __ATOMIC_ACQUIRE)) == 1)
        ;
    return state == 2;
}

void rw_stream_objects_before_fork(void)
{
    (void)table_ready();
}

static inline unsigned home_of(FILE *f)
{
    return (unsigned)(((uint64_t)(uintptr_t)f * UINT64_C(0x9E3779B97F4A7C15)) >> 48) &
           (NSLOTS - 1);
}

/* The slot of f: found, or taken (an empty one; with reuse, also a closed
 * stream's); NULL if none within MAX_PROBES.  *fresh: the slot was taken
 * now. */
static stream_slot *slot_of(FILE *f, int reuse_closed, int *fresh)
{
    *fresh = 0;
    if (!f || !table_ready())
        return NULL;
    unsigned home = home_of(f);
    for (unsigned i = 0; i < MAX_PROBES; i++) {
        stream_slot *s = &slots[(home + i) & (NSLOTS - 1)];
        FILE *k = __atomic_load_n(&s->file, __ATOMIC_ACQUIRE);
        if (k == f)
            return s;
        if (k == NULL)
            break;
    }
    for (unsigned i = 0; i < MAX_PROBES; i++) {
        stream_slot *s = &slots[(home + i) & (NSLOTS - 1)];
        FILE *k = __atomic_load_n(&s->file, __ATOMIC_ACQUIRE);
        if (k == f)
            return s; /* another thread took it meanwhile */
        int closed = k && reuse_closed &&
                     (__atomic_load_n(&s->thread, __ATOMIC_RELAXED) & CLOSED_BIT);
        if (k != NULL && !closed)
            continue;
        if (__atomic_compare_exchange_n(&s->file, &k, f, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE)) {
            __atomic_store_n(&s->thread, 0, __ATOMIC_RELAXED);
            __atomic_store_n(&s->create_stack, 0, __ATOMIC_RELAXED);
            rw_shadow_clear((uintptr_t)s, sizeof *s);
            *fresh = 1;
            return s;
        }
        if (k == f)
            return s;
    }
    return NULL;
}

void rw_stream_use(rw_thread *t, FILE *f, uintptr_t pc)
{
    int fresh;
    stream_slot *s = slot_of(f, 0, &fresh);
    if (s && !t->ignore)
        rw_runtime_check_range(t, (uintptr_t)s, 1, 0, 0, pc);
}

void rw_stream_write(rw_thread *t, FILE *f, uintptr_t pc)
{
    int fresh;
    stream_slot *s = slot_of(f, 0, &fresh);
    if (s && !t->ignore)
        rw_runtime_check_range(t, (uintptr_t)s, 1, 1, 0, pc);
}

void rw_stream_created(rw_thread *t, FILE *f, uintptr_t pc)
{
    int fresh;
    stream_slot *s = slot_of(f, 1, &fresh);
    if (!s)
        return;
    if (!fresh)
        rw_shadow_clear((uintptr_t)s, sizeof *s);
    rw_report_stack st;
    rw_capture_stack(t, pc, &st);
    __atomic_store_n(&s->create_stack, rw_stack_put(st.pcs, (uint32_t)st.n), __ATOMIC_RELAXED);
    __atomic_store_n(&s->thread, t->info ? t->info->number : 0, __ATOMIC_RELAXED);
    if (!t->ignore)
        rw_runtime_check_range(t, (uintptr_t)s, 1, 1, 0, pc);
}

/* After fclose's write: the slot may be taken over by another stream. */
void rw_stream_closed(FILE *f)
{
    int fresh;
    stream_slot *s = slot_of(f, 0, &fresh);
    if (s)
        __atomic_fetch_or(&s->thread, CLOSED_BIT, __ATOMIC_RELAXED);
}

void rw_stream_locked(rw_thread *t, FILE *f)
{
    int fresh;
    stream_slot *s = slot_of(f, 0, &fresh);
    if (s && !t->ignore && !rw_ignore_sync)
        rw_sync_acquire_at(t, (uintptr_t)s);
}

void rw_stream_unlocked(rw_thread *t, FILE *f)
{
    int fresh;
    stream_slot *s = slot_of(f, 0, &fresh);
    if (s && !t->ignore && !rw_ignore_sync)
        rw_sync_release_at(t, (uintptr_t)s);
}

/* Nothing to check while the program has had only one thread: the check
 * would store nothing (rw_runtime_check_range), and the slot's look-up
 * and the entry into the runtime were all that a single-threaded
 * program's fwrite_unlocked paid here. */
void rw_stream_access_at(FILE *f, int write, uintptr_t pc)
{
    if (!__atomic_load_n(&rw_second_thread_created, __ATOMIC_RELAXED))
        return;
    rw_thread *t = rw_enter();
    if (!t)
        return;
    if (write)
        rw_stream_write(t, f, pc);
    else
        rw_stream_use(t, f, pc);
    rw_leave();
}
