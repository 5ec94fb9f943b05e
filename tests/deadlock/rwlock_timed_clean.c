/* rwlock_timed_clean.c: twin of rwlock_writer_reader.c and rwlock_rdlock.c.
 * The same reader/writer shape, but the writer asks for the rwlock with
 * pthread_rwlock_timedwrlock: it times out, releases m, lets the reader
 * finish, then takes the rwlock untimed.  Then main holds the rwlock for
 * writing while a reader waits in rdlock and main sleeps before unlocking. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=timedwrlock: ETIMEDOUT\nreader 2 done\n
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;
static int timed_result = -1;

static void *reader(void *arg)
{
    pthread_rwlock_rdlock(&rw);
    pthread_barrier_wait(&both_hold_one);
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    pthread_rwlock_unlock(&rw);
    return arg;
}

static void *writer(void *arg)
{
    pthread_mutex_lock(&m);
    pthread_barrier_wait(&both_hold_one);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 300 * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    timed_result = pthread_rwlock_timedwrlock(&rw, &until);
    if (timed_result == 0)
        pthread_rwlock_unlock(&rw);
    pthread_mutex_unlock(&m);
    pthread_rwlock_wrlock(&rw);
    pthread_rwlock_unlock(&rw);
    return arg;
}

static void *reader2(void *arg)
{
    pthread_rwlock_rdlock(&rw);
    pthread_rwlock_unlock(&rw);
    return arg;
}

int main(void)
{
    pthread_t r, w;
    pthread_barrier_init(&both_hold_one, NULL, 2);
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(r, NULL);
    pthread_join(w, NULL);
    printf("timedwrlock: %s\n", timed_result == ETIMEDOUT ? "ETIMEDOUT" : "?");

    pthread_rwlock_wrlock(&rw);
    pthread_create(&r, NULL, reader2, NULL);
    usleep(300 * 1000);
    pthread_rwlock_unlock(&rw);
    pthread_join(r, NULL);
    printf("reader 2 done\n");
    return 0;
}
