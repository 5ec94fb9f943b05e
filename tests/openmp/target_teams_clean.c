/* target_teams_clean.c: twin of target_teams_race.c.  A league of four
 * teams on the host, one after the other on one thread, and nothing
 * races: each team writes its own element, through a private variable
 * of the team's frame whose address is taken (every team reuses its
 * slot); each team runs a parallel region of its own; after the target
 * region the thread reads every element (it follows every team); a
 * league of one team, and a second league reading the first's results. */
// RACEWATCH-EXPECT: exit=0
// RACEWATCH-EXPECT: races=0
// RACEWATCH-EXPECT: stdout=0 1 2 3 8 7\n
// PRELOAD-EXPECT: exit=0
// PRELOAD-EXPECT: races=0
// PRELOAD-EXPECT: stdout=0 1 2 3 8 7\n
#include <omp.h>
#include <stdio.h>

#include "omp_test.h"

int values[4], sums[4], single_team;

static void fill(int *slot, int v) { *slot = v; }

int main(void)
{
#pragma omp target map(tofrom : values)
#pragma omp teams num_teams(4)
    {
        int mine;
        fill(&mine, omp_get_team_num());
        values[omp_get_team_num()] = mine;
    }
#pragma omp target map(tofrom : values, sums)
#pragma omp teams num_teams(4)
    {
        int team = omp_get_team_num();
#pragma omp parallel num_threads(2)
        {
            if (omp_get_thread_num() == 0)
                sums[team] = values[team] + values[(team + 1) % 4];
        }
    }
#pragma omp target map(tofrom : single_team)
#pragma omp teams num_teams(1)
    single_team = 7;
    printf("%d %d %d %d %d %d\n", values[0], values[1], values[2], values[3], sums[2] + sums[3],
           single_team);
    return 0;
}
