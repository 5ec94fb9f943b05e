/* panic_close_closed.c: closing a channel twice.  Twin: close_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: first-line=panic: close of closed channel
// RACEWATCH-EXPECT: thread 1 [running] @second
#include "racewatch/chan.h"

int main(void)
{
    rw_chan *ch = rw_chan_make(sizeof(int), 3);
    rw_chan_close(ch);
    rw_chan_close(ch); /* @second */
    return 0;
}
