/* destroy_cond_waiters.c: main destroys a condition variable while a
 * worker waits on it.  A warning.  glibc's pthread_cond_destroy then waits
 * for the waiters to leave, so a helper thread broadcasts after 300 ms to
 * let the program finish; exit 66.  That broadcast uses the object while
 * it is being destroyed, with nothing ordering the two: a data race too
 * (the destroy writes the object, the broadcast reads it). */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=destroyed\n
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: misuse=1
// RACEWATCH-EXPECT: warning=destroy of a condition variable with waiters @destroy
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static atomic_int waiting;

static void *waiter(void *arg)
{
    pthread_mutex_lock(&m);
    atomic_store(&waiting, 1);
    pthread_cond_wait(&c, &m);
    pthread_mutex_unlock(&m);
    return arg;
}

static void *rescuer(void *arg)
{
    usleep(300 * 1000);
    pthread_cond_broadcast(&c); /* @broadcast */
    return arg;
}

int main(void)
{
    pthread_t w, r;
    pthread_create(&w, NULL, waiter, NULL);
    for (;;) {
        pthread_mutex_lock(&m);   /* the waiter is inside the wait once it let m go */
        int in = atomic_load(&waiting);
        pthread_mutex_unlock(&m);
        if (in)
            break;
        usleep(1000);
    }
    pthread_create(&r, NULL, rescuer, NULL);
    pthread_cond_destroy(&c); /* @destroy */
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    printf("destroyed\n");
    return 0;
}
