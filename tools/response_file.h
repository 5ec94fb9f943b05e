/* response_file.h: expand "@file" arguments the way gcc and clang do, so
 * that racewatch-cc sees the real command line when a build system (CMake,
 * meson, ninja on long links) passes the arguments in a response file. */
#ifndef RW_TOOLS_RESPONSE_FILE_H
#define RW_TOOLS_RESPONSE_FILE_H

#include "tools/strvec.h"

/* Append argv[0..argc) to out with every readable "@file" replaced by the
 * arguments it holds (recursively).  An "@file" that cannot be read stays
 * as it is, as gcc does: the compiler then reports it. */
void rw_expand_response_files(strvec *out, int argc, char **argv);

#endif
