/* cc_wrap.h: racewatch-cc, the drop-in compiler wrapper (also reached as
 * "racewatch cc").  See cc_wrap.c for what it runs. */
#ifndef RW_TOOLS_CC_WRAP_H
#define RW_TOOLS_CC_WRAP_H

#include <stdio.h>

/* What every compile step gets: -fsanitize=thread and the
 * -fno-builtin-mem* flags (NULL-terminated). */
extern const char *const rw_cc_compile_flags[];

/* Act as the compiler for argv[0..argc) (the arguments only, no program
 * name).  prog names the tool in error lines ("racewatch-cc").  Returns
 * the exit status, or does not return (it execs the compiler). */
int rw_cc_main(int argc, char **argv, const char *prog);

/* The text of "racewatch help cc". */
void rw_cc_usage(FILE *f);

#endif
