/* test_panics.c: misuse ends the program with Go's words and exit status
 * 2, and nil channels block forever; no detector loaded.
 *
 * Each case runs in a child process with stdout and stderr on pipes: the
 * child prints a line to stdout (buffered, it is a pipe), then misuses the
 * library.  The parent checks that stdout was flushed first, that stderr
 * is exactly `panic: MESSAGE\n`, and that the exit status is 2.  Blocking
 * cases must still be blocked after 200 ms; then they are killed. */
#include "racewatch/concurrency.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct child {
    pid_t pid;
    int out, err;
};

static struct child spawn(void (*body)(void))
{
    int o[2], e[2];
    ck_assert_int_eq(pipe(o), 0);
    ck_assert_int_eq(pipe(e), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(o[1], STDOUT_FILENO);
        dup2(e[1], STDERR_FILENO);
        close(o[0]);
        close(e[0]);
        close(o[1]);
        close(e[1]);
        printf("before the panic\n");       /* buffered: a pipe */
        body();
        _exit(0);
    }
    close(o[1]);
    close(e[1]);
    return (struct child){ pid, o[0], e[0] };
}

static void read_all(int fd, char *buf, size_t size)
{
    size_t n = 0;
    ssize_t r;
    while (n + 1 < size && (r = read(fd, buf + n, size - 1 - n)) > 0)
        n += (size_t)r;
    buf[n] = 0;
    close(fd);
}

static void expect_panic(void (*body)(void), const char *message)
{
    struct child c = spawn(body);
    char out[256], err[512], want[256];
    read_all(c.out, out, sizeof out);
    read_all(c.err, err, sizeof err);
    int status;
    ck_assert_int_eq(waitpid(c.pid, &status, 0), c.pid);
    ck_assert_msg(WIFEXITED(status), "child did not exit (status 0x%x)", status);
    ck_assert_int_eq(WEXITSTATUS(status), 2);
    ck_assert_str_eq(out, "before the panic\n");
    snprintf(want, sizeof want, "panic: %s\n", message);
    ck_assert_str_eq(err, want);
}

static void expect_blocked(void (*body)(void))
{
    struct child c = spawn(body);
    struct timespec nap = { 0, 200 * 1000 * 1000 };
    nanosleep(&nap, NULL);
    int status;
    ck_assert_int_eq(waitpid(c.pid, &status, WNOHANG), 0);
    kill(c.pid, SIGKILL);
    ck_assert_int_eq(waitpid(c.pid, &status, 0), c.pid);
    ck_assert(WIFSIGNALED(status));
    close(c.out);
    close(c.err);
}

/* --- the misuses ------------------------------------------------------------ */

static void send_on_closed_buffered(void)
{
    rw_chan *ch = rw_chan_make(sizeof(int), 4);
    rw_chan_close(ch);
    rw_chan_send(ch, &(int){ 1 });
}

static void send_on_closed_unbuffered(void)
{
    rw_chan *ch = rw_chan_make(sizeof(int), 0);
    rw_chan_close(ch);
    rw_chan_send(ch, &(int){ 1 });
}

static void try_send_on_closed(void)
{
    rw_chan *ch = rw_chan_make(sizeof(int), 1);
    rw_chan_close(ch);
    rw_chan_try_send(ch, &(int){ 1 });
}

static void select_send_on_closed(void)
{
    rw_chan *ch = rw_chan_make(sizeof(int), 0), *idle = rw_chan_make(sizeof(int), 0);
    rw_chan_close(ch);
    int v = 1;
    rw_select_case cases[] = { rw_recv_case(idle, &v), rw_send_case(ch, &v) };
    rw_select(cases, 2, false);
}

static void *close_soon(void *arg)
{
    usleep(20000);
    rw_chan_close(arg);
    return NULL;
}

static void blocked_sender_sees_close(void)
{
    rw_chan *ch = rw_chan_make(sizeof(int), 1);
    rw_chan_send(ch, &(int){ 1 });
    pthread_t t;
    pthread_create(&t, NULL, close_soon, ch);
    rw_chan_send(ch, &(int){ 2 });          /* full: waits, then panics */
}

static void blocked_select_sender_sees_close(void)
{
    rw_chan *ch = rw_chan_make(sizeof(int), 0), *idle = rw_chan_make(0, 0);
    pthread_t t;
    pthread_create(&t, NULL, close_soon, ch);
    int v = 3;
    rw_select_case cases[] = { rw_recv_case(idle, NULL), rw_send_case(ch, &v) };
    rw_select(cases, 2, false);
}

static void close_of_closed(void)
{
    rw_chan *ch = rw_chan_make(sizeof(int), 0);
    rw_chan_close(ch);
    rw_chan_close(ch);
}

static void close_of_nil(void)
{
    rw_chan_close(NULL);
}

static void negative_waitgroup(void)
{
    rw_waitgroup wg = RW_WAITGROUP_INIT;
    rw_waitgroup_add(&wg, 1);
    rw_waitgroup_done(&wg);
    rw_waitgroup_done(&wg);
}

START_TEST(test_send_on_closed)
{
    expect_panic(send_on_closed_buffered, "send on closed channel");
    expect_panic(send_on_closed_unbuffered, "send on closed channel");
    expect_panic(try_send_on_closed, "send on closed channel");
    expect_panic(select_send_on_closed, "send on closed channel");
    expect_panic(blocked_sender_sees_close, "send on closed channel");
    expect_panic(blocked_select_sender_sees_close, "send on closed channel");
}
END_TEST

START_TEST(test_close_misuse)
{
    expect_panic(close_of_closed, "close of closed channel");
    expect_panic(close_of_nil, "close of nil channel");
}
END_TEST

START_TEST(test_negative_waitgroup)
{
    expect_panic(negative_waitgroup, "sync: negative WaitGroup counter");
}
END_TEST

/* --- blocking forever ----------------------------------------------------------- */

static void recv_nil(void) { rw_chan_recv(NULL, NULL, NULL); }
static void send_nil(void) { rw_chan_send(NULL, &(int){ 1 }); }
static void select_empty(void) { rw_select(NULL, 0, false); }

static void select_all_nil(void)
{
    int v;
    rw_select_case cases[] = { rw_recv_case(NULL, &v), rw_send_case(NULL, &v) };
    rw_select(cases, 2, false);
}

START_TEST(test_nil_channels_block_forever)
{
    expect_blocked(recv_nil);
    expect_blocked(send_nil);
    expect_blocked(select_empty);
    expect_blocked(select_all_nil);
}
END_TEST

static Suite *panic_suite(void)
{
    Suite *s = suite_create("panics");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_send_on_closed);
    tcase_add_test(tc, test_close_misuse);
    tcase_add_test(tc, test_negative_waitgroup);
    tcase_add_test(tc, test_nil_channels_block_forever);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(panic_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
