/* config_fixed.c: the ConfigStore of the seed on Go's sync patterns (003)
 * as written there: Get takes the read lock (many readers at once), Update
 * the write lock, a pthread rwlock standing for sync.RWMutex.  Reader
 * threads call Get in a loop while an admin thread calls Update;
 * racewatch is silent.  config_race.c is the same without the lock.
 */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: out=mode = fast
// RACEWATCH-EXPECT: out=region = eu-west
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define NKEYS 2
#define READERS 4
#define READS 200

typedef struct config_entry {
    const char *key;
    const char *value;
} config_entry;

typedef struct config_store {
    config_entry config[NKEYS];
    pthread_rwlock_t rw;            /* rw sync.RWMutex */
} config_store;

/* Get is used by hundreds of goroutines constantly */
static const char *get(config_store *c, const char *key)
{
    const char *value = "";
    pthread_rwlock_rdlock(&c->rw);  /* multiple readers can lock here */
    for (int i = 0; i < NKEYS; i++)
        if (strcmp(c->config[i].key, key) == 0)
            value = c->config[i].value;
    pthread_rwlock_unlock(&c->rw);
    return value;
}

/* Update is called rarely, perhaps on admin command */
static void update(config_store *c, const char *key, const char *value)
{
    pthread_rwlock_wrlock(&c->rw);  /* exclusive lock for one writer */
    for (int i = 0; i < NKEYS; i++)
        if (strcmp(c->config[i].key, key) == 0)
            c->config[i].value = value;
    pthread_rwlock_unlock(&c->rw);
}

static config_store store = {
    { { "mode", "safe" }, { "region", "eu-west" } }, PTHREAD_RWLOCK_INITIALIZER,
};

static void *reader(void *arg)
{
    size_t *len = arg;
    for (int i = 0; i < READS; i++)
        *len += strlen(get(&store, "mode"));
    return NULL;
}

static void *admin(void *arg)
{
    (void)arg;
    update(&store, "mode", "fast");
    return NULL;
}

int main(void)
{
    pthread_t r[READERS], w;
    size_t lens[READERS] = { 0 };
    for (int i = 0; i < READERS; i++)
        pthread_create(&r[i], NULL, reader, &lens[i]);
    pthread_create(&w, NULL, admin, NULL);
    for (int i = 0; i < READERS; i++)
        pthread_join(r[i], NULL);
    pthread_join(w, NULL);
    printf("mode = %s\n", get(&store, "mode"));
    printf("region = %s\n", get(&store, "region"));
    return 0;
}
