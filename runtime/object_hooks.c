/* object_hooks.c: the entry points through which a library makes one of
 * its objects racy memory for the detector (detector/objectaddr.h), the
 * way Go's runtime does for channels:
 *
 *   __racewatch_object_new(addr, kind, what, caller)
 *       the byte at addr stands for a new object from now on: a report of
 *       a race on it says "Location is <what> at <addr> made by thread N:"
 *       and the program's stack at the library call (caller: the return
 *       address of the program's call into the library);
 *   __racewatch_object_access(addr, write, caller)
 *       a read or a write of the object, recorded as an access of one byte
 *       made at the program's call (caller): a race report shows the line
 *       where the program called the library, and duplicate reports fold
 *       and fingerprints hash on the program's lines, not the library's;
 *   __racewatch_object_delete(addr)
 *       the object is gone (before its memory is freed).
 * All three are weak references on the library's side (chan/hooks.h). */
#include "runtime/rt.h"

#include <string.h>

#include "detector/objectaddr.h"

RW_EXPORT void __racewatch_object_new(const void *addr, const char *kind, const char *what,
                                      const void *caller)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_objectaddr o;
    memset(&o, 0, sizeof o);
    o.addr = (uintptr_t)addr;
    strncpy(o.kind, kind, sizeof o.kind - 1);
    strncpy(o.what, what, sizeof o.what - 1);
    o.thread = t->info ? t->info->number : 0;
    rw_report_stack s;
    rw_capture_stack(t, (uintptr_t)caller, &s);
    o.create_stack = rw_stack_put(s.pcs, (uint32_t)s.n);
    rw_objectaddr_add(&o);
    rw_leave();
}

RW_EXPORT void __racewatch_object_access(const void *addr, int write, const void *caller)
{
    rw_thread *t = rw_enter();
    if (!t)
        return;
    rw_range_access(t, addr, 1, write != 0, (uintptr_t)caller);
    rw_leave();
}

RW_EXPORT void __racewatch_object_delete(const void *addr)
{
    rw_thread *t = rw_enter();
    rw_objectaddr_remove((uintptr_t)addr);
    if (t)
        rw_leave();
}
