/* abba_sleep.c: abba_join.c with main sleeping instead of joining.  Main
 * is not asleep (it sleeps with a timeout), so this is not "all threads
 * asleep"; the two workers wait for each other's mutex: a cycle of two,
 * certain while main still runs.  Twin: abba_timedlock_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=started\n
// RACEWATCH-EXPECT: first-line=fatal error: deadlock! (cycle of 2 threads)
// RACEWATCH-EXPECT: thread 2 [pthread_mutex_lock] @lock_b from 1 @create_ab
// RACEWATCH-EXPECT: thread 3 [pthread_mutex_lock] @lock_a from 1 @create_ba
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;

static void *take_ab(void *arg)
{
    pthread_mutex_lock(&a);
    pthread_barrier_wait(&both_hold_one);
    pthread_mutex_lock(&b); /* @lock_b */
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    return arg;
}

static void *take_ba(void *arg)
{
    pthread_mutex_lock(&b);
    pthread_barrier_wait(&both_hold_one);
    pthread_mutex_lock(&a); /* @lock_a */
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
    return arg;
}

int main(void)
{
    pthread_t t1, t2;
    pthread_barrier_init(&both_hold_one, NULL, 2);
    pthread_create(&t1, NULL, take_ab, NULL); /* @create_ab */
    pthread_create(&t2, NULL, take_ba, NULL); /* @create_ba */
    printf("started\n");
    fflush(stdout);
    for (;;)
        sleep(1);
}
