/* buffered_deadlock.c: "Concurrency Gotcha #3 - deadlock" from the seed on
 * Go's concurrency fundamentals (001): three sends on a channel of
 * capacity 2 in the only thread.  The third send can never complete; Go
 * stops with "all goroutines are asleep", racewatch with its C twin and
 * exit status 2, naming the send.  buffered_fixed.c is the seed's fix.
 */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: stdout=
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [chan send] @third
#include <stdio.h>

#include <racewatch/concurrency.h>

int main(void)
{
    rw_chan *message = rw_chan_make(sizeof(const char *), 2);   /* capacity 2 */
    const char *ping1 = "ping 1", *ping2 = "ping 2", *ping3 = "ping 3";
    rw_chan_send(message, &ping1);
    rw_chan_send(message, &ping2);
    /* the channel is full: this blocks for ever */
    rw_chan_send(message, &ping3); /* @third */

    const char *msg;
    while (rw_chan_try_recv(message, &msg, NULL))
        printf("%s\n", msg);
    return 0;
}
