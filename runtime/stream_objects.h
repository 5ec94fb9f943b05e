/* stream_objects.h: stdio FILE streams as racy memory
 * (runtime/stream_objects.c). */
#ifndef RW_STREAM_OBJECTS_H
#define RW_STREAM_OBJECTS_H

#include <stdint.h>
#include <stdio.h>

#include "detector/thread.h"

/* All take the entered calling thread (rw_enter) and the program's pc.
 * A use under the stream's lock (fputs, fprintf, fgets, fflush...): a
 * read of the stream's object. */
void rw_stream_use(rw_thread *t, FILE *f, uintptr_t pc);
/* fclose, freopen, and a use without the lock (fputs_unlocked...): a
 * write. */
void rw_stream_write(rw_thread *t, FILE *f, uintptr_t pc);
/* f was just opened (fopen, fdopen, freopen, popen...): a new object,
 * written by its creator, remembered as made here. */
void rw_stream_created(rw_thread *t, FILE *f, uintptr_t pc);
/* fclose is done with f (after rw_stream_write): its slot may be taken
 * over by another stream. */
void rw_stream_closed(FILE *f);
/* flockfile / funlockfile: the stream's own lock, a happens-before edge
 * like a mutex's (the lock inside each locked call is not one: two
 * threads that only print are not ordered by printing). */
void rw_stream_locked(rw_thread *t, FILE *f);
void rw_stream_unlocked(rw_thread *t, FILE *f);

/* rw_stream_use (write = 0) or rw_stream_write (write = 1) for an
 * interceptor that has not entered the runtime. */
void rw_stream_access_at(FILE *f, int write, uintptr_t pc);

/* The fork handlers' first step: the table is made now if it was not
 * (see rw_fd_objects_before_fork). */
void rw_stream_objects_before_fork(void);

#endif
