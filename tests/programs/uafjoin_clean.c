/* uafjoin_clean.c: uafjoin_race.c made right: main reads the shared block
 * before the worker frees it (a semaphore orders the read first), and
 * reads its own block before freeing it.  Silent.  Twin: uafjoin_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=7 7\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=7 7\n
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile size_t len = sizeof(int);
static sem_t read_done;

static void *worker(void *block)
{
    sem_wait(&read_done);
    free(block);
    return NULL;
}

int main(void)
{
    int v = 7, a = 0, b = 0;
    sem_init(&read_done, 0, 0);
    int *shared = malloc(16 * sizeof *shared);
    memcpy(&shared[4], &v, len);
    pthread_t t;
    pthread_create(&t, NULL, worker, shared);
    memcpy(&a, &shared[4], len);
    sem_post(&read_done);
    pthread_join(t, NULL);

    int *own = malloc(16 * sizeof *own);
    memcpy(&own[2], &v, len);
    memcpy(&b, &own[2], len);
    free(own);
    printf("%d %d\n", a, b);
    sem_destroy(&read_done);
    return 0;
}
