/* try_send_close_clean.c: try_send_close_race.c made right: the sender
 * tells main it is done through a second channel after its try-send, so
 * the try-send happens before main's close.  Silent.  Twin:
 * try_send_close_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=sent 0\n
#include <pthread.h>
#include <stdio.h>

#include "racewatch/chan.h"

static rw_chan *c, *done;

static void *sender(void *arg)
{
    bool sent = rw_chan_try_send(c, &(int){ 1 });
    rw_chan_send(done, &sent);
    return arg;
}

int main(void)
{
    c = rw_chan_make(sizeof(int), 0);
    done = rw_chan_make(sizeof(bool), 1);
    pthread_t s;
    pthread_create(&s, NULL, sender, NULL);
    bool sent = true;
    rw_chan_recv(done, &sent, NULL);
    rw_chan_close(c);
    pthread_join(s, NULL);
    printf("sent %d\n", (int)sent);
    rw_chan_free(c);
    rw_chan_free(done);
    return 0;
}
