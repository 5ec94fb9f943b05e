/* openread_race.c: reads of single bytes of one word that are checked but
 * not stored at once (race_check.c, "the open read"), and a write of one
 * of those bytes made before they are stored.  The reader reads byte 0,
 * then spins reading byte 1 until the writer has written it; no call or
 * synchronization in between, so its reads stay unstored while the
 * writer, seeing no read, stores its write.  The reader's store of its
 * reads must then find the write, and the report must name the read of
 * byte 1 (the spin), not the read of byte 0 that begins the stored cell.
 * Twin: openread_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @spin @write
// RACEWATCH-EXPECT: location=global pair
// RACEWATCH-EXPECT: stdout=read 7\n
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

_Alignas(8) char pair[8] = { 7 };

static void *reader(void *arg)
{
    volatile char *p = arg;
    int first = p[0];
    while (p[1] == 0) /* @spin */
        ;
    return (void *)(long)first;
}

static void *writer(void *arg)
{
    (void)arg;
    usleep(20000);
    pair[1] = 1; /* @write */
    return NULL;
}

int main(void)
{
    pthread_t r, w;
    void *first;
    pthread_create(&r, NULL, reader, pair);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(r, &first);
    pthread_join(w, NULL);
    printf("read %ld\n", (long)first);
    return 0;
}
