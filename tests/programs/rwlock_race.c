/* rwlock_race.c: a read lock shares the data among readers, so it must not
 * cover a write.  Two "readers" bump a statistics counter while holding only
 * the read lock: a race (read-unlock releases only to a later WRITE lock).
 * Twin: rwlock_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @lookups @lookups
// RACEWATCH-EXPECT: location=global lookups
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int table[4] = {1, 2, 3, 4};
int lookups;

static void *reader(void *arg)
{
    int k = (int)(long)arg;
    pthread_rwlock_rdlock(&rw);
    use(table[k]);
    lookups++; /* @lookups */
    pthread_rwlock_unlock(&rw);
    return NULL;
}

int main(void)
{
    pthread_t t[2];
    for (long i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, reader, (void *)i);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("done\n");
    return 0;
}
