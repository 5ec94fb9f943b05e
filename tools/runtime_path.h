/* runtime_path.h: where libracewatch.so is, found relative to the running
 * executable so that both a build tree and an installed tree (in any
 * prefix, moved anywhere) work with no configuration.
 *
 * Candidates, first existing one wins:
 *   <exe_dir>/<RW_REL_LIBDIR>/libracewatch.so   installed: bin/ -> lib/...
 *   <exe_dir>/../runtime/libracewatch.so        build tree: tools/, runtime/
 * RW_REL_LIBDIR comes from meson (bindir -> libdir); an absolute libdir is
 * used as it is.  <exe_dir> is the directory of /proc/self/exe, so a
 * symlink to the tool (say in ~/bin) still finds the real tree. */
#ifndef RW_TOOLS_RUNTIME_PATH_H
#define RW_TOOLS_RUNTIME_PATH_H

#include <limits.h>
#include <stddef.h>

#define RW_RUNTIME_NAME "libracewatch.so"

typedef struct rw_runtime_path {
    char exe[PATH_MAX];    /* the running executable, canonical */
    char dir[PATH_MAX];    /* canonical directory holding the runtime */
    char path[PATH_MAX];   /* dir + "/libracewatch.so" */
} rw_runtime_path;

/* Fill *rt.  Returns 0, or -1 with one line (no newline, no program-name
 * prefix) in err, e.g. "cannot find libracewatch.so next to /x/bin/racewatch". */
int rw_find_runtime(rw_runtime_path *rt, char *err, size_t errlen);

#endif
