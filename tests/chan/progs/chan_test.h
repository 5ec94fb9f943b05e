/* chan_test.h: helpers shared by the detector integration programs of
 * tests/chan/progs/ (run by run_chan_test.py).
 *
 * The shared data of these programs is read and written with memcpy of a
 * size the compiler cannot see (shared_len), so every access is a call to
 * memcpy: racewatch sees it in both modes, instrumented and LD_PRELOAD
 * (where plain loads and stores are invisible). */
#ifndef CHAN_TEST_H
#define CHAN_TEST_H

#include <string.h>

#include "racewatch/concurrency.h"

/* sizeof(int), hidden from the optimizer so that memcpy stays a call. */
static volatile size_t shared_len = sizeof(int);

/* Macros, not functions: the accesses belong to the line that uses them
 * (racewatch reports each pair of source lines once, and an inlined
 * helper's own line would make every access the same line).  The empty
 * asm keeps a read whose value is unused from being optimized away. */
#define put(where, value)                                  \
    do {                                                   \
        int put_value_ = (value);                          \
        memcpy((where), &put_value_, shared_len);          \
    } while (0)

#define get(where)                                         \
    ({                                                     \
        int get_value_ = 0;                                \
        memcpy(&get_value_, (where), shared_len);          \
        __asm__ volatile("" : "+r"(get_value_));           \
        get_value_;                                        \
    })

#endif
