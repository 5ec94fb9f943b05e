/* heapblock.c: the heap block table (see heapblock.h). */
#include "detector/heapblock.h"

#include "detector/alloc.h"
#include "detector/spinlock.h"

#include <unistd.h>

#define NBUCKETS (1u << 14)
#define SMALL_LIMIT 65536
#define RW_HEAP_LIKELY(x) __builtin_expect(!!(x), 1)

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

/* A bucket: its chain, and the nodes of small blocks removed from it,
 * kept for its next additions (both under its lock).  32 bytes, so that
 * no bucket straddles two cache lines. */
static struct {
    rw_spin lock;
    struct node *head;
    struct node *spare;
} __attribute__((aligned(32))) buckets[NBUCKETS] __attribute__((aligned(4096))) RW_LARGE_BSS;

/* The nodes of small blocks are cut from mappings of our own, not taken
 * from the program's heap: a node of 40 bytes malloc'd after each of the
 * program's blocks spread them out (kmeans: 16,000 points of 12 bytes,
 * 32-byte chunks, 512 KiB natively, became 80 bytes apart, 1.25 MiB,
 * larger than the L2 cache its calc_means walks them from: 46% more of
 * its samples there).  Now the program's heap is laid out as without us.
 * A removed node goes to its bucket's spare list and serves that bucket's
 * next addition, so nothing is freed and no lock is added: the slab's
 * lock is taken only for a new node, under a bucket lock (so that the
 * fork handlers, which wait for the held bucket locks, never fork while
 * it is held).  A hash spreads the additions over the buckets as evenly
 * as the removals, so the spares stay about one bucket's share. */
static rw_spin node_slab_lock = RW_SPIN_INIT;
static rw_slab node_slab;

static struct node *new_small_node(unsigned b)
{
    struct node *n = buckets[b].spare;
    if (n) {
        buckets[b].spare = n->next;
        return n;
    }
    rw_spin_lock(&node_slab_lock);
    n = rw_slab_take(&node_slab, sizeof *n);
    rw_spin_unlock(&node_slab_lock);
    return n;
}

/* Set by the fork handlers while a fork is under way.  They must not
 * take every bucket's lock: that wrote all 16K of them (256 KiB), and
 * the parent and the child then copied every page on write at the
 * unlock (about 0.2 ms of CPU per fork; libuv's test runner forks per
 * test).  A lock kept in its bucket costs the heap's own calls nothing
 * extra (a separate array of striped locks, one more cache line per
 * call, cost 3% on bench/workloads/malloc.c under LD_PRELOAD), so the
 * fork handlers instead raise this flag and wait for the bucket locks
 * held at that moment to be released; a call that finds the flag raised
 * once it holds its bucket's lock lets go and waits for the fork to end.
 * The flag and the locks are stored and read sequentially consistent on
 * both sides (a Dekker handshake: one of the two sees the other). */
static int forking;
static int forking_pid; /* the forking process: a child sees another pid */

/* One bit per group of 256 buckets (8 KiB, two pages) whose lock was
 * ever taken, raised before the lock is.  The fork handlers look only at
 * those groups: reading the whole table made the kernel map its zero page under
 * every page never used (64 faults of ~12 us in the first fork of a
 * process; libuv's test runner forks twice per test) and cost 16K
 * sequentially consistent loads per fork in the parent and again in the
 * child.  Raised before the lock is taken (both sequentially consistent):
 * a fork handler that reads a page's bit as clear after raising its flag
 * finds any lock of that page taken later backing off (it sees the flag). */
#define BUCKETS_PER_GROUP (NBUCKETS / 64)
_Static_assert(BUCKETS_PER_GROUP * sizeof buckets[0] % 4096 == 0,
               "a group of buckets is whole pages");
static uint64_t used_bucket_groups;

/* The table's pages are mapped writable at the first lock of any bucket,
 * in one call: blocks hash all over the table, so a process with a few
 * hundred blocks writes into most of its pages anyway, and a page
 * faulted in on first store cost ~12-15 us on the 2-CPU VM, one mapped by
 * MADV_POPULATE_WRITE ~2 us (libuv's ping-pong tests: ~110 faults per
 * test in three processes). */
static void populate_buckets(void)
{
    rw_map_populate(buckets, sizeof buckets);
}

static inline void lock_bucket(unsigned b)
{
    rw_spin *l = &buckets[b].lock;
    uint64_t group_bit = UINT64_C(1) << (b / BUCKETS_PER_GROUP);
    if (!(__atomic_load_n(&used_bucket_groups, __ATOMIC_RELAXED) & group_bit) &&
        __atomic_fetch_or(&used_bucket_groups, group_bit, __ATOMIC_SEQ_CST) == 0)
        populate_buckets();
    for (unsigned n = 0;; n++) {
        if (__atomic_load_n(&l->v, __ATOMIC_RELAXED) == 0 &&
            !__atomic_exchange_n(&l->v, 1, __ATOMIC_SEQ_CST)) {
            if (RW_HEAP_LIKELY(!__atomic_load_n(&forking, __ATOMIC_SEQ_CST)))
                return;
            rw_spin_unlock(l);
            while (__atomic_load_n(&forking, __ATOMIC_ACQUIRE))
                sched_yield();
            continue;
        }
        if (n > 64)
            sched_yield();
        else
            __builtin_ia32_pause();
    }
}

static inline void unlock_bucket(unsigned b)
{
    rw_spin_unlock(&buckets[b].lock);
}

static rw_spin large_lock = RW_SPIN_INIT;
static struct large_node *large_head;

static inline unsigned bucket_of(uintptr_t start)
{
    return (unsigned)(((uint64_t)start * UINT64_C(0x9E3779B97F4A7C15)) >> 50) & (NBUCKETS - 1);
}

void rw_heap_add(uintptr_t start, size_t size, uint32_t alloc_stack, uint32_t thread)
{
    unsigned b = bucket_of(start);
    /* A large block's node is malloc'd (outside the bucket lock): one per
     * 64 KiB or more of the program's heap changes its layout by little. */
    struct node *n = NULL;
    if (size >= SMALL_LIMIT && !(n = rw_malloc(sizeof(struct large_node))))
        return;
    lock_bucket(b);
    if (!n && !(n = new_small_node(b))) {
        unlock_bucket(b);
        return;
    }
    n->b.start = start;
    n->b.size = size;
    n->b.alloc_stack = alloc_stack;
    n->b.thread = thread;
    n->b.freed = 0;
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
    unlock_bucket(b);
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
    lock_bucket(b);
    struct node **l = find_link(&buckets[b].head, start);
    if (*l && !(*l)->b.freed) {
        (*l)->b.freed = 1;
        *size = (*l)->b.size;
        found = 1;
    }
    unlock_bucket(b);
    return found;
}

void rw_heap_remove(uintptr_t start)
{
    unsigned b = bucket_of(start);
    struct node *gone = NULL;
    lock_bucket(b);
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
        } else {
            gone->next = buckets[b].spare;
            buckets[b].spare = gone;
            gone = NULL;
        }
    }
    unlock_bucket(b);
    rw_free(gone); /* a large block's node, or NULL */
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
        lock_bucket(b);
        struct node *n = *find_link(&buckets[b].head, s);
        if (n && addr < s + (n->b.size ? n->b.size : 1)) {
            *out = n->b;
            found = 1;
        }
        unlock_bucket(b);
        if (found || n)
            break;
    }
    return found;
}

void rw_heap_lock_all(void)
{
    forking_pid = getpid();
    __atomic_store_n(&forking, 1, __ATOMIC_SEQ_CST);
    /* Only read: a bucket whose lock is free now stays out of reach (its
     * next taker sees the flag). */
    uint64_t used = __atomic_load_n(&used_bucket_groups, __ATOMIC_SEQ_CST);
    for (unsigned i = 0; i < NBUCKETS; i++) {
        if (!((used >> (i / BUCKETS_PER_GROUP)) & 1)) {
            i += BUCKETS_PER_GROUP - 1;
            continue;
        }
        while (__atomic_load_n(&buckets[i].lock.v, __ATOMIC_SEQ_CST))
            sched_yield();
    }
    rw_spin_lock(&large_lock);
}

void rw_heap_unlock_all(void)
{
    rw_spin_unlock(&large_lock);
    if (getpid() != forking_pid) {
        /* The child: a bucket lock still held was taken by a thread that
         * then saw the flag and was letting go, and changed nothing; that
         * thread does not exist here. */
        uint64_t used = __atomic_load_n(&used_bucket_groups, __ATOMIC_RELAXED);
        for (unsigned i = 0; i < NBUCKETS; i++) {
            if (!((used >> (i / BUCKETS_PER_GROUP)) & 1)) {
                i += BUCKETS_PER_GROUP - 1;
                continue;
            }
            if (__atomic_load_n(&buckets[i].lock.v, __ATOMIC_RELAXED))
                __atomic_store_n(&buckets[i].lock.v, 0, __ATOMIC_RELAXED);
        }
    }
    __atomic_store_n(&forking, 0, __ATOMIC_RELEASE);
}
