/* loopvar_clean.c: twin of loopvar_race.c.  Each thread gets a copy of the
 * loop counter (the value itself in the argument pointer), as the tutorial's
 * fix passes the value as a parameter. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=seen 0 1 2 3\n
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define NTHREADS 4

static int seen[NTHREADS];

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    seen[id] = id;
    return NULL;
}

int main(void)
{
    pthread_t t[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
    }
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    printf("seen");
    for (int i = 0; i < NTHREADS; i++)
        printf(" %d", seen[i]);
    printf("\n");
    return 0;
}
