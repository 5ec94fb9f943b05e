/* test_suppress.c: detector/suppress.c: ThreadSanitizer-syntax files
 * (comments, blank lines, every type), malformed lines named with file and
 * line, glob matching on function, file and module, counting. */
#include "detector/suppress.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];

static void write_file(const char *text)
{
    snprintf(path, sizeof path, "/tmp/rw_supp_%d.txt", (int)getpid());
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(test_glob)
{
    ck_assert(rw_supp_glob("worker", "worker"));
    ck_assert(!rw_supp_glob("worker", "worker2"));
    ck_assert(rw_supp_glob("work*", "worker2"));
    ck_assert(rw_supp_glob("*er2", "worker2"));
    ck_assert(rw_supp_glob("w*k*2", "worker2"));
    ck_assert(!rw_supp_glob("w*k*3", "worker2"));
    ck_assert(rw_supp_glob("libfoo.so", "/usr/lib/libfoo.so"));
    ck_assert(rw_supp_glob("counter.c", "/home/u/src/counter.c"));
    ck_assert(rw_supp_glob("*/src/*", "/home/u/src/counter.c"));
    ck_assert(!rw_supp_glob("x", ""));
    ck_assert(!rw_supp_glob("x", NULL));
}
END_TEST

START_TEST(test_load_and_match)
{
    write_file("# a comment\n\n  race:worker*\nrace_top:counter.c\ndeadlock:transfer\n"
               "mutex:*\nthread:spawn\ncalled_from_lib:libfoo.so\nsignal:handler\n");
    rw_supp_list l = { 0 };
    char err[256];
    ck_assert_int_eq(rw_supp_load(&l, path, err, sizeof err), 0);
    ck_assert_int_eq(l.n, 7);
    ck_assert_int_eq(l.rules[0].kind, RW_SUPP_RACE);
    ck_assert_str_eq(l.rules[0].text, "race:worker*");
    rw_supp_frame f[2] = { { "helper", "/src/a.c", "/bin/prog" }, { "worker_main", "/src/b.c", "/bin/prog" } };
    rw_supp_rule *r = rw_supp_match(&l, RW_SUPP_RACE, f, 2);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->pattern, "worker*");
    ck_assert_uint_eq(r->hits, 1);
    ck_assert_ptr_null(rw_supp_match(&l, RW_SUPP_RACE, f, 1)); /* helper alone: no */
    rw_supp_frame lib = { "f", "", "/usr/lib/libfoo.so" };
    ck_assert_ptr_nonnull(rw_supp_match(&l, RW_SUPP_CALLED_FROM_LIB, &lib, 1));
    rw_supp_frame notlib = { "libfoo.so", "", "/bin/prog" }; /* only the module counts */
    ck_assert_ptr_null(rw_supp_match(&l, RW_SUPP_CALLED_FROM_LIB, &notlib, 1));
    ck_assert_ptr_null(rw_supp_match(&l, RW_SUPP_DEADLOCK, f, 2));
    unlink(path);
}
END_TEST

START_TEST(test_malformed)
{
    rw_supp_list l = { 0 };
    char err[256];
    write_file("race:ok\nno colon here\n");
    ck_assert_int_eq(rw_supp_load(&l, path, err, sizeof err), -1);
    ck_assert_msg(strstr(err, ":2: expected TYPE:PATTERN") != NULL, "%s", err);
    ck_assert_msg(strncmp(err, path, strlen(path)) == 0, "%s", err);
    write_file("# fine\nraces:foo\n");
    ck_assert_int_eq(rw_supp_load(&l, path, err, sizeof err), -1);
    ck_assert_msg(strstr(err, ":2: unknown suppression type 'races'") != NULL, "%s", err);
    write_file("race:\n");
    ck_assert_int_eq(rw_supp_load(&l, path, err, sizeof err), -1);
    ck_assert_msg(strstr(err, ":1: empty pattern") != NULL, "%s", err);
    unlink(path);
    ck_assert_int_eq(rw_supp_load(&l, "/nonexistent/supp", err, sizeof err), -1);
    ck_assert_msg(strstr(err, "/nonexistent/supp: cannot read suppressions") != NULL, "%s", err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("suppress");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_glob);
    tcase_add_test(tc, test_load_and_match);
    tcase_add_test(tc, test_malformed);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
