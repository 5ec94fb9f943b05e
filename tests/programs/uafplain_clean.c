/* uafplain_clean.c: uafplain_race.c made right: main loads from the
 * shared block before the worker frees it (a semaphore orders the load
 * first), and stores into its own block before freeing it.  Silent.
 * Twin: uafplain_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=7 8\n
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

static int *volatile shared;
static int *volatile own;
static sem_t load_done;

static void *worker(void *arg)
{
    (void)arg;
    sem_wait(&load_done);
    free(shared);
    return NULL;
}

int main(void)
{
    sem_init(&load_done, 0, 0);
    shared = malloc(16 * sizeof(int));
    shared[4] = 7;
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    int got = shared[4];
    sem_post(&load_done);
    pthread_join(t, NULL);

    own = malloc(16 * sizeof(int));
    own[2] = 7;
    own[2] = 8;
    int mine = own[2];
    free(own);
    printf("%d %d\n", got, mine);
    return 0;
}
