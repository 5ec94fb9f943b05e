/* realloc_clean.c: twin of realloc_race.c.  The reader is joined before the
 * realloc; the grown block is then filled by a second thread (created after
 * the realloc) and read by main after joining it. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=old[3] = 3, new[3] = 3, new[1000] = 1000\n
// PRELOAD-EXPECT: stdout=old[3] = 3, new[3] = 3, new[1000] = 1000\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define BIG (1 << 18)

static int *buf;
static int seen;

static void *reader(void *arg)
{
    (void)arg;
    seen = buf[3];
    return NULL;
}

static void *filler(void *arg)
{
    (void)arg;
    for (int i = 16; i < BIG; i++)
        buf[i] = i;
    return NULL;
}

int main(void)
{
    buf = malloc(16 * sizeof *buf);
    for (int i = 0; i < 16; i++)
        buf[i] = i;
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    pthread_join(t, NULL);
    buf = realloc(buf, BIG * sizeof *buf);
    pthread_create(&t, NULL, filler, NULL);
    pthread_join(t, NULL);
    printf("old[3] = %d, new[3] = %d, new[1000] = %d\n", seen, buf[3], buf[1000]);
    free(buf);
    return 0;
}
