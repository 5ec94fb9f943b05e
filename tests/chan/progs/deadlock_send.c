/* deadlock_send.c: the seed's buffered channel of capacity 2 that
 * deadlocks on its third send; no other thread.  Go: "goroutine 1 [chan
 * send]".  Twin: buffered_drain_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=sent 1\nsent 2\n
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [chan send] @third
#include <stdio.h>

#include "racewatch/chan.h"

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    rw_chan *ch = rw_chan_make(sizeof(int), 2);
    for (int i = 1; i <= 2; i++) {
        rw_chan_send(ch, &i);
        printf("sent %d\n", i);
    }
    rw_chan_send(ch, &(int){ 3 }); /* @third */
    printf("never\n");
    return 0;
}
