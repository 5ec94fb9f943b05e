/* racewatch_cc.c: main() of racewatch-cc, the compiler wrapper; all the
 * work is in cc_wrap.c (shared with "racewatch cc"). */
#include "tools/cc_wrap.h"

int main(int argc, char **argv)
{
    return rw_cc_main(argc - 1, argv + 1, "racewatch-cc");
}
