/* thread.c: the slot table and thread numbering (see thread.h).
 *
 * One spinlock guards slot allocation, the free list and the thread list;
 * it is taken at thread creation, end and in reports, never on the access
 * path.  Slot states are never freed: a race report may look up a slot's
 * trace and occupants at any time. */
#include "detector/thread.h"

#include "detector/alloc.h"
#include "detector/hb_floor.h"

static rw_spin registry_lock = RW_SPIN_INIT;
static rw_thread *slots[RW_MAX_SLOTS] RW_LARGE_BSS;
static uint32_t nslots = 1;           /* slot 0 is reserved */
static uint32_t free_slots[RW_MAX_SLOTS] RW_LARGE_BSS;
static uint32_t nfree;
static unsigned trace_bits = 17;
static uint32_t nfiber_slots;         /* slots made for fibers */
int rw_second_thread_created;
void (*rw_pending_write_hook)(rw_thread *t);

static rw_thread_info **infos;       /* by number; infos[0] unused */
static uint32_t ninfos, infos_cap;

int rw_threads_init(unsigned bits)
{
    trace_bits = bits;
    return 0;
}

static rw_thread_info *new_info(uint32_t parent, uint32_t create_stack)
{
    rw_thread_info *in = rw_calloc(1, sizeof *in);
    if (!in)
        return NULL;
    if (ninfos + 1 >= infos_cap) {
        uint32_t cap = infos_cap ? infos_cap * 2 : 256;
        rw_thread_info **n = rw_realloc(infos, cap * sizeof *n);
        if (!n) {
            rw_free(in);
            return NULL;
        }
        infos = n;
        infos_cap = cap;
    }
    in->number = ++ninfos;
    infos[in->number] = in;
    in->parent = parent;
    in->create_stack = create_stack;
    rw_vclock_init(&in->exit_vc);
    return in;
}

static rw_thread *new_slot(void)
{
    if (nslots >= RW_MAX_SLOTS)
        return NULL;
    rw_thread *t = rw_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    if (rw_trace_init(&t->trace, trace_bits) != 0) {
        rw_free(t);
        return NULL;
    }
    t->stack_cap = 64;
    t->stack = rw_malloc(t->stack_cap * sizeof(uintptr_t));
    if (!t->stack) {
        rw_free(t);
        return NULL;
    }
    rw_vclock_init(&t->vc);
    rw_vclock_retain_arrays(&t->vc); /* read by rw_threads_known_by_all */
    /* Position 0 is never an event: open the first part by hand. */
    rw_trace_open_part(&t->trace, 0, NULL, 0);
    t->slot = nslots;
    slots[nslots++] = t;
    return t;
}

static void add_occupant(rw_thread *t, rw_thread_info *in, uint64_t start_pos)
{
    if (t->noccupants == t->occupants_cap) {
        uint32_t cap = t->occupants_cap ? t->occupants_cap * 2 : 4;
        struct rw_occupant *n = rw_realloc(t->occupants, cap * sizeof *n);
        if (!n)
            return;
        t->occupants = n;
        t->occupants_cap = cap;
    }
    t->occupants[t->noccupants].start_pos = start_pos;
    t->occupants[t->noccupants].info = in;
    t->noccupants++;
}

/* Start a thread in slot t: a fresh stack and a marker so that trace
 * replay does not mix its stack with the previous occupant's. */
/* The next rw_thread.clock_id (under the registry lock). */
static uint32_t last_clock_id;

static uint32_t new_clock_id(void)
{
    if (++last_clock_id == 0)
        ++last_clock_id;
    return last_clock_id;
}

static void occupy(rw_thread *t, rw_thread_info *in)
{
    t->in_use = 1;
    t->clock_id = new_clock_id();
    t->info = in;
    t->depth = 0;
    t->ignore = 0;
    t->busy = 0;
    t->has_fence_release = 0;
    t->nrelaxed_reads = 0;
    rw_vclock_clear(&t->fence_release);
    rw_held_clear(&t->held);
    t->prev_final_pos = t->final_pos;
    in->slot = t->slot;
    /* The previous occupant's history stays readable (trace.h). */
    if (t->noccupants > 0)
        rw_trace_retire(&t->trace, t->slot, t->pos);
    rw_thread_event(t, RW_EV_MARK, 0);
    in->start_pos = t->pos;
    add_occupant(t, in, in->start_pos);
    rw_vclock_set(&t->vc, t->slot, t->pos);
}

rw_thread *rw_thread_create_main(void)
{
    rw_spin_lock(&registry_lock);
    rw_thread *t = new_slot();
    rw_thread_info *in = t ? new_info(0, 0) : NULL;
    if (t && in)
        occupy(t, in);
    rw_spin_unlock(&registry_lock);
    return in ? t : NULL;
}

/* A free slot whose whole history knows covers, or a new one (for a
 * fiber, only while fibers have made fewer than RW_MAX_FIBER_SLOTS); NULL
 * if none.  registry_lock held. */
static rw_thread *take_slot(const rw_vclock *knows, int fiber)
{
    rw_thread *t = NULL;
    /* Reuse a finished slot whose whole history the parent has seen.  The
     * oldest finished threads are the likeliest to have been joined, the
     * newest the likeliest to be joined by a loop that creates again, so
     * look at both ends of the free list. */
    for (uint32_t k = 0, tries = 0; k < nfree && tries < 64; k++, tries++) {
        uint32_t i = k < 48 ? k : nfree - 1 - (k - 48);
        rw_thread *c = slots[free_slots[i]];
        if (rw_vclock_get(knows, c->slot) >= c->final_pos) {
            t = c;
            /* Keep the list in finishing order. */
            for (uint32_t j = i + 1; j < nfree; j++)
                free_slots[j - 1] = free_slots[j];
            nfree--;
            break;
        }
    }
    if (!t && (!fiber || nfiber_slots < RW_MAX_FIBER_SLOTS)) {
        t = new_slot();
        if (t && fiber)
            nfiber_slots++;
    }
    return t;
}

rw_thread *rw_thread_create(rw_thread *parent, uint32_t create_stack)
{
    __atomic_store_n(&rw_second_thread_created, 1, __ATOMIC_RELAXED);
    rw_thread_prepare_release(parent);
    rw_spin_lock(&registry_lock);
    rw_thread *t = take_slot(&parent->vc, 0);
    rw_thread_info *in = t ? new_info(parent->info ? parent->info->number : 0, create_stack) : NULL;
    if (t && in) {
        rw_vclock_assign(&t->vc, &parent->vc);
        occupy(t, in);
    } else if (t) {
        t->in_use = 0;
        free_slots[nfree++] = t->slot;
        t = NULL;
    }
    rw_spin_unlock(&registry_lock);
    return t;
}

rw_thread *rw_fiber_create(rw_thread *host, const rw_vclock *start)
{
    rw_hb_floor_freeze(); /* and rw_threads_known_by_all answers 0 from now on */
    __atomic_store_n(&rw_second_thread_created, 1, __ATOMIC_RELAXED);
    rw_spin_lock(&registry_lock);
    rw_thread *f = take_slot(start, 1);
    if (f && host->depth > f->stack_cap) {
        uintptr_t *n = rw_realloc(f->stack, host->depth * sizeof *n);
        if (n) {
            f->stack = n;
            f->stack_cap = host->depth;
        } else {
            free_slots[nfree++] = f->slot;
            f = NULL;
        }
    }
    if (f) {
        f->in_use = 1;
        f->clock_id = new_clock_id();
        f->info = host->info;
        f->depth = 0;
        f->ignore = 0;
        f->busy = 0;
        f->has_fence_release = 0;
        f->nrelaxed_reads = 0;
        rw_vclock_clear(&f->fence_release);
        rw_held_clear(&f->held);
        f->prev_final_pos = f->final_pos;
        /* Forget the slot's last stack, then enter the host's frames so
         * that reports show where the fiber runs. */
        rw_thread_event(f, RW_EV_MARK, 0);
        add_occupant(f, host->info, f->pos);
        for (uint32_t i = 0; i < host->depth; i++)
            rw_thread_func_entry(f, host->stack[i]);
        rw_vclock_assign(&f->vc, start);
        rw_vclock_set(&f->vc, f->slot, f->pos);
    }
    rw_spin_unlock(&registry_lock);
    return f;
}

void rw_fiber_finish(rw_thread *f)
{
    rw_thread_prepare_release(f);
    f->ignore++;
    rw_spin_lock(&registry_lock);
    f->final_pos = f->pos;
    f->in_use = 0;
    free_slots[nfree++] = f->slot;
    rw_spin_unlock(&registry_lock);
}

void rw_thread_abandon(rw_thread *t)
{
    /* The thread never ran: whoever could reuse the slot before still can. */
    rw_thread_finish(t);
    rw_spin_lock(&registry_lock);
    t->final_pos = t->prev_final_pos;
    rw_spin_unlock(&registry_lock);
}

void rw_thread_finish(rw_thread *t)
{
    rw_thread_prepare_release(t);
    t->ignore++;
    rw_spin_lock(&registry_lock);
    rw_thread_info *in = t->info;
    if (in) {
        rw_vclock_assign(&in->exit_vc, &t->vc);
        __atomic_store_n(&in->finished, 1, __ATOMIC_RELEASE);
    }
    t->final_pos = t->pos;
    t->in_use = 0;
    free_slots[nfree++] = t->slot;
    rw_spin_unlock(&registry_lock);
}

rw_thread_info *rw_thread_info_at(uint32_t slot, uint64_t pos)
{
    rw_thread_info *r = NULL;
    rw_spin_lock(&registry_lock);
    if (slot > 0 && slot < nslots) {
        rw_thread *t = slots[slot];
        for (uint32_t i = t->noccupants; i > 0; i--) {
            if (t->occupants[i - 1].start_pos <= pos) {
                r = t->occupants[i - 1].info;
                break;
            }
        }
    }
    rw_spin_unlock(&registry_lock);
    return r;
}

rw_thread *rw_thread_by_slot(uint32_t slot)
{
    rw_thread *t = NULL;
    rw_spin_lock(&registry_lock);
    if (slot > 0 && slot < nslots)
        t = slots[slot];
    rw_spin_unlock(&registry_lock);
    return t;
}

rw_thread_info *rw_thread_info_by_number(uint32_t number)
{
    rw_thread_info *r = NULL;
    rw_spin_lock(&registry_lock);
    if (number > 0 && number <= ninfos)
        r = infos[number];
    rw_spin_unlock(&registry_lock);
    return r;
}

uint32_t rw_threads_known_by_all(uint64_t *known, uint32_t n)
{
    if (!rw_spin_trylock(&registry_lock))
        return 0;
    uint32_t used = nslots < n ? nslots : n;
    int any = 0;
    if (nfiber_slots > 0)
        used = 0; /* a fiber may start from an older clock than any thread's */
    for (uint32_t s = 0; s < used; s++)
        known[s] = UINT64_MAX;
    for (uint32_t i = 1; i < nslots && used > 0; i++) {
        rw_thread *t = slots[i];
        if (!t->in_use)
            continue;
        any = 1;
        for (uint32_t s = 0; s < used; s++) {
            uint64_t c = rw_vclock_get_unlocked(&t->vc, s);
            if (c < known[s])
                known[s] = c;
        }
    }
    rw_spin_unlock(&registry_lock);
    return any ? used : 0;
}

uint32_t rw_thread_slots_used(void)
{
    return __atomic_load_n(&nslots, __ATOMIC_RELAXED) - 1;
}

rw_thread *rw_thread_next_other_idle(rw_thread *self, uint32_t *slot)
{
    uint32_t n = rw_thread_slots_used(); /* slots 1..n */
    while (++*slot <= n && *slot < RW_MAX_SLOTS) {
        rw_thread *t = rw_thread_by_slot(*slot);
        if (t && t != self && t->in_use && !__atomic_load_n(&t->busy, __ATOMIC_ACQUIRE))
            return t;
    }
    return NULL;
}

uint32_t rw_thread_count(void)
{
    return __atomic_load_n(&ninfos, __ATOMIC_RELAXED);
}

void rw_thread_grow_stack(rw_thread *t)
{
    uint32_t cap = t->stack_cap * 2;
    uintptr_t *n = rw_realloc(t->stack, cap * sizeof *n);
    if (!n) {
        /* Out of memory: keep the innermost frames only. */
        t->depth = t->stack_cap / 2;
        return;
    }
    t->stack = n;
    t->stack_cap = cap;
}

void rw_threads_lock_all(void)
{
    rw_spin_lock(&registry_lock);
    rw_trace_lock_retired();
}

void rw_threads_after_fork(rw_thread *survivor)
{
    rw_spin_lock(&registry_lock);
    for (uint32_t i = 1; i < nslots; i++) {
        rw_thread *t = slots[i];
        if (t == survivor)
            continue;
        if (t->in_use) {
            /* A thread that does not exist here: it ends where the fork
             * found it (its clock is as far as its shadow cells go).  Its
             * accesses not stored yet (the open read, the pending copies'
             * window) are dropped, not stored: storing them ran the race
             * check as that thread, here, under registry_lock, and a
             * report's stack look-up takes that lock (the child spun
             * forever: vfork_race-preload, 1 run in 60), besides
             * reporting in the child what the parent reports.  Nothing
             * here can race with them: the survivor is ordered after
             * the thread's last position below. */
            t->open_cells = NULL;
            t->held_cells = NULL;
            t->pend_base = 0;
            rw_thread_prepare_release(t);
            if (t->info) {
                rw_vclock_assign(&t->info->exit_vc, &t->vc);
                t->info->finished = 1;
            }
            t->final_pos = t->pos;
            t->in_use = 0;
            free_slots[nfree++] = t->slot;
        }
        /* Everything it did happened before the survivor's next event. */
        if (rw_vclock_get(&survivor->vc, t->slot) < t->final_pos)
            rw_vclock_set(&survivor->vc, t->slot, t->final_pos);
    }
    rw_spin_unlock(&registry_lock);
}

void rw_threads_unlock_all(void)
{
    rw_trace_unlock_retired();
    rw_spin_unlock(&registry_lock);
}
