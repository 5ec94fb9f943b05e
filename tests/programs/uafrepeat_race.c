/* uafrepeat_race.c: a worker copies the same 4 KiB block twice (the
 * second copy needs no new check: same bytes, same thread, no release
 * between, runtime/range_seen.h), frees it, then copies it a third time:
 * a use after its own free, which must still be reported, however recently
 * those bytes were checked.  Twin: uafrepeat_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: uafs=1
// PRELOAD-EXPECT: uafs=1
// RACEWATCH-EXPECT: uaf @use @free
// PRELOAD-EXPECT: uaf @use @free
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
    free(block); /* @free */
    copy_fn(out, block, BYTES); /* @use */
    sum += 4;
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
