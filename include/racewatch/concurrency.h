/* racewatch/concurrency.h: all of libracewatch-chan in one include, Go's
 * concurrency toolkit for C threads:
 *
 *   racewatch/chan.h        channels (make, send, receive, close, len, cap)
 *   racewatch/select.h      select over send and receive cases
 *   racewatch/waitgroup.h   sync.WaitGroup
 *   racewatch/once.h        sync.Once
 *
 * Link with -lracewatch-chan (pkg-config racewatch-chan).  See
 * docs/chan.md. */
#ifndef RACEWATCH_CONCURRENCY_H
#define RACEWATCH_CONCURRENCY_H

#include "racewatch/chan.h"
#include "racewatch/once.h"
#include "racewatch/select.h"
#include "racewatch/waitgroup.h"

#endif
