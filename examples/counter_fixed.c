/* counter_fixed.c: counter_race.c made correct with a mutex; racewatch is
 * silent on it. */
#include <pthread.h>
#include <stdio.h>

static int counter;
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;

static void *increment(void *arg)
{
    (void)arg;
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&counter_lock);
        counter++;
        pthread_mutex_unlock(&counter_lock);
    }
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, increment, NULL);
    pthread_create(&b, NULL, increment, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("counter = %d (expected 2000)\n", counter);
    return 0;
}

/* What racewatch says (checked by tests/examples/run_example_test.py):
 * nothing. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=counter = 2000 (expected 2000)
