/* rwlock_clean.c: twin of rwlock_relock.c and rwlock_unlock_unlocked.c:
 * every lock of a rwlock unlocked once by its holder: read locks held by
 * two threads at once, a read lock taken twice by one thread (legal),
 * write locks, try-locks that fail with EBUSY and a timed write lock that
 * times out while another thread holds it.  Silent. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: stdout=trywrlock: EBUSY\ntimedwrlock: ETIMEDOUT\ntryrdlock: EBUSY\ndone 3\n
// RACEWATCH-EXPECT: clean
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static atomic_int reading, release;
static int value;

static void *try_reader(void *arg)
{
    return (void *)(long)pthread_rwlock_tryrdlock(arg);
}

static void *reader(void *arg)
{
    pthread_rwlock_rdlock(&rw);
    pthread_rwlock_rdlock(&rw); /* a second read lock by a reader */
    atomic_store(&reading, 1);
    while (!atomic_load(&release))
        usleep(1000);
    pthread_rwlock_unlock(&rw);
    pthread_rwlock_unlock(&rw);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    while (!atomic_load(&reading))
        usleep(1000);
    pthread_rwlock_rdlock(&rw);
    printf("trywrlock: %s\n", pthread_rwlock_trywrlock(&rw) == EBUSY ? "EBUSY" : "?");
    pthread_rwlock_unlock(&rw);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20 * 1000 * 1000;
    ts.tv_sec += ts.tv_nsec / 1000000000L;
    ts.tv_nsec %= 1000000000L;
    printf("timedwrlock: %s\n", pthread_rwlock_timedwrlock(&rw, &ts) == ETIMEDOUT ? "ETIMEDOUT" : "?");
    atomic_store(&release, 1);
    pthread_join(t, NULL);
    pthread_rwlock_wrlock(&rw);
    value = 3;
    pthread_t u;
    pthread_create(&u, NULL, try_reader, &rw);
    void *r;
    pthread_join(u, &r);
    printf("tryrdlock: %s\n", (int)(long)r == EBUSY ? "EBUSY" : "?");
    pthread_rwlock_unlock(&rw);
    pthread_rwlock_rdlock(&rw);
    printf("done %d\n", value);
    pthread_rwlock_unlock(&rw);
    return 0;
}
