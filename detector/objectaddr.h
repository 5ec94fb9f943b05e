/* objectaddr.h: objects that are not plain memory but can race, each
 * standing in the shadow as one address (shared/design.md, "Layering").
 *
 * Go's race detector treats a channel as memory: close writes the
 * channel, a send reads it (runtime/chan.go, c.raceaddr()).  racewatch
 * does the same: a library names the byte that stands for the object and
 * says "read" or "write" of it; the race check needs nothing new.  This
 * table only remembers what each such address stands for, so that a
 * report can say "Location is channel of capacity 1 at 0x.. made by
 * thread 1:" with the stack that made it, instead of naming the heap
 * block the library allocated.
 *
 * A hash table keyed by the exact address, 4K buckets under spinlocks;
 * only object creation, destruction and reports touch it.
 *
 * Objects known by number rather than by memory (file descriptors, FILE
 * streams: runtime/fd_objects.c, runtime/stream_objects.c) live in a
 * range of fake addresses that their module owns and describes itself:
 * rw_objectaddr_add_range hands the table a function that tells what an
 * address of the range stands for. */
#ifndef RW_OBJECTADDR_H
#define RW_OBJECTADDR_H

#include <stdint.h>

typedef struct rw_objectaddr {
    uintptr_t addr;
    char kind[16];          /* what JSON calls the location: "channel" */
    char what[64];          /* what the Location line says: "channel of capacity 1" */
    uint32_t thread;        /* the thread that made it */
    uint32_t create_stack;  /* where (stack depot id) */
    int numbered;           /* known by number, not by address: the Location
                               line is "Location is <what> created by thread
                               N at:" (ThreadSanitizer's form for a file
                               descriptor), or "Location is <what>" alone
                               when thread is 0 (not seen created) */
} rw_objectaddr;

/* Tells what the address addr of its range stands for; 1 if something. */
typedef int (*rw_objectaddr_describe_fn)(uintptr_t addr, rw_objectaddr *out);

/* Remember o (a later add at the same address replaces it). */
void rw_objectaddr_add(const rw_objectaddr *o);
/* Forget the object at addr, if any. */
void rw_objectaddr_remove(uintptr_t addr);
/* The object standing at exactly addr; 1 if there is one. */
int rw_objectaddr_find(uintptr_t addr, rw_objectaddr *out);
/* The addresses [lo, hi) are described by describe (at most 4 ranges). */
void rw_objectaddr_add_range(uintptr_t lo, uintptr_t hi, rw_objectaddr_describe_fn describe);

/* Held around fork(). */
void rw_objectaddr_lock_all(void);
void rw_objectaddr_unlock_all(void);

#endif
