/* panic_negative_wg.c: one Done too many.  Twin: waitgroup_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: first-line=panic: sync: negative WaitGroup counter
// RACEWATCH-EXPECT: thread 1 [running] @extra
#include "racewatch/waitgroup.h"

int main(void)
{
    rw_waitgroup wg = RW_WAITGROUP_INIT;
    rw_waitgroup_add(&wg, 1);
    rw_waitgroup_done(&wg);
    rw_waitgroup_done(&wg); /* @extra */
    return 0;
}
