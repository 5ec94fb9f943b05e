/* map_race.c: "Concurrency Gotcha #2 - data race" from the seed on Go's
 * concurrency fundamentals (001): one thread per URL fetches it (simulated,
 * no network) and stores the status code in a shared map, with a wait
 * group to wait for them.  Maps are not thread-safe: the store updates the
 * map's entry count with no lock, and racewatch reports it (exit 66), as
 * `go run -race` does.  map_fixed.c adds the seed's mutex.
 *
 * The map is a small chained hash table; the URLs fall in distinct
 * buckets, so the entries themselves survive the race and the output is
 * fixed: only the count is racy.
 */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: out=https://www.example.com: 200
// RACEWATCH-EXPECT: out=https://www.example.org: 200
// RACEWATCH-EXPECT: out=https://www.example.net/missing: 404
// RACEWATCH-EXPECT: out=https://go.dev: 200
// RACEWATCH-EXPECT: first-line=WARNING: DATA RACE
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @count @count
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <racewatch/concurrency.h>

#define NBUCKETS 16
#define NURLS 4

/* map[string]int */
typedef struct entry {
    const char *key;
    int value;
    struct entry *next;
} entry;

typedef struct str_int_map {
    entry *buckets[NBUCKETS];
    int count;
} str_int_map;

static unsigned hash(const char *s)
{
    unsigned h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h % NBUCKETS;
}

static void map_set(str_int_map *m, const char *key, int value)
{
    unsigned h = hash(key);
    for (entry *e = m->buckets[h]; e; e = e->next)
        if (strcmp(e->key, key) == 0) {
            e->value = value;
            return;
        }
    entry *e = malloc(sizeof *e);
    e->key = key;
    e->value = value;
    e->next = m->buckets[h];
    m->buckets[h] = e;
    m->count++; /* @count */
}

static int map_get(const str_int_map *m, const char *key)
{
    for (entry *e = m->buckets[hash(key)]; e; e = e->next)
        if (strcmp(e->key, key) == 0)
            return e->value;
    return 0;
}

static const char *const urls[NURLS] = {
    "https://www.example.com", "https://www.example.org",
    "https://www.example.net/missing", "https://go.dev",
};

static str_int_map resp_status;     /* respStatus := map[string]int{} */
static rw_waitgroup wg;

static int simulated_get(const char *url)
{
    return strstr(url, "missing") ? 404 : 200;
}

static void *fetch(void *arg)
{
    const char *url = arg;
    map_set(&resp_status, url, simulated_get(url));    /* respStatus[url] = ... */
    rw_waitgroup_done(&wg);
    return NULL;
}

int main(void)
{
    pthread_t t[NURLS];
    for (int i = 0; i < NURLS; i++) {
        rw_waitgroup_add(&wg, 1);
        pthread_create(&t[i], NULL, fetch, (void *)urls[i]);
    }
    rw_waitgroup_wait(&wg);
    for (int i = 0; i < NURLS; i++)
        printf("%s: %d\n", urls[i], map_get(&resp_status, urls[i]));
    for (int i = 0; i < NURLS; i++)
        pthread_join(t[i], NULL);
    return 0;
}
