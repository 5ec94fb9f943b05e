/* stack_capture.h: what fork needs of stack_capture.c's libunwind walks.
 *
 * libunwind keeps process-wide state behind its own locks (the cache of
 * unwind tables, taken inside unw_backtrace).  A fork while another thread
 * is inside a walk copies those locks held into the child, where no
 * thread will ever release them: the child's first walk (a report, a
 * join) would hang.  So the fork handlers stop new walks and wait for the
 * ones in progress, like every other lock they take (intercept_fork.c):
 *
 *   rw_stack_walks_stop()    prepare: new walks wait; returns once no
 *                            walk is in progress;
 *   rw_stack_walks_resume()  parent: the waiting walks go on;
 *   rw_stack_walks_reset_after_fork()  child: no walk is in progress here
 *                            (a thread that was about to begin one does
 *                            not exist), and new ones may start.
 *
 * A walk never needs one of the runtime's locks (the runtime is entered
 * during a walk, so libunwind's calls pass straight through the
 * interceptors): the handlers may wait for walks while holding them. */
#ifndef RW_STACK_CAPTURE_H
#define RW_STACK_CAPTURE_H

/* 1 while the calling thread is inside a walk (libunwind's own calls to
 * interposed functions come from there). */
int rw_in_stack_walk(void);

void rw_stack_walks_stop(void);
void rw_stack_walks_resume(void);
void rw_stack_walks_reset_after_fork(void);

#endif
