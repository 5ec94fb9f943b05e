/* heapblock.h: the live heap blocks (and recently freed ones), so that a
 * report can say "Location is heap block of size N at 0x.. allocated by
 * thread K:" with the allocation stack.
 *
 * A hash table keyed by block start, 16K buckets under spinlocks.  Finding
 * the block that contains an address (only when reporting) walks back from
 * the address in 16-byte steps for blocks under 64 KiB; larger blocks are
 * also kept in a doubly linked list that is searched directly (and left
 * in O(1) when they are removed).  Freed blocks stay known while they sit
 * in the runtime's quarantine. */
#ifndef RW_HEAPBLOCK_H
#define RW_HEAPBLOCK_H

#include <stddef.h>
#include <stdint.h>

typedef struct rw_heapblock {
    uintptr_t start;
    size_t size;
    uint32_t alloc_stack;
    uint32_t thread;       /* number of the allocating thread */
    int freed;
} rw_heapblock;

void rw_heap_add(uintptr_t start, size_t size, uint32_t alloc_stack, uint32_t thread);
/* Mark freed (kept until rw_heap_remove). Returns 1 and the block's size
 * if start is a known block. */
int rw_heap_mark_freed(uintptr_t start, size_t *size);
void rw_heap_remove(uintptr_t start);
/* The block containing addr; 1 if found. */
int rw_heap_find(uintptr_t addr, rw_heapblock *out);

void rw_heap_lock_all(void);
void rw_heap_unlock_all(void);

#endif
