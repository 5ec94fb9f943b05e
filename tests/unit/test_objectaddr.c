/* test_objectaddr.c: detector/objectaddr.c, what an object's stand-in
 * address means: exact entries (channels) added, replaced, found and
 * removed, and ranges described by their module (file descriptors, FILE
 * streams: "numbered" objects). */
#include "detector/objectaddr.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(test_exact_entries)
{
    rw_objectaddr o, got;
    memset(&o, 0, sizeof o);
    o.addr = 0x5000;
    strcpy(o.kind, "channel");
    strcpy(o.what, "unbuffered channel");
    o.thread = 2;
    o.create_stack = 7;
    rw_objectaddr_add(&o);
    ck_assert(rw_objectaddr_find(0x5000, &got));
    ck_assert_str_eq(got.what, "unbuffered channel");
    ck_assert_uint_eq(got.thread, 2);
    ck_assert_int_eq(got.numbered, 0);
    ck_assert(!rw_objectaddr_find(0x5001, &got));
    strcpy(o.what, "channel of capacity 1");
    rw_objectaddr_add(&o);
    ck_assert(rw_objectaddr_find(0x5000, &got));
    ck_assert_str_eq(got.what, "channel of capacity 1");
    rw_objectaddr_remove(0x5000);
    ck_assert(!rw_objectaddr_find(0x5000, &got));
}
END_TEST

#define LO 0x100000
#define HI 0x100000 + 8 * 16

static int describe_slots(uintptr_t addr, rw_objectaddr *out)
{
    memset(out, 0, sizeof *out);
    out->addr = addr;
    strcpy(out->kind, "fd");
    snprintf(out->what, sizeof out->what, "file descriptor %u", (unsigned)((addr - LO) / 8));
    out->thread = 3;
    out->numbered = 1;
    return 1;
}

START_TEST(test_ranges)
{
    rw_objectaddr got;
    ck_assert(!rw_objectaddr_find(LO + 8, &got));
    rw_objectaddr_add_range(LO, HI, describe_slots);
    ck_assert(rw_objectaddr_find(LO + 8 * 5, &got));
    ck_assert_str_eq(got.what, "file descriptor 5");
    ck_assert_str_eq(got.kind, "fd");
    ck_assert_int_eq(got.numbered, 1);
    ck_assert_uint_eq(got.thread, 3);
    ck_assert(rw_objectaddr_find(LO, &got));
    ck_assert_str_eq(got.what, "file descriptor 0");
    ck_assert(!rw_objectaddr_find(HI, &got));
    ck_assert(!rw_objectaddr_find(LO - 1, &got));
    /* Exact entries elsewhere still work beside the range. */
    rw_objectaddr o;
    memset(&o, 0, sizeof o);
    o.addr = 0x9000;
    strcpy(o.what, "unbuffered channel");
    rw_objectaddr_add(&o);
    ck_assert(rw_objectaddr_find(0x9000, &got));
    ck_assert_str_eq(got.what, "unbuffered channel");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("objectaddr");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_exact_entries);
    tcase_add_test(tc, test_ranges);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
