/* atomic_race.c: atomic_fixed.c (the ServerStatus of the seed on Go's sync
 * patterns, 003) with plain ints where the seed uses sync/atomic.  Four
 * threads count requests with ++ while main sets the flag they read: two
 * data races, the counter's increment against itself and the flag's store
 * against its load (exit 66).  The total depends on timing: not printed.
 */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: out=live: true
// RACEWATCH-EXPECT: out=4 workers done
// RACEWATCH-EXPECT: first-line=WARNING: DATA RACE
// RACEWATCH-EXPECT: races=2
// RACEWATCH-EXPECT: race @inc @inc
// RACEWATCH-EXPECT: race @load @store
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#define WORKERS 4
#define REQUESTS 250

typedef struct server_status {
    long long total_requests;       /* no atomics */
    int is_live;
} server_status;

static server_status status;
static int seen_live[WORKERS];

/* noinline: keeps each access on its own source line at -O1 (inlined into
 * the loop, gcc merges the counter's loads and stores across lines). */

__attribute__((noinline)) static void increment_requests(server_status *s)
{
    s->total_requests++; /* @inc */
}

__attribute__((noinline)) static void set_live(server_status *s, bool live)
{
    s->is_live = live ? 1 : 0; /* @store */
}

__attribute__((noinline)) static bool is_live(server_status *s)
{
    return s->is_live == 1; /* @load */
}

static void *worker(void *arg)
{
    int w = (int)(long)arg;
    for (int i = 0; i < REQUESTS; i++) {
        seen_live[w] += is_live(&status);
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
    printf("live: %s\n", status.is_live ? "true" : "false");
    for (int i = 0; i < WORKERS; i++)
        pthread_join(t[i], NULL);
    printf("%d workers done\n", WORKERS);
    return 0;
}
