/* syncdestroy_clean.c: syncdestroy_race.c made right: main joins the
 * thread that used the objects before destroying them (the join orders
 * every use first), and re-initializes the mutex and uses it again before
 * the final destroy.  Silent.  Twin: syncdestroy_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=done\n
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

struct objects {
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

static pthread_rwlock_t rw;
static pthread_spinlock_t sp;
static pthread_barrier_t bar;
static sem_t sem;

static void *user(void *arg)
{
    struct objects *o = arg;
    pthread_mutex_lock(&o->mu);
    pthread_mutex_unlock(&o->mu);
    pthread_rwlock_wrlock(&rw);
    pthread_rwlock_unlock(&rw);
    pthread_spin_lock(&sp);
    pthread_spin_unlock(&sp);
    pthread_cond_signal(&o->cv);
    pthread_barrier_wait(&bar);
    sem_post(&sem);
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
    pthread_join(t, NULL);
    pthread_mutex_destroy(&o->mu);
    pthread_mutex_init(&o->mu, NULL);
    pthread_create(&t, NULL, user, o);
    pthread_join(t, NULL);
    pthread_mutex_destroy(&o->mu);
    pthread_cond_destroy(&o->cv);
    pthread_rwlock_destroy(&rw);
    pthread_spin_destroy(&sp);
    pthread_barrier_destroy(&bar);
    sem_destroy(&sem);
    free(o);
    printf("done\n");
    return 0;
}
