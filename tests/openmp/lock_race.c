/* lock_race.c: thread 0 updates a counter holding an omp lock, thread 1
 * updates it without.  Twin: lock_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @l @u
// RACEWATCH-EXPECT: location=global counter
// RACEWATCH-EXPECT: stdout=done\n
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

int counter OWN_LINE, first_done OWN_LINE;
omp_lock_t lock;

int main(void)
{
    omp_init_lock(&lock);
#pragma omp parallel num_threads(4)
    {
        if (omp_get_thread_num() == 0) {
            omp_set_lock(&lock);
            counter = counter + 1; /* @l */
            omp_unset_lock(&lock);
            flag_set(&first_done);
        }
        if (omp_get_thread_num() == 1) {
            flag_wait(&first_done);
            counter = counter + 2; /* @u */
        }
    }
    omp_destroy_lock(&lock);
    printf("done\n");
    return 0;
}
