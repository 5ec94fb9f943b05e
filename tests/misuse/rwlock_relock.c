/* rwlock_relock.c: main write-locks a rwlock, then write-locks it again
 * and read-locks it (glibc: EDEADLK at once, the holder would wait for
 * itself); a worker does the same with the timed calls.  A warning for
 * each, not a deadlock; exit 66.  Twin: rwlock_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=wrlock: EDEADLK\nrdlock: EDEADLK\ntimedwrlock: EDEADLK\ntimedrdlock: EDEADLK\n
// RACEWATCH-EXPECT: misuse=4
// RACEWATCH-EXPECT: warning=second write lock of a rwlock by its holder @wr
// RACEWATCH-EXPECT: warning=read lock of a rwlock by its write holder @rd
// RACEWATCH-EXPECT: warning=second write lock of a rwlock by its holder @timedwr
// RACEWATCH-EXPECT: warning=read lock of a rwlock by its write holder @timedrd
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;

static const char *name(int r)
{
    return r == EDEADLK ? "EDEADLK" : "?";
}

static void *worker(void *arg)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 5;
    pthread_rwlock_wrlock(&rw);
    printf("timedwrlock: %s\n", name(pthread_rwlock_timedwrlock(&rw, &ts))); /* @timedwr */
    printf("timedrdlock: %s\n", name(pthread_rwlock_timedrdlock(&rw, &ts))); /* @timedrd */
    pthread_rwlock_unlock(&rw);
    return arg;
}

int main(void)
{
    pthread_rwlock_wrlock(&rw);
    printf("wrlock: %s\n", name(pthread_rwlock_wrlock(&rw))); /* @wr */
    printf("rdlock: %s\n", name(pthread_rwlock_rdlock(&rw))); /* @rd */
    pthread_rwlock_unlock(&rw);
    fflush(stdout);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    return 0;
}
