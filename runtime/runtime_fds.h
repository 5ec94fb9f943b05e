/* runtime_fds.h: descriptors the runtime keeps open, out of the
 * program's way (runtime_fds.c). */
#ifndef RW_RUNTIME_FDS_H
#define RW_RUNTIME_FDS_H

/* Move fd, which the runtime (or a library it drives: libunwind,
 * libdwfl) keeps open, to a number at the top of the first 1024 (or of a
 * lower RLIMIT_NOFILE), close-on-exec.  Returns the new number, or fd
 * itself when it cannot move. */
int rw_fd_out_of_the_way(int fd);

#endif
