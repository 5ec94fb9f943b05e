/* free_race.c: a block freed while another thread's use of it is not
 * ordered before the free.  The worker writes into the block and raises a
 * relaxed flag (no edge); main frees when it sees the flag.  The free is the
 * racing (current) write.  Twin: free_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @use @free
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int *block;
static atomic_int used;

static void *worker(void *arg)
{
    (void)arg;
    block[2] = 7; /* @use */
    atomic_store_explicit(&used, 1, memory_order_relaxed);
    return NULL;
}

int main(void)
{
    block = malloc(16 * sizeof *block);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    while (!atomic_load_explicit(&used, memory_order_relaxed))
        usleep(1000);
    free(block); /* @free */
    pthread_join(t, NULL);
    printf("done\n");
    return 0;
}
