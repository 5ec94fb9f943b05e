/* panic_close_nil.c: closing a nil channel.  Twin: nil_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: first-line=panic: close of nil channel
// RACEWATCH-EXPECT: thread 1 [running] @close
#include "racewatch/chan.h"

static rw_chan *never;

int main(void)
{
    rw_chan_close(never); /* @close */
    return 0;
}
