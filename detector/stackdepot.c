/* stackdepot.c: a hash-consed store of stacks (see stackdepot.h).
 *
 * Entries are allocated once and never freed; ids index a table reserved
 * up front (NORESERVE) so lookups by id take no lock, and neither do
 * lookups of a stack already stored.  Insertion takes the bucket's
 * spinlock. */
#include "detector/stackdepot.h"

#include "detector/alloc.h"
#include "detector/spinlock.h"

#define NBUCKETS (1u << 14)
#define MAX_IDS (1u << 24)

struct entry {
    struct entry *next;
    uint64_t hash;
    uint32_t id;
    uint32_t n;
    uintptr_t pcs[];
};

static struct {
    rw_spin lock;
    struct entry *head;
} buckets[NBUCKETS];
static struct entry **by_id;
static uint32_t next_id = 1;
static rw_spin init_lock = RW_SPIN_INIT;

static uint64_t hash_stack(const uintptr_t *pcs, uint32_t n)
{
    uint64_t h = 0xcbf29ce484222325ull ^ n;
    for (uint32_t i = 0; i < n; i++) {
        h ^= pcs[i];
        h *= 0x100000001b3ull;
        h ^= h >> 29;
    }
    return h;
}

static int same(const struct entry *e, const uintptr_t *pcs, uint32_t n)
{
    if (e->n != n)
        return 0;
    for (uint32_t i = 0; i < n; i++)
        if (e->pcs[i] != pcs[i])
            return 0;
    return 1;
}

uint32_t rw_stack_put(const uintptr_t *pcs, uint32_t n)
{
    if (n == 0)
        return 0;
    if (n > RW_MAX_STACK)
        n = RW_MAX_STACK;
    if (!__atomic_load_n(&by_id, __ATOMIC_ACQUIRE)) {
        rw_spin_lock(&init_lock);
        if (!by_id)
            __atomic_store_n(&by_id, rw_map_reserve(MAX_IDS * sizeof(struct entry *)), __ATOMIC_RELEASE);
        rw_spin_unlock(&init_lock);
        if (!by_id)
            return 0;
    }
    uint64_t h = hash_stack(pcs, n);
    unsigned b = (unsigned)(h >> 50) & (NBUCKETS - 1);
    /* Entries are pushed at the head with a release store and never
     * freed: the common case, a stack seen before, takes no lock. */
    struct entry *e = __atomic_load_n(&buckets[b].head, __ATOMIC_ACQUIRE);
    while (e && !(e->hash == h && same(e, pcs, n)))
        e = e->next;
    if (e)
        return e->id;
    rw_spin_lock(&buckets[b].lock);
    e = buckets[b].head;
    while (e && !(e->hash == h && same(e, pcs, n)))
        e = e->next;
    uint32_t id = 0;
    if (e) {
        id = e->id;
    } else {
        uint32_t nid = __atomic_fetch_add(&next_id, 1, __ATOMIC_RELAXED);
        e = nid < MAX_IDS ? rw_malloc(sizeof *e + n * sizeof(uintptr_t)) : NULL;
        if (e) {
            e->hash = h;
            e->n = n;
            e->id = nid;
            for (uint32_t i = 0; i < n; i++)
                e->pcs[i] = pcs[i];
            e->next = buckets[b].head;
            __atomic_store_n(&by_id[nid], e, __ATOMIC_RELEASE);
            __atomic_store_n(&buckets[b].head, e, __ATOMIC_RELEASE);
            id = nid;
        }
    }
    rw_spin_unlock(&buckets[b].lock);
    return id;
}

uint32_t rw_stack_get(uint32_t id, uintptr_t *out, uint32_t max)
{
    if (id == 0 || id >= MAX_IDS || !by_id)
        return 0;
    struct entry *e = __atomic_load_n(&by_id[id], __ATOMIC_ACQUIRE);
    if (!e)
        return 0;
    uint32_t n = e->n < max ? e->n : max;
    for (uint32_t i = 0; i < n; i++)
        out[i] = e->pcs[i];
    return n;
}

void rw_stackdepot_lock_all(void)
{
    for (unsigned i = 0; i < NBUCKETS; i++)
        rw_spin_lock(&buckets[i].lock);
}

void rw_stackdepot_unlock_all(void)
{
    for (unsigned i = 0; i < NBUCKETS; i++)
        rw_spin_unlock(&buckets[i].lock);
}
