/* rwlock_writer_reader.c: a reader holds the rwlock for reading and then
 * wants mutex m; a writer holds m and wants the rwlock for writing, so it
 * waits for the reader, which waits for the writer's mutex.  Main joins
 * the reader: every thread is asleep.  Twin: rwlock_timed_clean.c. */
// RACEWATCH-EXPECT: exit=2
// RACEWATCH-EXPECT: native=hang
// RACEWATCH-EXPECT: stdout=
// RACEWATCH-EXPECT: first-line=fatal error: all threads are asleep - deadlock!
// RACEWATCH-EXPECT: thread 1 [pthread_join] @join
// RACEWATCH-EXPECT: thread 2 [pthread_mutex_lock] @reader_lock from 1 @create_reader
// RACEWATCH-EXPECT: thread 3 [pthread_rwlock_wrlock] @writer_wrlock from 1 @create_writer
#include <pthread.h>
#include <stdio.h>

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;

static void *reader(void *arg)
{
    pthread_rwlock_rdlock(&rw);
    pthread_barrier_wait(&both_hold_one);
    pthread_mutex_lock(&m); /* @reader_lock */
    pthread_mutex_unlock(&m);
    pthread_rwlock_unlock(&rw);
    return arg;
}

static void *writer(void *arg)
{
    pthread_mutex_lock(&m);
    pthread_barrier_wait(&both_hold_one);
    pthread_rwlock_wrlock(&rw); /* @writer_wrlock */
    pthread_rwlock_unlock(&rw);
    pthread_mutex_unlock(&m);
    return arg;
}

int main(void)
{
    pthread_t r, w;
    pthread_barrier_init(&both_hold_one, NULL, 2);
    pthread_create(&r, NULL, reader, NULL); /* @create_reader */
    pthread_create(&w, NULL, writer, NULL); /* @create_writer */
    pthread_join(r, NULL); /* @join */
    pthread_join(w, NULL);
    return 0;
}
