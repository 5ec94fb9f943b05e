/* join_blocked.c: main holds a mutex and joins a thread that is blocked on
 * that mutex: the thread can never finish, main can never unlock.  Every
 * thread is asleep.  Twin: join_timed_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=joining\n
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [pthread_join] @join
// RACEWATCH-EXPECT: thread 2 [pthread_mutex_lock] @lock from 1 @create
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    pthread_mutex_lock(&m); /* @lock */
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_mutex_lock(&m);
    pthread_create(&t, NULL, worker, NULL); /* @create */
    printf("joining\n");
    fflush(stdout);
    pthread_join(t, NULL); /* @join */
    pthread_mutex_unlock(&m);
    return 0;
}
