/* join_detached.c: main detaches a thread and then joins it.  A warning;
 * the join returns EINVAL as glibc's does; exit 66. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=join: EINVAL\n
// RACEWATCH-EXPECT: misuse=1
// RACEWATCH-EXPECT: warning=pthread_join of a detached thread @join
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_barrier_t go;

static void *worker(void *arg)
{
    pthread_barrier_wait(&go);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_barrier_init(&go, NULL, 2);
    pthread_create(&t, NULL, worker, NULL);
    pthread_detach(t);
    int r = pthread_join(t, NULL); /* @join */
    printf("join: %s\n", r == EINVAL ? "EINVAL" : "?");
    pthread_barrier_wait(&go);
    usleep(100 * 1000);
    return 0;
}
