/* fork_churn_race.c: four threads each create and join threads in a
 * loop while another forks twenty times; each child creates and joins a
 * thread of its own and exits.  Every thread is joined: no report, in the
 * parent or in a child.  racewatch once looked up the thread a join ends
 * after glibc had reaped it, when its pthread_t could already be another
 * churner's new thread: that one was marked joined and the reaped one
 * reported as a THREAD LEAK, in most runs (runtime/intercept_thread.c,
 * ending_thread; the fork handlers, holding the runtime's locks, made the
 * window wide).  The children's joins walk their stacks under LD_PRELOAD:
 * a fork in the middle of another thread's walk must not leave
 * libunwind's locks held in the child.  At the end each churner records
 * its count with no lock: one race, and no other report.  Twin:
 * fork_churn_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @record @record
// PRELOAD-EXPECT: race @record @record
// RACEWATCH-EXPECT: location=global last_count
// PRELOAD-EXPECT: location=global last_count
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: stdout=done\n
// TSAN-EXPECT: dies-after-fork
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHURNERS 4
#define FORKS 20
#define MIN_ROUNDS 50

char last_count[16];
size_t count_len = sizeof(int); /* a non-constant size: memcpy stays a call */
static atomic_int forks_done;

static void *work(void *arg)
{
    return arg;
}

static void *churner(void *arg)
{
    int n = 0;
    while (n < MIN_ROUNDS || !atomic_load_explicit(&forks_done, memory_order_relaxed)) {
        pthread_t t;
        if (pthread_create(&t, NULL, work, NULL) != 0 || pthread_join(t, NULL) != 0)
            abort();
        n++;
    }
    memcpy(last_count, &n, count_len); /* @record */
    return arg;
}

static void *forker(void *arg)
{
    for (int i = 0; i < FORKS; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            pthread_t t;
            if (pthread_create(&t, NULL, work, NULL) != 0 || pthread_join(t, NULL) != 0)
                abort();
            exit(0);
        }
        int st;
        if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
            abort();
    }
    atomic_store_explicit(&forks_done, 1, memory_order_relaxed);
    return arg;
}

int main(void)
{
    pthread_t c[CHURNERS], f;
    for (int i = 0; i < CHURNERS; i++)
        pthread_create(&c[i], NULL, churner, NULL);
    pthread_create(&f, NULL, forker, NULL);
    pthread_join(f, NULL);
    for (int i = 0; i < CHURNERS; i++)
        pthread_join(c[i], NULL);
    printf("done\n");
    return 0;
}
