/* io_epoll_race.c: twin of io_epoll_clean.c, with the record filled after
 * the epoll_ctl instead of before.  The consumer gets the event, waits for
 * a relaxed flag (it orders execution, not memory) and copies the record:
 * nothing orders the fill with the copy, a data race in both modes. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @fill @copy
// RACEWATCH-EXPECT: stdout=record 3: three\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=1
// PRELOAD-EXPECT: race @fill @copy
// PRELOAD-EXPECT: stdout=record 3: three\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct record {
    int id;
    char name[28];
};

static const struct record template = { 3, "three" };
static struct record rec;
static struct record copy;
/* Not a constant: gcc would expand a fixed-size memcpy inline, out of
 * sight of an LD_PRELOADed runtime. */
size_t record_size = sizeof(struct record);
static int epfd, ready_fd;
static atomic_int filled;

static void *producer(void *arg)
{
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &rec };
    epoll_ctl(epfd, EPOLL_CTL_ADD, ready_fd, &ev);
    memcpy(&rec, &template, record_size); /* @fill */
    atomic_store_explicit(&filled, 1, memory_order_relaxed);
    return arg;
}

static void *consumer(void *arg)
{
    struct epoll_event ev;
    while (epoll_wait(epfd, &ev, 1, -1) != 1)
        ;
    while (!atomic_load_explicit(&filled, memory_order_relaxed))
        usleep(1000);
    memcpy(&copy, ev.data.ptr, record_size); /* @copy */
    return arg;
}

int main(void)
{
    epfd = epoll_create1(0);
    ready_fd = eventfd(1, 0);
    if (epfd < 0 || ready_fd < 0)
        return 1;
    pthread_t p, c;
    pthread_create(&c, NULL, consumer, NULL);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    printf("record %d: %s\n", copy.id, copy.name);
    return 0;
}
