/* test_report_json.c: detector/report_json.c, the head every JSON record
 * shares (docs/json-format.md): pid, program and the process's command
 * line ("argv", "argv_truncated").  Checked byte for byte on summary and
 * misuse records, whose other fields need no symbolizer beyond a stub. */
#include "detector/alloc.h"
#include "detector/misuse_rules.h"
#include "detector/report_json.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static int no_frames(uintptr_t pc, int is_return_address, rw_frame *f, int max)
{
    (void)pc, (void)is_return_address, (void)f, (void)max;
    return 0;
}

static char *summary(const rw_json_context *c)
{
    rw_buf b;
    rw_buf_init(&b);
    rw_json_counts n = { 1, 0, 0, 0, 0, 0 };
    rw_json_summary(&b, c, &n, 0, 66);
    return b.data;
}

#define COUNTS ",\"races\":1,\"deadlocks\":0,\"potential_deadlocks\":0,\"misuse\":0,\"thread_leaks\":0,\"uses_after_free\":0," \
               "\"program_exit_status\":0,\"exit_status\":66}\n"

START_TEST(test_no_command_line)
{
    rw_json_context c = { 42, "/bin/prog", NULL, 0, 0 };
    char *s = summary(&c);
    ck_assert_str_eq(s, "{\"version\":1,\"kind\":\"summary\",\"pid\":42,\"program\":\"/bin/prog\"" COUNTS);
    rw_free(s); /* rw_buf's data is the detector's allocation */
}
END_TEST

START_TEST(test_arguments)
{
    /* As /proc/self/cmdline gives them: every argument NUL-terminated. */
    static const char args[] = "./prog\0two words\0\0q\"\\\t\x01\xc3\xa9";
    rw_json_context c = { 42, "/bin/prog", args, sizeof args, 0 };
    char *s = summary(&c);
    ck_assert_str_eq(s, "{\"version\":1,\"kind\":\"summary\",\"pid\":42,\"program\":\"/bin/prog\","
                        "\"argv\":[\"./prog\",\"two words\",\"\",\"q\\\"\\\\\\t\\u0001\\u00c3\\u00a9\"]" COUNTS);
    rw_free(s); /* rw_buf's data is the detector's allocation */
}
END_TEST

START_TEST(test_truncated_and_empty)
{
    rw_json_context c = { 7, "/bin/prog", "a\0", 2, 1 };
    char *s = summary(&c);
    ck_assert_str_eq(s, "{\"version\":1,\"kind\":\"summary\",\"pid\":7,\"program\":\"/bin/prog\","
                        "\"argv\":[\"a\"],\"argv_truncated\":true" COUNTS);
    rw_free(s); /* rw_buf's data is the detector's allocation */
    rw_json_context e = { 7, "/bin/prog", "", 0, 0 }; /* read, but empty */
    s = summary(&e);
    ck_assert_str_eq(s, "{\"version\":1,\"kind\":\"summary\",\"pid\":7,\"program\":\"/bin/prog\","
                        "\"argv\":[]" COUNTS);
    rw_free(s); /* rw_buf's data is the detector's allocation */
}
END_TEST

START_TEST(test_report_head)
{
    rw_json_context c = { 42, "/bin/prog", "./prog\0x\0", 9, 0 };
    rw_buf b;
    rw_buf_init(&b);
    rw_json_misuse(&b, &c, "WARNING: t", 0, 1, NULL, 0, "text", no_frames);
    const char *want = "{\"version\":1,\"kind\":\"misuse\",\"pid\":42,\"program\":\"/bin/prog\","
                       "\"argv\":[\"./prog\",\"x\"],\"fingerprint\":\"";
    ck_assert_int_eq(strncmp(b.data, want, strlen(want)), 0);
    ck_assert_ptr_nonnull(strstr(b.data, "\"title\":\"WARNING: t\",\"fatal\":false,\"text\":\"text\","));
    ck_assert_ptr_nonnull(strstr(b.data, ",\"rule\":\"other\","));
    rw_buf_free(&b);
}
END_TEST

/* A misuse record names its rule (detector/misuse_rules.h), found from
 * the title with or without its prefix; counts after the words match. */
START_TEST(test_misuse_rule)
{
    rw_json_context c = { 42, "/bin/prog", "./prog\0", 7, 0 };
    rw_buf b;
    rw_buf_init(&b);
    rw_json_misuse(&b, &c, "WARNING: signal handler spoils errno", 0, 1, NULL, 0, "text", no_frames);
    ck_assert_ptr_nonnull(strstr(b.data, ",\"rule\":\"signal-errno\","));
    rw_buf_free(&b);
    ck_assert_str_eq(rw_misuse_rule_of("fatal error: sync: unlock of unlocked rwlock")->id,
                     "rwlock-unlock-unlocked");
    ck_assert_str_eq(rw_misuse_rule_of("fatal error: sync: pthread_barrier_destroy of a barrier 2 "
                                       "thread(s) wait on")->id, "barrier-destroy-waiting");
    ck_assert_str_eq(rw_misuse_rule_of("lock of a destroyed mutex")->id, "mutex-lock-destroyed");
    ck_assert_str_eq(rw_misuse_rule_of("panic: close of closed channel")->id, "other");
}
END_TEST

static Suite *report_json_suite(void)
{
    Suite *s = suite_create("report_json");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_no_command_line);
    tcase_add_test(tc, test_misuse_rule);
    tcase_add_test(tc, test_arguments);
    tcase_add_test(tc, test_truncated_and_empty);
    tcase_add_test(tc, test_report_head);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(report_json_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
