/* spin_race.c: a pthread spinlock guards `total`, but one of the two threads
 * adds to it without taking the spinlock.  Twin: spin_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @locked_add @unlocked_add
// RACEWATCH-EXPECT: location=global total
// RACEWATCH-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>

int total;
static pthread_spinlock_t spin;

static void *careful(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        pthread_spin_lock(&spin);
        total += 2; /* @locked_add */
        pthread_spin_unlock(&spin);
    }
    return NULL;
}

static void *careless(void *arg)
{
    (void)arg;
    total += 5; /* @unlocked_add */
    return NULL;
}

int main(void)
{
    pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
    pthread_t a, b;
    pthread_create(&a, NULL, careful, NULL);
    pthread_create(&b, NULL, careless, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    pthread_spin_destroy(&spin);
    printf("done\n");
    return 0;
}
