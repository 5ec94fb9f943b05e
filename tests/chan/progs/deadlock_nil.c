/* deadlock_nil.c: nil channels block for ever, as in Go: one thread sends
 * on a nil channel, one receives from one, and main ends in `select {}`.
 * Twin: nil_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [select (no cases)] @forever
// RACEWATCH-EXPECT: thread 2 [chan send (nil chan)] @nil_send
// RACEWATCH-EXPECT: thread 3 [chan receive (nil chan)] @nil_recv
#include <pthread.h>
#include <stddef.h>

#include "racewatch/concurrency.h"

static rw_chan *never;           /* nil */

static void *sender(void *arg)
{
    rw_chan_send(never, &(int){ 1 }); /* @nil_send */
    return arg;
}

static void *receiver(void *arg)
{
    rw_chan_recv(never, NULL, NULL); /* @nil_recv */
    return arg;
}

int main(void)
{
    pthread_t s, r;
    pthread_create(&s, NULL, sender, NULL);
    pthread_create(&r, NULL, receiver, NULL);
    rw_select(NULL, 0, false); /* @forever */
    return 0;
}
