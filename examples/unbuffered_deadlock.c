/* unbuffered_deadlock.c: the rule of the seed on Go's concurrency
 * fundamentals (001) broken on purpose: "we need to execute the send
 * operation in a separate goroutine as it would otherwise block the main
 * goroutine".  Here main sends on an unbuffered channel that nobody will
 * ever receive from: racewatch reports the deadlock (exit status 2) with
 * the send.  unbuffered_ping.c does it right.
 */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: stdout=
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [chan send] @send
#include <stdio.h>

#include <racewatch/concurrency.h>

int main(void)
{
    rw_chan *message = rw_chan_make(sizeof(const char *), 0);   /* unbuffered */
    const char *ping = "ping";
    rw_chan_send(message, &ping); /* @send */

    const char *msg;
    rw_chan_recv(message, &msg, NULL);
    printf("%s\n", msg);
    return 0;
}
