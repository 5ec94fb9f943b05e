/* lockgraph.c: the lock-order graph (see lockgraph.h).
 *
 * Edges live in a hash table keyed by (from, to), nodes in another keyed
 * by uid, each node with a list of its outgoing edges.  Checking whether
 * an edge is already known takes no lock (entries are only ever pushed at
 * a bucket's head, with a release store); adding one takes the graph lock,
 * then a search from the new edge's target looks for a path
 * back to its source (breadth first: the shortest cycle is reported).  Reported cycles are remembered by the sum and xor
 * of their edges' hashes. */
#include "detector/lockgraph.h"

#include "detector/alloc.h"
#include "detector/spinlock.h"

#define NBUCKETS 4096

struct edge {
    rw_lock_edge e;
    struct edge *hash_next;   /* in the (from, to) table */
    struct edge *out_next;    /* in the source node's list */
};

struct node {
    uint64_t uid;
    struct node *next;
    struct edge *out;
    uint32_t mark;            /* search visit stamp */
    struct edge *via;         /* search: the edge it was reached by */
    int depth;                /* search: edges from the start */
};

static struct edge *edge_table[NBUCKETS] RW_LARGE_BSS;
static struct node *node_table[NBUCKETS] RW_LARGE_BSS;
static rw_spin graph_lock = RW_SPIN_INIT;
static uint32_t nedges, stamp;
static uint64_t reported[256];
static unsigned nreported;

rw_held *rw_held_push_grow(rw_held_set *h, uint64_t uid, uintptr_t addr, uint32_t stack)
{
    if (h->n == h->cap) {
        uint32_t cap = h->cap ? h->cap * 2 : 8;
        rw_held *n = rw_realloc(h->items, cap * sizeof *n);
        if (!n)
            return NULL;
        h->items = n;
        h->cap = cap;
    }
    rw_held *e = &h->items[h->n++];
    e->uid = uid;
    e->addr = addr;
    e->stack = stack;
    e->pos = 0;
    e->pc = 0;
    e->robust = 0;
    e->sync = NULL;
    return e;
}

int rw_held_remove_inner(rw_held_set *h, uint64_t uid)
{
    for (uint32_t i = h->n; i > 0; i--) {
        if (h->items[i - 1].uid == uid) {
            for (uint32_t j = i; j < h->n; j++)
                h->items[j - 1] = h->items[j];
            h->n--;
            return 1;
        }
    }
    return 0;
}

int rw_held_contains(const rw_held_set *h, uint64_t uid)
{
    for (uint32_t i = 0; i < h->n; i++)
        if (h->items[i].uid == uid)
            return 1;
    return 0;
}

void rw_held_clear(rw_held_set *h)
{
    h->n = 0;
}

static unsigned hash2(uint64_t a, uint64_t b)
{
    uint64_t x = a * UINT64_C(0x9E3779B97F4A7C15) ^ (b + UINT64_C(0x632BE59BD9B4E019)) * 31;
    return (unsigned)(x >> 40) & (NBUCKETS - 1);
}

static struct edge *find_edge(uint64_t from, uint64_t to)
{
    struct edge *e = __atomic_load_n(&edge_table[hash2(from, to)], __ATOMIC_ACQUIRE);
    while (e && !(e->e.from == from && e->e.to == to))
        e = e->hash_next;
    return e;
}

static struct node *get_node(uint64_t uid, int create)
{
    unsigned b = hash2(uid, 0);
    struct node *n = node_table[b];
    while (n && n->uid != uid)
        n = n->next;
    if (!n && create) {
        n = rw_calloc(1, sizeof *n);
        if (n) {
            n->uid = uid;
            n->next = node_table[b];
            node_table[b] = n;
        }
    }
    return n;
}

/* Breadth-first search for the shortest path from `from` to `target`
 * (graph lock held); on success its edges are written to c->edges in
 * order and c->n is their number.  Paths longer than RW_MAX_LOCK_CYCLE-1
 * edges are not followed (such a cycle is not reported). */
static int path(struct node *from, uint64_t target, rw_lock_cycle *c)
{
    enum { QMAX = 4096 };
    static struct node *queue[QMAX] RW_LARGE_BSS;
    int head = 0, tail = 0;
    if (!from)
        return 0;
    from->mark = stamp;
    from->via = NULL;
    from->depth = 0;
    queue[tail++] = from;
    while (head < tail) {
        struct node *n = queue[head++];
        if (n->depth >= RW_MAX_LOCK_CYCLE - 1)
            continue;
        for (struct edge *e = n->out; e; e = e->out_next) {
            if (e->e.to == target) {
                /* Walk back along `via` to write the path in order. */
                int len = n->depth + 1;
                c->n = len;
                c->edges[len - 1] = e->e;
                struct node *m = n;
                for (int i = len - 2; i >= 0; i--) {
                    c->edges[i] = m->via->e;
                    m = get_node(m->via->e.from, 0);
                }
                return 1;
            }
            struct node *next = get_node(e->e.to, 0);
            if (next && next->mark != stamp && tail < QMAX) {
                next->mark = stamp;
                next->via = e;
                next->depth = n->depth + 1;
                queue[tail++] = next;
            }
        }
    }
    return 0;
}

static int seen_cycle(const rw_lock_cycle *c)
{
    uint64_t sum = 0, x = 0;
    for (int i = 0; i < c->n; i++) {
        uint64_t h = c->edges[i].from * UINT64_C(0x9E3779B97F4A7C15) ^ c->edges[i].to;
        sum += h;
        x ^= h * 7;
    }
    uint64_t key = sum ^ (x << 1);
    for (unsigned i = 0; i < nreported; i++)
        if (reported[i] == key)
            return 1;
    if (nreported < 256)
        reported[nreported++] = key;
    return 0;
}

int rw_lockgraph_is_new(const rw_held_set *h, uint64_t uid)
{
    for (uint32_t i = 0; i < h->n; i++)
        if (h->items[i].uid != uid && !find_edge(h->items[i].uid, uid))
            return 1;
    return 0;
}

int rw_lockgraph_acquire(const rw_held_set *h, uint64_t uid, uintptr_t addr, uint32_t stack,
                         uint32_t thread, rw_lock_cycle *cycle)
{
    int found = 0;
    for (uint32_t i = 0; i < h->n && !found; i++) {
        const rw_held *a = &h->items[i];
        if (a->uid == uid || find_edge(a->uid, uid))
            continue;
        rw_spin_lock(&graph_lock);
        if (!find_edge(a->uid, uid)) {
            struct edge *e = rw_calloc(1, sizeof *e);
            struct node *src = get_node(a->uid, 1);
            if (e && src) {
                e->e.from = a->uid;
                e->e.to = uid;
                e->e.from_addr = a->addr;
                e->e.to_addr = addr;
                e->e.from_stack = a->stack;
                e->e.to_stack = stack;
                e->e.thread = thread;
                e->out_next = src->out;
                src->out = e;
                unsigned b = hash2(a->uid, uid);
                e->hash_next = edge_table[b];
                __atomic_store_n(&edge_table[b], e, __ATOMIC_RELEASE);
                nedges++;
                /* Does the new edge close a cycle: uid reaches a->uid? */
                stamp++;
                rw_lock_cycle c;
                if (path(get_node(uid, 0), a->uid, &c) && c.n < RW_MAX_LOCK_CYCLE) {
                    /* Rotate so the cycle starts with the new edge. */
                    cycle->n = c.n + 1;
                    cycle->edges[0] = e->e;
                    for (int k = 0; k < c.n; k++)
                        cycle->edges[k + 1] = c.edges[k];
                    found = !seen_cycle(cycle);
                }
            } else {
                rw_free(e);
            }
        }
        rw_spin_unlock(&graph_lock);
    }
    return found;
}

void rw_lockgraph_lock_all(void)
{
    rw_spin_lock(&graph_lock);
}

void rw_lockgraph_unlock_all(void)
{
    rw_spin_unlock(&graph_lock);
}

uint32_t rw_lockgraph_edges(void)
{
    return __atomic_load_n(&nedges, __ATOMIC_RELAXED);
}
