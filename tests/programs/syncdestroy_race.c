/* syncdestroy_race.c: a thread uses each synchronization object once
 * (lock and unlock, write-lock, spin, signal, a barrier of one, post),
 * then main destroys it with nothing ordering the destroy after the use
 * (a relaxed flag orders execution only): the destroy writes the object,
 * the use read it, six races.  The mutex and the condition variable live
 * in a heap block, the others are globals.  ThreadSanitizer finds five:
 * it does not model semaphores as memory.  Twin: syncdestroy_clean.c. */
// TSAN-EXPECT: miss
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=6
// RACEWATCH-EXPECT: race @destroy_mutex @lock
// RACEWATCH-EXPECT: race @destroy_rwlock @wrlock
// RACEWATCH-EXPECT: race @destroy_spin @spin
// RACEWATCH-EXPECT: race @destroy_cond @signal
// RACEWATCH-EXPECT: race @destroy_barrier @barrier
// RACEWATCH-EXPECT: race @destroy_sem @post
// RACEWATCH-EXPECT: prev=read
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=6
// PRELOAD-EXPECT: race @destroy_mutex @lock
// PRELOAD-EXPECT: race @destroy_rwlock @wrlock
// PRELOAD-EXPECT: race @destroy_spin @spin
// PRELOAD-EXPECT: race @destroy_cond @signal
// PRELOAD-EXPECT: race @destroy_barrier @barrier
// PRELOAD-EXPECT: race @destroy_sem @post
// PRELOAD-EXPECT: prev=read
// PRELOAD-EXPECT: stdout=done\n
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct objects {
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

static pthread_rwlock_t rw;
static pthread_spinlock_t sp;
static pthread_barrier_t bar;
static sem_t sem;
static atomic_int used;

static void *user(void *arg)
{
    struct objects *o = arg;
    pthread_mutex_lock(&o->mu); /* @lock */
    pthread_mutex_unlock(&o->mu);
    pthread_rwlock_wrlock(&rw); /* @wrlock */
    pthread_rwlock_unlock(&rw);
    pthread_spin_lock(&sp); /* @spin */
    pthread_spin_unlock(&sp);
    pthread_cond_signal(&o->cv); /* @signal */
    pthread_barrier_wait(&bar); /* @barrier */
    sem_post(&sem); /* @post */
    atomic_store_explicit(&used, 1, memory_order_relaxed);
    return arg;
}

int main(void)
{
    struct objects *o = malloc(sizeof *o);
    pthread_mutex_init(&o->mu, NULL);
    pthread_cond_init(&o->cv, NULL);
    pthread_rwlock_init(&rw, NULL);
    pthread_spin_init(&sp, PTHREAD_PROCESS_PRIVATE);
    pthread_barrier_init(&bar, NULL, 1);
    sem_init(&sem, 0, 0);
    pthread_t t;
    pthread_create(&t, NULL, user, o);
    while (!atomic_load_explicit(&used, memory_order_relaxed))
        usleep(1000);
    pthread_mutex_destroy(&o->mu); /* @destroy_mutex */
    pthread_cond_destroy(&o->cv); /* @destroy_cond */
    pthread_rwlock_destroy(&rw); /* @destroy_rwlock */
    pthread_spin_destroy(&sp); /* @destroy_spin */
    pthread_barrier_destroy(&bar); /* @destroy_barrier */
    sem_destroy(&sem); /* @destroy_sem */
    pthread_join(t, NULL);
    free(o);
    printf("done\n");
    return 0;
}
