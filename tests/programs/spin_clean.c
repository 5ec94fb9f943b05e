/* spin_clean.c: twin of spin_race.c.  Both threads add under the spinlock;
 * the second one uses pthread_spin_trylock in a retry loop. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=total = 11\n
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

int total;
static pthread_spinlock_t spin;

static void *careful(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        pthread_spin_lock(&spin);
        total += 2;
        pthread_spin_unlock(&spin);
    }
    return NULL;
}

static void *trying(void *arg)
{
    (void)arg;
    while (pthread_spin_trylock(&spin) == EBUSY)
        ;
    total += 5;
    pthread_spin_unlock(&spin);
    return NULL;
}

int main(void)
{
    pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
    pthread_t a, b;
    pthread_create(&a, NULL, careful, NULL);
    pthread_create(&b, NULL, trying, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    pthread_spin_destroy(&spin);
    printf("total = %d\n", total);
    return 0;
}
