/* nil_clean.c: nil channels that do not block: a select whose nil cases
 * are never chosen, a select of nil cases with a default, the
 * non-blocking forms, len and cap.  Silent.  Twin: deadlock_nil.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=case 1, default, 0 0 0 0, 0 0\n
#include <pthread.h>
#include <stdio.h>

#include "racewatch/concurrency.h"

static void *sender(void *arg)
{
    rw_chan_send(arg, &(int){ 5 });
    return NULL;
}

int main(void)
{
    rw_chan *live = rw_chan_make(sizeof(int), 0);
    pthread_t t;
    pthread_create(&t, NULL, sender, live);
    int v = 0;
    rw_select_case cases[] = { rw_send_case(NULL, &v), rw_recv_case(live, &v),
                               rw_recv_case(NULL, &v) };
    int chosen = rw_select(cases, 3, false);
    rw_select_case nils[] = { rw_send_case(NULL, &v), rw_recv_case(NULL, &v) };
    int d = rw_select(nils, 2, true);
    printf("case %d, %s, %d %d %d %d, %zu %zu\n", chosen, d == RW_SELECT_DEFAULT ? "default" : "?",
           rw_chan_try_send(NULL, &v), rw_chan_try_recv(NULL, &v, NULL),
           rw_select(NULL, 0, true) != RW_SELECT_DEFAULT, v != 5,
           rw_chan_len(NULL), rw_chan_cap(NULL));
    pthread_join(t, NULL);
    rw_chan_free(live);
    return 0;
}
