/* seqcst_clean.c: twin of seqcst_race.c.  Default (seq_cst) atomics: the
 * data is written before the flag store; a seq_cst compare-exchange claims
 * a ticket, so exactly one of two readers consumes the data. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=claimed once, value 42\n
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

int data;
static atomic_int ready;
static atomic_int ticket;
static int claimed_value;
static atomic_int claims;

static void *writer(void *arg)
{
    (void)arg;
    data = 42;
    atomic_store(&ready, 1);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load(&ready))
        usleep(1000);
    int expected = 0;
    if (atomic_compare_exchange_strong(&ticket, &expected, 1)) {
        claimed_value = data;
        atomic_fetch_add(&claims, 1);
    }
    return NULL;
}

int main(void)
{
    pthread_t w, r[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&r[i], NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(w, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(r[i], NULL);
    printf("claimed %s, value %d\n", atomic_load(&claims) == 1 ? "once" : "?",
           claimed_value);
    return 0;
}
