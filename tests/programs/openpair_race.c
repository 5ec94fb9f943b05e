/* openpair_race.c: 4-byte reads of two adjacent granules of one 16-byte
 * row, checked but not stored at once (race_check.c, "The open read's
 * pair": the first granule, read whole, is held while the second one's
 * reads stay open), and a write of the second granule's last int made
 * before they are stored.  The reader reads row[0], row[1] and row[2],
 * then spins reading row[3] until the writer has written it; no call or
 * synchronization in between, so its reads stay unstored while the
 * writer, seeing no read, stores its write.  The pair's store must then
 * find the write and name the spin's read, not the read of row[2] that
 * begins the second granule's cell.  Twin: openpair_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @spin @write
// RACEWATCH-EXPECT: location=global row
// RACEWATCH-EXPECT: stdout=read 6\n
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

_Alignas(16) int row[4] = { 1, 2, 3, 0 };

static void *reader(void *arg)
{
    volatile int *p = arg;
    long sum = p[0] + p[1] + p[2];
    while (p[3] == 0) /* @spin */
        ;
    return (void *)sum;
}

static void *writer(void *arg)
{
    (void)arg;
    usleep(20000);
    row[3] = 1; /* @write */
    return NULL;
}

int main(void)
{
    pthread_t r, w;
    void *sum;
    pthread_create(&r, NULL, reader, row);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(r, &sum);
    pthread_join(w, NULL);
    printf("read %ld\n", (long)sum);
    return 0;
}
