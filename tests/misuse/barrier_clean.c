/* barrier_clean.c: twin of barrier_misuse.c, barrier_destroy_waiting.c and
 * barrier_reinit_waiting.c: three threads pass a barrier for three five
 * times; the serial thread destroys it right after the last round, while
 * the others may still be leaving (glibc allows it); it is initialised
 * again for two and used by two threads, then destroyed.  Silent. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: stdout=rounds 15\nagain 2\n
// RACEWATCH-EXPECT: clean
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

static pthread_barrier_t b;
static atomic_int passed;

static void *three(void *arg)
{
    for (int i = 0; i < 5; i++) {
        int r = pthread_barrier_wait(&b);
        atomic_fetch_add(&passed, 1);
        if (i == 4 && r == PTHREAD_BARRIER_SERIAL_THREAD)
            pthread_barrier_destroy(&b);
    }
    return arg;
}

static void *two(void *arg)
{
    pthread_barrier_wait(&b);
    atomic_fetch_add(&passed, 1);
    return arg;
}

int main(void)
{
    pthread_t t[3];
    pthread_barrier_init(&b, NULL, 3);
    for (int i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, three, NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    printf("rounds %d\n", atomic_load(&passed));
    atomic_store(&passed, 0);
    pthread_barrier_init(&b, NULL, 2);
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, two, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&b);
    printf("again %d\n", atomic_load(&passed));
    return 0;
}
