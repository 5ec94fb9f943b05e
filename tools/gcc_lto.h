/* gcc_lto.h: keeping gcc -flto builds instrumented.  gcc runs its
 * ThreadSanitizer pass when it generates code, which under -flto is at
 * link time, and only if -fsanitize=thread is on the link command; but
 * that flag also makes gcc link libtsan.  See gcc_lto.c for the way out. */
#ifndef RW_TOOLS_GCC_LTO_H
#define RW_TOOLS_GCC_LTO_H

#include "tools/cc_args.h"
#include "tools/strvec.h"

/* Is link-time optimization on for this link: -flto or -flto=N last,
 * not -fno-lto? */
int rw_lto_link(const cc_cmdline *cl);

/* Is cc gcc (clang instruments before writing its LTO bitcode and needs
 * nothing)?  Asks the compiler for its predefined macros. */
int rw_compiler_is_gcc(const strvec *cc);

/* Add to cmd what makes a gcc LTO link instrument the code with our
 * runtime: -fsanitize=thread and the -fno-builtin flags, plus -B/-L to a
 * directory (the racewatch-cc temporary one, created if needed) holding
 * empty stand-ins for libtsan.so and libtsan_preinit.o.  Returns 0, or -1
 * after an error line. */
int rw_gcc_lto_standins(strvec *cmd, const char *prog);

#endif
