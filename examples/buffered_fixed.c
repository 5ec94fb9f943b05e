/* buffered_fixed.c: the seed's fix of buffered_deadlock.c (001): the three
 * sends run in their own thread, which blocks at the third until main
 * receives.  Everything is delivered in order; racewatch is silent.
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=ping 1
// RACEWATCH-EXPECT: out=ping 2
// RACEWATCH-EXPECT: out=ping 3
#include <pthread.h>
#include <stdio.h>

#include <racewatch/concurrency.h>

static void *sender(void *arg)
{
    rw_chan *message = arg;
    const char *pings[] = { "ping 1", "ping 2", "ping 3" };
    for (int i = 0; i < 3; i++)
        rw_chan_send(message, &pings[i]);   /* the third waits for main */
    return NULL;
}

int main(void)
{
    rw_chan *message = rw_chan_make(sizeof(const char *), 2);
    pthread_t t;
    pthread_create(&t, NULL, sender, message);
    for (int i = 0; i < 3; i++) {
        const char *msg;
        rw_chan_recv(message, &msg, NULL);
        printf("%s\n", msg);
    }
    pthread_join(t, NULL);
    rw_chan_free(message);
    return 0;
}
