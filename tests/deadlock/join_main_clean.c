/* join_main_clean.c: twin of join_main.c.  The thread joins the main
 * thread with pthread_timedjoin_np (a timed wait, never asleep) while main
 * joins it; the timed join gives up, the thread returns and main's join
 * succeeds.  Main also joins itself, which fails at once with EDEADLK:
 * judged by what it returned, not a wait. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=self join: EDEADLK\ntimed join of main: ETIMEDOUT\njoin: 0\n
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_t main_thread;
static int timed_result;

static void *child(void *arg)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 200 * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    timed_result = pthread_timedjoin_np(main_thread, NULL, &until);
    return arg;
}

int main(void)
{
    main_thread = pthread_self();
    printf("self join: %s\n", pthread_join(main_thread, NULL) == EDEADLK ? "EDEADLK" : "?");
    pthread_t t;
    pthread_create(&t, NULL, child, NULL);
    int r = pthread_join(t, NULL);
    printf("timed join of main: %s\n", timed_result == ETIMEDOUT ? "ETIMEDOUT" : "?");
    printf("join: %d\n", r);
    return 0;
}
