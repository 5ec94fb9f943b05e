/* floor_race.c: a granule that has no room may drop a cell that every
 * live thread's clock covers (the happens-before floor, detector/hb_floor.h),
 * never one that some live thread does not know yet.  `writer` fills
 * data[], then main and the three workers pass a barrier (a mutex and a
 * condition variable, as SPLASH-3's) and all read data[]: five cells per
 * granule.  `late`, alive all along, joins no barrier: the write is not
 * below the floor, and late's read (@read) races with it (@write).
 * Nothing orders the two: the flag is relaxed (tests/programs/README.md).
 * Twin: floor_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @read @write
// RACEWATCH-EXPECT: location=global data
// RACEWATCH-EXPECT: stdout=sum 4096\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#define N 1024
#define WORKERS 4 /* main and three threads */

long data[N];
static long sums[WORKERS];
static atomic_int readers_done;
static pthread_mutex_t bar_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bar_cond = PTHREAD_COND_INITIALIZER;
static unsigned bar_count;

static void barrier(void)
{
    pthread_mutex_lock(&bar_mutex);
    if (++bar_count == WORKERS) {
        bar_count = 0;
        pthread_cond_broadcast(&bar_cond);
    } else {
        pthread_cond_wait(&bar_cond, &bar_mutex);
    }
    pthread_mutex_unlock(&bar_mutex);
}

static void work(int id)
{
    if (id == 1)
        for (int i = 0; i < N; i++)
            data[i] = 1; /* @write */
    barrier();
    long s = 0;
    for (int i = 0; i < N; i++)
        s += data[i];
    sums[id] = s;
    atomic_fetch_add_explicit(&readers_done, 1, memory_order_relaxed);
}

static void *worker(void *arg)
{
    work((int)(long)arg);
    return NULL;
}

static void *late(void *arg)
{
    (void)arg;
    while (atomic_load_explicit(&readers_done, memory_order_relaxed) < WORKERS)
        usleep(1000);
    long s = 0;
    for (int i = 0; i < N; i++)
        s += data[i]; /* @read */
    return (void *)s;
}

int main(void)
{
    pthread_t t[WORKERS], l;
    pthread_create(&l, NULL, late, NULL);
    for (long i = 1; i < WORKERS; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    work(0);
    for (int i = 1; i < WORKERS; i++)
        pthread_join(t[i], NULL);
    void *ls;
    pthread_join(l, &ls);
    printf("sum %ld\n", sums[0] + sums[1] + sums[2] + sums[3] + (long)ls - N);
    return 0;
}
