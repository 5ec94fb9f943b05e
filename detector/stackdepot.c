/* stackdepot.c: a hash-consed store of stacks (see stackdepot.h).
 *
 * Entries live in one arena of our own, reserved once (anonymous mmap,
 * NORESERVE) and handed out by a bump pointer: an entry costs an 8-byte
 * header (its chain's next id, and a check word: 25 bits of the hash and
 * the frame count) plus its pcs, with no allocator header and no heap
 * that glibc must grow.  Entries are never freed.  Ids index a table of
 * 32-bit arena offsets, reserved up front, so lookups by id take no lock,
 * and neither do lookups of a stack already stored; insertion takes the
 * spinlock of the bucket's stripe.
 *
 * The arena is capped (RW_DEPOT_BUDGET): past it a stack is stored as
 * its RW_DEPOT_SHORT innermost frames, which programs repeat, so the
 * depot stops growing with the number of distinct deep stacks; past a
 * small reserve beyond the budget, new stacks get id 0 (no stack). */
#include "detector/stackdepot.h"

#include "detector/alloc.h"
#include "detector/spinlock.h"

#define NBUCKETS (1u << 16)
#define NSTRIPES (1u << 8)
#define MAX_IDS (1u << 24)
#define ARENA_BYTES (RW_DEPOT_BUDGET + RW_DEPOT_RESERVE)
#define N_BITS 0x7Fu /* RW_MAX_STACK fits */

_Static_assert(RW_MAX_STACK <= N_BITS, "frame count must fit the check word");
_Static_assert(ARENA_BYTES / 8 < UINT32_MAX, "offsets are 32-bit words");

struct entry {
    uint32_t next;  /* id of the next entry of the bucket, 0 at the end */
    uint32_t check; /* hash bits above N_BITS, frame count in N_BITS */
    uintptr_t pcs[];
};

static uint32_t heads[NBUCKETS] RW_LARGE_BSS;    /* id of the newest entry, 0 if none */
static rw_spin stripes[NSTRIPES];
static char *arena;                 /* ARENA_BYTES, reserved on first use */
static uint32_t *offset_of;         /* by id: arena offset in words, 0 if none */
static size_t arena_used = 8;       /* offset 0 means "no entry" */
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

static struct entry *entry_of(uint32_t id)
{
    uint32_t off = __atomic_load_n(&offset_of[id], __ATOMIC_ACQUIRE);
    return off ? (struct entry *)(arena + (size_t)off * 8) : NULL;
}

/* The id of the stored stack equal to pcs[0..n) in the chain from id. */
static uint32_t find(uint32_t id, uint32_t check, const uintptr_t *pcs, uint32_t n)
{
    for (; id; id = entry_of(id)->next) {
        const struct entry *e = entry_of(id);
        if (e->check != check)
            continue;
        uint32_t i = 0;
        while (i < n && e->pcs[i] == pcs[i])
            i++;
        if (i == n)
            return id;
    }
    return 0;
}

static int ready(void)
{
    if (__atomic_load_n(&offset_of, __ATOMIC_ACQUIRE))
        return 1;
    rw_spin_lock(&init_lock);
    if (!offset_of) {
        arena = rw_map_reserve_as(ARENA_BYTES, RW_MAP_DEPOT);
        uint32_t *ids = arena ? rw_map_reserve_as(MAX_IDS * sizeof *ids, RW_MAP_DEPOT) : NULL;
        __atomic_store_n(&offset_of, ids, __ATOMIC_RELEASE);
    }
    rw_spin_unlock(&init_lock);
    return offset_of != NULL;
}

uint32_t rw_stack_put(const uintptr_t *pcs, uint32_t n)
{
    if (n == 0 || !ready())
        return 0;
    if (n > RW_MAX_STACK)
        n = RW_MAX_STACK;
    if (n > RW_DEPOT_SHORT && __atomic_load_n(&arena_used, __ATOMIC_RELAXED) > RW_DEPOT_BUDGET)
        n = RW_DEPOT_SHORT;
    uint64_t h = hash_stack(pcs, n);
    uint32_t check = ((uint32_t)h & ~N_BITS) | n;
    unsigned b = (unsigned)(h >> 40) & (NBUCKETS - 1);
    /* Entries are pushed at the head with a release store and never
     * freed: the common case, a stack seen before, takes no lock. */
    uint32_t id = find(__atomic_load_n(&heads[b], __ATOMIC_ACQUIRE), check, pcs, n);
    if (id)
        return id;
    rw_spin *lock = &stripes[b & (NSTRIPES - 1)];
    rw_spin_lock(lock);
    id = find(heads[b], check, pcs, n);
    if (!id) {
        size_t size = sizeof(struct entry) + n * sizeof(uintptr_t);
        size_t off = __atomic_fetch_add(&arena_used, size, __ATOMIC_RELAXED);
        uint32_t nid = off + size <= ARENA_BYTES ? __atomic_fetch_add(&next_id, 1, __ATOMIC_RELAXED) : MAX_IDS;
        if (nid < MAX_IDS) {
            struct entry *e = (struct entry *)(arena + off);
            e->next = heads[b];
            e->check = check;
            for (uint32_t i = 0; i < n; i++)
                e->pcs[i] = pcs[i];
            __atomic_store_n(&offset_of[nid], (uint32_t)(off / 8), __ATOMIC_RELEASE);
            __atomic_store_n(&heads[b], nid, __ATOMIC_RELEASE);
            id = nid;
        }
    }
    rw_spin_unlock(lock);
    return id;
}

uint32_t rw_stack_get(uint32_t id, uintptr_t *out, uint32_t max)
{
    if (id == 0 || id >= MAX_IDS || !__atomic_load_n(&offset_of, __ATOMIC_ACQUIRE))
        return 0;
    const struct entry *e = entry_of(id);
    if (!e)
        return 0;
    uint32_t n = e->check & N_BITS;
    if (n > max)
        n = max;
    for (uint32_t i = 0; i < n; i++)
        out[i] = e->pcs[i];
    return n;
}

size_t rw_stackdepot_bytes(void)
{
    size_t used = __atomic_load_n(&arena_used, __ATOMIC_RELAXED);
    return used < ARENA_BYTES ? used : ARENA_BYTES;
}

void rw_stackdepot_lock_all(void)
{
    rw_spin_lock(&init_lock);
    for (unsigned i = 0; i < NSTRIPES; i++)
        rw_spin_lock(&stripes[i]);
}

void rw_stackdepot_unlock_all(void)
{
    for (unsigned i = 0; i < NSTRIPES; i++)
        rw_spin_unlock(&stripes[i]);
    rw_spin_unlock(&init_lock);
}
