/* holder_sleeps_clean.c: twin of relock_running.c / abba_sleep.c.  A worker
 * holds the mutex and sleeps before unlocking it; main and a second worker
 * block on the mutex meanwhile (main in pthread_mutex_lock, not in a join).
 * The holder is not asleep, so nothing is reported. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=holder has it\nmain got it\ndone 2\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static atomic_int held;
static int count;

static void *holder(void *arg)
{
    pthread_mutex_lock(&m);
    atomic_store(&held, 1);
    usleep(400 * 1000);
    count++;
    pthread_mutex_unlock(&m);
    return arg;
}

static void *waiter(void *arg)
{
    while (!atomic_load(&held))
        usleep(1000);
    pthread_mutex_lock(&m);
    count++;
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    pthread_t h, w;
    pthread_create(&h, NULL, holder, NULL);
    pthread_create(&w, NULL, waiter, NULL);
    while (!atomic_load(&held))
        usleep(1000);
    printf("holder has it\n");
    pthread_mutex_lock(&m);
    printf("main got it\n");
    pthread_mutex_unlock(&m);
    pthread_join(h, NULL);
    pthread_join(w, NULL);
    printf("done %d\n", count);
    return 0;
}
