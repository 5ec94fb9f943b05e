/* config_race.c: the ConfigStore of the seed on Go's sync patterns (003)
 * without its RWMutex: reader threads call Get in a loop while an admin
 * thread calls Update.  The value pointer is read and written with no
 * lock: racewatch reports Get against Update (exit 66).  config_fixed.c
 * has the seed's RWMutex.
 */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: out=mode = fast
// RACEWATCH-EXPECT: out=region = eu-west
// RACEWATCH-EXPECT: first-line=WARNING: DATA RACE
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @get @update
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

/* type ConfigStore struct { config map[string]string } -- no lock */
typedef struct config_store {
    config_entry config[NKEYS];
} config_store;

static const char *get(config_store *c, const char *key)
{
    for (int i = 0; i < NKEYS; i++)
        if (strcmp(c->config[i].key, key) == 0)
            return c->config[i].value; /* @get */
    return "";
}

static void update(config_store *c, const char *key, const char *value)
{
    for (int i = 0; i < NKEYS; i++)
        if (strcmp(c->config[i].key, key) == 0)
            c->config[i].value = value; /* @update */
}

static config_store store = { { { "mode", "safe" }, { "region", "eu-west" } } };

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
