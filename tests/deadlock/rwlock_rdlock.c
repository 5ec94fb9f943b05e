/* rwlock_rdlock.c: main holds the rwlock for writing and joins a thread
 * that wants it for reading.  Every thread is asleep.
 * Twin: rwlock_timed_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [pthread_join] @join
// RACEWATCH-EXPECT: thread 2 [pthread_rwlock_rdlock] @rdlock from 1 @create
#include <pthread.h>
#include <stdio.h>

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;

static void *reader(void *arg)
{
    pthread_rwlock_rdlock(&rw); /* @rdlock */
    pthread_rwlock_unlock(&rw);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_rwlock_wrlock(&rw);
    pthread_create(&t, NULL, reader, NULL); /* @create */
    pthread_join(t, NULL); /* @join */
    pthread_rwlock_unlock(&rw);
    return 0;
}
