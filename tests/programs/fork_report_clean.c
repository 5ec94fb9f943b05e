/* fork_report_clean.c: one thread forks over and over while two others
 * race on sixteen buffers, so that forks land while a race report is being
 * written.  A report holds the report sink's lock and symbolizes under it
 * (the symbolizer's lock, the stack depot, the thread table...); the fork
 * handlers take every such lock around fork() and must take them in the
 * same order, or the forking thread and the reporting one wait for each
 * other for ever (racewatch once took the symbolizer's lock before the
 * sink's).  Each child allocates, frees and leaves at once, so that
 * many forks land in the reports.  Here the two threads copy under a
 * mutex: no report.  Twin: fork_report_race.c. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
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

#define MIN_FORKS 40

char b0[16], b1[16], b2[16], b3[16], b4[16], b5[16], b6[16], b7[16];
char b8[16], b9[16], b10[16], b11[16], b12[16], b13[16], b14[16], b15[16];
size_t len = 8; /* a non-constant size: memcpy stays a call */
static const char text[16] = "reported";
static pthread_mutex_t copy_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int writers_done, forks_started;

static void copy_all(void)
{
    memcpy(b0, text, len);
    memcpy(b1, text, len);
    memcpy(b2, text, len);
    memcpy(b3, text, len);
    memcpy(b4, text, len);
    memcpy(b5, text, len);
    memcpy(b6, text, len);
    memcpy(b7, text, len);
    memcpy(b8, text, len);
    memcpy(b9, text, len);
    memcpy(b10, text, len);
    memcpy(b11, text, len);
    memcpy(b12, text, len);
    memcpy(b13, text, len);
    memcpy(b14, text, len);
    memcpy(b15, text, len);
}

static void *writer(void *arg)
{
    /* Start once the forks have: the reports and the forks overlap. */
    while (atomic_load_explicit(&forks_started, memory_order_relaxed) == 0)
        usleep(100);
    pthread_mutex_lock(&copy_lock);
    copy_all();
    pthread_mutex_unlock(&copy_lock);
    atomic_fetch_add_explicit(&writers_done, 1, memory_order_relaxed);
    return arg;
}

static void *forker(void *arg)
{
    for (int n = 0; n < MIN_FORKS || atomic_load_explicit(&writers_done, memory_order_relaxed) < 2; n++) {
        pid_t pid = fork();
        if (pid == 0) {
            free(malloc(32));
            _exit(0);
        }
        atomic_store_explicit(&forks_started, 1, memory_order_relaxed);
        int st;
        if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
            abort();
    }
    return arg;
}

int main(void)
{
    pthread_t f, w[2];
    pthread_create(&f, NULL, forker, NULL);
    for (int i = 0; i < 2; i++)
        pthread_create(&w[i], NULL, writer, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(w[i], NULL);
    pthread_join(f, NULL);
    printf("done\n");
    return 0;
}
