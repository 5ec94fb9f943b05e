/* tls_race.c: thread-local storage is ordinary memory.  Thread A hands the
 * address of its __thread counter to thread B; both then write it.
 * Twin: tls_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @owner_w @other_w
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>

static __thread int tls_counter;

static void *thread_b(void *arg)
{
    int *p = arg;
    *p = 100; /* @other_w */
    return NULL;
}

static void *thread_a(void *arg)
{
    (void)arg;
    pthread_t b;
    pthread_create(&b, NULL, thread_b, &tls_counter);
    tls_counter = 1; /* @owner_w */
    pthread_join(b, NULL);
    return NULL;
}

int main(void)
{
    pthread_t a;
    pthread_create(&a, NULL, thread_a, NULL);
    pthread_join(a, NULL);
    printf("done\n");
    return 0;
}
