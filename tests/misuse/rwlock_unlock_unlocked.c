/* rwlock_unlock_unlocked.c: a worker read-locks and unlocks a rwlock, then
 * unlocks it once more.  Fatal, as Go's "sync: RUnlock of unlocked
 * RWMutex": glibc would wrap the reader count and break the lock for every
 * later user.  Exit 2.  Twin: rwlock_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=runs
// RACEWATCH-EXPECT: stdout=unlocked once\n
// RACEWATCH-EXPECT: first-line=fatal error: sync: unlock of unlocked rwlock
// RACEWATCH-EXPECT: thread 2 [running] @unlock from 1 @create
#include <pthread.h>
#include <stdio.h>

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;

static void *worker(void *arg)
{
    pthread_rwlock_rdlock(&rw);
    pthread_rwlock_unlock(&rw);
    printf("unlocked once\n");
    fflush(stdout);
    pthread_rwlock_unlock(&rw); /* @unlock */
    printf("unreachable\n");
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL); /* @create */
    pthread_join(t, NULL);
    return 0;
}
