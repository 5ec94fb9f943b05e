/* signal_unsafe_calls.c: the printf family writing to stdout, intercepted
 * only to notice a call from inside a signal handler (printf takes
 * stdout's lock and may allocate: not async-signal-safe).  Each one calls
 * the real v-variant with its arguments.  (malloc, free and
 * pthread_mutex_lock check the same in their own interceptors.) */
#include "runtime/rt.h"

#include <stdarg.h>
#include <stdio.h>

RW_DECLARE_REAL(int, vprintf, const char *, va_list);
RW_DECLARE_REAL(int, __vprintf_chk, int, const char *, va_list);

RW_EXPORT int printf(const char *fmt, ...)
{
    rw_signal_unsafe_call("printf", RW_CALLER_PC());
    va_list ap;
    va_start(ap, fmt);
    int r = RW_RESOLVE(vprintf)(fmt, ap);
    va_end(ap);
    return r;
}

RW_EXPORT int vprintf(const char *fmt, va_list ap)
{
    rw_signal_unsafe_call("vprintf", RW_CALLER_PC());
    return RW_RESOLVE(vprintf)(fmt, ap);
}

RW_EXPORT int __printf_chk(int flag, const char *fmt, ...)
{
    rw_signal_unsafe_call("printf", RW_CALLER_PC());
    va_list ap;
    va_start(ap, fmt);
    int r = RW_RESOLVE(__vprintf_chk)(flag, fmt, ap);
    va_end(ap);
    return r;
}

RW_EXPORT int __vprintf_chk(int flag, const char *fmt, va_list ap)
{
    rw_signal_unsafe_call("vprintf", RW_CALLER_PC());
    return RW_RESOLVE(__vprintf_chk)(flag, fmt, ap);
}
