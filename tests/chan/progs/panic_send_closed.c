/* panic_send_closed.c: a worker waits to send on an unbuffered channel;
 * main closes it: the waiting sender panics, as in Go.  Nothing orders
 * the send before the close (a blocked send releases nothing to the
 * closer), so, as Go's race detector does, racewatch first reports the
 * close's write of the channel racing with the send's read.  Twin:
 * close_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: stdout=closing\n
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @close @send
// RACEWATCH-EXPECT: access Write @close
// RACEWATCH-EXPECT: access Previous read @send
// RACEWATCH-EXPECT: fatal=panic: send on closed channel
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
    rw_chan_close(ch); /* @close */
    pthread_join(t, NULL);
    return 0;
}
