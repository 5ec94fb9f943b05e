/* lock_order.c: main takes a then b; later a thread takes b then a.
 * Never at the same time, so no deadlock happens, but the orders form a
 * cycle: racewatch reports a lock-order inversion and the exit is 66. */
#include <pthread.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;

static void *reversed(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&b);
    pthread_mutex_lock(&a);
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&b);
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    pthread_create(&t, NULL, reversed, NULL);
    pthread_join(t, NULL);
    return 0;
}
