/* table_race.c: the seed tutorial's map written from several goroutines
 * (status codes by URL), as an open-addressing hash table on the heap.
 * Four threads insert distinct keys with no lock: the keys land in distinct
 * slots, but every insert updates the table's shared entry count.
 * Twin: table_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @count @count
// RACEWATCH-EXPECT: location=heap
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define NSLOTS 16
#define NTHREADS 4

struct entry {
    int key;   /* 0: empty */
    int value;
};

struct table {
    int count;
    struct entry slots[NSLOTS];
};

static struct table *tab;

static void table_put(struct table *t, int key, int value)
{
    unsigned h = (unsigned)key % NSLOTS;
    while (t->slots[h].key != 0 && t->slots[h].key != key)
        h = (h + 1) % NSLOTS;
    t->slots[h].key = key;
    t->slots[h].value = value;
    t->count++; /* @count */
}

static void *fetch(void *arg)
{
    int id = (int)(long)arg;
    table_put(tab, 100 + id, 200 + id); /* keys 100..103: slots 4..7 */
    return NULL;
}

int main(void)
{
    pthread_t t[NTHREADS];
    tab = calloc(1, sizeof *tab);
    for (long i = 0; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, fetch, (void *)i);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    printf("done\n");
    free(tab);
    return 0;
}
