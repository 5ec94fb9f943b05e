/* table_clean.c: twin of table_race.c.  The same hash table guarded by a
 * mutex (the tutorial's fix: Lock() around the map write), so even keys
 * that collide and probe each other's slots are safe. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=count=4 100:200 116:216 101:201 117:217\n
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
    pthread_mutex_t mu;
    int count;
    struct entry slots[NSLOTS];
};

static struct table *tab;
static const int keys[NTHREADS] = {100, 116, 101, 117}; /* 100/116 collide */

static void table_put(struct table *t, int key, int value)
{
    pthread_mutex_lock(&t->mu);
    unsigned h = (unsigned)key % NSLOTS;
    while (t->slots[h].key != 0 && t->slots[h].key != key)
        h = (h + 1) % NSLOTS;
    t->slots[h].key = key;
    t->slots[h].value = value;
    t->count++;
    pthread_mutex_unlock(&t->mu);
}

static int table_get(struct table *t, int key)
{
    pthread_mutex_lock(&t->mu);
    unsigned h = (unsigned)key % NSLOTS;
    int v = -1;
    while (t->slots[h].key != 0) {
        if (t->slots[h].key == key) {
            v = t->slots[h].value;
            break;
        }
        h = (h + 1) % NSLOTS;
    }
    pthread_mutex_unlock(&t->mu);
    return v;
}

static void *fetch(void *arg)
{
    int key = *(const int *)arg;
    table_put(tab, key, key + 100);
    return NULL;
}

int main(void)
{
    pthread_t t[NTHREADS];
    tab = calloc(1, sizeof *tab);
    pthread_mutex_init(&tab->mu, NULL);
    for (int i = 0; i < NTHREADS; i++)
        pthread_create(&t[i], NULL, fetch, (void *)&keys[i]);
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    printf("count=%d", tab->count);
    for (int i = 0; i < NTHREADS; i++)
        printf(" %d:%d", keys[i], table_get(tab, keys[i]));
    printf("\n");
    pthread_mutex_destroy(&tab->mu);
    free(tab);
    return 0;
}
