/* create_clean.c: twin of create_race.c.  main writes the parameter before
 * pthread_create (create -> child's first instruction) and reads the result
 * after pthread_join (child's return -> join). */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=result = 49\n
#include <pthread.h>
#include <stdio.h>

int param;
int result;

static void *worker(void *arg)
{
    (void)arg;
    result = param * param;
    return NULL;
}

int main(void)
{
    pthread_t t;
    param = 7;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    printf("result = %d\n", result);
    return 0;
}
