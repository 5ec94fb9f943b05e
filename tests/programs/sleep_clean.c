/* sleep_clean.c: twin of sleep_race.c.  main joins the thread (the sleep may
 * stay; it is the join that orders the accesses). */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=result = 42\n
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

int result;

static void *worker(void *arg)
{
    (void)arg;
    result = 42;
    return NULL;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    usleep(10000);
    pthread_join(t, NULL);
    int r = result;
    printf("result = %d\n", r);
    return 0;
}
