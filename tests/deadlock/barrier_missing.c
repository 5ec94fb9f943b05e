/* barrier_missing.c: a barrier for three, but only main and one worker
 * ever arrive (the third party was never started).  Both wait for ever.
 * Twin: barrier_late_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [pthread_barrier_wait] @main_wait
// RACEWATCH-EXPECT: thread 2 [pthread_barrier_wait] @worker_wait from 1 @create
#include <pthread.h>
#include <stdio.h>

static pthread_barrier_t three;

static void *worker(void *arg)
{
    pthread_barrier_wait(&three); /* @worker_wait */
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_barrier_init(&three, NULL, 3);
    pthread_create(&t, NULL, worker, NULL); /* @create */
    pthread_barrier_wait(&three); /* @main_wait */
    pthread_join(t, NULL);
    printf("unreachable\n");
    return 0;
}
