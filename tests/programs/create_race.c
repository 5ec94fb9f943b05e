/* create_race.c: pthread_create orders only what the parent did BEFORE it.
 * main sets the parameter after starting the thread that reads it.
 * Twin: create_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @param_w @param_r
// RACEWATCH-EXPECT: location=global param
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

int param;

static void *worker(void *arg)
{
    (void)arg;
    use(param); /* @param_r */
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    param = 7; /* @param_w */
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
