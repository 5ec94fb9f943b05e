/* io_pipe_clean.c: a producer fills a record with plain stores, then
 * wakes a consumer by writing one byte to a pipe; the consumer reads the
 * byte, then the record.  The pipe orders the two (I/O is a
 * happens-before edge, as in Go's runtime): silent in both modes.  Twin
 * of io_read_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=record 7: seven\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=record 7: seven\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct record {
    int id;
    char name[32];
};

static struct record rec;
static int fds[2];

static void *producer(void *arg)
{
    rec.id = 7;
    strcpy(rec.name, "seven");
    char b = 1;
    if (write(fds[1], &b, 1) != 1)
        return NULL;
    return arg;
}

static void *consumer(void *arg)
{
    char b;
    if (read(fds[0], &b, 1) != 1)
        return NULL;
    printf("record %d: %s\n", rec.id, rec.name);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    if (pipe(fds) != 0)
        return 1;
    pthread_create(&b, NULL, consumer, NULL);
    pthread_create(&a, NULL, producer, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
