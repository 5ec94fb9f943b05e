/* send_close_clean.c: send_close_race.c made right: three senders each
 * send into a buffered channel and call Done; the closer waits for the
 * wait group first, so every send happens before the close.  Silent.
 * Twin: send_close_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=3 values\n
#include <pthread.h>
#include <stdio.h>

#include "racewatch/concurrency.h"

#define SENDERS 3

static rw_chan *c;
static rw_waitgroup wg = RW_WAITGROUP_INIT;

static void *sender(void *arg)
{
    rw_chan_send(c, &(int){ 1 });
    rw_waitgroup_done(&wg);
    return arg;
}

static void *closer(void *arg)
{
    rw_waitgroup_wait(&wg);
    rw_chan_close(c);
    return arg;
}

int main(void)
{
    c = rw_chan_make(sizeof(int), SENDERS);
    pthread_t s[SENDERS], k;
    rw_waitgroup_add(&wg, SENDERS);
    for (int i = 0; i < SENDERS; i++)
        pthread_create(&s[i], NULL, sender, NULL);
    pthread_create(&k, NULL, closer, NULL);
    int v, n = 0;
    while (rw_chan_recv(c, &v, NULL))
        n++;
    for (int i = 0; i < SENDERS; i++)
        pthread_join(s[i], NULL);
    pthread_join(k, NULL);
    printf("%d values\n", n);
    rw_chan_free(c);
    return 0;
}
