/* deadlock_unbuffered.c: the seed's unbuffered send with no receiver: main
 * waits for ever.  Twin: handshake_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [chan send] @send
#include "racewatch/chan.h"

int main(void)
{
    rw_chan *ch = rw_chan_make(sizeof(int), 0);
    rw_chan_send(ch, &(int){ 1 }); /* @send */
    return 0;
}
