/* pingpong.c: "Ping pong with two goroutines" from the seed "Go
 * Concurrency" (002).  pinger waits for a ball on `ping`, prints "ping" and
 * passes it on `pong`; ponger does the reverse; main serves the first ball.
 * The seed plays forever; here the rally has ROUNDS exchanges and ponger
 * hands the last ball to main on `done`.  The two unbuffered channels order
 * every print, so the output is fixed; racewatch is silent.
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=ping
// RACEWATCH-EXPECT: out=pong
// RACEWATCH-EXPECT: out=ping
// RACEWATCH-EXPECT: out=pong
// RACEWATCH-EXPECT: out=ping
// RACEWATCH-EXPECT: out=pong
// RACEWATCH-EXPECT: out=rally over after 6 hits
#include <pthread.h>
#include <stdio.h>

#include <racewatch/concurrency.h>

#define ROUNDS 3

static rw_chan *ping, *pong, *done;
static int hits;                    /* the ball: touched by whoever holds it */

static void *pinger(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        int ball;
        rw_chan_recv(ping, &ball, NULL);
        printf("ping\n");
        hits++;
        rw_chan_send(pong, &ball);
    }
    return NULL;
}

static void *ponger(void *arg)
{
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        int ball;
        rw_chan_recv(pong, &ball, NULL);
        printf("pong\n");
        hits++;
        rw_chan_send(i + 1 < ROUNDS ? ping : done, &ball);
    }
    return NULL;
}

int main(void)
{
    ping = rw_chan_make(sizeof(int), 0);
    pong = rw_chan_make(sizeof(int), 0);
    done = rw_chan_make(sizeof(int), 0);
    pthread_t a, b;
    pthread_create(&a, NULL, pinger, NULL);
    pthread_create(&b, NULL, ponger, NULL);

    int ball = 1;
    rw_chan_send(ping, &ball);      /* main starts the rally */
    rw_chan_recv(done, &ball, NULL);
    printf("rally over after %d hits\n", hits);

    pthread_join(a, NULL);
    pthread_join(b, NULL);
    rw_chan_free(ping);
    rw_chan_free(pong);
    rw_chan_free(done);
    return 0;
}
