/* fork_report_race.c: one thread forks over and over while two others
 * race on sixteen buffers, so that forks land while a race report is being
 * written.  A report holds the report sink's lock and symbolizes under it
 * (the symbolizer's lock, the stack depot, the thread table...); the fork
 * handlers take every such lock around fork() and must take them in the
 * same order, or the forking thread and the reporting one wait for each
 * other for ever (racewatch once took the symbolizer's lock before the
 * sink's).  Each child allocates, frees and leaves at once, so that
 * many forks land in the reports.  Sixteen races, one per buffer, each
 * reported once (the same line in both threads).  Twin:
 * fork_report_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=16
// PRELOAD-EXPECT: races=16
// RACEWATCH-EXPECT: race @b0 @b0
// RACEWATCH-EXPECT: race @b1 @b1
// RACEWATCH-EXPECT: race @b2 @b2
// RACEWATCH-EXPECT: race @b3 @b3
// RACEWATCH-EXPECT: race @b4 @b4
// RACEWATCH-EXPECT: race @b5 @b5
// RACEWATCH-EXPECT: race @b6 @b6
// RACEWATCH-EXPECT: race @b7 @b7
// RACEWATCH-EXPECT: race @b8 @b8
// RACEWATCH-EXPECT: race @b9 @b9
// RACEWATCH-EXPECT: race @b10 @b10
// RACEWATCH-EXPECT: race @b11 @b11
// RACEWATCH-EXPECT: race @b12 @b12
// RACEWATCH-EXPECT: race @b13 @b13
// RACEWATCH-EXPECT: race @b14 @b14
// RACEWATCH-EXPECT: race @b15 @b15
// PRELOAD-EXPECT: race @b0 @b0
// PRELOAD-EXPECT: race @b1 @b1
// PRELOAD-EXPECT: race @b2 @b2
// PRELOAD-EXPECT: race @b3 @b3
// PRELOAD-EXPECT: race @b4 @b4
// PRELOAD-EXPECT: race @b5 @b5
// PRELOAD-EXPECT: race @b6 @b6
// PRELOAD-EXPECT: race @b7 @b7
// PRELOAD-EXPECT: race @b8 @b8
// PRELOAD-EXPECT: race @b9 @b9
// PRELOAD-EXPECT: race @b10 @b10
// PRELOAD-EXPECT: race @b11 @b11
// PRELOAD-EXPECT: race @b12 @b12
// PRELOAD-EXPECT: race @b13 @b13
// PRELOAD-EXPECT: race @b14 @b14
// PRELOAD-EXPECT: race @b15 @b15
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
static atomic_int writers_done, forks_started;

static void copy_all(void)
{
    memcpy(b0, text, len); /* @b0 */
    memcpy(b1, text, len); /* @b1 */
    memcpy(b2, text, len); /* @b2 */
    memcpy(b3, text, len); /* @b3 */
    memcpy(b4, text, len); /* @b4 */
    memcpy(b5, text, len); /* @b5 */
    memcpy(b6, text, len); /* @b6 */
    memcpy(b7, text, len); /* @b7 */
    memcpy(b8, text, len); /* @b8 */
    memcpy(b9, text, len); /* @b9 */
    memcpy(b10, text, len); /* @b10 */
    memcpy(b11, text, len); /* @b11 */
    memcpy(b12, text, len); /* @b12 */
    memcpy(b13, text, len); /* @b13 */
    memcpy(b14, text, len); /* @b14 */
    memcpy(b15, text, len); /* @b15 */
}

static void *writer(void *arg)
{
    /* Start once the forks have: the reports and the forks overlap. */
    while (atomic_load_explicit(&forks_started, memory_order_relaxed) == 0)
        usleep(100);
    copy_all();
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
