/* counter_sleep_race.c: the seed on handling concurrency in Go (004), the
 * step before channels: two threads each update a shared counter eight
 * times by reading it, sleeping (the seed's stand-in for work) and
 * writing it back.  Updates get lost and racewatch reports the read
 * against the write (exit 66); the final value depends on timing, so it
 * is not printed.  counter_chan.c is the seed's fix.
 */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: out=2 threads done
// RACEWATCH-EXPECT: first-line=WARNING: DATA RACE
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @update @update
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static int counter;

static int slow_plus_one(int v)
{
    nanosleep(&(struct timespec){ 0, 1000000L }, NULL);    /* 1 ms of "work" */
    return v + 1;
}

static void *worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 8; i++)
        counter = slow_plus_one(counter); /* @update */
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, worker, NULL);
    pthread_create(&b, NULL, worker, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("2 threads done\n");
    return 0;
}
