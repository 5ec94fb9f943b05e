/* heapblock.c: the heap block table (see heapblock.h). */
#include "detector/heapblock.h"

#include "detector/alloc.h"
#include "detector/spinlock.h"

#define NBUCKETS (1u << 14)
#define SMALL_LIMIT 65536

struct node {
    rw_heapblock b;
    struct node *next;  /* in its bucket */
};

/* A block of SMALL_LIMIT bytes or more: in its bucket like the others
 * (found by start in O(1) when freed and removed), and also in the list
 * of large blocks that rw_heap_find walks.  That list is doubly linked:
 * the quarantine keeps up to 256 freed 64 KiB blocks, and a singly linked
 * list searched on every free and every removal from the quarantine took
 * 14% of libuv's ping-pong tests under LD_PRELOAD. */
struct large_node {
    struct node n;      /* first: a struct node * to it is one to this */
    struct large_node *prev, *next;
};

static inline int is_large(const struct node *n) { return n->b.size >= SMALL_LIMIT; }

static struct {
    struct node *head;
} buckets[NBUCKETS];

/* A bucket's chain is guarded by one of NLOCKS striped locks, each on its
 * own cache line, not by a lock in each bucket: the fork handlers hold
 * every lock around fork(), and writing one in each of 16K buckets
 * (256 KiB) copied those pages on write in parent and child at each fork
 * (about 0.1 ms of CPU per fork; libuv's test runner forks per test). */
#define NLOCKS 256u
static struct {
    rw_spin lock;
    char pad[64 - sizeof(rw_spin)];
} bucket_locks[NLOCKS] __attribute__((aligned(64)));

static inline rw_spin *lock_of(unsigned bucket)
{
    return &bucket_locks[bucket % NLOCKS].lock;
}

static rw_spin large_lock = RW_SPIN_INIT;
static struct large_node *large_head;

static inline unsigned bucket_of(uintptr_t start)
{
    return (unsigned)(((uint64_t)start * UINT64_C(0x9E3779B97F4A7C15)) >> 50) & (NBUCKETS - 1);
}

void rw_heap_add(uintptr_t start, size_t size, uint32_t alloc_stack, uint32_t thread)
{
    struct node *n = rw_malloc(size >= SMALL_LIMIT ? sizeof(struct large_node) : sizeof *n);
    if (!n)
        return;
    n->b.start = start;
    n->b.size = size;
    n->b.alloc_stack = alloc_stack;
    n->b.thread = thread;
    n->b.freed = 0;
    unsigned b = bucket_of(start);
    rw_spin_lock(lock_of(b));
    n->next = buckets[b].head;
    buckets[b].head = n;
    if (is_large(n)) {
        struct large_node *l = (struct large_node *)n;
        rw_spin_lock(&large_lock);
        l->prev = NULL;
        l->next = large_head;
        if (large_head)
            large_head->prev = l;
        large_head = l;
        rw_spin_unlock(&large_lock);
    }
    rw_spin_unlock(lock_of(b));
}

/* Find the node for start in a list, with its link, under the list lock. */
static struct node **find_link(struct node **head, uintptr_t start)
{
    struct node **l = head;
    while (*l && (*l)->b.start != start)
        l = &(*l)->next;
    return l;
}

int rw_heap_mark_freed(uintptr_t start, size_t *size)
{
    unsigned b = bucket_of(start);
    int found = 0;
    rw_spin_lock(lock_of(b));
    struct node **l = find_link(&buckets[b].head, start);
    if (*l && !(*l)->b.freed) {
        (*l)->b.freed = 1;
        *size = (*l)->b.size;
        found = 1;
    }
    rw_spin_unlock(lock_of(b));
    return found;
}

void rw_heap_remove(uintptr_t start)
{
    unsigned b = bucket_of(start);
    struct node *gone = NULL;
    rw_spin_lock(lock_of(b));
    struct node **l = find_link(&buckets[b].head, start);
    if (*l) {
        gone = *l;
        *l = gone->next;
        if (is_large(gone)) {
            struct large_node *g = (struct large_node *)gone;
            rw_spin_lock(&large_lock);
            if (g->prev)
                g->prev->next = g->next;
            else
                large_head = g->next;
            if (g->next)
                g->next->prev = g->prev;
            rw_spin_unlock(&large_lock);
        }
    }
    rw_spin_unlock(lock_of(b));
    rw_free(gone);
}

int rw_heap_find(uintptr_t addr, rw_heapblock *out)
{
    int found = 0;
    rw_spin_lock(&large_lock);
    for (struct large_node *n = large_head; n; n = n->next) {
        if (addr >= n->n.b.start && addr < n->n.b.start + n->n.b.size) {
            *out = n->n.b;
            found = 1;
            break;
        }
    }
    rw_spin_unlock(&large_lock);
    if (found)
        return 1;
    uintptr_t lo = addr > SMALL_LIMIT ? addr - SMALL_LIMIT : 0;
    for (uintptr_t s = addr & ~(uintptr_t)15; s >= lo && s > 0; s -= 16) {
        unsigned b = bucket_of(s);
        rw_spin_lock(lock_of(b));
        struct node *n = *find_link(&buckets[b].head, s);
        if (n && addr < s + (n->b.size ? n->b.size : 1)) {
            *out = n->b;
            found = 1;
        }
        rw_spin_unlock(lock_of(b));
        if (found || n)
            break;
    }
    return found;
}

void rw_heap_lock_all(void)
{
    for (unsigned i = 0; i < NLOCKS; i++)
        rw_spin_lock(&bucket_locks[i].lock);
    rw_spin_lock(&large_lock);
}

void rw_heap_unlock_all(void)
{
    rw_spin_unlock(&large_lock);
    for (unsigned i = 0; i < NLOCKS; i++)
        rw_spin_unlock(&bucket_locks[i].lock);
}
