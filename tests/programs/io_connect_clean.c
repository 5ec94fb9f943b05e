/* io_connect_clean.c: a client fills a record (memcpy), then connect()s to a local
 * (AF_UNIX, abstract) listening socket; the server accept()s the
 * connection, then copies the record.  Nothing crosses the connection:
 * connect orders what came before it with the accept of that connection
 * (as ThreadSanitizer does), so the record is handed over.  A second
 * record goes through a second connection and accept4().  Silent in both
 * modes.  Twin of io_connect_race.c. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=record 1: one\nrecord 2: two\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=record 1: one\nrecord 2: two\n
#define _GNU_SOURCE
#include <pthread.h>
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

static const struct record templates[2] = { { 1, "one" }, { 2, "two" } };
static struct record first, second;
static struct record copies[2];
/* Not a constant: gcc would expand a fixed-size memcpy inline, out of
 * sight of an LD_PRELOADed runtime. */
size_t record_size = sizeof(struct record);
static struct sockaddr_un addr;
static socklen_t addr_len;
static int listener;

static void *client(void *arg)
{
    (void)arg;
    memcpy(&first, &templates[0], record_size);
    int a = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(a, (struct sockaddr *)&addr, addr_len) != 0)
        return NULL;
    memcpy(&second, &templates[1], record_size);
    int b = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(b, (struct sockaddr *)&addr, addr_len) != 0)
        return NULL;
    close(a);
    close(b);
    return NULL;
}

static void *server(void *arg)
{
    (void)arg;
    int a = accept(listener, NULL, NULL);
    memcpy(&copies[0], &first, record_size);
    int b = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    memcpy(&copies[1], &second, record_size);
    close(a);
    close(b);
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
    for (int i = 0; i < 2; i++)
        printf("record %d: %s\n", copies[i].id, copies[i].name);
    return 0;
}
