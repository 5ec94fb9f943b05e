/* config_race.c: the seed tutorial's ConfigStore without its RWMutex.  One
 * thread sets the timeout while three readers get it.  Twin: config_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @set @get
// RACEWATCH-EXPECT: location=global config
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

enum { KEY_TIMEOUT, KEY_RETRIES, NKEYS };

struct config_store {
    int values[NKEYS];
};

struct config_store config = {{10, 3}};

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static int config_get(int key)
{
    return config.values[key]; /* @get */
}

static void config_set(int key, int value)
{
    config.values[key] = value; /* @set */
}

static void *reader(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        use(config_get(KEY_TIMEOUT));
        usleep(2000);
    }
    return NULL;
}

static void *updater(void *arg)
{
    (void)arg;
    usleep(3000);
    config_set(KEY_TIMEOUT, 30);
    return NULL;
}

int main(void)
{
    pthread_t r[3], w;
    for (int i = 0; i < 3; i++)
        pthread_create(&r[i], NULL, reader, NULL);
    pthread_create(&w, NULL, updater, NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(r[i], NULL);
    pthread_join(w, NULL);
    printf("done\n");
    return 0;
}
