/* sync_memory.c: synchronization objects as memory, as ThreadSanitizer
 * sees them: pthread_mutex_init/destroy (and the rwlock, spinlock,
 * condition, barrier and semaphore ones) write the object; lock, wait,
 * signal and post read it.  An init racing with another thread's lock, or
 * a destroy racing with a thread that still used the object, is a data
 * race at the object's first byte (shared/spec/reports.md shapes: `Read
 * at ... Previous write at ...`, `Location is global 'm' ...`).
 *
 * ThreadSanitizer records every lock and unlock as a read in the shadow;
 * here that would put a slow-path shadow access on every uncontended lock
 * (every unlock is a release, so the next lock's read is never the
 * same-epoch fast case: measured, 6 to 14% more CPU on
 * bench/workloads/mutex.c in alternating runs).
 * Instead the object's own history stands in for those reads:
 *
 *   - an init or destroy is a real shadow write of the first byte (it
 *     races with any access recorded there), and the object keeps its
 *     epoch in write_to_check; while it is set, every use also reads the
 *     byte in the shadow, so a use that the write does not happen before
 *     is reported against it.  It is cleared once the object's clock (what
 *     its releases carry to later users: unlocks, posts, arrivals) covers
 *     the write: every later use acquires it then.  A condition variable
 *     has no clock (signals make no edge), so its uses are checked for as
 *     long as it lives after an init;
 *   - every use stores its epoch in last_use (one relaxed store, on the
 *     lock path the only new work); an init or destroy that the latest use
 *     does not happen before races with it.  The latest use suffices for
 *     mutexes and spinlocks: their uses are totally ordered by the lock
 *     itself.  For the others it is the latest only (two readers of an
 *     rwlock, say, are not ordered with each other: an earlier one can be
 *     missed, never invented).
 *
 * Memory is reused without any edge (free, then another thread's malloc
 * of the same block), and a lock's epoch is not a shadow cell that malloc
 * would clear.  So a latest use is only believed to be this object's when
 * the object lives in a module's static data (never reused), or when the
 * shadow still holds the write of this object's init (malloc and thread
 * starts clear it); an init or destroy forgets the uses before it.  An
 * object that was never initialized in its current memory (zeroed, or a
 * static initializer assigned) in heap or stack memory is therefore not
 * checked against its uses: a possible miss, never a false report. */
#include "runtime/rt.h"

#include <link.h>

#include "detector/shadow.h"
#include "detector/syncvar.h"

static inline uint64_t epoch_of(rw_thread *t, uintptr_t a, int write)
{
    return rw_cell_make(t->slot, t->pos, (unsigned)(a & 7), 0, write, 0);
}

static inline int happens_before(uint64_t epoch, rw_thread *t)
{
    unsigned slot = rw_cell_slot(epoch);
    return slot == t->slot || rw_cell_clock(epoch) <= rw_vclock_get(&t->vc, slot);
}

/* --- uses ----------------------------------------------------------------- */

void rw_sync_use_checked(rw_thread *t, rw_sync *s, const volatile void *obj, uintptr_t pc)
{
    uint64_t w = __atomic_load_n(&s->write_to_check, __ATOMIC_RELAXED);
    if (!w)
        return;
    rw_runtime_check_range(t, (uintptr_t)obj, 1, 0, 0, pc);
    rw_spin_lock(&s->lock);
    if (rw_cell_clock(w) <= rw_vclock_get(&s->vc, rw_cell_slot(w)))
        __atomic_compare_exchange_n(&s->write_to_check, &w, 0, 0, __ATOMIC_RELAXED,
                                    __ATOMIC_RELAXED);
    rw_spin_unlock(&s->lock);
}

void rw_sync_use_at(const volatile void *obj, uintptr_t pc)
{
    if (rw_ignore_sync)
        return;
    rw_thread *t = rw_enter();
    if (!t)
        return;
    if (!t->ignore) {
        rw_sync *s = rw_sync_get((uintptr_t)obj, 1);
        if (s) {
            rw_thread_event(t, RW_EV_ACCESS, pc);
            rw_sync_use(t, s, obj, pc);
        }
    }
    rw_leave();
}

/* --- init and destroy --------------------------------------------------- */

static int in_static(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    uintptr_t a = *(uintptr_t *)data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W) && a >= lo && a < lo + ph->p_memsz)
            return 1;
    }
    return 0;
}

/* Whether the latest use recorded for the object at a belongs to the
 * memory it lives in now (see the top of the file). */
static int use_is_current(rw_sync *s, uintptr_t a)
{
    if (dl_iterate_phdr(in_static, &a))
        return 1;
    uint64_t init = __atomic_load_n(&s->init_write, __ATOMIC_RELAXED);
    rw_cell *cells = init ? rw_shadow_cells(a) : NULL;
    if (!cells)
        return 0;
    unsigned byte = 1u << (a & 7);
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_cell c = rw_cell_load(cells, i, __ATOMIC_RELAXED);
        if (c && !rw_cell_is_freed(c) && rw_cell_is_write(c) && (rw_cell_mask(c) & byte) &&
            rw_cell_slot(c) == rw_cell_slot(init) && rw_cell_clock(c) <= rw_cell_clock(init))
            return 1;
    }
    return 0;
}

void rw_sync_object_write(const volatile void *obj, int init, uintptr_t pc)
{
    if (rw_ignore_sync)
        return;
    rw_thread *t = rw_enter();
    if (!t)
        return;
    if (t->ignore) {
        rw_leave();
        return;
    }
    uintptr_t a = (uintptr_t)obj;
    rw_sync *s = rw_sync_get(a, 1);
    if (s) {
        uint64_t use = __atomic_load_n(&s->last_use, __ATOMIC_RELAXED);
        if (use && !happens_before(use, t) && use_is_current(s, a) && rw_race_handler) {
            /* The latest use was not followed by anything that orders it
             * before this write: a race with that read. */
            rw_race_handler(t, a, epoch_of(t, a, 1), use, pc);
        }
    }
    rw_runtime_check_range(t, a, 1, 1, 0, pc);
    if (s) {
        uint64_t w = epoch_of(t, a, 1);
        __atomic_store_n(&s->last_use, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&s->write_to_check, w, __ATOMIC_RELAXED);
        if (init)
            __atomic_store_n(&s->init_write, w, __ATOMIC_RELAXED);
    }
    rw_leave();
}
