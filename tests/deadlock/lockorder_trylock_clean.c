/* lockorder_trylock_clean.c: twin of lockorder_abba.c.  One thread takes a
 * then b; another holds b and only *tries* a, once when a is free (the
 * trylock succeeds) and once while main holds a (it fails, and the thread
 * backs off).  A trylock never blocks, so it adds no edge b => a: no
 * cycle, no report.  A failed timed lock adds none either. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: clean
// RACEWATCH-EXPECT: stdout=trylock free: 0\ntrylock held: EBUSY\ntimedlock held: ETIMEDOUT\n
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;

static void *take_ab(void *arg)
{
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&b);
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
    return arg;
}

static void *hold_b_try_a(void *arg)
{
    int *r = arg;
    pthread_mutex_lock(&b);
    r[0] = pthread_mutex_trylock(&a);
    if (r[0] == 0)
        pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
    return NULL;
}

static void *hold_b_timed_a(void *arg)
{
    int *r = arg;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 100 * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&b);
    r[0] = pthread_mutex_timedlock(&a, &until);
    if (r[0] == 0)
        pthread_mutex_unlock(&a);
    pthread_mutex_unlock(&b);
    return NULL;
}

int main(void)
{
    pthread_t t;
    int free_r = -1, held_r = -1, timed_r = -1;
    pthread_create(&t, NULL, take_ab, NULL);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, hold_b_try_a, &free_r);
    pthread_join(t, NULL);
    pthread_mutex_lock(&a);
    pthread_create(&t, NULL, hold_b_try_a, &held_r);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, hold_b_timed_a, &timed_r);
    pthread_join(t, NULL);
    pthread_mutex_unlock(&a);
    printf("trylock free: %d\n", free_r);
    printf("trylock held: %s\n", held_r == EBUSY ? "EBUSY" : "?");
    printf("timedlock held: %s\n", timed_r == ETIMEDOUT ? "ETIMEDOUT" : "?");
    return 0;
}
