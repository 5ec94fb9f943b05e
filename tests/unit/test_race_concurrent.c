/* test_race_concurrent.c: detector/race_check.c under true parallelism.
 *
 * The other race_check tests interleave "threads" by call order on one OS
 * thread.  Here two OS threads, each with its own detector slot, make
 * their first accesses to fresh memory at the same moment, thousands of
 * times, and every round must be reported: a check whose store is not
 * atomic with what it checked lets both threads' cells be stored without
 * either seeing the other, and the hot path then hides the race for good
 * (issue 9: counter_race missed 10% of runs on two idle cores).
 *
 * Rounds are started by a relaxed counter that both threads spin on (no
 * detector edge: the accesses stay unordered for the detector) and each
 * round uses a fresh granule.  The handler marks the round's granule. */
#include "detector/race_check.h"

#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "detector/syncvar.h"
#include "detector/thread.h"

#define BASE UINT64_C(0x300000000000)
#define ROUNDS 100000
#define PC 0x4242

static unsigned char hit[ROUNDS];
static int round_now;      /* relaxed: the round both threads may start */
static int arrived;        /* relaxed: how many finished the round */
static int kind;           /* which access pattern the threads run */
static int via_entry;      /* single accesses as instrumented code makes
                              them (instrument/tsan_access.c): the hot
                              path (a read in the open read's granule
                              added past cell 0), then rw_check_access_slow
                              (the single-access entry of the slow path) */

static void record(rw_thread *t, uintptr_t addr, rw_cell cur, rw_cell old, uintptr_t pc)
{
    (void)t, (void)cur, (void)old, (void)pc;
    uint64_t r = (addr - BASE) / 64;
    if (addr >= BASE && r < ROUNDS)
        __atomic_store_n(&hit[r], 1, __ATOMIC_RELAXED);
}

static int handed_over;   /* kind 8: the round whose read was released */

/* A release and an acquire on a sync object. */
static void sync_release(rw_thread *t, uintptr_t obj)
{
    rw_sync *s = rw_sync_get(obj, 1);
    rw_spin_lock(&s->lock);
    rw_sync_release(t, s);
    rw_spin_unlock(&s->lock);
}

static void sync_acquire(rw_thread *t, uintptr_t obj)
{
    rw_sync *s = rw_sync_get(obj, 1);
    rw_spin_lock(&s->lock);
    rw_sync_acquire(t, s);
    rw_spin_unlock(&s->lock);
}

/* One access of 1 << sizelog bytes at a, through the entry that the run
 * uses (see via_entry). */
static void access1(rw_thread *t, uintptr_t a, unsigned sizelog, int write, uint64_t *op)
{
    if (!via_entry) {
        rw_check_granule(t, a, sizelog, write, 0, PC, op);
        return;
    }
    rw_cell *cells = rw_shadow_cells(a);
    int found = rw_access_is_redundant_or_open(t, cells, (unsigned)(a & 7), sizelog, write, 0,
                                               !write && sizelog < 3);
    if (found < 0)
        rw_open_read_add_at(t, a, sizelog, PC); /* the open read's granule */
    else if (found == 0)
        rw_check_access_slow(t, cells, a, sizelog | (unsigned)write << 2, PC);
}

struct worker {
    rw_thread *t;
    int id;
};

/* The round's accesses: a counter++ (read then write of 4 bytes), a
 * 16-byte range write (memset), a write racing with a read, or a one-byte
 * write into a granule whose four cells hold other threads' reads of its
 * other bytes (both threads then make or use the granule's extension), a
 * free of a 16-byte block beside a write into it (or a range write: the
 * free's fenced plain store against the range fill's CAS), or, in a granule already
 * extended by five other threads' reads of its other bytes, a read of
 * byte 0 made twice (the second finds the reader's own cell in the
 * extension, without its lock) beside a write of byte 0, or a 4-byte
 * read racing with a 4-byte write beside another thread's earlier read of
 * byte 7 (both take the store without the general check, which leaves
 * that reader's cell in place), or, in a granule extended by three other
 * threads' reads and both threads' earlier accesses, a 2-byte write over
 * the writer's earlier inline write (stored inline without the general
 * check, which checks the extension after its store) beside a read of
 * byte 1 (stored inline, or in the extension under its lock when the
 * reader's earlier cell is there), or, in such a granule, a read of byte
 * 0 and then, ordered after it by a release and an acquire, a write of
 * byte 2 by the other thread (stored inline over the read, which moves to
 * the extension): that pattern must stay silent. */
static void accesses(rw_thread *t, int id, uintptr_t a)
{
    uint64_t op = 0;
    switch (kind) {
    case 0:
        rw_check_granule(t, a, 2, 0, 0, PC, &op);
        op = 0;
        rw_check_granule(t, a, 2, 1, 0, PC, &op);
        break;
    case 1:
        rw_check_range(t, a, 16, 1, 0, PC);
        break;
    case 2:
        access1(t, a, 3, id == 0, &op);
        break;
    case 3:
        rw_check_granule(t, a, 0, 1, 0, PC, &op);
        break;
    case 4:
        if (id == 0)
            rw_check_free(t, a, 16, PC);
        else
            rw_check_granule(t, a + 8, 3, 1, 0, PC, &op);
        break;
    case 5:
        if (id == 0) {
            rw_check_granule(t, a, 0, 0, 0, PC, &op);
            op = 0;
            rw_check_granule(t, a, 0, 0, 0, PC, &op);
        } else {
            rw_check_granule(t, a, 0, 1, 0, PC, &op);
        }
        break;
    case 6:
        rw_check_granule(t, a, 2, id == 0, 0, PC, &op);
        break;
    case 7:
        if (id == 0)
            access1(t, a, 1, 1, &op);
        else
            access1(t, a + 1, 0, 0, &op);
        break;
    case 9:
        /* After prepare_own_cells: a 4-byte write over the writer's own
         * write of the previous epoch beside a 4-byte read of the same
         * bytes by the other thread, whose earlier read of byte 7 is in
         * the granule (both stored without rw_check_granule_slow when
         * via_entry: the cells they see beside their own do not race). */
        access1(t, a, 2, id == 0, &op);
        break;
    case 10:
        /* The free's plain store into an empty granule's last cell
         * against the range fill's CAS into its first (mark_freed_batch). */
        if (id == 0)
            rw_check_free(t, a, 16, PC);
        else
            rw_check_range(t, a + 8, 8, 1, 0, PC);
        break;
    case 13:
        /* After prepare_stale_reads: an 8-byte write over the writer's
         * own older read (cell 0) beside the other thread's first 8-byte
         * read of the word, stored beside that read (plane 1): both take
         * the 8-byte copy of store_no_conflict via the entry, neither
         * CAS fails, and only the re-read after the CAS can see the
         * other. */
    case 11:
    case 12:
        /* After prepare_own_words / extend_for_words: an 8-byte write
         * beside an 8-byte read of the same word (the store of an
         * aligned 8-byte access has its own copy of store_no_conflict:
         * over the writer's own older write, clearing the reader's older
         * read, or inline beside an extension's marker). */
        access1(t, a, 3, id == 0, &op);
        break;
    case 14:
        /* A one-byte write of byte 1 beside reads of bytes 0 and 1 by the
         * other thread through the entry: the reads are checked but not
         * stored (race_check.c, the open read) until the reader's next
         * check of another granule, or its end; that store must find a
         * write made meanwhile, and a write made after it must find the
         * reads. */
        if (id == 0) {
            access1(t, a + 1, 0, 1, &op);
        } else {
            access1(t, a, 0, 0, &op);
            op = 0;
            access1(t, a + 1, 0, 0, &op);
        }
        break;
    case 15:
        /* After prepare_stale_word_reads: a one-byte write of byte 5
         * beside the other thread's two 4-byte reads of the word through
         * the entry (an open read, as Phoenix pca's rows), whose store
         * replaces the reader's own read of the previous epoch (cell 0):
         * the open read's direct store (race_check.c,
         * open_read_store_direct), made in the round (as a call would),
         * must see a write made since the open, before its snapshot or
         * beside its CAS, or be seen by it. */
        if (id == 0) {
            access1(t, a + 5, 0, 1, &op);
        } else {
            access1(t, a, 2, 0, &op);
            op = 0;
            access1(t, a + 4, 2, 0, &op);
            rw_open_read_flush(t); /* stored now, beside the write */
        }
        break;
    case 17:
        /* After prepare_stale_pair_reads: a one-byte write into the even
         * granule of the round's pair (even rounds) or the odd one (odd
         * rounds) beside the other thread's 4-byte reads of both through
         * the entry: the even granule's open read is held when the odd
         * one opens, and both are stored by one cmpxchg16b over the
         * reader's reads of the previous epoch (race_check.c, "The open
         * read's pair"), which must see a write made since either open,
         * or be seen by it. */
        if (id == 0) {
            access1(t, a + ((a - BASE) / 64 % 2 ? 13 : 5), 0, 1, &op);
        } else {
            for (unsigned at = 0; at < 16; at += 4) {
                op = 0;
                access1(t, a + at, 2, 0, &op);
            }
            rw_open_read_flush(t); /* stored now, beside the write */
        }
        break;
    case 16:
        /* After prepare_handed_pairs: a 16-byte range write by both
         * threads over the first's older write (cell 0) and the second's
         * older read of it (cell 1), both happening before both writes:
         * each may refill the pair with one cmpxchg16b per plane
         * (race_check.c, fill_pair_over), and must see the other's. */
        rw_check_range(t, a, 16, 1, 0, PC);
        break;
    case 18:
        /* A 16-byte free beside a 16-byte range write of the same block
         * (a pair: race_check.c, RANGE_CAS_PAIRS): the range's store of
         * both granules by one cmpxchg16b and its re-read
         * (pair_changed_since) against the free's marks (a plain store
         * into the last cell and a fence, or a CAS): one must see the
         * other. */
        if (id == 0)
            rw_check_free(t, a, 16, PC);
        else
            rw_check_range(t, a, 16, 1, 0, PC);
        break;
    case 19:
        /* After prepare_last_cell_pages: kind 10's free and range write,
         * where the free marks the empty granules of its batch by plain
         * stores into their last cells and one fence, then reads the
         * batch's planes again (mark_freed_batch); the range write's
         * first granule is fresh (a CAS into cell 0, then its re-read). */
        if (id == 0)
            rw_check_free(t, a, 32, PC);
        else
            rw_check_range(t, a + 8, 8, 1, 0, PC);
        break;
    case 21:
        /* After prepare_handed_pairs (32-byte blocks): the first thread's
         * 32-byte range write over its older write and the second's read
         * of it, whose second pair is stored by fill_pair_run
         * (race_check.c: the first pair's stores repeated, then the
         * pair's cells read again), beside the second thread's 1-byte
         * write into that pair's first granule (even rounds) or second
         * (odd rounds), which goes into an empty cell beside those older
         * cells: the run's re-read must see that cell, or the write's
         * re-read must see the run's. */
        if (id == 0)
            rw_check_range(t, a, 32, 1, 0, PC);
        else
            rw_check_granule(t, a + ((a - BASE) / 64 % 2 ? 29 : 21), 0, 1, 0, PC, &op);
        break;
    case 20:
        /* After prepare_used_blocks: the free of a block past a big
         * block's head, where only granules that hold cells are checked
         * and marked (rw_check_free_used), two granules in use by one
         * cmpxchg16b per plane and their other planes read again
         * (mark_used_pair), beside an 8-byte write into the first
         * granule (odd rounds) or the second (even rounds): one must see
         * the other. */
        if (id == 0)
            rw_check_free_used(t, a, 16, PC);
        else
            rw_check_granule(t, a + ((a - BASE) / 64 % 2 ? 0 : 8), 3, 1, 0, PC, &op);
        break;
    case 22:
        /* After prepare_full_own_granules: the second thread's 3-byte
         * range read of bytes 4-6 (two pieces) into its granule full of
         * its own older writes of bytes 0-3, no cell empty nor inside the
         * run: both pieces go over spare cells (race_check.c,
         * short_granule), beside the first thread's write of byte 6 (the
         * second piece): one must see the other. */
        if (id == 0)
            rw_check_granule(t, a + 6, 0, 1, 0, PC, &op);
        else
            rw_check_range(t, a + 4, 3, 0, 0, PC);
        break;
    case 8:
        if (id == 0) {
            rw_check_granule(t, a, 0, 0, 0, PC, &op);
            sync_release(t, 0x2000);
            __atomic_store_n(&handed_over, 1 + (int)((a - BASE) / 64), __ATOMIC_RELEASE);
        } else {
            while (__atomic_load_n(&handed_over, __ATOMIC_ACQUIRE) != 1 + (int)((a - BASE) / 64))
                sched_yield();
            sync_acquire(t, 0x2000);
            rw_check_granule(t, a + 2, 0, 1, 0, PC, &op);
        }
        break;
    }
}

static void *work(void *arg)
{
    struct worker *w = arg;
    for (int r = 0; r < ROUNDS; r++) {
        for (int n = 0; __atomic_load_n(&round_now, __ATOMIC_RELAXED) < r; n++)
            if (n > 1000)
                sched_yield();
        accesses(w->t, w->id, BASE + (uint64_t)r * 64);
        __atomic_fetch_add(&arrived, 1, __ATOMIC_RELAXED);
    }
    rw_open_read_flush(w->t); /* as the thread's end does */
    return NULL;
}

/* Before the rounds of kind 7 and 8: each round's granule extended. */
static void extend_granules(rw_thread *mainth, struct worker *w, int which)
{
    rw_thread *reader[3];
    for (int i = 0; i < 3; i++) {
        reader[i] = rw_thread_create(mainth, 0);
        ck_assert_ptr_nonnull(reader[i]);
    }
    for (int r = 0; r < ROUNDS; r++) {
        uintptr_t a = BASE + (uint64_t)r * 64;
        uint64_t op = 0;
        /* kind 7: the writer's byte 0 and the reader's byte 1; kind 8:
         * the first thread's read of byte 0 and the second's of byte 3;
         * and three other threads' reads of bytes 4..6 (the last
         * overflows the granule). */
        rw_check_granule(w[0].t, a, 0, which == 7, 0, PC, &op);
        for (int i = 0; i < 3; i++) {
            if (i == 2) {
                op = 0;
                rw_check_granule(w[1].t, a + (which == 7 ? 1 : 3), 0, 0, 0, PC, &op);
            }
            op = 0;
            rw_check_granule(reader[i], a + 4 + (unsigned)i, 0, 0, 0, PC, &op);
        }
    }
    /* Kind 7: the reader's earlier read happens before the writer's new
     * write (so only this round's read races with it); kind 8: the first
     * thread's next reads are in a new epoch. */
    sync_release(which == 7 ? w[1].t : w[0].t, 0x1000);
    if (which == 7)
        sync_acquire(w[0].t, 0x1000);
}

/* Before the rounds of kind 9: the first thread's write of bytes 0..3
 * and the second's read of byte 7 in each round's granule, then a
 * release of the first that the second acquires (the old write happens
 * before the second's read; the first's next write is a new epoch). */
static void prepare_own_cells(struct worker *w)
{
    for (int r = 0; r < ROUNDS; r++) {
        uintptr_t a = BASE + (uint64_t)r * 64;
        uint64_t op = 0;
        access1(w[0].t, a, 2, 1, &op);
        op = 0;
        access1(w[1].t, a + 7, 0, 0, &op);
    }
    sync_release(w[0].t, 0x3000);
    sync_acquire(w[1].t, 0x3000);
}

/* Before the rounds of kind 11: the first thread's 8-byte write of each
 * round's word, then (ordered after it) the second's 8-byte read, then
 * a release of the second that the first acquires: both old accesses
 * happen before both new ones, which are each thread's next epoch. */
static void prepare_own_words(struct worker *w)
{
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t op = 0;
        access1(w[0].t, BASE + (uint64_t)r * 64, 3, 1, &op);
    }
    sync_release(w[0].t, 0x4000);
    sync_acquire(w[1].t, 0x4000);
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t op = 0;
        access1(w[1].t, BASE + (uint64_t)r * 64, 3, 0, &op);
    }
    sync_release(w[1].t, 0x4001);
    sync_acquire(w[0].t, 0x4001);
}

/* Before the rounds of kind 13: the first thread's 8-byte read of each
 * round's word, then a release of it that nobody acquires (its next
 * write is a new epoch; the second thread knows nothing of the read). */
static void prepare_stale_reads(struct worker *w)
{
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t op = 0;
        access1(w[0].t, BASE + (uint64_t)r * 64, 3, 0, &op);
    }
    sync_release(w[0].t, 0x6000);
}

/* Before the rounds of kind 12: each round's word extended by the first
 * thread's write of byte 0, the second's read of byte 3 and three other
 * threads' reads of bytes 4..6, all of which happen before both threads'
 * next accesses (a new epoch of each). */
static void extend_for_words(rw_thread *mainth, struct worker *w)
{
    rw_thread *reader[3];
    for (int i = 0; i < 3; i++) {
        reader[i] = rw_thread_create(mainth, 0);
        ck_assert_ptr_nonnull(reader[i]);
    }
    for (int r = 0; r < ROUNDS; r++) {
        uintptr_t a = BASE + (uint64_t)r * 64;
        uint64_t op = 0;
        rw_check_granule(w[0].t, a, 0, 1, 0, PC, &op);
        op = 0;
        rw_check_granule(w[1].t, a + 3, 0, 0, 0, PC, &op);
        for (int i = 0; i < 3; i++) {
            op = 0;
            rw_check_granule(reader[i], a + 4 + (unsigned)i, 0, 0, 0, PC, &op);
        }
    }
    for (int i = 0; i < 3; i++)
        sync_release(reader[i], 0x5000);
    sync_release(w[0].t, 0x5000);
    sync_release(w[1].t, 0x5000);
    sync_acquire(w[0].t, 0x5000);
    sync_acquire(w[1].t, 0x5000);
}

/* Before the rounds of kind 15: the second thread's reads of each
 * round's word in two 4-byte halves through the entry (stored as one
 * 8-byte read by the open read), then a release of it that the first
 * acquires: the old reads happen before the first thread's write, and
 * the second's next reads are a new epoch. */
static void prepare_stale_word_reads(struct worker *w)
{
    via_entry = 1;
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t op = 0;
        access1(w[1].t, BASE + (uint64_t)r * 64, 2, 0, &op);
        op = 0;
        access1(w[1].t, BASE + (uint64_t)r * 64 + 4, 2, 0, &op);
    }
    sync_release(w[1].t, 0x7000);
    sync_acquire(w[0].t, 0x7000);
}

/* Before the rounds of kind 17: the second thread's 4-byte reads of
 * each round's two granules through the entry (an open read's pair),
 * then a release of it that the first acquires, as for kind 15. */
static void prepare_stale_pair_reads(struct worker *w)
{
    via_entry = 1;
    for (int r = 0; r < ROUNDS; r++) {
        for (unsigned at = 0; at < 16; at += 4) {
            uint64_t op = 0;
            access1(w[1].t, BASE + (uint64_t)r * 64 + at, 2, 0, &op);
        }
    }
    rw_open_read_flush(w[1].t);
    sync_release(w[1].t, 0x7100);
    sync_acquire(w[0].t, 0x7100);
}

/* Before the rounds of kinds 16 and 21: the first thread's range write of
 * size bytes (16, 32) at each round's block, then (ordered after it) the
 * second's range read of it (beside the write, in cell 1: the main thread is not ordered
 * after the write), then a release of the second that the first acquires:
 * both old accesses happen before both threads' next ones, each a new
 * epoch. */
static void prepare_handed_pairs(struct worker *w, size_t size)
{
    for (int r = 0; r < ROUNDS; r++)
        rw_check_range(w[0].t, BASE + (uint64_t)r * 64, size, 1, 0, PC);
    sync_release(w[0].t, 0x8000);
    sync_acquire(w[1].t, 0x8000);
    for (int r = 0; r < ROUNDS; r++)
        rw_check_range(w[1].t, BASE + (uint64_t)r * 64, size, 0, 0, PC);
    sync_release(w[1].t, 0x8001);
    sync_acquire(w[0].t, 0x8001);
}

/* Before the rounds of kind 20: the first thread's 16-byte range write of
 * each round's block and the second's 4-byte read of byte 12 (so the
 * second granule holds two cells, in two planes), then releases that
 * order both before both threads' next accesses. */
static void prepare_used_blocks(struct worker *w)
{
    for (int r = 0; r < ROUNDS; r++)
        rw_check_range(w[0].t, BASE + (uint64_t)r * 64, 16, 1, 0, PC);
    sync_release(w[0].t, 0x9000);
    sync_acquire(w[1].t, 0x9000);
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t op = 0;
        rw_check_granule(w[1].t, BASE + (uint64_t)r * 64 + 12, 2, 0, 0, PC, &op);
    }
    sync_release(w[1].t, 0x9001);
    sync_acquire(w[0].t, 0x9001);
}

/* Before the rounds of kind 22: the second thread's one-byte writes of
 * bytes 0, 1, 2 and 3 of each round's granule, each in an epoch of its
 * own (a release between: four cells, none covering another), then a
 * release of it that the first acquires. */
static void prepare_full_own_granules(struct worker *w)
{
    for (unsigned byte = 0; byte < 4; byte++) {
        for (int r = 0; r < ROUNDS; r++) {
            uint64_t op = 0;
            rw_check_granule(w[1].t, BASE + (uint64_t)r * 64 + byte, 0, 1, 0, PC, &op);
        }
        sync_release(w[1].t, 0x9100 + byte);
    }
    sync_acquire(w[0].t, 0x9103);
}

/* Before the rounds of kind 18: four readers' reads of one granule of
 * every 4 KiB page of the rounds (at byte 48 of a round's 64, which the
 * round does not use) fill its four cells, so each page's last-cell plane
 * page exists and the free marks the rounds' empty granules by a plain
 * store into the last cell and one fence (mark_freed_batch), not by CAS
 * into cell 0 as it does where that page is missing. */
static void prepare_last_cell_pages(rw_thread *mainth)
{
    for (int i = 0; i < RW_CELLS_PER_GRANULE; i++) {
        rw_thread *reader = rw_thread_create(mainth, 0);
        ck_assert_ptr_nonnull(reader);
        for (uint64_t page = BASE; page < BASE + (uint64_t)ROUNDS * 64; page += 4096) {
            uint64_t op = 0;
            rw_check_granule(reader, page + 48, 0, 0, 0, PC, &op);
        }
    }
}

static void run_rounds(int which);

static void run_rounds_via(int which, int entry)
{
    via_entry = entry;
    run_rounds(which);
}

static void run_rounds(int which)
{
    ck_assert_int_eq(rw_shadow_init(), 0);
    ck_assert_int_eq(rw_threads_init(10), 0);
    rw_race_handler = record;
    rw_thread *mainth = rw_thread_create_main();
    ck_assert_ptr_nonnull(mainth);
    kind = which;
    memset(hit, 0, sizeof hit);
    struct worker w[2];
    pthread_t pt[2];
    for (int i = 0; i < 2; i++) {
        w[i].t = rw_thread_create(mainth, 0);
        w[i].id = i;
        ck_assert_ptr_nonnull(w[i].t);
    }
    if (which == 3 || which == 5) {
        int readers = which == 3 ? 4 : 5;
        for (int i = 0; i < readers; i++) {
            rw_thread *reader = rw_thread_create(mainth, 0);
            ck_assert_ptr_nonnull(reader);
            for (int r = 0; r < ROUNDS; r++) {
                uint64_t op = 0;
                rw_check_granule(reader, BASE + (uint64_t)r * 64 + 8 - (unsigned)readers + (unsigned)i, 0, 0, 0, PC, &op);
            }
        }
    }
    if (which == 7 || which == 8)
        extend_granules(mainth, w, which);
    if (which == 9)
        prepare_own_cells(w);
    if (which == 11)
        prepare_own_words(w);
    if (which == 12)
        extend_for_words(mainth, w);
    if (which == 13)
        prepare_stale_reads(w);
    if (which == 15)
        prepare_stale_word_reads(w);
    if (which == 16)
        prepare_handed_pairs(w, 16);
    if (which == 21)
        prepare_handed_pairs(w, 32);
    if (which == 17)
        prepare_stale_pair_reads(w);
    if (which == 18 || which == 19)
        prepare_last_cell_pages(mainth);
    if (which == 20)
        prepare_used_blocks(w);
    if (which == 22)
        prepare_full_own_granules(w);
    if (which == 6) {
        rw_thread *reader = rw_thread_create(mainth, 0);
        ck_assert_ptr_nonnull(reader);
        for (int r = 0; r < ROUNDS; r++) {
            uint64_t op = 0;
            rw_check_granule(reader, BASE + (uint64_t)r * 64 + 7, 0, 0, 0, PC, &op);
        }
    }
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&pt[i], NULL, work, &w[i]), 0);
    for (int r = 0; r < ROUNDS; r++) {
        for (int n = 0; __atomic_load_n(&arrived, __ATOMIC_RELAXED) < 2 * r; n++)
            if (n > 1000)
                sched_yield();
        __atomic_store_n(&round_now, r, __ATOMIC_RELAXED);
    }
    for (int i = 0; i < 2; i++)
        pthread_join(pt[i], NULL);
    int missed = 0, first = -1;
    for (int r = 0; r < ROUNDS; r++)
        if (!hit[r] != (which == 8)) {
            missed++;
            if (first < 0)
                first = r;
        }
    /* RW_DUMP_MISSED=1: the cells of the first missed rounds' granules,
     * to tell which paths stored what (how kind 22's loss was found). */
    if (getenv("RW_DUMP_MISSED")) {
        int shown = 0;
        for (int r = 0; r < ROUNDS && shown < 6; r++)
            if (!hit[r] != (which == 8)) {
                shown++;
                uintptr_t a = BASE + (uint64_t)r * 64;
                rw_cell out[64];
                int n = rw_granule_accesses(a, out, 64);
                fprintf(stderr, "round %d: %d cells:", r, n);
                for (int i = 0; i < n; i++)
                    fprintf(stderr, " [slot %u clk %llu off %u size %u %s]", rw_cell_slot(out[i]),
                            (unsigned long long)rw_cell_clock(out[i]), rw_cell_offset(out[i]),
                            rw_cell_size(out[i]), rw_cell_is_write(out[i]) ? "W" : "R");
                fprintf(stderr, "\n");
            }
    }
    if (which == 8) {
        ck_assert_msg(missed == 0, "%d of %d ordered accesses were reported (first: round %d)",
                      missed, ROUNDS, first);
        return;
    }
    ck_assert_msg(missed == 0, "%d of %d simultaneous first accesses went unreported (first: round %d)",
                  missed, ROUNDS, first);
}

START_TEST(counter_increments)
{
    run_rounds(0);
}
END_TEST

START_TEST(range_writes)
{
    run_rounds(1);
}
END_TEST

START_TEST(write_and_read)
{
    run_rounds(2);
}
END_TEST

START_TEST(full_granule_writes)
{
    run_rounds(3);
}
END_TEST

START_TEST(free_and_write)
{
    run_rounds(4);
}
END_TEST

START_TEST(free_and_range_write)
{
    run_rounds(10);
}
END_TEST

START_TEST(extended_read_and_write)
{
    run_rounds(5);
}
END_TEST

START_TEST(write_and_read_beside_a_reader)
{
    run_rounds(6);
}
END_TEST

START_TEST(extended_inline_write_and_read)
{
    run_rounds(7);
}
END_TEST

START_TEST(extended_ordered_read_then_write)
{
    run_rounds(8);
}
END_TEST

START_TEST(own_write_and_read_beside_own_cells)
{
    run_rounds(9);
}
END_TEST

START_TEST(entry_write_and_read)
{
    run_rounds_via(2, 1);
}
END_TEST

START_TEST(entry_own_write_and_read_beside_own_cells)
{
    run_rounds_via(9, 1);
}
END_TEST

START_TEST(entry_extended_inline_write_and_read)
{
    run_rounds_via(7, 1);
}
END_TEST

START_TEST(own_word_write_and_read)
{
    run_rounds(11);
}
END_TEST

START_TEST(entry_own_word_write_and_read)
{
    run_rounds_via(11, 1);
}
END_TEST

START_TEST(extended_word_write_and_read)
{
    run_rounds(12);
}
END_TEST

START_TEST(entry_extended_word_write_and_read)
{
    run_rounds_via(12, 1);
}
END_TEST

START_TEST(range_writes_over_handed_pairs)
{
    run_rounds(16);
}
END_TEST

START_TEST(range_write_run_over_handed_pairs_and_byte_write)
{
    run_rounds(21);
}
END_TEST

START_TEST(entry_word_write_over_own_read_and_first_read)
{
    run_rounds_via(13, 1);
}
END_TEST

START_TEST(entry_byte_write_and_open_reads)
{
    run_rounds_via(14, 1);
}
END_TEST

START_TEST(entry_byte_write_and_open_reads_over_own_read)
{
    run_rounds_via(15, 1);
}
END_TEST

START_TEST(used_free_and_write)
{
    run_rounds(20);
}
END_TEST

START_TEST(entry_byte_write_and_open_read_pairs)
{
    run_rounds_via(17, 1);
}
END_TEST

START_TEST(free_and_range_pair_write)
{
    run_rounds(18);
}
END_TEST

START_TEST(free_batch_and_range_write)
{
    run_rounds(19);
}
END_TEST

START_TEST(range_read_pieces_over_own_cells_and_write)
{
    run_rounds(22);
}
END_TEST

static Suite *concurrent_suite(void)
{
    Suite *s = suite_create("race_concurrent");
    TCase *tc = tcase_create("simultaneous");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, counter_increments);
    tcase_add_test(tc, range_writes);
    tcase_add_test(tc, write_and_read);
    tcase_add_test(tc, full_granule_writes);
    tcase_add_test(tc, free_and_write);
    tcase_add_test(tc, free_and_range_write);
    tcase_add_test(tc, extended_read_and_write);
    tcase_add_test(tc, write_and_read_beside_a_reader);
    tcase_add_test(tc, extended_inline_write_and_read);
    tcase_add_test(tc, extended_ordered_read_then_write);
    tcase_add_test(tc, own_write_and_read_beside_own_cells);
    tcase_add_test(tc, entry_write_and_read);
    tcase_add_test(tc, entry_own_write_and_read_beside_own_cells);
    tcase_add_test(tc, entry_extended_inline_write_and_read);
    tcase_add_test(tc, own_word_write_and_read);
    tcase_add_test(tc, entry_own_word_write_and_read);
    tcase_add_test(tc, extended_word_write_and_read);
    tcase_add_test(tc, entry_extended_word_write_and_read);
    tcase_add_test(tc, range_writes_over_handed_pairs);
    tcase_add_test(tc, range_write_run_over_handed_pairs_and_byte_write);
    tcase_add_test(tc, entry_word_write_over_own_read_and_first_read);
    tcase_add_test(tc, entry_byte_write_and_open_reads);
    tcase_add_test(tc, entry_byte_write_and_open_reads_over_own_read);
    tcase_add_test(tc, entry_byte_write_and_open_read_pairs);
    tcase_add_test(tc, free_and_range_pair_write);
    tcase_add_test(tc, free_batch_and_range_write);
    tcase_add_test(tc, used_free_and_write);
    /* A piece stored, the re-read seeing the writer's new extension, and
     * the piece's check again answered as redundant by the cell it had
     * just stored, without a look into the extension: 3 to 50 of 100,000
     * rounds lost before store_no_conflict and ext_own_redundant left
     * this operation's own cells out (docs/design.md, December 8). */
    tcase_add_test(tc, range_read_pieces_over_own_cells_and_write);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(concurrent_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
