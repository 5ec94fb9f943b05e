/* target_teams_race.c: a target region run on the host (no offloading
 * device) with a league of two teams: team 0 writes, team 1 reads, with
 * nothing between them.  libgomp runs the two teams one after the other
 * on the encountering thread; OpenMP does not order them (on a device
 * they run at once).  racewatch runs each team as a fiber
 * (runtime/intercept_gomp_teams.c), so the race is reported in every run.
 * Twin: target_teams_clean.c. */
// RACEWATCH-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// RACEWATCH-EXPECT: race @w @r
// RACEWATCH-EXPECT: location=global shared_value
// RACEWATCH-EXPECT: stdout=done\n
// TSAN-EXPECT: miss
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

int shared_value OWN_LINE;

static __attribute__((noinline)) void write_value(void)
{
    shared_value = 42; /* @w */
}

static __attribute__((noinline)) void read_value(void)
{
    use(shared_value); /* @r */
}

int main(void)
{
#pragma omp target map(tofrom : shared_value)
#pragma omp teams num_teams(2)
    {
        if (omp_get_team_num() == 0)
            write_value();
        else
            read_value();
    }
    printf("done\n");
    return 0;
}
