/* free_clean.c: twin of free_race.c.  The worker fills the block and hands
 * it over through a mutex-protected "done" flag; main frees it after taking
 * the mutex and seeing the flag. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=block[2] = 7\n
// PRELOAD-EXPECT: stdout=block[2] = 7\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int *block;
static int done;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    (void)arg;
    block[2] = 7;
    pthread_mutex_lock(&mu);
    done = 1;
    pthread_mutex_unlock(&mu);
    return NULL;
}

int main(void)
{
    block = malloc(16 * sizeof *block);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    for (;;) {
        pthread_mutex_lock(&mu);
        int d = done;
        pthread_mutex_unlock(&mu);
        if (d)
            break;
        usleep(1000);
    }
    int v = block[2];
    free(block);
    printf("block[2] = %d\n", v);
    pthread_join(t, NULL);
    return 0;
}
