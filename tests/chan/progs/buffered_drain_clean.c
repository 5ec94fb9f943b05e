/* buffered_drain_clean.c: deadlock_send.c with a receiver: the third send
 * waits until the receiver makes room, and the range loop ends at close.
 * Silent.  Twin of deadlock_send.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=1 2 3 closed\n
#include <pthread.h>
#include <stdio.h>

#include "racewatch/chan.h"

static void *receiver(void *arg)
{
    rw_chan *ch = arg;
    int v;
    while (rw_chan_recv(ch, &v, NULL))
        printf("%d ", v);
    printf("closed\n");
    return NULL;
}

int main(void)
{
    rw_chan *ch = rw_chan_make(sizeof(int), 2);
    pthread_t t;
    pthread_create(&t, NULL, receiver, ch);
    for (int i = 1; i <= 3; i++)
        rw_chan_send(ch, &i);
    rw_chan_close(ch);
    pthread_join(t, NULL);
    rw_chan_free(ch);
    return 0;
}
