/* test_race.c: a unit test with a data race in it.  Its own check
 * passes (it only checks that the counter moved), so only racewatch
 * catches the unsynchronized increments. */
#include <pthread.h>
#include <stdio.h>

static int hits;

static void *hit(void *arg)
{
    (void)arg;
    hits++; /* two threads, no lock */
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, hit, NULL);
    pthread_create(&b, NULL, hit, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    if (hits < 1) {
        printf("FAIL: hits = %d\n", hits);
        return 1;
    }
    printf("ok\n");
    return 0;
}
