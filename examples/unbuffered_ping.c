/* unbuffered_ping.c: the unbuffered channel of the seed on Go's
 * concurrency fundamentals (001): the send runs in its own thread, main
 * blocks in the receive until the two meet.  racewatch is silent;
 * unbuffered_deadlock.c is the same without the thread.
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=ping
#include <pthread.h>
#include <stdio.h>

#include <racewatch/concurrency.h>

static void *sender(void *arg)
{
    rw_chan *message = arg;
    const char *ping = "ping";
    rw_chan_send(message, &ping);   /* waits for main's receive */
    return NULL;
}

int main(void)
{
    rw_chan *message = rw_chan_make(sizeof(const char *), 0);
    pthread_t t;
    pthread_create(&t, NULL, sender, message);
    const char *msg;
    rw_chan_recv(message, &msg, NULL);  /* execution blocks here */
    printf("%s\n", msg);
    pthread_join(t, NULL);
    rw_chan_free(message);
    return 0;
}
