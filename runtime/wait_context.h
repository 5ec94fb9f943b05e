/* wait_context.h: the stack of a blocking wait, walked only if a deadlock
 * report shows it.
 *
 * A condition or barrier wait registers with the deadlock checks every
 * time (rw_block_begin), and a report needs the waiting stack exactly.
 * Walking it at every wait cost a libunwind walk each (and 64 page faults
 * per thread for unw_backtrace's cache).  Instead the interceptor saves
 * its own registers with unw_getcontext (a plain register save, no system
 * call) into a thread-local buffer, in the frame that stays live for the
 * whole wait, and registers with rw_block_begin_saved.  A report (which
 * holds the wait-for lock, so the waiter stays in its wait: rw_block_end
 * takes that lock first) walks the waiter's stack from those registers
 * (rw_capture_program_stack_saved): every frame from the interceptor's
 * outwards is still intact.  The unwinding starts at the interceptor's own
 * frame, which the walk drops with the rest of the runtime's. */
#ifndef RW_WAIT_CONTEXT_H
#define RW_WAIT_CONTEXT_H

#include <stdint.h>

#ifndef UNW_LOCAL_ONLY
#define UNW_LOCAL_ONLY
#endif
#include <libunwind.h>

#include "runtime/rt.h"

/* The registers of this thread's current lazily captured wait. */
extern __thread unw_context_t rw_wait_context RW_TLS;

/* rw_block_begin for a wait whose caller just saved rw_wait_context. */
int rw_block_begin_saved(int kind, const char *reason, const void *obj, const void *obj2,
                         uintptr_t pc);

/* rw_block_begin, with the stack walked only at a report.  Must be used
 * in the function that then waits (not a helper that returns first): the
 * registers saved are this frame's. */
#define RW_BLOCK_BEGIN_LAZY(kind, reason, obj, obj2, pc)                                     \
    (unw_getcontext(&rw_wait_context) == 0 ? rw_block_begin_saved(kind, reason, obj, obj2, pc) \
                                           : rw_block_begin(kind, reason, obj, obj2, pc))

/* The program's stack of a thread blocked since it saved *context (its
 * frames from there outwards intact), as rw_capture_program_stack would
 * have found it there: pc is the program's call, api_caller that thread's
 * __racewatch_api_caller at the time. */
void rw_capture_program_stack_saved(const unw_context_t *context, uintptr_t pc,
                                    uintptr_t api_caller, rw_report_stack *out);

/* The calling thread's __racewatch_api_caller. */
uintptr_t rw_api_caller(void);

#endif
