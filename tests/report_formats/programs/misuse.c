/* misuse.c: unlocks a mutex nobody locked: racewatch stops the program
 * with "fatal error: sync: unlock of unlocked mutex" and exit 2. */
#include <pthread.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
    pthread_mutex_unlock(&m);
    return 0;
}
