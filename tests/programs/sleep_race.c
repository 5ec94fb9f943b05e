/* sleep_race.c: the seed tutorial's "naive wait": main sleeps instead of
 * joining, then reads what the thread wrote.  A sleep orders nothing.
 * Twin: sleep_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @w @r
// RACEWATCH-EXPECT: location=global result
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

int result;

static void *worker(void *arg)
{
    (void)arg;
    result = 42; /* @w */
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    usleep(100000); /* "surely done by now" */
    int r = result; /* @r */
    use(r); /* the value is usually 42, but nothing promises it */
    printf("done\n");
    pthread_join(t, NULL);
    return 0;
}
