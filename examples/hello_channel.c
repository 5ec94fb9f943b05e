/* hello_channel.c: the "Hello World goroutine" of the seed "Go Concurrency"
 * (002): one unbuffered channel, one thread that sends, main receives with
 * the ok flag.  libracewatch-chan gives the channel; racewatch is silent.
 *
 * RACEWATCH-EXPECT lines (checked by tests/examples/run_example_test.py):
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=msg='Hello World', ok='true'
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include <racewatch/concurrency.h>

/* go func() { ch <- "Hello World" }() */
static void *sender(void *arg)
{
    rw_chan *ch = arg;
    const char *msg = "Hello World";
    rw_chan_send(ch, &msg);
    return NULL;
}

int main(void)
{
    rw_chan *ch = rw_chan_make(sizeof(const char *), 0); /* make(chan string) */
    pthread_t t;
    pthread_create(&t, NULL, sender, ch);
    pthread_detach(t);              /* a goroutine: nobody joins it */

    const char *msg;
    bool ok;
    rw_chan_recv(ch, &msg, &ok);    /* msg, ok := <-ch: blocks until sent */
    printf("msg='%s', ok='%s'\n", msg, ok ? "true" : "false");
    return 0;                       /* ch is not freed: the sender may still be leaving */
}
