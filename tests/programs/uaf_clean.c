/* uaf_clean.c: twin of uaf_race.c.  main joins the worker before freeing;
 * then a new block (possibly the same memory, reused by malloc) is filled by
 * a second worker: a reused block starts clean. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=read 8, then 120\n
// PRELOAD-EXPECT: stdout=read 8, then 120\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static int *block;
static int seen;

static void *reader(void *arg)
{
    (void)arg;
    seen = block[8];
    return NULL;
}

static void *filler(void *arg)
{
    int *b = arg;
    for (int i = 0; i < 16; i++)
        b[i] = i;
    return NULL;
}

int main(void)
{
    block = malloc(16 * sizeof *block);
    for (int i = 0; i < 16; i++)
        block[i] = i;
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    pthread_join(t, NULL);
    free(block);

    int *again = malloc(16 * sizeof *again);
    pthread_create(&t, NULL, filler, again);
    pthread_join(t, NULL);
    int sum = 0;
    for (int i = 0; i < 16; i++)
        sum += again[i];
    free(again);
    printf("read %d, then %d\n", seen, sum);
    return 0;
}
