/* map_fixed.c: map_race.c with the seed's fix (001): a mutex around the map
 * store ("put Lock() before the map operation and Unlock() after").  The
 * threads still fetch concurrently; racewatch is silent.
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=https://www.example.com: 200
// RACEWATCH-EXPECT: out=https://www.example.org: 200
// RACEWATCH-EXPECT: out=https://www.example.net/missing: 404
// RACEWATCH-EXPECT: out=https://go.dev: 200
// RACEWATCH-EXPECT: out=4 entries
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
    m->count++;
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
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;   /* var mu sync.Mutex */

static int simulated_get(const char *url)
{
    return strstr(url, "missing") ? 404 : 200;
}

static void *fetch(void *arg)
{
    const char *url = arg;
    int status = simulated_get(url);
    pthread_mutex_lock(&mu);
    map_set(&resp_status, url, status);     /* respStatus[url] = status */
    pthread_mutex_unlock(&mu);
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
    printf("%d entries\n", resp_status.count);
    for (int i = 0; i < NURLS; i++)
        pthread_join(t[i], NULL);
    return 0;
}
