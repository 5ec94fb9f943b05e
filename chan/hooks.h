/* hooks.h: the library's contract with a race detector (private).
 *
 * Ten entry points, all weak: each is called only if the process has a
 * definition, so without a detector they cost one predicted branch.
 *   __tsan_acquire(addr) / __tsan_release(addr)
 *       a happens-before edge from every release on addr to a later
 *       acquire of it (racewatch's runtime and gcc's/clang's libtsan both
 *       define them);
 *   __racewatch_ignore_sync_begin() / _end()
 *       the pthread calls in between create no edge (racewatch only): the
 *       library's internal locking stays invisible, and the edges are
 *       exactly the ones made with tokens here (Go's memory model);
 *   __racewatch_block_reason(reason)
 *       names the next blocking wait of this thread in a deadlock report
 *       ("chan send", "select", ...), the way Go names goroutine states;
 *   __racewatch_panic(message)
 *       misuse: the runtime prints `panic: message` and the stack, exit 2;
 *   __racewatch_api_caller(return_address)
 *       the program's call into the library (API_ENTRY): reports start
 *       at that frame, without the library's own;
 *   __racewatch_object_new(addr, kind, what, caller) / _delete(addr)
 *       the byte at addr stands for a channel as racy memory, as Go's
 *       c.raceaddr() does: ...
 *   __racewatch_object_access(addr, write, caller)
 *       ... close writes it, a send reads it (Go's closechan and
 *       chansend), so an unordered send and close is a data race; caller
 *       is the program's call, where the report shows the access.
 * Tokens are addresses inside the library's own objects (a channel's slot
 * sequence numbers, a waiter's parker, a wait group's token byte).
 *
 * The references must stay dynamic when the library is linked statically
 * into a PIE: weak undefined symbols referenced through the GOT become
 * dynamic symbols that ld.so binds to a preloaded libracewatch.so (checked
 * by tests/chan/test_hooks_static). */
#ifndef RACEWATCH_CHAN_HOOKS_H
#define RACEWATCH_CHAN_HOOKS_H

void __tsan_acquire(void *addr) __attribute__((weak));
void __tsan_release(void *addr) __attribute__((weak));
void __racewatch_ignore_sync_begin(void) __attribute__((weak));
void __racewatch_ignore_sync_end(void) __attribute__((weak));
void __racewatch_block_reason(const char *reason) __attribute__((weak));
void __racewatch_panic(const char *message) __attribute__((weak, noreturn));
void __racewatch_api_caller(const void *return_address) __attribute__((weak));
void __racewatch_object_new(const void *addr, const char *kind, const char *what,
                            const void *caller) __attribute__((weak));
void __racewatch_object_access(const void *addr, int write, const void *caller)
    __attribute__((weak));
void __racewatch_object_delete(const void *addr) __attribute__((weak));

/* At the top of each public function that may block or panic: tells the
 * detector where the program called the library, so that a deadlock or
 * panic report starts at the program's frame, as Go's hide the runtime's.
 * A macro: __builtin_return_address(0) must be the public function's. */
#define API_ENTRY()                                                   \
    do {                                                              \
        if (__racewatch_api_caller)                                   \
            __racewatch_api_caller(__builtin_return_address(0));      \
    } while (0)

/* What the deadlock report prints for a thread waiting here (Go's words). */
#define RW_WAIT_CHAN_SEND "chan send"
#define RW_WAIT_CHAN_RECV "chan receive"
#define RW_WAIT_SELECT "select"
#define RW_WAIT_SELECT_EMPTY "select (no cases)"
#define RW_WAIT_NIL_SEND "chan send (nil chan)"
#define RW_WAIT_NIL_RECV "chan receive (nil chan)"
#define RW_WAIT_WAITGROUP "waitgroup wait"

/* Everything this thread did so far happens before what a thread that
 * later calls hb_acquire(token) does next. */
static inline void hb_release(void *token)
{
    if (__tsan_release)
        __tsan_release(token);
}

static inline void hb_acquire(void *token)
{
    if (__tsan_acquire)
        __tsan_acquire(token);
}

static inline void ignore_sync_begin(void)
{
    if (__racewatch_ignore_sync_begin)
        __racewatch_ignore_sync_begin();
}

static inline void ignore_sync_end(void)
{
    if (__racewatch_ignore_sync_end)
        __racewatch_ignore_sync_end();
}

/* The channel object itself, as racy memory (see above). */
static inline void object_read(const void *addr, const void *caller)
{
    if (__racewatch_object_access)
        __racewatch_object_access(addr, 0, caller);
}

static inline void object_write(const void *addr, const void *caller)
{
    if (__racewatch_object_access)
        __racewatch_object_access(addr, 1, caller);
}

static inline void block_reason(const char *reason)
{
    if (__racewatch_block_reason)
        __racewatch_block_reason(reason);
}

#endif
