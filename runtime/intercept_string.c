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
static inline rw_thread *enter_string_at(uintptr_t pc)
{
    if (RW_UNLIKELY(!resolved) && rw_ready && !rw_in_rt) {
        rw_in_rt = 1;
        resolve_all();
        rw_in_rt = 0;
    }
    rw_thread *t = rw_enter();
    if (t && (t->ignore || rw_called_from_ignored_lib(pc))) {
        rw_leave();
        return NULL;
    }
    return t;
}
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

/* The read of [s, s + n) is one this thread's exact entries hold for its
 * current era: checking it adds nothing (range_seen.h).  Asked without
 * entering the runtime: the answer records nothing, as a call from
 * inside the runtime, an ignored thread or an ignored library would not,
 * and it only reads this thread's own table. */
static inline int read_answered(rw_thread *t, const char *s, size_t n)
{
    return t && n && rw_range_seen_exact_hit(t, (uintptr_t)s, n, 0);
}

RW_EXPORT size_t strlen(const char *s)
{
    size_t n = RW_REAL(strlen) ? RW_REAL(strlen)(s) : plain_strlen(s);
    if (!read_answered(rw_cur, s, n + 1))
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

/* A comparison's two strings and their exact entries (range_seen.h),
 * looked up once for the call: the era test and each string's slot, then
 * the shadow prefetched for a string without an entry of this era
 * (rw_prefetch_shadow_of's hint).  Before, the prefetch and the answer each
 * made both look-ups again: four era tests and four hashes per strcmp. */
struct compared_pair {
    rw_range_seen_exact *xa, *xb;
};

static inline struct compared_pair compare_begin(rw_thread *t, const char *a, const char *b)
{
    struct compared_pair p = { NULL, NULL };
    if (!t)
        return p;
    uint64_t key = rw_range_seen_current_key(t);
    if (key) {
        p.xa = rw_range_seen_exact_slot(&rw_range_seen_tab, (uintptr_t)a);
        p.xb = rw_range_seen_exact_slot(&rw_range_seen_tab, (uintptr_t)b);
    }
    if (!rw_range_seen_exact_starts(p.xa, key, (uintptr_t)a))
        rw_prefetch_shadow_of(a);
    if (!rw_range_seen_exact_starts(p.xb, key, (uintptr_t)b))
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
    if (rw_range_seen_exact_starts(x, key, (uintptr_t)s) && x->write == 0 && x->len < n &&
        rw_range_seen_exact_fits(key, (uintptr_t)s, n)) {
        rw_intercepted_range_grow(t, x, (uintptr_t)s, x->len, n, 0, pc);
        return;
    }
    rw_range_access(t, s, n, 0, pc);
    /* A compared string is compared again (a binary search compares the
     * searched word a dozen times): the read just checked and stored, or
     * found covered, enters its exact entry at once, in the same era
     * only, so the next compare is answered or grows it without first
     * asking the shadow again.  (Other interceptors' ranges enter only
     * when found covered: a decoder's copies are not repeated.) */
    if (key && !t->busy && rw_range_seen_exact_fits(key, (uintptr_t)s, n) &&
        __atomic_load_n(&rw_second_thread_created, __ATOMIC_RELAXED) &&
        rw_range_seen_current_key(t) == key)
        rw_range_seen_exact_note(&rw_range_seen_tab, key, (uintptr_t)s, (uintptr_t)s + n, 0);
}

/* The reads of a comparison that compare_end did not find held (a or b
 * NULL: held), entering the runtime; out of line, so that the answered
 * call pays for no frame of its own.  Before, both strings went through
 * string_reads, the held one asked again, the growing one through the
 * range path's own look-ups. */
static __attribute__((noinline)) void compared_reads(struct compared_pair p, const char *a,
                                                     const char *b, size_t n, uintptr_t pc)
{
    rw_thread *t = enter_string_at(pc);
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
