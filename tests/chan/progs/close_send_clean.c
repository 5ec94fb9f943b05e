/* close_send_clean.c: close_send_race.c made right: the closer receives
 * every value it was promised before it closes, so each send happens
 * before the receive of its value, and that before the close.  Two
 * senders, three values each, through a channel of capacity 2 (senders
 * wait for room too).  Silent.  Twin: close_send_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=sum 12\n
#include <pthread.h>
#include <stdio.h>

#include "racewatch/chan.h"

#define SENDERS 2
#define EACH 3

static rw_chan *c;

static void *sender(void *arg)
{
    for (int i = 0; i < EACH; i++)
        rw_chan_send(c, &(int){ 2 });
    return arg;
}

int main(void)
{
    c = rw_chan_make(sizeof(int), 2);
    pthread_t s[SENDERS];
    for (int i = 0; i < SENDERS; i++)
        pthread_create(&s[i], NULL, sender, NULL);
    int sum = 0;
    for (int i = 0; i < SENDERS * EACH; i++) {
        int v;
        rw_chan_recv(c, &v, NULL);
        sum += v;
    }
    rw_chan_close(c);
    for (int i = 0; i < SENDERS; i++)
        pthread_join(s[i], NULL);
    printf("sum %d\n", sum);
    rw_chan_free(c);
    return 0;
}
