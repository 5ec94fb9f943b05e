/* join_each_other.c: two threads join each other (glibc does not catch
 * this one: each waits in pthread_join for ever).  Main sleeps, so it is a
 * cycle of two while main still runs.  Twin: join_timed_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=
// RACEWATCH-EXPECT: first-line=fatal error: deadlock! (cycle of 2 threads)
// RACEWATCH-EXPECT: thread 2 [pthread_join] @join_second from 1 @create_first
// RACEWATCH-EXPECT: thread 3 [pthread_join] @join_first from 1 @create_second
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_t first, second;
static pthread_barrier_t handles_known;

static void *first_fn(void *arg)
{
    pthread_barrier_wait(&handles_known);
    pthread_join(second, NULL); /* @join_second */
    return arg;
}

static void *second_fn(void *arg)
{
    pthread_barrier_wait(&handles_known);
    usleep(50 * 1000);
    pthread_join(first, NULL); /* @join_first */
    return arg;
}

int main(void)
{
    pthread_barrier_init(&handles_known, NULL, 3);
    pthread_create(&first, NULL, first_fn, NULL); /* @create_first */
    pthread_create(&second, NULL, second_fn, NULL); /* @create_second */
    pthread_barrier_wait(&handles_known);
    for (;;)
        sleep(1);
}
