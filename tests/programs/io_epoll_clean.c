/* io_epoll_clean.c: a producer fills a record (memcpy), then registers a
 * ready descriptor (an eventfd created with count 1) with an epoll
 * instance, the record's address as the event's data; a consumer blocked
 * in epoll_wait gets the event and copies the record through that
 * pointer.  epoll_ctl orders what came before it with the epoll_wait that
 * returns events (as ThreadSanitizer does): silent in both modes.  Twin of
 * io_epoll_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=record 3: three\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=record 3: three\n
#include <pthread.h>
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

static void *producer(void *arg)
{
    memcpy(&rec, &template, record_size);
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &rec };
    epoll_ctl(epfd, EPOLL_CTL_ADD, ready_fd, &ev);
    return arg;
}

static void *consumer(void *arg)
{
    struct epoll_event ev;
    while (epoll_wait(epfd, &ev, 1, -1) != 1)
        ;
    memcpy(&copy, ev.data.ptr, record_size);
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
