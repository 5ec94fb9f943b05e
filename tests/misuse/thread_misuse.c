/* thread_misuse.c: pthread_detach of a thread already detached, of a
 * thread already joined, pthread_join and pthread_detach of a pthread_t
 * no thread ever had (natively undefined: glibc may crash).  Each is a
 * warning and fails (EINVAL; ESRCH for the unknown thread) without
 * reaching glibc; exit 66.  Twin: thread_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: native=runs
// RACEWATCH-EXPECT: stdout=second detach: EINVAL\ndetach after join: EINVAL\njoin of nothing: ESRCH\ndetach of nothing: ESRCH\n
// RACEWATCH-EXPECT: misuse=4
// RACEWATCH-EXPECT: warning=pthread_detach of a thread that was already detached @detach2
// RACEWATCH-EXPECT: warning=pthread_detach of a thread that was already joined @detach_joined
// RACEWATCH-EXPECT: warning=pthread_join of a thread that does not exist @join_none
// RACEWATCH-EXPECT: warning=pthread_detach of a thread that does not exist @detach_none
// RACEWATCH-EXPECT: previous=pthread_detach of a thread that was already detached @detach2 @detach1
// RACEWATCH-EXPECT: previous=pthread_detach of a thread that was already joined @detach_joined @joined
// RACEWATCH-EXPECT: line=Previous pthread_detach of thread 2 in thread 1:
// RACEWATCH-EXPECT: line=Previous pthread_join of thread 3 in thread 1:
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_barrier_t go;

static const char *name(int r)
{
    return r == EINVAL ? "EINVAL" : r == ESRCH ? "ESRCH" : r == 0 ? "0" : "?";
}

static void *parked(void *arg)
{
    pthread_barrier_wait(&go);
    return arg;
}

static void *nothing(void *arg)
{
    return arg;
}

int main(void)
{
    pthread_barrier_init(&go, NULL, 2);
    pthread_t a, b, none;
    pthread_create(&a, NULL, parked, NULL);
    pthread_detach(a); /* @detach1 */
    printf("second detach: %s\n", name(pthread_detach(a))); /* @detach2 */
    pthread_barrier_wait(&go);

    pthread_create(&b, NULL, nothing, NULL);
    pthread_join(b, NULL); /* @joined */
    printf("detach after join: %s\n", name(pthread_detach(b))); /* @detach_joined */

    memset(&none, 0, sizeof none);
    printf("join of nothing: %s\n", name(pthread_join(none, NULL))); /* @join_none */
    printf("detach of nothing: %s\n", name(pthread_detach(none))); /* @detach_none */
    return 0;
}
