/* once_clean.c: the function run by the first rw_once_do happens-before
 * every call's return: four threads read the configuration it wrote.
 * Silent.  Twin: once_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=init ran 1 time(s), sum 32\n
#include <pthread.h>
#include <stdio.h>

#include "chan_test.h"

static int config;
static int runs;
static rw_once once;

static void init(void *arg)
{
    (void)arg;
    put(&config, 8);
    put(&runs, get(&runs) + 1);
}

static void *reader(void *arg)
{
    rw_once_do(&once, init, NULL);
    *(int *)arg = get(&config);
    return NULL;
}

int main(void)
{
    pthread_t t[4];
    int seen[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, reader, &seen[i]);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    printf("init ran %d time(s), sum %d\n", get(&runs), seen[0] + seen[1] + seen[2] + seen[3]);
    return 0;
}
