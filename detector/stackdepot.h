/* stackdepot.h: stacks stored once and named by a 32-bit id (creation
 * stacks of threads, allocation stacks of heap blocks, lock acquisition
 * stacks).  Identical stacks share one id.  Id 0 is the empty stack. */
#ifndef RW_STACKDEPOT_H
#define RW_STACKDEPOT_H

#include <stddef.h>
#include <stdint.h>

#define RW_MAX_STACK 64
/* The depot's arena: past RW_DEPOT_BUDGET bytes, stacks are stored as
 * their RW_DEPOT_SHORT innermost frames; past RW_DEPOT_RESERVE more, new
 * stacks get id 0. */
#define RW_DEPOT_BUDGET ((size_t)64 << 20)
#define RW_DEPOT_RESERVE ((size_t)16 << 20)
#define RW_DEPOT_SHORT 4

uint32_t rw_stack_put(const uintptr_t *pcs, uint32_t n);
/* Copy the stack into out (at most max pcs, innermost first); returns n. */
uint32_t rw_stack_get(uint32_t id, uintptr_t *out, uint32_t max);

/* Bytes of the arena in use (headers and pcs). */
size_t rw_stackdepot_bytes(void);

void rw_stackdepot_lock_all(void);
void rw_stackdepot_unlock_all(void);

#endif
