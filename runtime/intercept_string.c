/* intercept_string.c: memcpy, memset, strlen and friends as range
 * accesses: a call that reads or writes a buffer is checked like the
 * loads and stores it makes.  In a binary run by LD_PRELOAD these are the
 * only accesses racewatch sees; under racewatch-cc they are also what gcc
 * would otherwise expand inline without instrumentation (racewatch-cc
 * passes -fno-builtin-memcpy and friends).
 *
 * Until the real functions are resolved (the first calls come from the
 * dynamic loader's own start-up), simple byte loops stand in; this file
 * is built with -fno-tree-loop-distribute-patterns so that gcc does not
 * turn those loops back into calls to memcpy, i.e. to us. */
#include "runtime/rt.h"
#include "detector/alloc.h"

#include <string.h>
#include <strings.h>

RW_DECLARE_REAL(void *, memcpy, void *, const void *, size_t);
RW_DECLARE_REAL(void *, memmove, void *, const void *, size_t);
RW_DECLARE_REAL(void *, memset, void *, int, size_t);
RW_DECLARE_REAL(int, memcmp, const void *, const void *, size_t);
RW_DECLARE_REAL(void *, memchr, const void *, int, size_t);
RW_DECLARE_REAL(size_t, strlen, const char *);
RW_DECLARE_REAL(size_t, strnlen, const char *, size_t);
RW_DECLARE_REAL(char *, strcpy, char *, const char *);
RW_DECLARE_REAL(char *, strncpy, char *, const char *, size_t);
RW_DECLARE_REAL(char *, stpcpy, char *, const char *);
RW_DECLARE_REAL(char *, strcat, char *, const char *);
RW_DECLARE_REAL(char *, strncat, char *, const char *, size_t);
RW_DECLARE_REAL(int, strcmp, const char *, const char *);
RW_DECLARE_REAL(int, strncmp, const char *, const char *, size_t);
RW_DECLARE_REAL(char *, strchr, const char *, int);
RW_DECLARE_REAL(char *, strrchr, const char *, int);
RW_DECLARE_REAL(char *, strdup, const char *);
RW_DECLARE_REAL(char *, strndup, const char *, size_t);

/* Resolve everything once: from rw_init (rw_string_resolve), else lazily
 * on the first call the program makes. */
static int resolved;
static void resolve_all(void)
{
    RW_RESOLVE(memcpy);
    RW_RESOLVE(memmove);
    RW_RESOLVE(memset);
    __atomic_store_n(&resolved, 1, __ATOMIC_RELEASE);
}

/* NULL when nothing is to be recorded: not watched, ignoring, or called
 * from a library whose memory is its own (called_from_lib.c). */
static inline rw_thread *enter_string_keeping(uintptr_t pc, int keep_compared)
{
    if (RW_UNLIKELY(!resolved) && rw_ready && !rw_in_rt) {
        rw_in_rt = 1;
        resolve_all();
        rw_in_rt = 0;
    }
    rw_thread *t = keep_compared ? rw_enter_keeping_compared() : rw_enter();
    if (t && (t->ignore || rw_called_from_ignored_lib(pc))) {
        rw_leave();
        return NULL;
    }
    return t;
}
#define enter_string_at(pc) enter_string_keeping(pc, 0)
#define enter_string() enter_string_at(RW_CALLER_PC())

/* The same for memcpy, keeping the thread's pending write open (a copy
 * may continue it: rt.h's rw_intercepted_copy). */
static inline rw_thread *enter_copy_at(uintptr_t pc)
{
    if (RW_UNLIKELY(!resolved) && rw_ready && !rw_in_rt) {
        rw_in_rt = 1;
        resolve_all();
        rw_in_rt = 0;
    }
    rw_thread *t = rw_enter_keep_pending();
    if (t && (t->ignore || rw_called_from_ignored_lib(pc))) {
        rw_leave();
        return NULL;
    }
    return t;
}
#define enter_copy() enter_copy_at(RW_CALLER_PC())

/* The runtime's own memset/memcpy calls (the clear of a new block's
 * shadow, for one) bind to these interceptors too; until the program's
 * first call of one of them resolved the real functions, they ran the
 * byte-at-a-time fallbacks below.  A program that never calls them
 * itself (gcc inlines small constant-size copies) cleared every block's
 * shadow a byte at a time: a 64 KiB malloc and free loop spent 35% of
 * its time there.  rw_init resolves them at once (inside the runtime:
 * dlsym's own calls take the fallbacks). */
void rw_string_resolve(void)
{
    if (!resolved)
        resolve_all();
}

/* rt.h's rw_intercepted_range past its inline test of the exact entry. */
void rw_intercepted_range_out_of_line(rw_thread *t, uintptr_t addr, size_t size, int write,
                                      int atomic, uintptr_t pc)
{
    rw_intercepted_range_looked(t, addr, size, write, atomic, pc);
}

static size_t plain_strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

RW_EXPORT void *memcpy(void *d, const void *s, size_t n)
{
    rw_thread *t = enter_copy();
    if (t) {
        rw_intercepted_copy(t, (uintptr_t)d, (uintptr_t)s, n, RW_CALLER_PC());
        rw_leave();
    }
    if (RW_UNLIKELY(!RW_REAL(memcpy))) {
        for (size_t i = 0; i < n; i++)
            ((char *)d)[i] = ((const char *)s)[i];
        return d;
    }
    return RW_REAL(memcpy)(d, s, n);
}

RW_EXPORT void *memmove(void *d, const void *s, size_t n)
{
    rw_thread *t = enter_copy();
    if (t) {
        rw_intercepted_copy(t, (uintptr_t)d, (uintptr_t)s, n, RW_CALLER_PC());
        rw_leave();
    }
    if (RW_UNLIKELY(!RW_REAL(memmove))) {
        char *dd = d;
        const char *ss = s;
        if (dd < ss)
            for (size_t i = 0; i < n; i++)
                dd[i] = ss[i];
        else
            for (size_t i = n; i > 0; i--)
                dd[i - 1] = ss[i - 1];
        return d;
    }
    return RW_REAL(memmove)(d, s, n);
}

RW_EXPORT void *memset(void *d, int c, size_t n)
{
    rw_thread *t = enter_string();
    if (t) {
        rw_range_access(t, d, n, 1, RW_CALLER_PC());
        rw_leave();
    }
    if (RW_UNLIKELY(!RW_REAL(memset))) {
        for (size_t i = 0; i < n; i++)
            ((char *)d)[i] = (char)c;
        return d;
    }
    return RW_REAL(memset)(d, c, n);
}

RW_EXPORT void bzero(void *d, size_t n)
{
    memset(d, 0, n);
}

/* memcmp reads up to the first difference (where a comparison of long
 * equal prefixes is rare, a sort comparing lines reads a byte or two). */
RW_EXPORT int memcmp(const void *a, const void *b, size_t n)
{
    int r = RW_RESOLVE(memcmp)(a, b, n);
    rw_thread *t = enter_string();
    if (t) {
        const unsigned char *x = a, *y = b;
        size_t k = 0;
        while (k < n && x[k] == y[k])
            k++;
        size_t len = k < n ? k + 1 : n;
        rw_range_access(t, a, len, 0, RW_CALLER_PC());
        rw_range_access(t, b, len, 0, RW_CALLER_PC());
        rw_leave();
    }
    return r;
}

RW_EXPORT void *memchr(const void *s, int c, size_t n)
{
    void *r = RW_RESOLVE(memchr)(s, c, n);
    rw_thread *t = enter_string();
    if (t) {
        rw_range_access(t, s, r ? (size_t)((const char *)r - (const char *)s) + 1 : n, 0,
                        RW_CALLER_PC());
        rw_leave();
    }
    return r;
}

/* The reads of a string function that its caller's exact entries
 * (range_seen.h) do not answer inline: enter the runtime and check them.
 * Out of line, so that the answered call (strlen in a loop condition,
 * a word compared with a few fixed keys) pays for no frame of its own. */
static __attribute__((noinline)) void string_reads(const char *a, const char *b, size_t n,
                                                   uintptr_t pc)
{
    rw_thread *t = enter_string_at(pc);
    if (t) {
        RW_RESOLVE(strlen);
        rw_range_access(t, a, n, 0, pc);
        if (b)
            rw_range_access(t, b, n, 0, pc);
        rw_leave();
    }
}

/* strlen of the same string again (a loop condition, `i < strlen(s)`:
 * string_match measures each word once per character): answered by the
 * exact entry that answered the thread's last strlen
 * (rw_range_seen_tab.strlen_x), without the hash of the string's start;
 * else by the string's own entry, which then becomes the last one.  Either
 * only if it holds the read in the current era (its key).  Asked without
 * entering the runtime: the answer records nothing, as a call from inside
 * the runtime, an ignored thread or an ignored library would not, and
 * reads only this thread's own table.  callgrind, string_match under
 * LD_PRELOAD (2.0M strlen calls): 352.3M -> 334.3M instructions.
 * Tests: strlen_last_race (a longer read of the same string is not
 * answered), strlen_release_race (nor one after a release). */
RW_EXPORT size_t strlen(const char *s)
{
    size_t n = RW_REAL(strlen) ? RW_REAL(strlen)(s) : plain_strlen(s);
    rw_thread *t = rw_cur;
    if (t) {
        rw_range_seen_table *tab = &rw_range_seen_tab;
        uint64_t key = rw_range_seen_current_key(t);
        uintptr_t addr = (uintptr_t)s;
        if (rw_range_seen_exact_held(tab->strlen_x, key, addr, n + 1, 0))
            return n;
        rw_range_seen_exact *x = rw_range_seen_exact_slot(tab, addr);
        if (rw_range_seen_exact_held(x, key, addr, n + 1, 0)) {
            tab->strlen_x = x;
            return n;
        }
    }
    string_reads(s, NULL, n + 1, RW_CALLER_PC());
    return n;
}

RW_EXPORT size_t strnlen(const char *s, size_t max)
{
    size_t n = RW_RESOLVE(strnlen)(s, max);
    rw_thread *t = enter_string();
    if (t) {
        rw_range_access(t, s, n < max ? n + 1 : n, 0, RW_CALLER_PC());
        rw_leave();
    }
    return n;
}

RW_EXPORT char *strcpy(char *d, const char *s)
{
    rw_thread *t = enter_string();
    if (t) {
        size_t n = RW_RESOLVE(strlen)(s) + 1;
        rw_range_access(t, s, n, 0, RW_CALLER_PC());
        rw_range_access(t, d, n, 1, RW_CALLER_PC());
        rw_leave();
    }
    return RW_RESOLVE(strcpy)(d, s);
}

RW_EXPORT char *stpcpy(char *d, const char *s)
{
    rw_thread *t = enter_string();
    if (t) {
        size_t n = RW_RESOLVE(strlen)(s) + 1;
        rw_range_access(t, s, n, 0, RW_CALLER_PC());
        rw_range_access(t, d, n, 1, RW_CALLER_PC());
        rw_leave();
    }
    return RW_RESOLVE(stpcpy)(d, s);
}

RW_EXPORT char *strncpy(char *d, const char *s, size_t n)
{
    rw_thread *t = enter_string();
    if (t) {
        size_t len = RW_RESOLVE(strnlen)(s, n);
        rw_range_access(t, s, len < n ? len + 1 : n, 0, RW_CALLER_PC());
        rw_range_access(t, d, n, 1, RW_CALLER_PC());
        rw_leave();
    }
    return RW_RESOLVE(strncpy)(d, s, n);
}

RW_EXPORT char *strcat(char *d, const char *s)
{
    rw_thread *t = enter_string();
    if (t) {
        size_t dl = RW_RESOLVE(strlen)(d), sl = RW_REAL(strlen)(s) + 1;
        rw_range_access(t, d, dl + 1, 0, RW_CALLER_PC());
        rw_range_access(t, s, sl, 0, RW_CALLER_PC());
        rw_range_access(t, d + dl, sl, 1, RW_CALLER_PC());
        rw_leave();
    }
    return RW_RESOLVE(strcat)(d, s);
}

RW_EXPORT char *strncat(char *d, const char *s, size_t n)
{
    rw_thread *t = enter_string();
    if (t) {
        size_t dl = RW_RESOLVE(strlen)(d), sl = RW_RESOLVE(strnlen)(s, n);
        rw_range_access(t, d, dl + 1, 0, RW_CALLER_PC());
        rw_range_access(t, s, sl < n ? sl + 1 : sl, 0, RW_CALLER_PC());
        rw_range_access(t, d + dl, sl + 1, 1, RW_CALLER_PC());
        rw_leave();
    }
    return RW_RESOLVE(strncat)(d, s, n);
}

/* Bytes a comparison reads: up to and including the first difference or
 * terminator. */
static size_t compared_length(const char *a, const char *b, size_t max)
{
    size_t i = 0;
    while (i < max && a[i] && a[i] == b[i])
        i++;
    return i < max ? i + 1 : max;
}

/* The pending compared read (rt.h).
 *
 * word_count's binary search compares each word with a dozen keys; the
 * word's compared prefix grows 2-3 times (a key with a longer common
 * prefix) after its first compare, and each of those reads was a check
 * that stores cells (fill_run and its CAS, about 760 instructions: 44% of
 * the program's instructions under LD_PRELOAD).  Instead, a compared read
 * that needs a check (neither held by its exact entry nor covered in the
 * shadow: a fresh string, or a growth past its entry) and whose granules
 * hold no write, free or marker of any thread (nothing stored there can
 * race with a read: granules_hold_reads_only) is not stored at once: it
 * becomes one of the thread's two pending compared reads, which later
 * growths of the same string extend without entering the runtime (the
 * same test on their new granules).  A pending read is stored, as one
 * checked range from the granule where its unstored bytes begin, when a
 * third string needs the place (the one grown longest ago), at the
 * thread's next rw_enter (every interceptor that may release, acquire,
 * free or end it; the compare interceptors' own checks keep it), when
 * another thread or fiber is made current on this OS thread, at the
 * thread's end, before it sleeps, and at exit (the exiting thread's own;
 * the others' are checked on their behalf,
 * rw_compared_pendings_check_at_exit).
 *
 * No race is lost: nothing that changes the thread's clock comes between
 * the reads and their store, so the store checks the bytes as each
 * compare would have; an access another thread stores meanwhile is found
 * by the store or finds it (the ordinary stored check's CAS and re-read).
 *
 * Which stack a report shows: a conflict with anything stored before the
 * compare is a write, free or marker cell, which sends the read to the
 * ordinary check at once, so its report is made inside the compare, with
 * the compare's whole stack.  Only an access stored in the window (after
 * the compare's test, before the store) can be found by the store; its
 * report names the read by the latest compare's pc alone
 * (rw_stack_pc_only), not by the frames of the later call that stores
 * it, which are not the compare's (under LD_PRELOAD a previous access is
 * shown by its pc alone too).  Only while no instrumented code has
 * registered (compared_pending_allowed): an instrumented program's
 * compares are stored at once, with their stacks (its atomics release and
 * acquire without rw_enter).
 * A fresh string that starts exactly where a pending read ends, compared
 * by the same call in the same era (word_count's next word: the text is
 * searched word after word, each read up to its terminator when found),
 * continues that read instead of taking a place of its own
 * (compared_pending_continue): the read then spans both strings and is
 * stored as one range, its whole granules one cell each, instead of two
 * or three pieces per word a store apiece.  Nothing is added that was not
 * read: the bytes are contiguous, each string's granules passed the same
 * test, and the one pc names every byte's read correctly.
 * Tests: strcmp_pending_{race,clean} (a write in the window, found by the
 * store at a later memset), strcmp_pending_exit_{race,clean} (found at
 * exit on the reader's behalf), strcmp_chain_{race,clean} (a continued
 * read keeps its first string, stops at another call site and at a
 * byte no compare read). */
/* One pending compared read. */
struct compared_pending_read {
    rw_thread *t;       /* its thread; NULL when unused (the exit check
                           reads it from another thread) */
    uintptr_t addr;     /* the string's start */
    uintptr_t from;     /* the store's start: the granule of unstored,
                           not before addr */
    uintptr_t unstored; /* the first byte read and not stored */
    uintptr_t end;      /* past the last byte read */
    uintptr_t pc;       /* the latest growing compare's: it read them all */
    uint64_t key;       /* the era it was made in (range_seen.h) */
    uint64_t used;      /* the thread's compare count at its last growth */
};
/* A thread's two pending compared reads: the searched word and a key that
 * grows meanwhile (a key compared again with a word of longer common
 * prefix); with one, each such key stored the word's read and took its
 * place (word_count: half of the growths stored anyway).  A growth of a
 * third string stores the one grown longest ago. */
#define COMPARED_PENDING_READS 2
/* The most bytes one pending read spans, continued over adjacent strings. */
#define COMPARED_PENDING_RUN_MAX 1024
/* Cache-line aligned: the threads' entries sit side by side (indexed by
 * slot) and each is written at every growth; unaligned (136 bytes), two
 * threads' entries shared a line and word_count's strcmp waited on it
 * (compared_pending_extend 17% of its samples, more CPU than without
 * the pending reads). */
struct rw_compared_pending {
    struct compared_pending_read r[COMPARED_PENDING_READS];
    uint64_t uses;
} __attribute__((aligned(64)));
static struct rw_compared_pending compared_pendings[RW_MAX_SLOTS] RW_LARGE_BSS;
__thread struct rw_compared_pending *rw_compared_pending RW_TLS;

/* No cell of the granules of [lo, hi) holds a write, a free or a marker
 * (an extended granule), of any thread: a read of those bytes can race
 * with nothing stored there now.  A granule without shadow holds
 * nothing. */
static inline int granules_hold_reads_only(uintptr_t lo, uintptr_t hi)
{
    for (uintptr_t g = lo & ~(uintptr_t)7; g < hi; g += 8) {
        rw_cell *cells = rw_shadow_cells_mapped(g);
        if (cells && (rw_cells_or(cells, 0, __ATOMIC_RELAXED) & (RW_WRITE_BIT | RW_FREED_BIT)))
            return 0;
    }
    return 1;
}

/* Store one pending read (in use) and free its place. */
static void compared_pending_read_store(struct compared_pending_read *r)
{
    rw_thread *t = r->t;
    __atomic_store_n(&r->t, NULL, __ATOMIC_RELEASE);
    int saved = rw_in_rt;
    rw_in_rt = 1;
    rw_stack_pc_only = 1;
    rw_intercepted_range_checked(t, r->from, r->end - r->from, 0, 0, r->pc);
    rw_stack_pc_only = 0;
    rw_in_rt = saved;
}

void rw_compared_pending_store(void)
{
    struct rw_compared_pending *p = rw_compared_pending;
    if (!p)
        return;
    rw_compared_pending = NULL;
    for (int i = 0; i < COMPARED_PENDING_READS; i++)
        if (p->r[i].t)
            compared_pending_read_store(&p->r[i]);
}

/* At exit: a thread the exit will end may have pending compared reads it
 * will never store; a write or free of their unstored bytes that another
 * thread stored after the growth's test (the exiting thread's, typically)
 * has not seen them.  Every such cell (of another slot, a write or a
 * free) is one: the test found none in those granules, and the reader
 * has not released since.  Reported on the reader's behalf, by the
 * compare's pc.  Best effort, as rw_open_reads_check_at_exit: the reader
 * runs on meanwhile. */
void rw_compared_pendings_check_at_exit(rw_thread *self)
{
    if (!rw_race_handler)
        return;
    rw_thread *t;
    for (uint32_t slot = 0; (t = rw_thread_next_other_idle(self, &slot));) {
        for (int k = 0; k < COMPARED_PENDING_READS; k++) {
            struct compared_pending_read *r = &compared_pendings[slot].r[k];
            if (__atomic_load_n(&r->t, __ATOMIC_ACQUIRE) != t)
                continue;
            uintptr_t unstored = r->unstored, end = r->end, pc = r->pc;
            if (__atomic_load_n(&r->t, __ATOMIC_ACQUIRE) != t || end <= unstored)
                continue;
            int reported = 0;
            for (uintptr_t g = unstored & ~(uintptr_t)7; g < end && !reported; g += 8) {
                rw_cell *cells = rw_shadow_cells_mapped(g);
                if (!cells)
                    continue;
                unsigned want = rw_range_seen_bytes(g < unstored ? (unsigned)(unstored & 7) : 0,
                                                    end - g >= 8 ? 8 : (unsigned)(end & 7));
                for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
                    rw_cell v = rw_cell_load(cells, i, __ATOMIC_SEQ_CST);
                    unsigned both = v ? rw_cell_mask(v) & want : 0;
                    if (!both || (v & ~RW_CLOCK_MASK) == RW_FREED_BIT /* a marker */ ||
                        rw_cell_slot(v) == t->slot || !(v & (RW_WRITE_BIT | RW_FREED_BIT)))
                        continue;
                    unsigned at = (unsigned)__builtin_ctz(both);
                    rw_report_deferred_race(t, g + at, rw_cell_make(t->slot, t->pos, at, 0, 0, 0),
                                            v, pc);
                    reported = 1;
                    break;
                }
            }
        }
    }
}

void rw_compared_pendings_after_fork(rw_thread *survivor)
{
    uint32_t n = rw_thread_slots_used();
    for (uint32_t slot = 1; slot <= n && slot < RW_MAX_SLOTS; slot++)
        if (slot != survivor->slot)
            for (int k = 0; k < COMPARED_PENDING_READS; k++)
                if (compared_pendings[slot].r[k].t)
                    compared_pendings[slot].r[k].t = NULL;
}

/* The compared read of [addr, addr + n), whose first held bytes this
 * thread stored already in this era (held: 0 for a string read afresh,
 * else a growth), becomes one of the thread's pending compared reads if
 * its granules hold only reads (the one grown longest ago stored first
 * when both are in use); 1 if so.  The caller's exact entry then holds
 * the whole read (era key asked again here: a report may move it). */
static inline int compared_pending_begin(rw_thread *t, uint64_t key, uintptr_t addr, size_t held,
                                         size_t n, uintptr_t pc)
{
    uintptr_t end = addr + n;
    struct rw_compared_pending *p = &compared_pendings[t->slot];
    struct compared_pending_read *r = &p->r[0];
    for (int i = 0; i < COMPARED_PENDING_READS; i++) {
        if (!p->r[i].t) {
            r = &p->r[i];
            break;
        }
        if (p->r[i].used < r->used)
            r = &p->r[i];
    }
    uintptr_t unstored = addr + held;
    uintptr_t from = unstored & ~(uintptr_t)7;
    if (from < addr)
        from = addr;
    if (!granules_hold_reads_only(from, end))
        return 0;
    if (r->t)
        compared_pending_read_store(r);
    if (rw_range_seen_current_key(t) != key)
        return 0;
    r->addr = addr;
    r->from = from;
    r->unstored = unstored;
    r->end = end;
    r->pc = pc;
    r->key = key;
    r->used = ++p->uses;
    __atomic_store_n(&r->t, t, __ATOMIC_RELEASE);
    rw_compared_pending = p;
    return 1;
}

/* The compared read of [addr, addr + n), a string no exact entry holds,
 * continues one of t's pending reads: that read ends where the string
 * starts, was made by the same call (pc: a report names the read by it)
 * in this era, and the string's granules hold only reads.  1 if so: the
 * pending read now ends at the string's end and grows with it. */
static inline int compared_pending_continue(rw_thread *t, uint64_t key, uintptr_t addr, size_t n,
                                            uintptr_t pc)
{
    struct rw_compared_pending *p = rw_compared_pending;
    if (!p)
        return 0;
    uintptr_t end = addr + n;
    for (int i = 0; i < COMPARED_PENDING_READS; i++) {
        struct compared_pending_read *r = &p->r[i];
        if (r->t == t && r->end == addr && r->pc == pc && r->key == key &&
            end - r->from <= COMPARED_PENDING_RUN_MAX) {
            if (!granules_hold_reads_only(addr, end))
                return 0;
            r->addr = addr;
            r->end = end;
            r->used = ++p->uses;
            return 1;
        }
    }
    return 0;
}

/* Whether t's compared reads may be left pending: while no instrumented
 * code has registered (rw_touched_valid: its atomics release and acquire
 * without rw_enter, and its calls keep a shadow stack that a report
 * should show whole) and t has no shadow stack, not inside the runtime's
 * slow path, and once a second thread exists (before, nothing is stored
 * anyway). */
static inline int compared_pending_allowed(const rw_thread *t)
{
    return __atomic_load_n(&rw_touched_valid, __ATOMIC_RELAXED) && t->depth == 0 && !t->busy &&
           t->slot < RW_MAX_SLOTS &&
           __atomic_load_n(&rw_second_thread_created, __ATOMIC_RELAXED);
}

/* The compared read of [s, s + n) by the current thread t, which has
 * pending compared reads p (rw_in_rt set by the caller): 1 if it is one's
 * string and is now part of it (a longer read whose new granules hold
 * only reads, or one it holds already), without entering the runtime;
 * its exact entry x (possibly NULL) grows.  0: the ordinary way. */
static inline int compared_pending_extend(rw_thread *t, struct rw_compared_pending *p,
                                          rw_range_seen_exact *x, const char *s, size_t n,
                                          uintptr_t pc)
{
    uintptr_t addr = (uintptr_t)s, end = addr + n;
    struct compared_pending_read *r = NULL;
    for (int i = 0; i < COMPARED_PENDING_READS; i++)
        if (p->r[i].t && p->r[i].addr == addr)
            r = &p->r[i];
    if (!r || t->ignore || rw_called_from_ignored_lib(pc) ||
        rw_range_seen_current_key(t) != r->key)
        return 0;
    if (end <= r->end)
        return 1; /* read already (its exact entry was taken by another string) */
    if (pc != r->pc && r->unstored < addr)
        return 0; /* it holds earlier strings (continued), which this call
                     did not read: its pc would name them wrongly */
    if (n > RW_RANGE_SEEN_SHADOW_MAX || end < addr || !granules_hold_reads_only(r->end, end))
        return 0;
    r->end = end;
    r->pc = pc;
    r->used = ++p->uses;
    if (x && x->key == (addr | r->key) && x->write == 0 && n > x->len)
        x->len = (uint32_t)n;
    return 1;
}

/* A comparison's two strings and their exact entries (range_seen.h),
 * looked up once for the call: each string's slot, then the shadow
 * prefetched for a string whose slot holds no entry starting at it
 * (rw_prefetch_shadow_of's hint).  Before, the prefetch and the answer each
 * made both look-ups again: four era tests and four hashes per strcmp.
 * The era is not asked here: the prefetch is only a hint (an entry of an
 * older era at the same start costs a missed prefetch at most), and
 * compare_end asks it once, after the call, for the answer.  With the era
 * asked here too, string_match's strcmp ran 9 instructions more a call
 * (callgrind: the era test is 9 of its 98). */
struct compared_pair {
    rw_range_seen_exact *xa, *xb;
};

/* x (possibly NULL) holds an entry starting at addr, of any era. */
static inline int entry_starts_at(const rw_range_seen_exact *x, uintptr_t addr)
{
    return x && (x->key & ((UINT64_C(1) << RW_RANGE_SEEN_ERA_SHIFT) - 1)) == addr;
}

static inline __attribute__((always_inline)) struct compared_pair compare_begin(rw_thread *t,
                                                                            const char *a,
                                                                            const char *b)
{
    struct compared_pair p = { NULL, NULL };
    if (!t)
        return p;
    p.xa = rw_range_seen_exact_slot(&rw_range_seen_tab, (uintptr_t)a);
    p.xb = rw_range_seen_exact_slot(&rw_range_seen_tab, (uintptr_t)b);
    if (!entry_starts_at(p.xa, (uintptr_t)a))
        rw_prefetch_shadow_of(a);
    if (!entry_starts_at(p.xb, (uintptr_t)b))
        rw_prefetch_shadow_of(b);
    return p;
}

/* The compared read of [s, s + n) that its exact entry x (possibly
 * NULL) does not hold, under this era's key.  When x holds a shorter read
 * from the same start (the searched word of a binary search, compared
 * with keys of growing common prefix), only the bytes past it are checked
 * and x grows, with no second look-up of the entry
 * (rw_intercepted_range_grow); else the whole read goes the interceptors'
 * way (rw_range_access), which asks the entries again. */
static inline void compared_read(rw_thread *t, rw_range_seen_exact *x, uint64_t key, const char *s,
                                 size_t n, uintptr_t pc)
{
    uintptr_t addr = (uintptr_t)s;
    int fits = rw_range_seen_exact_fits(key, addr, n);
    if (rw_range_seen_exact_starts(x, key, addr) && x->write == 0 && x->len < n && fits) {
        if (compared_pending_allowed(t) && compared_pending_begin(t, key, addr, x->len, n, pc)) {
            x->len = (uint32_t)n; /* the same entry: its key asked again there */
            return;
        }
        rw_intercepted_range_grow(t, x, addr, x->len, n, 0, pc);
        return;
    }
    if (fits && compared_pending_allowed(t) && !t->ignore && !rw_called_from_ignored_lib(pc)) {
        /* A string with no entry: the continuation of a pending read,
         * else covered already (answered, and noted), else pending if it
         * can be, else checked. */
        if (compared_pending_continue(t, key, addr, n, pc)) {
            rw_range_seen_exact_note(&rw_range_seen_tab, key, addr, addr + n, 0);
            return;
        }
        if (rw_range_seen(t, addr, n, 0, 0))
            return;
        if (compared_pending_begin(t, key, addr, 0, n, pc)) {
            rw_range_seen_exact_note(&rw_range_seen_tab, key, addr, addr + n, 0);
            return;
        }
        rw_intercepted_range_checked(t, addr, n, 0, 0, pc);
    } else {
        rw_range_access(t, s, n, 0, pc);
    }
    /* A compared string is compared again (a binary search compares the
     * searched word a dozen times): the read just checked and stored, or
     * found covered, enters its exact entry at once, in the same era
     * only, so the next compare is answered or grows it without first
     * asking the shadow again.  (Other interceptors' ranges enter only
     * when found covered: a decoder's copies are not repeated.) */
    if (key && !t->busy && fits && __atomic_load_n(&rw_second_thread_created, __ATOMIC_RELAXED) &&
        rw_range_seen_current_key(t) == key)
        rw_range_seen_exact_note(&rw_range_seen_tab, key, addr, addr + n, 0);
}

/* The reads of a comparison that compare_end did not find held (a or b
 * NULL: held), entering the runtime; out of line, so that the answered
 * call pays for no frame of its own.  Before, both strings went through
 * string_reads, the held one asked again, the growing one through the
 * range path's own look-ups. */
static __attribute__((noinline)) void compared_reads(struct compared_pair p, const char *a,
                                                     const char *b, size_t n, uintptr_t pc)
{
    struct rw_compared_pending *pending = rw_compared_pending;
    if (pending && !rw_in_rt) {
        rw_thread *t = rw_cur; /* the pending read's (rw_set_current_thread) */
        /* Inside the runtime meanwhile: a signal handler's interceptor
         * stores nothing under it (one that came before found the reads
         * stored, each place's t NULL). */
        rw_in_rt = 1;
        if (a && compared_pending_extend(t, pending, p.xa, a, n, pc))
            a = NULL;
        if (b && compared_pending_extend(t, pending, p.xb, b, n, pc))
            b = NULL;
        rw_in_rt = 0;
        if (!a && !b)
            return;
    }
    rw_thread *t = enter_string_keeping(pc, 1);
    if (!t)
        return;
    if (a)
        compared_read(t, p.xa, rw_range_seen_current_key(t), a, n, pc);
    if (b) /* the key asked again: a report's free may have moved the era */
        compared_read(t, p.xb, rw_range_seen_current_key(t), b, n, pc);
    rw_leave();
}

/* After the call: the n bytes each string had compared are checked
 * unless its entry holds them in the era current now (asked again: the
 * slots stay, the era may not). */
static inline void compare_end(rw_thread *t, struct compared_pair p, const char *a, const char *b,
                               size_t n, uintptr_t pc)
{
    uint64_t key = rw_range_seen_current_key(t);
    int held_a = rw_range_seen_exact_held(p.xa, key, (uintptr_t)a, n, 0);
    int held_b = rw_range_seen_exact_held(p.xb, key, (uintptr_t)b, n, 0);
    if (!held_a || !held_b)
        compared_reads(p, held_a ? NULL : a, held_b ? NULL : b, n, pc);
}

RW_EXPORT int strcmp(const char *a, const char *b)
{
    rw_thread *t = rw_cur;
    struct compared_pair p = compare_begin(t, a, b);
    int r = RW_RESOLVE(strcmp)(a, b);
    if (t)
        compare_end(t, p, a, b, compared_length(a, b, SIZE_MAX), RW_CALLER_PC());
    return r;
}

RW_EXPORT int strncmp(const char *a, const char *b, size_t max)
{
    rw_thread *t = rw_cur;
    struct compared_pair p = compare_begin(t, a, b);
    int r = RW_RESOLVE(strncmp)(a, b, max);
    if (t) {
        size_t n = compared_length(a, b, max);
        if (n)
            compare_end(t, p, a, b, n, RW_CALLER_PC());
    }
    return r;
}

RW_EXPORT char *strchr(const char *s, int c)
{
    char *r = RW_RESOLVE(strchr)(s, c);
    rw_thread *t = enter_string();
    if (t) {
        size_t n = r ? (size_t)(r - s) + 1 : RW_RESOLVE(strlen)(s) + 1;
        rw_range_access(t, s, n, 0, RW_CALLER_PC());
        rw_leave();
    }
    return r;
}

RW_EXPORT char *strrchr(const char *s, int c)
{
    char *r = RW_RESOLVE(strrchr)(s, c);
    rw_thread *t = enter_string();
    if (t) {
        rw_range_access(t, s, RW_RESOLVE(strlen)(s) + 1, 0, RW_CALLER_PC());
        rw_leave();
    }
    return r;
}

RW_EXPORT char *strdup(const char *s)
{
    rw_thread *t = enter_string();
    if (t) {
        rw_range_access(t, s, RW_RESOLVE(strlen)(s) + 1, 0, RW_CALLER_PC());
        rw_leave();
    }
    return RW_RESOLVE(strdup)(s);
}

RW_EXPORT char *strndup(const char *s, size_t n)
{
    rw_thread *t = enter_string();
    if (t) {
        size_t len = RW_RESOLVE(strnlen)(s, n);
        rw_range_access(t, s, len < n ? len + 1 : n, 0, RW_CALLER_PC());
        rw_leave();
    }
    return RW_RESOLVE(strndup)(s, n);
}
