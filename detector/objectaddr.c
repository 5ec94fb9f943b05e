/* objectaddr.c: the table of object addresses (see objectaddr.h). */
#include "detector/objectaddr.h"

#include "detector/alloc.h"
#include "detector/spinlock.h"

#define NBUCKETS (1u << 12)

struct node {
    rw_objectaddr o;
    struct node *next;
};

static struct {
    struct node *head;
} buckets[NBUCKETS] RW_LARGE_BSS;

/* A bucket is guarded by one of NLOCKS striped locks, not a lock of its
 * own: the fork handlers hold them all around fork(), and a lock in each
 * of 4K buckets made every fork write (and copy on write, in parent and
 * child) the table's 16 pages. */
#define NLOCKS 64u
static rw_spin bucket_locks[NLOCKS];

static inline rw_spin *lock_of(unsigned bucket)
{
    return &bucket_locks[bucket % NLOCKS];
}

#define MAX_RANGES 4

static struct {
    uintptr_t lo, hi;
    rw_objectaddr_describe_fn describe;
} ranges[MAX_RANGES];
static unsigned nranges;
static rw_spin ranges_lock;

void rw_objectaddr_add_range(uintptr_t lo, uintptr_t hi, rw_objectaddr_describe_fn describe)
{
    rw_spin_lock(&ranges_lock);
    unsigned i = nranges;
    if (i < MAX_RANGES) {
        ranges[i].lo = lo;
        ranges[i].hi = hi;
        ranges[i].describe = describe;
        __atomic_store_n(&nranges, i + 1, __ATOMIC_RELEASE);
    }
    rw_spin_unlock(&ranges_lock);
}

static inline unsigned bucket_of(uintptr_t addr)
{
    return (unsigned)(((uint64_t)addr * UINT64_C(0x9E3779B97F4A7C15)) >> 52) & (NBUCKETS - 1);
}

void rw_objectaddr_add(const rw_objectaddr *o)
{
    unsigned b = bucket_of(o->addr);
    rw_spin_lock(lock_of(b));
    struct node *n = buckets[b].head;
    while (n && n->o.addr != o->addr)
        n = n->next;
    if (!n && (n = rw_malloc(sizeof *n)) != NULL) {
        n->next = buckets[b].head;
        buckets[b].head = n;
    }
    if (n)
        n->o = *o;
    rw_spin_unlock(lock_of(b));
}

void rw_objectaddr_remove(uintptr_t addr)
{
    unsigned b = bucket_of(addr);
    struct node *gone = NULL;
    rw_spin_lock(lock_of(b));
    for (struct node **l = &buckets[b].head; *l; l = &(*l)->next) {
        if ((*l)->o.addr == addr) {
            gone = *l;
            *l = gone->next;
            break;
        }
    }
    rw_spin_unlock(lock_of(b));
    rw_free(gone);
}

int rw_objectaddr_find(uintptr_t addr, rw_objectaddr *out)
{
    unsigned nr = __atomic_load_n(&nranges, __ATOMIC_ACQUIRE);
    for (unsigned i = 0; i < nr; i++)
        if (addr >= ranges[i].lo && addr < ranges[i].hi)
            return ranges[i].describe(addr, out);
    unsigned b = bucket_of(addr);
    int found = 0;
    rw_spin_lock(lock_of(b));
    for (struct node *n = buckets[b].head; n; n = n->next) {
        if (n->o.addr == addr) {
            *out = n->o;
            found = 1;
            break;
        }
    }
    rw_spin_unlock(lock_of(b));
    return found;
}

void rw_objectaddr_lock_all(void)
{
    rw_spin_lock(&ranges_lock);
    for (unsigned i = 0; i < NLOCKS; i++)
        rw_spin_lock(&bucket_locks[i]);
}

void rw_objectaddr_unlock_all(void)
{
    for (unsigned i = 0; i < NLOCKS; i++)
        rw_spin_unlock(&bucket_locks[i]);
    rw_spin_unlock(&ranges_lock);
}
