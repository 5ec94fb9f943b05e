/* sync_clean.c: twin of sync_race.c.  Every thread takes the __sync
 * test-and-set spinlock; a __sync_fetch_and_add counter and a
 * __sync_val_compare_and_swap "first thread" claim need no lock, and
 * __sync_synchronize + a CAS-published flag hand over one more value. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=total = 10, ops = 4, one first, note = 5\n
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define N 4

int total;
static int lock_word;
static int ops;
static int first;
static int note;
static int note_ready;

static void *worker(void *arg)
{
    int v = (int)(long)arg;
    while (__sync_lock_test_and_set(&lock_word, 1))
        ;
    total += v;
    __sync_lock_release(&lock_word);
    __sync_fetch_and_add(&ops, 1);
    if (__sync_val_compare_and_swap(&first, 0, v) == 0) {
        /* the winner publishes a note through a full-barrier CAS */
        note = 5;
        __sync_synchronize();
        __sync_bool_compare_and_swap(&note_ready, 0, 1);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[N];
    for (long i = 0; i < N; i++)
        pthread_create(&t[i], NULL, worker, (void *)(i + 1));
    while (!__sync_fetch_and_add(&note_ready, 0))
        usleep(1000);
    int n = note;
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    printf("total = %d, ops = %d, %s first, note = %d\n", total, ops,
           first >= 1 && first <= N ? "one" : "no", n);
    return 0;
}
