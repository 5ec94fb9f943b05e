/* abba_trylock_clean.c: twin of abba_join.c.  The second thread takes b,
 * then only *tries* a; when that fails it backs off (releases b, yields)
 * and tries again.  The first thread gets b during the back-off and
 * finishes, so the program always ends.  No deadlock, and no lock-order
 * inversion either: a trylock adds no edge into the lock it tries. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=backed off at least once: yes\ndone\n
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;
static int backoffs;

static void *take_ab(void *arg)
{
    pthread_mutex_lock(&a);
    pthread_barrier_wait(&both_hold_one);
    pthread_mutex_lock(&b);
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    return arg;
}

static void *take_b_try_a(void *arg)
{
    pthread_mutex_lock(&b);
    pthread_barrier_wait(&both_hold_one);
    while (pthread_mutex_trylock(&a) != 0) {
        backoffs++;
        pthread_mutex_unlock(&b);
        sched_yield();
        pthread_mutex_lock(&b);
    }
    pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
    return arg;
}

int main(void)
{
    pthread_t t1, t2;
    pthread_barrier_init(&both_hold_one, NULL, 2);
    pthread_create(&t1, NULL, take_ab, NULL);
    pthread_create(&t2, NULL, take_b_try_a, NULL);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    printf("backed off at least once: %s\n", backoffs > 0 ? "yes" : "no");
    printf("done\n");
    return 0;
}
