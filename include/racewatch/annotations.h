/* racewatch/annotations.h: tell racewatch about synchronization it cannot
 * see (a custom lock built on futexes or inline assembly, a lock-free
 * queue, memory handed over through a file descriptor).
 *
 *   RACEWATCH_HAPPENS_BEFORE(p)   everything this thread did so far ...
 *   RACEWATCH_HAPPENS_AFTER(p)    ... happens before what this thread does
 *                                 next, if it comes after a BEFORE on p
 *   RACEWATCH_IGNORE_BEGIN()      accesses of this thread are not checked
 *   RACEWATCH_IGNORE_END()        until the matching END
 *
 * These are the ThreadSanitizer interface's entry points, so the same code
 * also works under gcc's and clang's libtsan.  Without a detector loaded
 * the calls resolve to nothing and cost a predicted branch: the functions
 * are weak, and each macro checks that the function is present. */
#ifndef RACEWATCH_ANNOTATIONS_H
#define RACEWATCH_ANNOTATIONS_H

#ifdef __cplusplus
extern "C" {
#endif

void __tsan_acquire(void *addr) __attribute__((weak));
void __tsan_release(void *addr) __attribute__((weak));
void __tsan_ignore_thread_begin(void) __attribute__((weak));
void __tsan_ignore_thread_end(void) __attribute__((weak));

#define RACEWATCH_HAPPENS_BEFORE(p) \
    do { if (__tsan_release) __tsan_release((void *)(p)); } while (0)
#define RACEWATCH_HAPPENS_AFTER(p) \
    do { if (__tsan_acquire) __tsan_acquire((void *)(p)); } while (0)
#define RACEWATCH_IGNORE_BEGIN() \
    do { if (__tsan_ignore_thread_begin) __tsan_ignore_thread_begin(); } while (0)
#define RACEWATCH_IGNORE_END() \
    do { if (__tsan_ignore_thread_end) __tsan_ignore_thread_end(); } while (0)

#ifdef __cplusplus
}
#endif

#endif
