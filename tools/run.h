/* run.h: "racewatch run [OPTIONS] PROG [ARGS...]", go run for a C program:
 * start PROG with the runtime preloaded and report how it ended. */
#ifndef RW_TOOLS_RUN_H
#define RW_TOOLS_RUN_H

/* argv[0] is "run".  Returns racewatch's exit status. */
int rw_run_main(int argc, char **argv);

#endif
