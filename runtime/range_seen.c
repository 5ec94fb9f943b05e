/* range_seen.c: the storage behind range_seen.h: each thread's table of
 * the ranges its interceptors checked last, and the generation that
 * forgets every table at once. */
#include "runtime/range_seen.h"

__thread rw_range_seen_table rw_range_seen_tab __attribute__((tls_model("initial-exec")));
uint32_t rw_range_seen_gen;
