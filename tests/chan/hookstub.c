/* hookstub.c: a stand-in for racewatch's runtime that test_hooks.c runs
 * under (LD_PRELOAD=libhookstub.so).  It defines the hooks
 * libracewatch-chan calls (chan/hooks.h) and records every call, and it
 * interposes pthread_mutex_lock/unlock and pthread_cond_wait/signal/
 * broadcast (forwarding to libc with dlsym(RTLD_NEXT)) to check that the
 * library makes each of its own pthread calls inside an ignore bracket
 * and names each wait just before it starts.  test_hooks reads the
 * record through hookstub_record(), found with dlsym: if the hooks were
 * not bound, the counts stay zero and the test fails. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hookstub.h"

static hookstub_counts counts;
static __thread int ignore_depth;
static __thread const char *pending_reason;

#define COUNT(field) __atomic_fetch_add(&counts.field, 1, __ATOMIC_RELAXED)

hookstub_counts *hookstub_record(void)
{
    return &counts;
}

/* The last release of each address, by thread, in a small open table. */
#define TOKENS 4096
static struct {
    void *addr;
    pthread_t by;
} released[TOKENS];
static pthread_mutex_t token_mu = PTHREAD_MUTEX_INITIALIZER;

static int (*real_lock)(pthread_mutex_t *);
static int (*real_unlock)(pthread_mutex_t *);

static void resolve(void)
{
    if (!real_lock) {
        real_unlock = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_unlock");
        real_lock = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_lock");
    }
}

static unsigned slot_of(void *addr)
{
    unsigned long h = (unsigned long)addr * 0x9E3779B97F4A7C15UL;
    return (unsigned)(h >> 52) % TOKENS;
}

void __tsan_release(void *addr)
{
    COUNT(releases);
    resolve();
    real_lock(&token_mu);
    unsigned s = slot_of(addr);
    while (released[s].addr && released[s].addr != addr)
        s = (s + 1) % TOKENS;
    released[s].addr = addr;
    released[s].by = pthread_self();
    real_unlock(&token_mu);
}

void __tsan_acquire(void *addr)
{
    COUNT(acquires);
    resolve();
    real_lock(&token_mu);
    unsigned s = slot_of(addr);
    while (released[s].addr && released[s].addr != addr)
        s = (s + 1) % TOKENS;
    if (released[s].addr == addr && !pthread_equal(released[s].by, pthread_self()))
        COUNT(cross_thread_acquires);
    real_unlock(&token_mu);
}

void __racewatch_ignore_sync_begin(void)
{
    COUNT(ignore_begins);
    ignore_depth++;
}

void __racewatch_ignore_sync_end(void)
{
    COUNT(ignore_ends);
    if (ignore_depth == 0)
        COUNT(unbalanced);
    else
        ignore_depth--;
}

void __racewatch_block_reason(const char *reason)
{
    COUNT(reasons);
    pending_reason = reason;
    if (strcmp(reason, "chan send") == 0)
        COUNT(reason_send);
    else if (strcmp(reason, "chan receive") == 0)
        COUNT(reason_recv);
    else if (strcmp(reason, "select") == 0)
        COUNT(reason_select);
    else if (strcmp(reason, "waitgroup wait") == 0)
        COUNT(reason_waitgroup);
    else
        COUNT(reason_other);
}

void __racewatch_panic(const char *message)
{
    char line[256];
    int n = snprintf(line, sizeof line, "hookstub panic: %s\n", message);
    if (write(STDERR_FILENO, line, (size_t)n) < 0)
        _exit(43);
    _exit(HOOKSTUB_PANIC_STATUS);
}

/* The channels made objects (__racewatch_object_new), a small table. */
#define OBJECTS 64
static const void *objects[OBJECTS];

static int object_slot(const void *addr)
{
    for (int i = 0; i < OBJECTS; i++)
        if (objects[i] == addr)
            return i;
    return -1;
}

void __racewatch_object_new(const void *addr, const char *kind, const char *what,
                            const void *caller)
{
    (void)what;
    COUNT(objects_new);
    if (strcmp(kind, "channel") != 0 || !caller)
        COUNT(accesses_without_caller);
    resolve();
    real_lock(&token_mu);
    int i = object_slot(NULL);
    if (i >= 0)
        objects[i] = addr;
    real_unlock(&token_mu);
}

void __racewatch_object_delete(const void *addr)
{
    COUNT(objects_deleted);
    resolve();
    real_lock(&token_mu);
    int i = object_slot(addr);
    if (i >= 0)
        objects[i] = NULL;
    real_unlock(&token_mu);
}

void __racewatch_object_access(const void *addr, int write, const void *caller)
{
    if (write)
        COUNT(object_writes);
    else
        COUNT(object_reads);
    if (!caller)
        COUNT(accesses_without_caller);
    resolve();
    real_lock(&token_mu);
    if (object_slot(addr) < 0)
        COUNT(unknown_object_accesses);
    real_unlock(&token_mu);
}

/* --- the library's own pthread calls ---------------------------------------- */

static void pthread_call(void)
{
    if (ignore_depth > 0)
        COUNT(bracketed_calls);
    else
        COUNT(unbracketed_calls);
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
    resolve();
    pthread_call();
    return real_lock(m);
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
    resolve();
    pthread_call();
    return real_unlock(m);
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    static int (*real)(pthread_cond_t *, pthread_mutex_t *);
    if (!real)
        real = (int (*)(pthread_cond_t *, pthread_mutex_t *))dlvsym(RTLD_NEXT, "pthread_cond_wait",
                                                                   "GLIBC_2.3.2");
    pthread_call();
    COUNT(waits);
    if (pending_reason)
        COUNT(named_waits);
    pending_reason = NULL;
    return real(c, m);
}

int pthread_cond_signal(pthread_cond_t *c)
{
    static int (*real)(pthread_cond_t *);
    if (!real)
        real = (int (*)(pthread_cond_t *))dlvsym(RTLD_NEXT, "pthread_cond_signal", "GLIBC_2.3.2");
    pthread_call();
    return real(c);
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
    static int (*real)(pthread_cond_t *);
    if (!real)
        real = (int (*)(pthread_cond_t *))dlvsym(RTLD_NEXT, "pthread_cond_broadcast",
                                                 "GLIBC_2.3.2");
    pthread_call();
    return real(c);
}
