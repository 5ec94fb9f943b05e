/* close_range.c: "Closing Channels" from the seed on Go's concurrency
 * fundamentals (001): two person values go into a buffered channel of
 * capacity 3, the channel is closed, and a range loop drains it and stops
 * at the close instead of deadlocking.  racewatch is silent.
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=Age plus one is: 2
// RACEWATCH-EXPECT: out=Age plus one is: 3
// RACEWATCH-EXPECT: out=closed and drained: ok=false, zero value: name=(null) age=0
#include <stdbool.h>
#include <stdio.h>

#include <racewatch/concurrency.h>

typedef struct person {
    const char *name;
    int age;
} person;

int main(void)
{
    rw_chan *message = rw_chan_make(sizeof(person), 3);
    person p1 = { "ping 1", 1 }, p2 = { "ping 2", 2 };
    rw_chan_send(message, &p1);
    rw_chan_send(message, &p2);
    rw_chan_close(message);

    person element;
    while (rw_chan_recv(message, &element, NULL))   /* for element := range message */
        printf("Age plus one is: %d\n", element.age + 1);

    bool ok;
    rw_chan_recv(message, &element, &ok);   /* never blocks once closed */
    printf("closed and drained: ok=%s, zero value: name=%s age=%d\n",
           ok ? "true" : "false", element.name ? element.name : "(null)", element.age);
    rw_chan_free(message);
    return 0;
}
