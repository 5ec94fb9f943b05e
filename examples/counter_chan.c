/* counter_chan.c: the channel example of the seed on handling concurrency
 * in Go (004): two identical threads each send the value 1 eight times on
 * counterChan (sleeping 10 ms between sends; the seed sleeps 100 ms), and
 * main receives sixteen values and adds them up: the counter lives in one
 * thread only.  racewatch is silent.  counter_sleep_race.c is the seed's
 * version before channels.
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=counter: 16
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include <racewatch/concurrency.h>

static rw_chan *counter_chan;

static void *sender(void *arg)
{
    (void)arg;
    for (int i = 0; i < 8; i++) {
        int one = 1;
        rw_chan_send(counter_chan, &one);
        nanosleep(&(struct timespec){ 0, 10 * 1000000L }, NULL);
    }
    return NULL;
}

int main(void)
{
    counter_chan = rw_chan_make(sizeof(int), 0);
    pthread_t a, b;
    pthread_create(&a, NULL, sender, NULL);
    pthread_create(&b, NULL, sender, NULL);
    int counter = 0;
    for (int i = 0; i < 16; i++) {
        int v;
        rw_chan_recv(counter_chan, &v, NULL);
        counter += v;
    }
    printf("counter: %d\n", counter);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    rw_chan_free(counter_chan);
    return 0;
}
