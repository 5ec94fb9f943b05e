/* fork_pending_race.c: a fork while another thread's short copy is still
 * in its pending window (under LD_PRELOAD, short memcpy destinations are
 * stored at the thread's next interceptor call, runtime/pending_write.c).
 * The child must not store that window for the absent thread: doing so
 * ran the race check as that thread inside the child, under the thread
 * registry's lock, and the report's stack look-up took the same lock, so
 * the child spun forever and the parent's waitpid with it.  The worker's
 * copy races with main's copy of the same bytes (no edge between them):
 * one race, reported once, by the parent.  Twin: fork_pending_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @main_copy @worker_copy
// PRELOAD-EXPECT: race @main_copy @worker_copy
// RACEWATCH-EXPECT: stdout=child 0\n
// PRELOAD-EXPECT: stdout=child 0\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char shared[16];
size_t copy_len = 7; /* a non-constant size: memcpy stays a call */
static int ready, go; /* atomics: no edge for the detector */

static void *worker(void *arg)
{
    memcpy(shared, "worker", copy_len); /* @worker_copy */
    __atomic_store_n(&ready, 1, __ATOMIC_RELAXED);
    while (!__atomic_load_n(&go, __ATOMIC_RELAXED))
        ; /* no interceptor call: the copy stays pending */
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    while (!__atomic_load_n(&ready, __ATOMIC_RELAXED))
        ;
    memcpy(shared, "main!!", copy_len); /* @main_copy */
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
        abort();
    printf("child %d\n", WEXITSTATUS(st));
    __atomic_store_n(&go, 1, __ATOMIC_RELAXED);
    pthread_join(t, NULL);
    return 0;
}
