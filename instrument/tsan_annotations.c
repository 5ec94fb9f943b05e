/* tsan_annotations.c: the annotation entry points of the ThreadSanitizer
 * interface, for programs that synchronize in ways no interceptor sees
 * (custom locks, lock-free queues, futexes):
 *   __tsan_acquire / __tsan_release            a happens-before edge on an address
 *   __tsan_mutex_*                             a custom mutex's lock and unlock
 *   __tsan_ignore_thread_begin / _end          stop / resume recording accesses
 *   AnnotateHappensBefore / After, AnnotateIgnore{Reads,Writes}{Begin,End}
 *                                              the older dynamic-annotations names
 * Unimplemented parts of the interface (fibers, Java, report inspection)
 * are simply not defined: a program that needs them fails to link, loudly,
 * instead of silently running unchecked. */
#include "runtime/rt.h"

#include "detector/syncvar.h"

RW_EXPORT void __tsan_acquire(void *addr)
{
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_acquire_at(t, (uintptr_t)addr);
        rw_leave();
    }
}

RW_EXPORT void __tsan_release(void *addr)
{
    rw_thread *t = rw_enter();
    if (t) {
        rw_sync_release_at(t, (uintptr_t)addr);
        rw_leave();
    }
}

RW_EXPORT void __tsan_ignore_thread_begin(void)
{
    rw_thread *t = rw_cur;
    if (t)
        t->ignore++;
}

RW_EXPORT void __tsan_ignore_thread_end(void)
{
    rw_thread *t = rw_cur;
    if (t && t->ignore > 0)
        t->ignore--;
}

/* Custom mutexes: a lock acquires, an unlock releases; flags are not
 * needed for happens-before. */
RW_EXPORT void __tsan_mutex_create(void *addr, unsigned flags)
{
    (void)flags;
    rw_thread *t = rw_enter();
    rw_sync_reset((uintptr_t)addr);
    if (t)
        rw_leave();
}

RW_EXPORT void __tsan_mutex_destroy(void *addr, unsigned flags)
{
    __tsan_mutex_create(addr, flags);
}

RW_EXPORT void __tsan_mutex_pre_lock(void *addr, unsigned flags)
{
    (void)addr;
    (void)flags;
}

RW_EXPORT void __tsan_mutex_post_lock(void *addr, unsigned flags, int recursion)
{
    (void)recursion;
    /* 0x10: try-lock that failed (__tsan_mutex_try_lock_failed). */
    if (flags & 0x10)
        return;
    __tsan_acquire(addr);
}

RW_EXPORT int __tsan_mutex_pre_unlock(void *addr, unsigned flags)
{
    (void)flags;
    __tsan_release(addr);
    return 0;
}

RW_EXPORT void __tsan_mutex_post_unlock(void *addr, unsigned flags)
{
    (void)addr;
    (void)flags;
}

RW_EXPORT void __tsan_mutex_pre_signal(void *addr, unsigned flags)
{
    (void)addr;
    (void)flags;
}

RW_EXPORT void __tsan_mutex_post_signal(void *addr, unsigned flags)
{
    (void)addr;
    (void)flags;
}

RW_EXPORT void __tsan_mutex_pre_divert(void *addr, unsigned flags)
{
    (void)addr;
    (void)flags;
}

RW_EXPORT void __tsan_mutex_post_divert(void *addr, unsigned flags)
{
    (void)addr;
    (void)flags;
}

RW_EXPORT void AnnotateHappensBefore(const char *file, int line, const volatile void *addr)
{
    (void)file;
    (void)line;
    __tsan_release((void *)addr);
}

RW_EXPORT void AnnotateHappensAfter(const char *file, int line, const volatile void *addr)
{
    (void)file;
    (void)line;
    __tsan_acquire((void *)addr);
}

RW_EXPORT void AnnotateIgnoreReadsBegin(const char *file, int line)
{
    (void)file;
    (void)line;
    __tsan_ignore_thread_begin();
}

RW_EXPORT void AnnotateIgnoreReadsEnd(const char *file, int line)
{
    (void)file;
    (void)line;
    __tsan_ignore_thread_end();
}

RW_EXPORT void AnnotateIgnoreWritesBegin(const char *file, int line)
{
    AnnotateIgnoreReadsBegin(file, line);
}

RW_EXPORT void AnnotateIgnoreWritesEnd(const char *file, int line)
{
    AnnotateIgnoreReadsEnd(file, line);
}
