/* openpair_clean.c: twin of openpair_race.c.  The reader reads the
 * row's first three ints again and again, unstored between its calls
 * (the open read's pair: the first granule held, the second open), while
 * the writer writes row[3], in the second granule beside the reads; the
 * pair's store meets the write's cell, which shares no byte with the
 * reads.  Then the writer releases a flag that the reader acquires
 * before it reads row[3].  Nothing races. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=read 6 1\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

_Alignas(16) int row[4] = { 1, 2, 3, 0 };
static atomic_int written;

static void *reader(void *arg)
{
    volatile int *p = arg;
    long sum = 0;
    for (long i = 0; i < 3000000; i++)
        sum += p[0] + p[1] + p[2];
    while (!atomic_load_explicit(&written, memory_order_acquire))
        ;
    return (void *)(sum / 3000000 * 10 + p[3]);
}

static void *writer(void *arg)
{
    (void)arg;
    usleep(2000);
    row[3] = 1;
    atomic_store_explicit(&written, 1, memory_order_release);
    return NULL;
}

int main(void)
{
    pthread_t r, w;
    void *got;
    pthread_create(&r, NULL, reader, row);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(r, &got);
    pthread_join(w, NULL);
    printf("read %ld %ld\n", (long)got / 10, (long)got % 10);
    return 0;
}
