/* once_race.c: two threads initialise the configuration through two
 * different rw_once objects: each runs the function, and nothing orders
 * the two runs.  Twin: once_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @init @init
#include <pthread.h>
#include <stdio.h>

#include "chan_test.h"

static int config;
static rw_once once[2];

static void init(void *arg)
{
    (void)arg;
    put(&config, 8); /* @init */
}

static void *reader(void *arg)
{
    rw_once_do(&once[(long)arg], init, NULL);
    return NULL;
}

int main(void)
{
    pthread_t t[2];
    for (long i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, reader, (void *)i);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    return 0;
}
