/* sem_misuse.c: a sem_post on a semaphore at SEM_VALUE_MAX (EOVERFLOW),
 * then a semaphore destroyed and used again by sem_post and sem_trywait
 * (glibc's sem_destroy does nothing, so the calls work: undefined all the
 * same).  A warning for each; exit 66.  Twin: sem_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: stdout=post at the maximum: EOVERFLOW\nused after destroy: 0 0\n
// RACEWATCH-EXPECT: misuse=3
// RACEWATCH-EXPECT: warning=sem_post overflow @overflow
// RACEWATCH-EXPECT: warning=use of a destroyed semaphore @post
// RACEWATCH-EXPECT: warning=use of a destroyed semaphore @trywait
// RACEWATCH-EXPECT: previous=use of a destroyed semaphore @post @destroy
// RACEWATCH-EXPECT: previous=use of a destroyed semaphore @trywait @destroy
#include <errno.h>
#include <limits.h>
#include <semaphore.h>
#include <stdio.h>

static sem_t full, gone;

int main(void)
{
    sem_init(&full, 0, SEM_VALUE_MAX);
    int r = sem_post(&full); /* @overflow */
    printf("post at the maximum: %s\n", r == -1 && errno == EOVERFLOW ? "EOVERFLOW" : "?");
    sem_init(&gone, 0, 0);
    sem_destroy(&gone); /* @destroy */
    int a = sem_post(&gone); /* @post */
    int b = sem_trywait(&gone); /* @trywait */
    printf("used after destroy: %d %d\n", a, b);
    return 0;
}
