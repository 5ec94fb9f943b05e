/* openread_clean.c: twin of openread_race.c.  The reader reads bytes 0
 * and 1 of one word again and again, unstored between its calls (the
 * open read), while the writer writes bytes 4 to 7 of the same word: the
 * reader's store meets the write's cell, which shares no byte with the
 * reads.  Then the writer releases a flag that the reader acquires
 * before it reads byte 4, which the writer wrote before the flag.
 * Nothing races. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=read 7 2\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

_Alignas(8) char pair[8] = { 7 };
static atomic_int written;

static void *reader(void *arg)
{
    volatile char *p = arg;
    long sum = 0;
    for (long i = 0; i < 3000000; i++)
        sum += p[0] + p[1];
    while (!atomic_load_explicit(&written, memory_order_acquire))
        ;
    return (void *)(sum / 3000000 * 10 + p[4]);
}

static void *writer(void *arg)
{
    (void)arg;
    usleep(2000);
    memset(pair + 4, 1, 4);
    pair[4] = 2;
    atomic_store_explicit(&written, 1, memory_order_release);
    return NULL;
}

int main(void)
{
    pthread_t r, w;
    void *got;
    pthread_create(&r, NULL, reader, pair);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(r, &got);
    pthread_join(w, NULL);
    printf("read %ld %ld\n", (long)got / 10, (long)got % 10);
    return 0;
}
