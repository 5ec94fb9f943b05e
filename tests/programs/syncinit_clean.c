/* syncinit_clean.c: syncinit_race.c made right, and the common shapes that
 * must stay silent: every object initialized before the threads that use
 * it exist (thread creation orders the init first), a mutex and a
 * condition variable statically initialized (no init call) used by four
 * threads, a mutex in a heap block initialized before the block is handed
 * over, a barrier for the four, and everything destroyed after the joins.
 * Silent.  Twin: syncinit_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=total 4000\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=total 4000\n
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 4
#define ROUNDS 1000

static pthread_mutex_t mu;
static pthread_rwlock_t rw;
static pthread_spinlock_t sp;
static pthread_cond_t cv;
static pthread_barrier_t bar;
static sem_t sem;
static pthread_mutex_t static_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t static_cv = PTHREAD_COND_INITIALIZER;

struct shared {
    pthread_mutex_t lock;
    int total;
};

static void *user(void *arg)
{
    struct shared *sh = arg;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&mu);
        pthread_mutex_unlock(&mu);
        pthread_rwlock_rdlock(&rw);
        pthread_rwlock_unlock(&rw);
        pthread_spin_lock(&sp);
        pthread_spin_unlock(&sp);
        pthread_cond_signal(&cv);
        pthread_mutex_lock(&static_mu);
        pthread_cond_broadcast(&static_cv);
        pthread_mutex_unlock(&static_mu);
        sem_post(&sem);
        pthread_mutex_lock(&sh->lock);
        sh->total++;
        pthread_mutex_unlock(&sh->lock);
    }
    pthread_barrier_wait(&bar);
    return NULL;
}

int main(void)
{
    struct shared *sh = malloc(sizeof *sh);
    pthread_mutex_init(&sh->lock, NULL);
    sh->total = 0;
    pthread_mutex_init(&mu, NULL);
    pthread_rwlock_init(&rw, NULL);
    pthread_spin_init(&sp, PTHREAD_PROCESS_PRIVATE);
    pthread_cond_init(&cv, NULL);
    pthread_barrier_init(&bar, NULL, THREADS);
    sem_init(&sem, 0, 0);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, user, sh);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    printf("total %d\n", sh->total);
    pthread_mutex_destroy(&sh->lock);
    free(sh);
    pthread_mutex_destroy(&mu);
    pthread_rwlock_destroy(&rw);
    pthread_spin_destroy(&sp);
    pthread_cond_destroy(&cv);
    pthread_barrier_destroy(&bar);
    sem_destroy(&sem);
    pthread_mutex_destroy(&static_mu);
    pthread_cond_destroy(&static_cv);
    return 0;
}
