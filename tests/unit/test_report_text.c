/* test_report_text.c: detector/report_text.c, the text form of race
 * reports (shared/spec/reports.md), compared byte for byte.
 *
 * Report records are built by hand and printed with a fake symbolizer, a
 * table from made-up pcs to frames, so the expected text is known exactly:
 * the spec's own example, heap / stack / TLS locations, inlined frames,
 * frames without debug info, the main-thread rule, lost stacks, colour. */
#include "detector/report.h"

#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the fake symbolizer ------------------------------------------ */

static int sym_calls, sym_bad_flag;

static void frame(rw_frame *f, const char *fn, const char *file, int line, long off,
                  const char *module, uintptr_t modoff, int inlined)
{
    memset(f, 0, sizeof *f);
    snprintf(f->function, sizeof f->function, "%s", fn);
    snprintf(f->file, sizeof f->file, "%s", file);
    f->line = line;
    f->func_offset = off >= 0 ? (uintptr_t)off : 0;
    f->has_func_offset = off >= 0;
    snprintf(f->module, sizeof f->module, "%s", module);
    f->module_offset = modoff;
    f->inlined = inlined;
}

#define EXE "/home/u/src/counter"

static int fake_sym(uintptr_t pc, int is_return_address, rw_frame *f, int max)
{
    sym_calls++;
    if (!is_return_address)
        sym_bad_flag = 1;
    ck_assert_int_ge(max, 2);
    switch (pc) {
    case 0x1000:
        frame(&f[0], "worker", "/home/u/src/counter.c", 12, 0x2f, EXE, 0x11af, 0);
        return 1;
    case 0x1100:
        frame(&f[0], "start_thread", "./nptl/pthread_create.c", 442, 0xd6,
              "/lib/x86_64-linux-gnu/libc.so.6", 0x94ac3, 0);
        return 1;
    case 0x1200:
        frame(&f[0], "worker", "/home/u/src/counter.c", 12, 0x1b, EXE, 0x119b, 0);
        return 1;
    case 0x1300:
        frame(&f[0], "main", "/home/u/src/counter.c", 20, 0x8c, EXE, 0x128c, 0);
        return 1;
    case 0x1400:   /* below main: never printed */
        frame(&f[0], "__libc_start_call_main", "../sysdeps/nptl/libc_start_call_main.h", 58,
              0x7a, "/lib/x86_64-linux-gnu/libc.so.6", 0x29d90, 0);
        return 1;
    case 0x1500:   /* an inlined frame (no offset of its own), then its caller */
        frame(&f[0], "add_one", "/home/u/src/inc.h", 3, -1, EXE, 0x1310, 1);
        frame(&f[1], "bump", "/home/u/src/counter.c", 30, 0x10, EXE, 0x1310, 0);
        return 2;
    case 0x1600:   /* no debug info: module+offset */
        frame(&f[0], "", "", 0, -1, "/usr/lib/x86_64-linux-gnu/libfoo.so.1", 0x1234, 0);
        return 1;
    case 0x1650:   /* a symbol but no lines */
        frame(&f[0], "foo_helper", "", 0, -1, "/usr/lib/x86_64-linux-gnu/libfoo.so.1", 0x2000, 0);
        return 1;
    case 0x1800:   /* a function called main, inlined: not the end */
        frame(&f[0], "main", "/home/u/src/odd.c", 1, -1, EXE, 0x1800, 1);
        frame(&f[1], "odd_outer", "/home/u/src/odd.c", 9, 0x5, EXE, 0x1800, 0);
        return 2;
    default:       /* nothing known, not in any module */
        frame(&f[0], "", "", 0, -1, "", pc, 0);
        return 1;
    }
}

static void stack(rw_report_stack *s, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    s->n = n;
    for (int i = 0; i < n; i++)
        s->pcs[i] = va_arg(ap, uintptr_t);
    va_end(ap);
}

/* Print r and compare the whole text. */
static void expect_race(const rw_race_report *r, int color, const char *want)
{
    rw_buf b;
    rw_buf_init(&b);
    rw_format_race(&b, r, fake_sym, color);
    ck_assert_ptr_nonnull(b.data);
    ck_assert_uint_eq(strlen(b.data), b.len);
    ck_assert_msg(b.len == strlen(want) && memcmp(b.data, want, b.len) == 0,
                  "text differs.\n--- got ---\n%s--- want ---\n%s---", b.data, want);
    ck_assert_int_eq(sym_bad_flag, 0);
    rw_buf_free(&b);
}

static rw_race_report R;

static void setup(void)
{
    memset(&R, 0, sizeof R);
    sym_calls = 0;
    sym_bad_flag = 0;
}

/* ---- whole reports ------------------------------------------------- */

/* The example of reports.md, exactly. */
START_TEST(test_spec_example)
{
    R.cur = (rw_report_access){ .kind = RW_WRITE, .addr = 0x7f3a1c000b60, .size = 4, .thread = 3 };
    stack(&R.cur.stack, 2, (uintptr_t)0x1000, (uintptr_t)0x1100);
    R.prev = (rw_report_access){ .kind = RW_READ, .addr = 0x7f3a1c000b60, .size = 4, .thread = 2 };
    stack(&R.prev.stack, 1, (uintptr_t)0x1200);
    R.loc.kind = RW_LOC_GLOBAL;
    strcpy(R.loc.name, "counter");
    strcpy(R.loc.module, EXE);
    R.loc.module_offset = 0x4010;
    R.loc.start = 0x7f3a1c000b60;
    R.loc.size = 4;
    R.nthreads = 2;
    R.threads[0].number = 3;
    R.threads[0].running = 1;
    stack(&R.threads[0].create, 2, (uintptr_t)0x1300, (uintptr_t)0x1400);
    R.threads[1].number = 2;
    R.threads[1].running = 0;
    stack(&R.threads[1].create, 1, (uintptr_t)0x1300);
    expect_race(&R, 0,
                "==================\n"
                "WARNING: DATA RACE\n"
                "Write at 0x7f3a1c000b60 by thread 3:\n"
                "  worker()\n"
                "      /home/u/src/counter.c:12 +0x2f\n"
                "  start_thread()\n"
                "      ./nptl/pthread_create.c:442 +0xd6\n"
                "\n"
                "Previous read at 0x7f3a1c000b60 by thread 2:\n"
                "  worker()\n"
                "      /home/u/src/counter.c:12 +0x1b\n"
                "\n"
                "Location is global 'counter' of size 4 at 0x7f3a1c000b60 (counter+0x4010)\n"
                "\n"
                "Thread 3 (running) created at:\n"
                "  main()\n"
                "      /home/u/src/counter.c:20 +0x8c\n"
                "\n"
                "Thread 2 (finished) created at:\n"
                "  main()\n"
                "      /home/u/src/counter.c:20 +0x8c\n"
                "==================\n");
}
END_TEST

/* Heap block with its allocation stack, inlined frames, a frame without
 * debug info, previous free with a lost stack, the main thread omitted. */
START_TEST(test_heap_free_inlined_main_omitted)
{
    R.cur = (rw_report_access){ .kind = RW_ATOMIC_WRITE, .addr = 0xc000010, .size = 8, .thread = 1 };
    stack(&R.cur.stack, 3, (uintptr_t)0x1500, (uintptr_t)0x1300, (uintptr_t)0x1400);
    R.prev = (rw_report_access){ .kind = RW_FREE, .addr = 0xc000010, .size = 8, .thread = 2 };
    R.prev.stack.n = 0;
    R.loc.kind = RW_LOC_HEAP;
    R.loc.start = 0xc000000;
    R.loc.size = 32;
    R.loc.thread = 2;
    R.loc.freed = 1;
    stack(&R.loc.stack, 3, (uintptr_t)0x1600, (uintptr_t)0x1650, (uintptr_t)0x1300);
    R.nthreads = 2;
    R.threads[0].number = 1;             /* main: no creation block */
    R.threads[0].running = 1;
    stack(&R.threads[0].create, 1, (uintptr_t)0x1300);
    R.threads[1].number = 2;
    R.threads[1].running = 0;
    R.threads[1].create.n = 0;
    expect_race(&R, 0,
                "==================\n"
                "WARNING: DATA RACE\n"
                "Atomic write at 0xc000010 by thread 1:\n"
                "  add_one()\n"
                "      /home/u/src/inc.h:3\n"
                "  bump()\n"
                "      /home/u/src/counter.c:30 +0x10\n"
                "  main()\n"
                "      /home/u/src/counter.c:20 +0x8c\n"
                "\n"
                "Previous free at 0xc000010 by thread 2:\n"
                "  [failed to restore the stack]\n"
                "\n"
                "Location is heap block of size 32 at 0xc000000 allocated by thread 2:\n"
                "  ?\?()\n"
                "      libfoo.so.1+0x1234\n"
                "  foo_helper()\n"
                "      libfoo.so.1+0x2000\n"
                "  main()\n"
                "      /home/u/src/counter.c:20 +0x8c\n"
                "\n"
                "Thread 2 (finished) created at:\n"
                "  [failed to restore the stack]\n"
                "==================\n");
}
END_TEST

/* Nothing after the accesses: the last blank line gives way to the
 * closing separator.  Unknown frames print "??". */
START_TEST(test_no_location_no_threads)
{
    R.cur = (rw_report_access){ .kind = RW_READ, .addr = 0x601040, .size = 1, .thread = 1 };
    stack(&R.cur.stack, 1, (uintptr_t)0x7777);
    R.prev = (rw_report_access){ .kind = RW_ATOMIC_WRITE, .addr = 0x601040, .size = 1, .thread = 1 };
    stack(&R.prev.stack, 2, (uintptr_t)0x1800, (uintptr_t)0x1300);
    R.nthreads = 1;
    R.threads[0].number = 1;
    R.threads[0].running = 1;
    expect_race(&R, 0,
                "==================\n"
                "WARNING: DATA RACE\n"
                "Read at 0x601040 by thread 1:\n"
                "  ?\?()\n"
                "      ??\n"
                "\n"
                "Previous atomic write at 0x601040 by thread 1:\n"
                "  main()\n"
                "      /home/u/src/odd.c:1\n"
                "  odd_outer()\n"
                "      /home/u/src/odd.c:9 +0x5\n"
                "  main()\n"
                "      /home/u/src/counter.c:20 +0x8c\n"
                "==================\n");
}
END_TEST

START_TEST(test_stack_and_tls_locations)
{
    R.cur = (rw_report_access){ .kind = RW_WRITE, .addr = 0x7ffd0010, .size = 4, .thread = 2 };
    stack(&R.cur.stack, 1, (uintptr_t)0x1000);
    R.prev = (rw_report_access){ .kind = RW_ATOMIC_READ, .addr = 0x7ffd0012, .size = 2, .thread = 4 };
    stack(&R.prev.stack, 1, (uintptr_t)0x1200);
    R.loc.kind = RW_LOC_STACK;
    R.loc.thread = 2;
    R.nthreads = 2;
    R.threads[0].number = 2;
    R.threads[0].running = 1;
    stack(&R.threads[0].create, 1, (uintptr_t)0x1300);
    R.threads[1].number = 4;
    R.threads[1].running = 1;
    stack(&R.threads[1].create, 2, (uintptr_t)0x1000, (uintptr_t)0x1300);
    const char *tail =
        "Thread 2 (running) created at:\n"
        "  main()\n"
        "      /home/u/src/counter.c:20 +0x8c\n"
        "\n"
        "Thread 4 (running) created at:\n"
        "  worker()\n"
        "      /home/u/src/counter.c:12 +0x2f\n"
        "  main()\n"
        "      /home/u/src/counter.c:20 +0x8c\n"
        "==================\n";
    const char *head =
        "==================\n"
        "WARNING: DATA RACE\n"
        "Write at 0x7ffd0010 by thread 2:\n"
        "  worker()\n"
        "      /home/u/src/counter.c:12 +0x2f\n"
        "\n"
        "Previous atomic read at 0x7ffd0012 by thread 4:\n"
        "  worker()\n"
        "      /home/u/src/counter.c:12 +0x1b\n"
        "\n";
    char want[2048];
    snprintf(want, sizeof want, "%sLocation is stack of thread 2.\n\n%s", head, tail);
    expect_race(&R, 0, want);

    R.loc.kind = RW_LOC_TLS;
    R.loc.thread = 4;
    snprintf(want, sizeof want, "%sLocation is TLS of thread 4.\n\n%s", head, tail);
    expect_race(&R, 0, want);
}
END_TEST

/* Objects known by number (a file descriptor, a FILE stream): ThreadSanitizer's
 * "created by thread N at:" with the creating stack, or the name alone
 * when the creation was not seen. */
START_TEST(test_numbered_object_locations)
{
    R.cur = (rw_report_access){ .kind = RW_WRITE, .addr = 0x7f0000000018, .size = 1, .thread = 1 };
    stack(&R.cur.stack, 1, (uintptr_t)0x1300);
    R.prev = (rw_report_access){ .kind = RW_READ, .addr = 0x7f0000000018, .size = 1, .thread = 2 };
    stack(&R.prev.stack, 1, (uintptr_t)0x1000);
    R.loc.kind = RW_LOC_OBJECT;
    R.loc.numbered = 1;
    R.loc.start = 0x7f0000000018;
    R.loc.size = 1;
    snprintf(R.loc.name, sizeof R.loc.name, "file descriptor 3");
    snprintf(R.loc.object_kind, sizeof R.loc.object_kind, "fd");
    R.loc.thread = 1;
    stack(&R.loc.stack, 1, (uintptr_t)0x1300);
    const char *head =
        "==================\n"
        "WARNING: DATA RACE\n"
        "Write at 0x7f0000000018 by thread 1:\n"
        "  main()\n"
        "      /home/u/src/counter.c:20 +0x8c\n"
        "\n"
        "Previous read at 0x7f0000000018 by thread 2:\n"
        "  worker()\n"
        "      /home/u/src/counter.c:12 +0x2f\n"
        "\n";
    char want[2048];
    snprintf(want, sizeof want,
             "%sLocation is file descriptor 3 created by thread 1 at:\n"
             "  main()\n"
             "      /home/u/src/counter.c:20 +0x8c\n"
             "==================\n", head);
    expect_race(&R, 0, want);

    snprintf(R.loc.name, sizeof R.loc.name, "FILE stream stdout");
    R.loc.thread = 0;
    R.loc.stack.n = 0;
    snprintf(want, sizeof want, "%sLocation is FILE stream stdout\n==================\n", head);
    expect_race(&R, 0, want);
}
END_TEST

START_TEST(test_color)
{
    R.cur = (rw_report_access){ .kind = RW_WRITE, .addr = 0x10, .size = 8, .thread = 2 };
    stack(&R.cur.stack, 1, (uintptr_t)0x1000);
    R.prev = (rw_report_access){ .kind = RW_WRITE, .addr = 0x10, .size = 8, .thread = 3 };
    R.loc.kind = RW_LOC_GLOBAL;
    strcpy(R.loc.name, "g");
    strcpy(R.loc.module, "/x/prog");
    R.loc.module_offset = 0x20;
    R.loc.start = 0x10;
    R.loc.size = 8;
    R.nthreads = 1;
    R.threads[0].number = 3;
    R.threads[0].running = 0;
    stack(&R.threads[0].create, 1, (uintptr_t)0x1300);
    expect_race(&R, 1,
                "==================\n"
                "\033[1;31mWARNING: DATA RACE\033[0m\n"
                "\033[1mWrite at 0x10 by thread 2:\033[0m\n"
                "  worker()\n"
                "      /home/u/src/counter.c:12 +0x2f\n"
                "\n"
                "\033[1mPrevious write at 0x10 by thread 3:\033[0m\n"
                "  [failed to restore the stack]\n"
                "\n"
                "\033[32mLocation is global 'g' of size 8 at 0x10 (prog+0x20)\033[0m\n"
                "\n"
                "\033[36mThread 3 (finished) created at:\033[0m\n"
                "  main()\n"
                "      /home/u/src/counter.c:20 +0x8c\n"
                "==================\n");
}
END_TEST

/* A report appended to a buffer that already holds text (a previous
 * report) leaves that text alone. */
START_TEST(test_appends)
{
    R.cur = (rw_report_access){ .kind = RW_WRITE, .addr = 0x10, .size = 8, .thread = 2 };
    R.prev = (rw_report_access){ .kind = RW_READ, .addr = 0x10, .size = 8, .thread = 3 };
    rw_buf b;
    rw_buf_init(&b);
    rw_buf_printf(&b, "before\n\n");
    rw_format_race(&b, &R, fake_sym, 0);
    const char *want =
        "before\n\n"
        "==================\n"
        "WARNING: DATA RACE\n"
        "Write at 0x10 by thread 2:\n"
        "  [failed to restore the stack]\n"
        "\n"
        "Previous read at 0x10 by thread 3:\n"
        "  [failed to restore the stack]\n"
        "==================\n";
    ck_assert_str_eq(b.data, want);
    ck_assert_uint_eq(b.len, strlen(want));
    rw_buf_free(&b);
}
END_TEST

/* ---- pieces -------------------------------------------------------- */

START_TEST(test_format_stack)
{
    rw_buf b;
    rw_buf_init(&b);
    rw_report_stack s;
    stack(&s, 4, (uintptr_t)0x1200, (uintptr_t)0x1100, (uintptr_t)0x1300, (uintptr_t)0x1400);
    rw_format_stack(&b, &s, fake_sym);
    ck_assert_str_eq(b.data,
                     "  worker()\n"
                     "      /home/u/src/counter.c:12 +0x1b\n"
                     "  start_thread()\n"
                     "      ./nptl/pthread_create.c:442 +0xd6\n"
                     "  main()\n"
                     "      /home/u/src/counter.c:20 +0x8c\n");
    /* main stopped the walk: 0x1400 was not even symbolized. */
    ck_assert_int_eq(sym_calls, 3);
    rw_buf_free(&b);

    s.n = 0;
    rw_format_stack(&b, &s, fake_sym);
    ck_assert_str_eq(b.data, "  [failed to restore the stack]\n");
    rw_buf_free(&b);
}
END_TEST

START_TEST(test_top_location)
{
    char out[1100];
    rw_report_stack s;
    stack(&s, 2, (uintptr_t)0x1000, (uintptr_t)0x1300);
    rw_top_location(&s, fake_sym, out, sizeof out);
    ck_assert_str_eq(out, "/home/u/src/counter.c:12");
    /* Inlined frames: the innermost (inlined) location. */
    stack(&s, 1, (uintptr_t)0x1500);
    rw_top_location(&s, fake_sym, out, sizeof out);
    ck_assert_str_eq(out, "/home/u/src/inc.h:3");
    s.n = 0;
    strcpy(out, "junk");
    rw_top_location(&s, fake_sym, out, sizeof out);
    ck_assert_str_eq(out, "");
    /* A small buffer is cut, not overrun. */
    char small[8];
    stack(&s, 1, (uintptr_t)0x1000);
    rw_top_location(&s, fake_sym, small, sizeof small);
    ck_assert_str_eq(small, "/home/u");
}
END_TEST

START_TEST(test_access_kind_names)
{
    ck_assert_str_eq(rw_access_kind_name(RW_READ, 0), "Read");
    ck_assert_str_eq(rw_access_kind_name(RW_READ, 1), "Previous read");
    ck_assert_str_eq(rw_access_kind_name(RW_WRITE, 0), "Write");
    ck_assert_str_eq(rw_access_kind_name(RW_WRITE, 1), "Previous write");
    ck_assert_str_eq(rw_access_kind_name(RW_ATOMIC_READ, 0), "Atomic read");
    ck_assert_str_eq(rw_access_kind_name(RW_ATOMIC_READ, 1), "Previous atomic read");
    ck_assert_str_eq(rw_access_kind_name(RW_ATOMIC_WRITE, 0), "Atomic write");
    ck_assert_str_eq(rw_access_kind_name(RW_ATOMIC_WRITE, 1), "Previous atomic write");
    ck_assert_str_eq(rw_access_kind_name(RW_FREE, 1), "Previous free");
    ck_assert_str_eq(rw_access_kind_name(RW_FREE, 0), "Write");
    ck_assert_str_eq(rw_access_kind_name(99, 0), "Access");
}
END_TEST

START_TEST(test_buf_growth)
{
    rw_buf b;
    rw_buf_init(&b);
    ck_assert_ptr_null(b.data);
    ck_assert_uint_eq(b.len, 0);
    /* Many small pieces across several reallocations. */
    for (int i = 0; i < 1000; i++)
        rw_buf_printf(&b, "%04d,", i);
    ck_assert_uint_eq(b.len, 5000);
    ck_assert_uint_ge(b.cap, 5001);
    ck_assert_uint_eq(strlen(b.data), 5000);
    ck_assert(memcmp(b.data, "0000,0001,", 10) == 0);
    ck_assert(memcmp(b.data + 4995, "0999,", 5) == 0);
    rw_buf_free(&b);
    ck_assert_ptr_null(b.data);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_uint_eq(b.cap, 0);
    /* One piece larger than the first allocation. */
    static char big[5000];
    memset(big, 'x', sizeof big - 1);
    rw_buf_printf(&b, "<%s>", big);
    ck_assert_uint_eq(b.len, 5000 + 1);
    ck_assert_int_eq(b.data[0], '<');
    ck_assert_int_eq(b.data[5000], '>');
    ck_assert_int_eq(b.data[5001], '\0');
    /* An empty piece changes nothing. */
    rw_buf_printf(&b, "%s", "");
    ck_assert_uint_eq(b.len, 5001);
    rw_buf_free(&b);
}
END_TEST

static Suite *report_text_suite(void)
{
    Suite *s = suite_create("report_text");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_spec_example);
    tcase_add_test(tc, test_heap_free_inlined_main_omitted);
    tcase_add_test(tc, test_no_location_no_threads);
    tcase_add_test(tc, test_stack_and_tls_locations);
    tcase_add_test(tc, test_numbered_object_locations);
    tcase_add_test(tc, test_color);
    tcase_add_test(tc, test_appends);
    tcase_add_test(tc, test_format_stack);
    tcase_add_test(tc, test_top_location);
    tcase_add_test(tc, test_access_kind_names);
    tcase_add_test(tc, test_buf_growth);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(report_text_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
