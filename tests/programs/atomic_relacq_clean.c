/* atomic_relacq_clean.c: twin of atomic_relaxed_race.c.  Two producers each
 * fill their slot and publish it with a RELEASE fetch_add on a counter; the
 * consumer spins with ACQUIRE loads until both are in, then reads both slots
 * (an RMW continues the release sequence of the earlier one).  Also an
 * acq_rel exchange hands a pointer back. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=slots 10 20, box 7\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

int slots[2];
static atomic_int published;
static int box_value;
static _Atomic(int *) box;

static void *producer(void *arg)
{
    int id = (int)(long)arg;
    slots[id] = (id + 1) * 10;
    atomic_fetch_add_explicit(&published, 1, memory_order_release);
    return NULL;
}

static void *boxer(void *arg)
{
    (void)arg;
    box_value = 7;
    int *old = atomic_exchange_explicit(&box, &box_value, memory_order_acq_rel);
    (void)old;
    return NULL;
}

int main(void)
{
    pthread_t p[2], b;
    for (long i = 0; i < 2; i++)
        pthread_create(&p[i], NULL, producer, (void *)i);
    pthread_create(&b, NULL, boxer, NULL);
    while (atomic_load_explicit(&published, memory_order_acquire) != 2)
        usleep(1000);
    int a0 = slots[0], a1 = slots[1];
    int *v;
    while ((v = atomic_load_explicit(&box, memory_order_acquire)) == NULL)
        usleep(1000);
    int bv = *v;
    printf("slots %d %d, box %d\n", a0, a1, bv);
    for (int i = 0; i < 2; i++)
        pthread_join(p[i], NULL);
    pthread_join(b, NULL);
    return 0;
}
