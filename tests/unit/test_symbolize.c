/* test_symbolize.c: runtime/symbolize.c on this very process.
 *
 * The test binary is built with -g, so its own functions and variables
 * are the known answers: pcs captured with __builtin_return_address in
 * non-inlinable helpers, the __LINE__ of the call, a forced-inline
 * function (two frames), globals and statics (one in a large .bss), plus
 * libc (code and data), libdw through its symbol table only, a library
 * loaded with dlopen after the first lookup and then unloaded, many
 * threads at once, and the descriptors libdw keeps open. */
#include "runtime/symbolize.h"

#include <check.h>
#include <dlfcn.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__clang__)
#define NOIPA __attribute__((noinline, optnone))
#else
#define NOIPA __attribute__((noinline, noipa))
#endif

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* ---- code under inspection ---------------------------------------- */

volatile uintptr_t sink;

/* Returns its own return address: a pc inside the caller, just after the
 * call instruction. */
NOIPA static void *get_ra(void)
{
    return __builtin_return_address(0);
}

static int known_line;
NOIPA void *known_function(void)
{
    void *ra = get_ra(); known_line = __LINE__;
    sink = (uintptr_t)ra;       /* keep the call from being a tail call */
    return ra;
}

static int inl_line;
static inline __attribute__((always_inline)) void *inl_fn(void)
{
    void *ra = get_ra(); inl_line = __LINE__;
    sink += 1;
    return ra;
}

static int outer_call_line;
NOIPA void *outer_fn(void)
{
    void *ra = inl_fn(); outer_call_line = __LINE__;
    sink = (uintptr_t)ra;
    return ra;
}

/* ---- data under inspection ---------------------------------------- */

int rw_test_global[4] = { 1, 2, 3, 4 };
static volatile long rw_test_static = 5;
char rw_test_big_bss[1 << 20];      /* past the file-backed pages */

NOIPA static int *local_static_addr(void)
{
    static int fn_local = 7;
    return &fn_local;
}

/* ---- tests -------------------------------------------------------- */

START_TEST(test_function_and_line)
{
    void *ra = known_function();
    rw_frame f[4];
    int n = rw_symbolize_pc((uintptr_t)ra, 1, f, 4);
    ck_assert_int_eq(n, 1);
    ck_assert_str_eq(f[0].function, "known_function");
    ck_assert_str_eq(base_name(f[0].file), "test_symbolize.c");
    /* Absolute (joined with the compile dir), clean, and really there. */
    ck_assert_msg(f[0].file[0] == '/', "file not absolute: %s", f[0].file);
    ck_assert_msg(strstr(f[0].file, "/../") == NULL
                  && strstr(f[0].file, "/./") == NULL, "file: %s", f[0].file);
    ck_assert_msg(access(f[0].file, R_OK) == 0, "no such file: %s", f[0].file);
    ck_assert_int_eq(f[0].line, known_line);
    ck_assert_int_eq(f[0].inlined, 0);
    ck_assert_int_eq(f[0].has_func_offset, 1);
    /* Offsets are of the pc itself, not pc-1. */
    ck_assert_uint_eq(f[0].func_offset,
                      (uintptr_t)ra - (uintptr_t)&known_function);
    ck_assert_ptr_nonnull(strstr(f[0].module, "test_symbolize"));
    ck_assert_uint_ne(f[0].module_offset, 0);
    ck_assert_uint_le(f[0].module_offset, (uintptr_t)ra);
}
END_TEST

START_TEST(test_function_entry)
{
    known_function();           /* sets known_line */
    rw_frame f[2];
    uintptr_t pc = (uintptr_t)&known_function;
    int n = rw_symbolize_pc(pc, 0, f, 2);
    ck_assert_int_eq(n, 1);
    ck_assert_str_eq(f[0].function, "known_function");
    ck_assert_int_eq(f[0].has_func_offset, 1);
    ck_assert_uint_eq(f[0].func_offset, 0);
    ck_assert_int_gt(f[0].line, 0);
    ck_assert_int_lt(f[0].line, known_line);
}
END_TEST

START_TEST(test_inlined_frames)
{
    void *ra = outer_fn();
    rw_frame f[4];
    int n = rw_symbolize_pc((uintptr_t)ra, 1, f, 4);
    ck_assert_int_eq(n, 2);
    ck_assert_str_eq(f[0].function, "inl_fn");
    ck_assert_str_eq(base_name(f[0].file), "test_symbolize.c");
    ck_assert_int_eq(f[0].line, inl_line);
    ck_assert_int_eq(f[0].inlined, 1);
    ck_assert_str_eq(f[1].function, "outer_fn");
    ck_assert_str_eq(base_name(f[1].file), "test_symbolize.c");
    ck_assert_int_eq(f[1].line, outer_call_line);
    ck_assert_int_eq(f[1].inlined, 0);
    /* Both frames measure from the real (outer) function's entry. */
    uintptr_t off = (uintptr_t)ra - (uintptr_t)&outer_fn;
    ck_assert_int_eq(f[0].has_func_offset, 1);
    ck_assert_uint_eq(f[0].func_offset, off);
    ck_assert_uint_eq(f[1].func_offset, off);
    ck_assert_str_eq(f[0].module, f[1].module);
    ck_assert_uint_eq(f[0].module_offset, f[1].module_offset);

    /* Room for one frame: the innermost one. */
    n = rw_symbolize_pc((uintptr_t)ra, 1, f, 1);
    ck_assert_int_eq(n, 1);
    ck_assert_str_eq(f[0].function, "inl_fn");
    ck_assert_int_eq(f[0].line, inl_line);
}
END_TEST

START_TEST(test_unknown_pc)
{
    rw_frame f[2];
    memset(f, 'x', sizeof f);
    int n = rw_symbolize_pc(0x10, 1, f, 2);
    ck_assert_int_eq(n, 1);
    ck_assert_str_eq(f[0].function, "");
    ck_assert_str_eq(f[0].file, "");
    ck_assert_str_eq(f[0].module, "");
    ck_assert_int_eq(f[0].line, 0);
    ck_assert_int_eq(f[0].has_func_offset, 0);
    ck_assert_int_eq(f[0].inlined, 0);
    ck_assert_int_eq(rw_symbolize_pc(0x10, 0, f, 0), 0);
    ck_assert_int_eq(rw_symbolize_pc(0x10, 0, NULL, 2), 0);
}
END_TEST

START_TEST(test_libc_function)
{
    void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
    ck_assert_ptr_nonnull(libc);
    void *fn = dlsym(libc, "gnu_get_libc_version");
    ck_assert_ptr_nonnull(fn);
    rw_frame f[4];
    int n = rw_symbolize_pc((uintptr_t)fn + 1, 0, f, 4);
    ck_assert_int_ge(n, 1);
    ck_assert_ptr_nonnull(strstr(f[n - 1].module, "libc"));
    ck_assert_msg(strstr(f[n - 1].function, "gnu_get_libc_version"),
                  "function: '%s'", f[n - 1].function);
    ck_assert_int_eq(f[n - 1].has_func_offset, 1);
    ck_assert_uint_eq(f[n - 1].func_offset, 1);
    dlclose(libc);
}
END_TEST

/* A library function through its symbol table alone (libdw ships no
 * debug info here; with its -dbgsym package the file:line appear too). */
START_TEST(test_symbol_table_only)
{
    rw_frame f[4];
    uintptr_t pc = (uintptr_t)&dwfl_begin + 5;
    int n = rw_symbolize_pc(pc, 0, f, 4);
    ck_assert_int_ge(n, 1);
    ck_assert_str_eq(f[n - 1].function, "dwfl_begin");
    ck_assert_ptr_nonnull(strstr(f[n - 1].module, "libdw"));
    ck_assert_int_eq(f[n - 1].has_func_offset, 1);
    ck_assert_uint_eq(f[n - 1].func_offset, 5);
    ck_assert_uint_ne(f[n - 1].module_offset, 0);
}
END_TEST

START_TEST(test_dlopen_after_first_lookup)
{
    rw_frame f[4];
    rw_symbolize_pc((uintptr_t)&known_function, 0, f, 4);   /* cache built */
    void *h = dlopen("libthread_db.so.1", RTLD_NOW | RTLD_LOCAL);
    if (h == NULL)
        return;     /* not installed: nothing to check */
    void *fn = dlsym(h, "td_init");
    ck_assert_ptr_nonnull(fn);
    int n = rw_symbolize_pc((uintptr_t)fn, 0, f, 4);
    ck_assert_int_ge(n, 1);
    ck_assert_ptr_nonnull(strstr(f[n - 1].module, "libthread_db"));
    ck_assert_str_eq(f[n - 1].function, "td_init");
    dlclose(h);
    /* Unloaded: noticed without a reset, the stale module is gone. */
    n = rw_symbolize_pc((uintptr_t)fn, 0, f, 4);
    ck_assert_ptr_null(strstr(f[n - 1].module, "libthread_db"));
    /* A reset re-reads the module list at the next lookup. */
    rw_symbolize_reset();
    n = rw_symbolize_pc((uintptr_t)&known_function, 0, f, 4);
    ck_assert_str_eq(f[0].function, "known_function");
}
END_TEST

static void check_data(const void *addr, const void *start, size_t size,
                       const char *name, const char *modpart)
{
    char nm[128], mod[512];
    uintptr_t st = 1, modoff = 0;
    size_t sz = 1;
    int ok = rw_symbolize_data((uintptr_t)addr, nm, sizeof nm, &st, &sz,
                               mod, sizeof mod, &modoff);
    ck_assert_msg(ok == 1, "no symbol for %s", name);
    ck_assert_str_eq(nm, name);
    ck_assert_uint_eq(st, (uintptr_t)start);
    ck_assert_uint_eq(sz, size);
    ck_assert_ptr_nonnull(strstr(mod, modpart));
    ck_assert_uint_ne(modoff, 0);
}

START_TEST(test_global_and_static)
{
    check_data(&rw_test_global[2], rw_test_global, sizeof rw_test_global,
               "rw_test_global", "test_symbolize");
    check_data((const char *)&rw_test_static + 3, (const void *)&rw_test_static,
               sizeof rw_test_static, "rw_test_static", "test_symbolize");
    check_data(&rw_test_big_bss[sizeof rw_test_big_bss - 1], rw_test_big_bss,
               sizeof rw_test_big_bss, "rw_test_big_bss", "test_symbolize");

    /* A function-local static: gcc names its symbol "fn_local.N". */
    int *p = local_static_addr();
    char nm[64];
    uintptr_t st;
    size_t sz;
    ck_assert_int_eq(rw_symbolize_data((uintptr_t)p, nm, sizeof nm, &st, &sz,
                                       NULL, 0, NULL), 1);
    ck_assert_msg(strncmp(nm, "fn_local", 8) == 0, "name: %s", nm);
    ck_assert_uint_eq(st, (uintptr_t)p);
    ck_assert_uint_eq(sz, sizeof *p);

    /* Short buffers truncate, never overflow. */
    char tiny[4], tinymod[2];
    ck_assert_int_eq(rw_symbolize_data((uintptr_t)rw_test_global, tiny,
                                       sizeof tiny, NULL, NULL,
                                       tinymod, sizeof tinymod, NULL), 1);
    ck_assert_str_eq(tiny, "rw_");
    ck_assert_int_eq(strlen(tinymod), 1);
}
END_TEST

START_TEST(test_libc_data)
{
    /* stderr points at libc's own FILE object, _IO_2_1_stderr_. */
    char nm[128], mod[512];
    uintptr_t st, modoff;
    size_t sz;
    int ok = rw_symbolize_data((uintptr_t)stderr + 8, nm, sizeof nm, &st, &sz,
                               mod, sizeof mod, &modoff);
    ck_assert_int_eq(ok, 1);
    ck_assert_ptr_nonnull(strstr(nm, "stderr"));
    ck_assert_uint_eq(st, (uintptr_t)stderr);
    ck_assert_uint_ge(sz, 16);
    ck_assert_ptr_nonnull(strstr(mod, "libc"));
}
END_TEST

START_TEST(test_unknown_data)
{
    char nm[64] = "junk", mod[64] = "junk";
    uintptr_t st = 1, modoff = 0;
    size_t sz = 1;
    ck_assert_int_eq(rw_symbolize_data(0x10, nm, sizeof nm, &st, &sz,
                                       mod, sizeof mod, &modoff), 0);
    ck_assert_str_eq(nm, "");
    ck_assert_str_eq(mod, "");
    ck_assert_uint_eq(st, 0);
    ck_assert_uint_eq(sz, 0);

    /* Heap memory belongs to no symbol. */
    int *heap = malloc(64);
    ck_assert_int_eq(rw_symbolize_data((uintptr_t)heap, nm, sizeof nm, &st,
                                       &sz, mod, sizeof mod, &modoff), 0);
    free(heap);
    /* Code is not data. */
    ck_assert_int_eq(rw_symbolize_data((uintptr_t)&known_function, nm,
                                       sizeof nm, &st, &sz, mod, sizeof mod,
                                       &modoff), 0);
}
END_TEST

struct thr_arg {
    uintptr_t pc_known, pc_inl;
    int failures;
};

static void *hammer(void *p)
{
    struct thr_arg *a = p;
    for (int i = 0; i < 200; i++) {
        rw_frame f[4];
        if (rw_symbolize_pc(a->pc_known, 1, f, 4) != 1
            || strcmp(f[0].function, "known_function") != 0
            || f[0].line != known_line)
            a->failures++;
        if (rw_symbolize_pc(a->pc_inl, 1, f, 4) != 2
            || strcmp(f[1].function, "outer_fn") != 0)
            a->failures++;
        if (i % 50 == 0)
            rw_symbolize_reset();
    }
    return NULL;
}

START_TEST(test_threads)
{
    enum { N = 4 };
    pthread_t t[N];
    struct thr_arg a[N];
    for (int i = 0; i < N; i++) {
        a[i] = (struct thr_arg){ (uintptr_t)known_function(),
                                 (uintptr_t)outer_fn(), 0 };
        ck_assert_int_eq(pthread_create(&t[i], NULL, hammer, &a[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        ck_assert_int_eq(a[i].failures, 0);
    }
}
END_TEST

START_TEST(test_fork_protocol)
{
    rw_symbolize_fork_prepare();
    rw_symbolize_fork_parent();
    rw_symbolize_fork_prepare();
    rw_symbolize_fork_child();      /* as if in the child */
    rw_frame f[2];
    ck_assert_int_eq(rw_symbolize_pc((uintptr_t)&known_function, 0, f, 2), 1);
    ck_assert_str_eq(f[0].function, "known_function");
}
END_TEST

/* The files libdw keeps open must not leak into the program's children,
 * and repeated lookups must not open more. */
START_TEST(test_fds_cloexec_and_bounded)
{
    rw_frame f[4];
    void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
    ck_assert_ptr_nonnull(libc);
    uintptr_t libc_pc = (uintptr_t)dlsym(libc, "gnu_get_libc_version");
    dlclose(libc);
    rw_symbolize_pc((uintptr_t)&known_function, 0, f, 4);
    rw_symbolize_pc(libc_pc, 0, f, 4);
    char nm[64];
    rw_symbolize_data((uintptr_t)rw_test_global, nm, sizeof nm, NULL, NULL,
                      NULL, 0, NULL);

    int open_before = 0, open_after = 0, checked = 0;
    for (int round = 0; round < 2; round++) {
        int count = 0;
        for (int fd = 3; fd < 1024; fd++) {
            int flags = fcntl(fd, F_GETFD);
            if (flags < 0)
                continue;
            count++;
            char link[64], target[512];
            snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
            ssize_t len = readlink(link, target, sizeof target - 1);
            if (len <= 0)
                continue;
            target[len] = '\0';
            if (strstr(target, ".so") || strstr(target, ".debug")
                || strstr(target, "test_symbolize")) {
                ck_assert_msg(flags & FD_CLOEXEC, "fd %d (%s) not cloexec",
                              fd, target);
                checked++;
            }
        }
        if (round == 0) {
            open_before = count;
            for (int i = 0; i < 50; i++) {      /* misses and resets */
                rw_symbolize_reset();
                rw_symbolize_pc(0x10, 0, f, 4);
                rw_symbolize_data((uintptr_t)&f, nm, sizeof nm, NULL, NULL,
                                  NULL, 0, NULL);
                rw_symbolize_pc(libc_pc, 0, f, 4);
            }
        } else {
            open_after = count;
        }
    }
    ck_assert_int_gt(checked, 0);
    ck_assert_int_eq(open_after, open_before);
}
END_TEST

static Suite *symbolize_suite(void)
{
    Suite *s = suite_create("symbolize");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_function_and_line);
    tcase_add_test(tc, test_function_entry);
    tcase_add_test(tc, test_inlined_frames);
    tcase_add_test(tc, test_unknown_pc);
    tcase_add_test(tc, test_libc_function);
    tcase_add_test(tc, test_symbol_table_only);
    tcase_add_test(tc, test_dlopen_after_first_lookup);
    tcase_add_test(tc, test_global_and_static);
    tcase_add_test(tc, test_libc_data);
    tcase_add_test(tc, test_unknown_data);
    tcase_add_test(tc, test_threads);
    tcase_add_test(tc, test_fork_protocol);
    tcase_add_test(tc, test_fds_cloexec_and_bounded);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(symbolize_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
