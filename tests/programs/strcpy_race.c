/* strcpy_race.c: strcpy into a shared name buffer while another thread
 * takes strlen of it.  Twin: strcpy_clean.c. */
// RACEWATCH-EXPECT: exit=66
// PRELOAD-EXPECT: exit=66
// RACEWATCH-EXPECT: races=1
// PRELOAD-EXPECT: races=1
// RACEWATCH-EXPECT: race @copy @len
// PRELOAD-EXPECT: race @copy @len
// RACEWATCH-EXPECT: location=global name
// PRELOAD-EXPECT: location=global name
// RACEWATCH-EXPECT: stdout=done\n
// PRELOAD-EXPECT: stdout=done\n
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static inline void use(int v) { __asm__ volatile("" : : "r"(v)); }

char name[32] = "initial";
char new_name[32] = "renamed-by-thread"; /* not const: strcpy stays a call */

static void *renamer(void *arg)
{
    (void)arg;
    strcpy(name, new_name); /* @copy */
    return NULL;
}

static void *measurer(void *arg)
{
    (void)arg;
    use((int)strlen(name)); /* @len */
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, renamer, NULL);
    pthread_create(&b, NULL, measurer, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("done\n");
    return 0;
}
