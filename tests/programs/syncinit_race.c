/* syncinit_race.c: synchronization objects are memory (ThreadSanitizer's
 * model): pthread_*_init and sem_init write the object, a lock, wait,
 * signal or post reads it.  Here a thread already running uses each
 * object (mutex, rwlock, spinlock, condition variable, barrier, semaphore)
 * right after main initializes it, and nothing orders the use after the
 * init (a relaxed flag orders execution only): six races, each use
 * against its init.  ThreadSanitizer finds five: it does not model
 * semaphores as memory.  Twin: syncinit_clean.c. */
// TSAN-EXPECT: miss
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=6
// RACEWATCH-EXPECT: race @lock @init_mutex
// RACEWATCH-EXPECT: race @rdlock @init_rwlock
// RACEWATCH-EXPECT: race @spin @init_spin
// RACEWATCH-EXPECT: race @signal @init_cond
// RACEWATCH-EXPECT: race @barrier @init_barrier
// RACEWATCH-EXPECT: race @post @init_sem
// RACEWATCH-EXPECT: prev=write
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=6
// PRELOAD-EXPECT: race @lock @init_mutex
// PRELOAD-EXPECT: race @rdlock @init_rwlock
// PRELOAD-EXPECT: race @spin @init_spin
// PRELOAD-EXPECT: race @signal @init_cond
// PRELOAD-EXPECT: race @barrier @init_barrier
// PRELOAD-EXPECT: race @post @init_sem
// PRELOAD-EXPECT: prev=write
// PRELOAD-EXPECT: stdout=done\n
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t mu;
static pthread_rwlock_t rw;
static pthread_spinlock_t sp;
static pthread_cond_t cv;
static pthread_barrier_t bar;
static sem_t sem;
static atomic_int ready;

static void *user(void *arg)
{
    while (!atomic_load_explicit(&ready, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_lock(&mu); /* @lock */
    pthread_mutex_unlock(&mu);
    pthread_rwlock_rdlock(&rw); /* @rdlock */
    pthread_rwlock_unlock(&rw);
    pthread_spin_lock(&sp); /* @spin */
    pthread_spin_unlock(&sp);
    pthread_cond_signal(&cv); /* @signal */
    pthread_barrier_wait(&bar); /* @barrier */
    sem_post(&sem); /* @post */
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, user, NULL);
    pthread_mutex_init(&mu, NULL); /* @init_mutex */
    pthread_rwlock_init(&rw, NULL); /* @init_rwlock */
    pthread_spin_init(&sp, PTHREAD_PROCESS_PRIVATE); /* @init_spin */
    pthread_cond_init(&cv, NULL); /* @init_cond */
    pthread_barrier_init(&bar, NULL, 1); /* @init_barrier */
    sem_init(&sem, 0, 0); /* @init_sem */
    atomic_store_explicit(&ready, 1, memory_order_relaxed);
    pthread_join(t, NULL);
    pthread_mutex_destroy(&mu);
    pthread_rwlock_destroy(&rw);
    pthread_spin_destroy(&sp);
    pthread_cond_destroy(&cv);
    pthread_barrier_destroy(&bar);
    sem_destroy(&sem);
    printf("done\n");
    return 0;
}
