/* io_connect_race.c: twin of io_connect_clean.c, with the record filled
 * after the connect() instead of before.  The server accept()s, waits
 * for a relaxed flag (it orders execution, not memory) and copies the
 * record: nothing orders the fill with the copy, a data race in both
 * modes. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @fill @copy
// RACEWATCH-EXPECT: stdout=record 1: one\n
// PRELOAD-EXPECT: exit=66
// PRELOAD-EXPECT: races=1
// PRELOAD-EXPECT: race @fill @copy
// PRELOAD-EXPECT: stdout=record 1: one\n
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct record {
    int id;
    char name[28];
};

static const struct record template = { 1, "one" };
static struct record rec;
static struct record copy;
/* Not a constant: gcc would expand a fixed-size memcpy inline, out of
 * sight of an LD_PRELOADed runtime. */
size_t record_size = sizeof(struct record);
static struct sockaddr_un addr;
static socklen_t addr_len;
static int listener;
static atomic_int filled;

static void *client(void *arg)
{
    (void)arg;
    int a = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(a, (struct sockaddr *)&addr, addr_len) != 0)
        return NULL;
    memcpy(&rec, &template, record_size); /* @fill */
    atomic_store_explicit(&filled, 1, memory_order_relaxed);
    close(a);
    return NULL;
}

static void *server(void *arg)
{
    (void)arg;
    int a = accept(listener, NULL, NULL);
    while (!atomic_load_explicit(&filled, memory_order_relaxed))
        usleep(1000);
    memcpy(&copy, &rec, record_size); /* @copy */
    close(a);
    return NULL;
}

int main(void)
{
    addr.sun_family = AF_UNIX;
    /* abstract name: nothing in the file system, unique per process */
    int n = snprintf(addr.sun_path + 1, sizeof addr.sun_path - 1, "racewatch-io-connect-%d",
                     (int)getpid());
    addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
    listener = socket(AF_UNIX, SOCK_STREAM, 0);
    if (bind(listener, (struct sockaddr *)&addr, addr_len) != 0 || listen(listener, 4) != 0)
        return 1;
    pthread_t c, s;
    pthread_create(&s, NULL, server, NULL);
    pthread_create(&c, NULL, client, NULL);
    pthread_join(c, NULL);
    pthread_join(s, NULL);
    printf("record %d: %s\n", copy.id, copy.name);
    return 0;
}
