/* fd_objects.h: file descriptors as racy memory (runtime/fd_objects.c). */
#ifndef RW_FD_OBJECTS_H
#define RW_FD_OBJECTS_H

#include <stdint.h>

#include "detector/thread.h"

/* All take the entered calling thread (rw_enter) and the program's pc.
 * A use of fd (read, write, fstat...): a read of its object. */
void rw_fd_use(rw_thread *t, int fd, uintptr_t pc);
/* close(fd), or dup2/dup3 over it: a write of its object, then its
 * history is forgotten (the number is free for the kernel to reuse). */
void rw_fd_close(rw_thread *t, int fd, uintptr_t pc);
/* fd was just made (open, socket, pipe, dup...): a new object, written
 * by its creator, remembered as made here. */
void rw_fd_created(rw_thread *t, int fd, uintptr_t pc);

/* The same for an interceptor that has not entered the runtime: each
 * enters, acts and leaves (nothing when the thread is not watched or the
 * call is racewatch's own).  rw_fd_made_at ignores fd < 0. */
void rw_fd_use_at(int fd, uintptr_t pc);
void rw_fd_close_at(int fd, uintptr_t pc);
void rw_fd_made_at(int fd, uintptr_t pc);

/* The fork handlers' first step: the table is made now if it was not (a
 * fork while another thread was making it left the child waiting for
 * ever for a maker that does not exist there). */
void rw_fd_objects_before_fork(void);

#endif
