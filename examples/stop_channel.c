/* stop_channel.c: "Stopping goroutines" from the seed "Go Concurrency"
 * (002): five threads each wait in a select on a stop channel that main
 * closes; a wait group lets main wait for them all to leave.
 *
 * The seed logs from every goroutine and sleeps 5 s before stopping them.
 * For a fixed output each worker reports "started" on a channel and records
 * "stopped" in its slot of an array; main prints both in order.  The slots
 * are written by the workers and read by main with no lock: the wait
 * group's Done -> Wait edge orders them, and racewatch is silent.
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=started goroutine 0
// RACEWATCH-EXPECT: out=started goroutine 1
// RACEWATCH-EXPECT: out=started goroutine 2
// RACEWATCH-EXPECT: out=started goroutine 3
// RACEWATCH-EXPECT: out=started goroutine 4
// RACEWATCH-EXPECT: out=stopping goroutines
// RACEWATCH-EXPECT: out=stopped goroutine 0
// RACEWATCH-EXPECT: out=stopped goroutine 1
// RACEWATCH-EXPECT: out=stopped goroutine 2
// RACEWATCH-EXPECT: out=stopped goroutine 3
// RACEWATCH-EXPECT: out=stopped goroutine 4
// RACEWATCH-EXPECT: out=all goroutines stopped
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include <racewatch/concurrency.h>

#define N 5

static rw_waitgroup wg;             /* zero value: ready to use */
static rw_chan *stop_ch;            /* chan struct{}: only ever closed */
static rw_chan *started_ch;         /* workers say "started goroutine i" here */
static bool stopped[N];

static void *worker(void *arg)
{
    int i = (int)(long)arg;
    rw_chan_send(started_ch, &i);   /* log.Printf("started goroutine %d", i) */

    rw_select_case cases[] = { rw_recv_case(stop_ch, NULL) };
    switch (rw_select(cases, 1, false)) {
    case 0:                         /* case <-stopCh: closed */
        stopped[i] = true;          /* log.Printf("stopped goroutine %d", i) */
        break;
    }
    rw_waitgroup_done(&wg);         /* defer wg.Done() */
    return NULL;
}

int main(void)
{
    stop_ch = rw_chan_make(0, 0);
    started_ch = rw_chan_make(sizeof(int), 0);
    for (long i = 0; i < N; i++) {
        rw_waitgroup_add(&wg, 1);   /* before the thread starts, as in Go */
        pthread_t t;
        pthread_create(&t, NULL, worker, (void *)i);
        pthread_detach(t);
    }

    bool started[N] = { false };
    for (int k = 0; k < N; k++) {
        int i;
        rw_chan_recv(started_ch, &i, NULL);
        started[i] = true;
    }
    for (int i = 0; i < N; i++)
        if (started[i])
            printf("started goroutine %d\n", i);

    printf("stopping goroutines\n");
    rw_chan_close(stop_ch);         /* close(stopCh): every select wakes */
    rw_waitgroup_wait(&wg);
    for (int i = 0; i < N; i++)
        if (stopped[i])
            printf("stopped goroutine %d\n", i);
    printf("all goroutines stopped\n");
    return 0;
}
