/* deadlock.c: two threads take two mutexes in opposite orders and meet
 * at a barrier in between, so each waits forever for the other's mutex:
 * racewatch reports "all threads are asleep" and the process exits 2. */
#include <pthread.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;

static void *other(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&b);
    pthread_barrier_wait(&both_hold_one);
    pthread_mutex_lock(&a); /* waits for main */
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_barrier_init(&both_hold_one, NULL, 2);
    pthread_create(&t, NULL, other, NULL);
    pthread_mutex_lock(&a);
    pthread_barrier_wait(&both_hold_one);
    pthread_mutex_lock(&b); /* waits for other */
    pthread_join(t, NULL);
    return 0;
}
