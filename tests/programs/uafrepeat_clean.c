/* uafrepeat_clean.c: twin of uafrepeat_race.c.  A worker copies the same
 * 4 KiB block twice, then frees it and copies a new block allocated in
 * its place: no use after free, nothing to report. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=sum 6\n
// PRELOAD-EXPECT: stdout=sum 6\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BYTES 4096

/* Called through a volatile pointer: the copies must be library calls. */
static void *(*volatile copy_fn)(void *, const void *, size_t) = memcpy;

static char out[BYTES];
static int sum;

static void *worker(void *arg)
{
    char *block = malloc(BYTES);
    memset(block, 1, BYTES);
    copy_fn(out, block, BYTES);
    sum += out[0];
    copy_fn(out, block, BYTES);
    sum += out[1];
    free(block);
    block = malloc(BYTES);
    memset(block, 2, BYTES);
    copy_fn(out, block, BYTES);
    free(block);
    sum += out[2] * 2;
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    printf("sum %d\n", sum);
    return 0;
}
