/* rwlock_clean.c: twin of rwlock_race.c.  Three readers only read the table
 * under the read lock (concurrently with each other); a writer then updates
 * it under the write lock (read-unlock -> write-lock orders the readers'
 * reads before the write), and the readers read it once more (write-unlock
 * -> read-lock).  The statistics counter is updated under the write lock. */
// RACEWATCH-EXPECT: exit=0
// PRELOAD-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// PRELOAD-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=table[0] = 100, lookups = 6\n
// PRELOAD-EXPECT: stdout=table[0] = 100, lookups = 6\n
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int table[4] = {1, 2, 3, 4};
int lookups;

static void lookup(int k)
{
    pthread_rwlock_rdlock(&rw);
    use(table[k]);
    pthread_rwlock_unlock(&rw);
    pthread_rwlock_wrlock(&rw);
    lookups++;
    pthread_rwlock_unlock(&rw);
}

static void *reader(void *arg)
{
    int k = (int)(long)arg;
    lookup(k);
    usleep(20000);
    lookup(0);
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    usleep(10000);
    pthread_rwlock_wrlock(&rw);
    for (int i = 0; i < 4; i++)
        table[i] *= 100;
    pthread_rwlock_unlock(&rw);
    return NULL;
}

int main(void)
{
    pthread_t t[3], w;
    for (long i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, reader, (void *)i);
    pthread_create(&w, NULL, writer, NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    pthread_join(w, NULL);
    printf("table[0] = %d, lookups = %d\n", table[0], lookups);
    return 0;
}
