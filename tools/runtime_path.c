/* runtime_path.c: locate libracewatch.so next to the running executable
 * (see runtime_path.h for the candidate list).
 *
 * Only the directory is canonicalized (realpath), and the file name stays
 * "libracewatch.so": the linker's -lracewatch looks for exactly that name
 * in -L<dir>, and a symlink for the file itself (a packager's choice) must
 * not turn into a versioned name that -l would not find. */
#include "tools/runtime_path.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RW_REL_LIBDIR
#error "RW_REL_LIBDIR must be defined by the build (relative path bindir -> libdir)"
#endif

/* If <dir>/libracewatch.so is a readable regular file, fill rt and
 * return 0; else return -1. */
static int try_dir(const char *dir, rw_runtime_path *rt)
{
    char file[PATH_MAX];
    struct stat st;
    if (snprintf(file, sizeof file, "%s/%s", dir, RW_RUNTIME_NAME) >= (int)sizeof file)
        return -1;
    if (stat(file, &st) != 0 || !S_ISREG(st.st_mode) || access(file, R_OK) != 0)
        return -1;
    char canon[PATH_MAX];
    if (realpath(dir, canon) == NULL)
        return -1;
    if (snprintf(rt->path, sizeof rt->path, "%s/%s", canon, RW_RUNTIME_NAME)
            >= (int)sizeof rt->path)
        return -1;
    strcpy(rt->dir, canon);
    return 0;
}

int rw_find_runtime(rw_runtime_path *rt, char *err, size_t errlen)
{
    memset(rt, 0, sizeof *rt);
    ssize_t n = readlink("/proc/self/exe", rt->exe, sizeof rt->exe - 1);
    if (n <= 0) {
        snprintf(err, errlen, "cannot find %s: /proc/self/exe: %s",
                 RW_RUNTIME_NAME, strerror(errno));
        return -1;
    }
    rt->exe[n] = '\0';

    char exe_dir[PATH_MAX];
    strcpy(exe_dir, rt->exe);
    char *slash = strrchr(exe_dir, '/');
    if (slash == exe_dir)
        slash[1] = '\0';           /* the executable is /racewatch */
    else if (slash != NULL)
        *slash = '\0';

    char dir[PATH_MAX];
    const char *rel = RW_REL_LIBDIR;
    int len = rel[0] == '/' ? snprintf(dir, sizeof dir, "%s", rel)
                            : snprintf(dir, sizeof dir, "%s/%s", exe_dir, rel);
    if (len < (int)sizeof dir && try_dir(dir, rt) == 0)
        return 0;
    len = snprintf(dir, sizeof dir, "%s/../runtime", exe_dir);
    if (len < (int)sizeof dir && try_dir(dir, rt) == 0)
        return 0;

    snprintf(err, errlen, "cannot find %s next to %s", RW_RUNTIME_NAME, rt->exe);
    return -1;
}
