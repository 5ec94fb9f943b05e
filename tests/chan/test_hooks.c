/* test_hooks.c: libracewatch-chan binds to a detector's hooks (chan/hooks.h)
 * when one is preloaded, linked shared (test_hooks_shared) and linked
 * statically into a PIE (test_hooks_static).
 *
 * Run with LD_PRELOAD=libhookstub.so (hookstub.c), which defines the hooks
 * and records the calls.  The program moves values through unbuffered and
 * buffered channels and a select between two threads, waits on a wait
 * group and runs a once, then checks the record: happens-before tokens
 * released by one thread and acquired by the other, every pthread call of
 * the library inside an ignore bracket, the brackets balanced, every wait
 * named just before it starts ("chan send", "chan receive", "select",
 * "waitgroup wait"), every channel made an object of the detector that
 * sends and select send cases read and close writes, and deleted when
 * freed.  Finally a child closes a closed channel: the stub's
 * __racewatch_panic must end it (status HOOKSTUB_PANIC_STATUS), not the
 * library's own fallback (status 2).  Prints one line per check; exit 0
 * only if all pass. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hookstub.h"
#include "racewatch/concurrency.h"

static int failures;

static void expect(int ok, const char *what, long value)
{
    printf("%s: %s (%ld)\n", ok ? "ok" : "FAIL", what, value);
    if (!ok)
        failures++;
}

static rw_chan *unbuffered, *buffered, *sel;
static rw_waitgroup wg;
static rw_once once;
static int once_runs;

static void init(void *arg)
{
    (void)arg;
    once_runs++;
}

static void *partner(void *arg)
{
    (void)arg;
    for (int i = 0; i < 200; i++) {
        int v;
        rw_chan_recv(unbuffered, &v, NULL);
        rw_chan_send(buffered, &v);
    }
    usleep(20000);                       /* the select waits */
    rw_chan_send(sel, &(int){ 7 });
    rw_once_do(&once, init, NULL);
    usleep(20000);                       /* the wait group waits */
    rw_waitgroup_done(&wg);
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    hookstub_counts *(*record)(void) = (hookstub_counts * (*)(void)) dlsym(RTLD_DEFAULT,
                                                                           "hookstub_record");
    if (!record) {
        printf("FAIL: hookstub_record not found: run with LD_PRELOAD=libhookstub.so\n");
        return 1;
    }
    unbuffered = rw_chan_make(sizeof(int), 0);
    buffered = rw_chan_make(sizeof(int), 1);
    sel = rw_chan_make(sizeof(int), 0);
    rw_waitgroup_add(&wg, 1);
    pthread_t t;
    pthread_create(&t, NULL, partner, NULL);
    for (int i = 0; i < 200; i++) {
        int v;
        rw_chan_send(unbuffered, &i);
        rw_chan_recv(buffered, &v, NULL);
    }
    int v = 0;
    rw_select_case cases[] = { rw_recv_case(sel, &v), rw_recv_case(NULL, NULL) };
    rw_select(cases, 2, false);
    rw_once_do(&once, init, NULL);
    rw_waitgroup_wait(&wg);
    pthread_join(t, NULL);
    rw_select_case send_case[] = { rw_send_case(buffered, &v) };
    rw_select(send_case, 1, false);
    rw_chan_try_send(buffered, &v);                /* full: not sent, but read */
    rw_chan_close(sel);
    rw_chan_free(unbuffered);
    rw_chan_free(buffered);
    rw_chan_free(sel);

    hookstub_counts c = *record();
    expect(v == 7 && once_runs == 1, "the program itself ran right", v);
    expect(c.releases > 0, "__tsan_release called", c.releases);
    expect(c.acquires > 0, "__tsan_acquire called", c.acquires);
    expect(c.cross_thread_acquires > 0, "tokens released by one thread, acquired by the other",
           c.cross_thread_acquires);
    expect(c.ignore_begins > 0 && c.ignore_begins == c.ignore_ends && c.unbalanced == 0,
           "ignore brackets called and balanced", c.ignore_begins);
    expect(c.bracketed_calls > 0, "library pthread calls seen inside brackets", c.bracketed_calls);
    expect(c.unbracketed_calls == 0, "no library pthread call outside a bracket",
           c.unbracketed_calls);
    expect(c.waits > 0 && c.named_waits == c.waits, "every wait named just before it starts",
           c.waits - c.named_waits);
    expect(c.reason_send + c.reason_recv > 0, "\"chan send\" / \"chan receive\" named",
           c.reason_send + c.reason_recv);
    expect(c.reason_select > 0, "\"select\" named", c.reason_select);
    expect(c.reason_waitgroup > 0, "\"waitgroup wait\" named", c.reason_waitgroup);
    expect(c.reason_other == 0, "no other reason", c.reason_other);
    expect(c.objects_new == 3 && c.accesses_without_caller == 0,
           "every channel made a \"channel\" object, with the program's call", c.objects_new);
    expect(c.object_reads == 401 + 2, "every send, select send case and try-send reads its channel",
           c.object_reads);
    expect(c.object_writes == 1, "close writes its channel", c.object_writes);
    expect(c.unknown_object_accesses == 0, "only live channels accessed",
           c.unknown_object_accesses);
    expect(c.objects_deleted == 3, "every freed channel deleted", c.objects_deleted);

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        rw_chan *ch = rw_chan_make(1, 0);
        rw_chan_close(ch);
        rw_chan_close(ch);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    expect(code == HOOKSTUB_PANIC_STATUS, "misuse goes to __racewatch_panic", code);

    printf("%s\n", failures ? "FAILED" : "PASSED");
    return failures ? 1 : 0;
}
