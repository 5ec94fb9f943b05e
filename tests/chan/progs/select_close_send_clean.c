/* select_close_send_clean.c: select_close_send_race.c made right: the
 * selecting thread's send case runs, main receives that value and only
 * then closes the channel, so the select's read of the channel happens
 * before the close.  Silent.  Twin: select_close_send_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=got 1, closed\n
#include <pthread.h>
#include <stdio.h>

#include "racewatch/concurrency.h"

static rw_chan *c, *idle;

static void *selecter(void *arg)
{
    int one = 1;
    rw_select_case cases[] = { rw_send_case(c, &one), rw_recv_case(idle, NULL) };
    rw_select(cases, 2, false);
    return arg;
}

int main(void)
{
    c = rw_chan_make(sizeof(int), 1);
    idle = rw_chan_make(sizeof(int), 0);
    pthread_t t;
    pthread_create(&t, NULL, selecter, NULL);
    int v = 0;
    rw_chan_recv(c, &v, NULL);
    rw_chan_close(c);
    bool ok = true;
    rw_chan_recv(c, NULL, &ok);
    pthread_join(t, NULL);
    printf("got %d, %s\n", v, ok ? "open" : "closed");
    rw_chan_free(c);
    rw_chan_free(idle);
    return 0;
}
