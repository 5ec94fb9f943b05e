/* atomic_fixed.c: the ServerStatus of the seed on Go's sync patterns (003):
 * a request counter and a "live" flag updated with atomics (C11
 * <stdatomic.h> for sync/atomic).  Four threads count 250 requests each
 * while main flips the flag; racewatch is silent.  atomic_race.c uses
 * plain ints.
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=live: true
// RACEWATCH-EXPECT: out=total requests: 1000
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#define WORKERS 4
#define REQUESTS 250

typedef struct server_status {
    atomic_llong total_requests;
    atomic_int is_live;             /* 0 = false, 1 = true */
} server_status;

static server_status status;

static void increment_requests(server_status *s) { atomic_fetch_add(&s->total_requests, 1); }
static long long get_request_count(server_status *s) { return atomic_load(&s->total_requests); }
static void set_live(server_status *s, bool live) { atomic_store(&s->is_live, live ? 1 : 0); }
static bool is_live(server_status *s) { return atomic_load(&s->is_live) == 1; }

static int seen_live[WORKERS];

static void *worker(void *arg)
{
    int w = (int)(long)arg;
    for (int i = 0; i < REQUESTS; i++) {
        seen_live[w] += is_live(&status);   /* a request checks the flag */
        increment_requests(&status);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[WORKERS];
    for (long i = 0; i < WORKERS; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    set_live(&status, true);
    printf("live: %s\n", is_live(&status) ? "true" : "false");
    for (int i = 0; i < WORKERS; i++)
        pthread_join(t[i], NULL);
    printf("total requests: %lld\n", get_request_count(&status));
    return 0;
}
