/* config_clean.c: twin of config_race.c.  Get takes the read lock, Set the
 * write lock of a pthread rwlock (Go's RWMutex). */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=timeout = 30\n
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

enum { KEY_TIMEOUT, KEY_RETRIES, NKEYS };

struct config_store {
    pthread_rwlock_t rw;
    int values[NKEYS];
};

struct config_store config = {PTHREAD_RWLOCK_INITIALIZER, {10, 3}};

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static int config_get(int key)
{
    pthread_rwlock_rdlock(&config.rw);
    int v = config.values[key];
    pthread_rwlock_unlock(&config.rw);
    return v;
}

static void config_set(int key, int value)
{
    pthread_rwlock_wrlock(&config.rw);
    config.values[key] = value;
    pthread_rwlock_unlock(&config.rw);
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
    printf("timeout = %d\n", config_get(KEY_TIMEOUT));
    return 0;
}
