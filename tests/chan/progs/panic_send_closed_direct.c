/* panic_send_closed_direct.c: a send on a channel already closed, in a
 * select's send case (Go's select panics the same way).  Twin:
 * select_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: first-line=panic: send on closed channel
// RACEWATCH-EXPECT: thread 1 [running] @select
#include "racewatch/concurrency.h"

int main(void)
{
    rw_chan *ch = rw_chan_make(sizeof(int), 1);
    rw_chan_close(ch);
    int v = 1;
    rw_select_case cases[] = { rw_send_case(ch, &v) };
    rw_select(cases, 1, false); /* @select */
    return 0;
}
