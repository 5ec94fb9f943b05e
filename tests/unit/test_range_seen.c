/* test_range_seen.c: the granule cache of runtime/range_seen.h, which
 * lets an interceptor skip the race check of a short range (strcmp,
 * strlen, a small memcpy) this thread already checked since its last
 * release.  Each test is a case where skipping would be wrong (a new
 * epoch, a stronger access, other bytes, another thread, a free, a
 * cleared shadow, an era that wrapped) and checks that the range is
 * checked again, and, where another thread's access lies between, that
 * the race is reported.
 *
 * No OS threads: "threads" are slots made with rw_thread_create, ordered
 * by the order of the calls and by rw_sync_release/_acquire (as in
 * test_range_fill.c).  access() is what rw_intercepted_range does with
 * a short plain range: a range checked enters the cache when it is found
 * covered in the shadow, at its next access. */

#include "runtime/range_seen.h"

#include <check.h>
#include <stdint.h>

#include "detector/syncvar.h"
#include "detector/thread.h"

#define G UINT64_C(0x200000003000) /* a granule-aligned made-up address */
#define PC 0x4242

static int ncalls;
static rw_thread *mainth;
static int checks; /* ranges that took the race check */

static void record(rw_thread *t, uintptr_t addr, rw_cell cur, rw_cell old, uintptr_t pc)
{
    (void)t, (void)addr, (void)cur, (void)old, (void)pc;
    ncalls++;
}

/* The thread whose accesses this OS thread makes now: as
 * rw_set_current_thread (runtime/rt.h) does at every switch of rw_cur,
 * the table's era ends when another one comes (its stamp names no
 * thread). */
static rw_thread *current;
static void make_current(rw_thread *t)
{
    if (t != current)
        rw_range_seen_thread_switched();
    current = t;
}

static void setup(void)
{
    ck_assert_int_eq(rw_shadow_init(), 0);
    ck_assert_int_eq(rw_threads_init(10), 0);
    rw_race_handler = record;
    rw_use_after_free_handler = record;
    ncalls = 0;
    checks = 0;
    mainth = rw_thread_create_main();
    ck_assert_ptr_nonnull(mainth);
    make_current(NULL);
}

static rw_thread *spawn(void)
{
    rw_thread *t = rw_thread_create(mainth, 0);
    ck_assert_ptr_nonnull(t);
    return t;
}

static void release(rw_thread *t, uintptr_t obj)
{
    rw_sync *s = rw_sync_get(obj, 1);
    rw_spin_lock(&s->lock);
    rw_sync_release(t, s);
    rw_spin_unlock(&s->lock);
}

static void acquire(rw_thread *t, uintptr_t obj)
{
    rw_sync *s = rw_sync_get(obj, 1);
    rw_spin_lock(&s->lock);
    rw_sync_acquire(t, s);
    rw_spin_unlock(&s->lock);
}

/* An interceptor's short plain range, as rw_intercepted_range does it. */
static void access(rw_thread *t, uintptr_t addr, size_t size, int write)
{
    make_current(t);
    if (rw_range_seen(t, addr, size, write, 0))
        return;
    checks++;
    rw_check_range(t, addr, size, write, 0, PC);
}

/* The range accessed, then again: in the cache from then on. */
static void access_cached(rw_thread *t, uintptr_t addr, size_t size, int write)
{
    access(t, addr, size, write);
    access(t, addr, size, write);
    rw_range_seen_table *tab = &rw_range_seen_tab;
    ck_assert(rw_range_seen_cached(tab, rw_range_seen_era_key(tab, t), addr, addr + size, write));
}

/* The cache answers a repeat, and only a repeat of what it holds. */
START_TEST(test_repeat_skipped_other_bytes_checked)
{
    rw_thread *a = spawn();
    access(a, G + 3, 9, 0); /* [3, 12): two granules */
    ck_assert_int_eq(checks, 1);
    access(a, G + 3, 9, 0);
    access(a, G + 4, 2, 0);
    ck_assert_int_eq(checks, 1);
    /* Cleared shadow under the cache (as after munmap): the cache alone
     * must not answer; this reaches the check. */
    rw_range_seen_forget_all();
    rw_shadow_clear(G, 64);
    access(a, G + 3, 9, 0);
    ck_assert_int_eq(checks, 2);
    ck_assert_int_eq(ncalls, 0);
}
END_TEST

/* A byte next to the cached ones, in a granule that is cached. */
START_TEST(test_neighbour_byte_checked)
{
    rw_thread *a = spawn();
    access(a, G + 3, 2, 0);
    access(a, G + 3, 2, 0); /* found in the shadow: cached */
    ck_assert_int_eq(checks, 1);
    ck_assert(!rw_range_seen_cached(&rw_range_seen_tab,
                                    rw_range_seen_era_key(&rw_range_seen_tab, a), G + 2, G + 4,
                                    0));
    ck_assert(rw_range_seen_cached(&rw_range_seen_tab,
                                   rw_range_seen_era_key(&rw_range_seen_tab, a), G + 3, G + 5, 0));
}
END_TEST

/* A read in the cache does not answer for a write of the same bytes. */
START_TEST(test_write_after_read_checked)
{
    rw_thread *a = spawn(), *b = spawn();
    access(b, G + 8, 4, 0); /* b reads, unordered with a */
    access_cached(a, G + 8, 4, 0); /* a reads: no race */
    ck_assert_int_eq(ncalls, 0);
    access(a, G + 8, 4, 1); /* a writes: races with b's read */
    ck_assert_int_eq(ncalls, 1);
}
END_TEST

/* After our release another thread may write the bytes, ordered after
 * our read but not before our next one: that read must be checked. */
START_TEST(test_release_starts_new_epoch)
{
    rw_thread *a = spawn(), *b = spawn();
    access_cached(a, G + 16, 5, 0);
    release(a, 0x500);
    acquire(b, 0x500);
    /* b runs on another OS thread, with a cache of its own. */
    rw_check_range(b, G + 16, 5, 1, 0, PC); /* ordered after a's read: silent */
    ck_assert_int_eq(ncalls, 0);
    access(a, G + 16, 5, 0); /* not ordered after b's write */
    ck_assert_int_gt(ncalls, 0);
}
END_TEST

/* Another thread on the same OS thread (a fiber) has its own epoch:
 * what a's cache holds says nothing for b. */
START_TEST(test_other_thread_not_answered)
{
    rw_thread *a = spawn(), *b = spawn(), *c = spawn();
    access_cached(a, G + 24, 3, 1);
    access(c, G + 24, 3, 1); /* races with a's write */
    int races = ncalls;
    ck_assert_int_gt(races, 0);
    access(b, G + 24, 3, 1); /* races too, though a's entry is cached */
    ck_assert_int_gt(ncalls, races);
}
END_TEST

/* Our own free forgets the cache (as intercept_malloc.c does): a use
 * after our free is checked, and reported. */
START_TEST(test_forget_after_own_free)
{
    rw_thread *a = spawn();
    access_cached(a, G + 32, 8, 0);
    int before = checks;
    rw_check_free(a, G + 32, 8, PC);
    rw_range_seen_forget();
    access(a, G + 32, 8, 0);
    ck_assert_int_eq(checks, before + 1);
    ck_assert_int_eq(ncalls, 1);
}
END_TEST

/* The era is 16 bits of the key: after it wraps, an entry of the era
 * with the same number must not answer. */
START_TEST(test_era_wrap_empties_cache)
{
    rw_thread *a = spawn();
    rw_range_seen_table *tab = &rw_range_seen_tab;
    access_cached(a, G + 40, 4, 0);
    uint64_t era = tab->era;
    for (int i = 0; i < 0xffff; i++)
        rw_range_seen_new_era(tab);
    ck_assert_uint_eq(tab->era, era); /* the same number again */
    ck_assert(!rw_range_seen_cached(tab, tab->era << RW_RANGE_SEEN_ERA_SHIFT, G + 40, G + 44, 0));
    /* The exact entry of the range is emptied too. */
    ck_assert(rw_range_seen_exact_slot(tab, G + 40)->key !=
              ((G + 40) | tab->era << RW_RANGE_SEEN_ERA_SHIFT));
}
END_TEST

/* The exact entries: a repeat of a whole range is answered there, a
 * longer range from the same start is not (its new bytes may race). */
START_TEST(test_exact_entry_longer_range_checked)
{
    rw_thread *a = spawn(), *b = spawn();
    access_cached(a, G + 48, 4, 0);
    access(a, G + 48, 4, 0);
    rw_range_seen_exact *x = rw_range_seen_exact_slot(&rw_range_seen_tab, G + 48);
    ck_assert_uint_eq(x->key, (G + 48) | rw_range_seen_era_key(&rw_range_seen_tab, a));
    ck_assert_ptr_nonnull(x);
    ck_assert_uint_eq(x->len, 4);
    int before = checks;
    access(b, G + 53, 1, 1); /* b writes the byte after, unordered with a */
    access(a, G + 48, 6, 0); /* a reads it too: checked, the race reported */
    ck_assert_int_eq(checks, before + 2);
    ck_assert_int_eq(ncalls, 1);
}
END_TEST

static Suite *range_seen_suite(void)
{
    Suite *s = suite_create("range_seen");
    TCase *tc = tcase_create("granule_cache");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_repeat_skipped_other_bytes_checked);
    tcase_add_test(tc, test_neighbour_byte_checked);
    tcase_add_test(tc, test_write_after_read_checked);
    tcase_add_test(tc, test_release_starts_new_epoch);
    tcase_add_test(tc, test_other_thread_not_answered);
    tcase_add_test(tc, test_forget_after_own_free);
    tcase_add_test(tc, test_era_wrap_empties_cache);
    tcase_add_test(tc, test_exact_entry_longer_range_checked);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(range_seen_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
