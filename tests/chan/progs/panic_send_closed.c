/* panic_send_closed.c: a worker waits to send on an unbuffered channel;
 * main closes it: the waiting sender panics, as in Go.  Twin:
 * close_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: stdout=closing\n
// RACEWATCH-EXPECT: first-line=panic: send on closed channel
// RACEWATCH-EXPECT: thread 2 [running] @send
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "racewatch/chan.h"

static void *sender(void *arg)
{
    rw_chan_send(arg, &(int){ 1 }); /* @send */
    return NULL;
}

int main(void)
{
    rw_chan *ch = rw_chan_make(sizeof(int), 0);
    pthread_t t;
    pthread_create(&t, NULL, sender, ch);
    usleep(50000);
    printf("closing\n");
    rw_chan_close(ch);
    pthread_join(t, NULL);
    return 0;
}
