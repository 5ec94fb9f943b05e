/* watchable.c: tells a program racewatch cannot watch by LD_PRELOAD from
 * one it can.  A statically linked ELF (no PT_INTERP program header) never
 * runs the dynamic loader, and the loader ignores LD_PRELOAD paths for a
 * setuid or setgid program started by someone else; both would run
 * silently unchecked, so racewatch says so and runs them unwatched.
 * Anything else (scripts, missing files) is left to exec, which reports
 * its own errors. */
#include "tools/watchable.h"

#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* execvp's search: a name with a slash is a path, else each PATH entry. */
static int resolve(const char *prog, char *out, size_t len)
{
    if (strchr(prog, '/')) {
        snprintf(out, len, "%s", prog);
        return access(out, F_OK) == 0;
    }
    const char *path = getenv("PATH");
    if (!path)
        path = "/bin:/usr/bin";
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t n = colon ? (size_t)(colon - path) : strlen(path);
        snprintf(out, len, "%.*s%s%s", (int)n, path, n ? "/" : "", prog);
        if (access(out, X_OK) == 0)
            return 1;
        if (!colon)
            break;
        path = colon + 1;
    }
    return 0;
}

/* 1: dynamic ELF, 0: static ELF, -1: not an ELF we can read. */
static int has_interpreter(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    Elf64_Ehdr eh;
    int result = -1;
    if (pread(fd, &eh, sizeof eh, 0) == (ssize_t)sizeof eh &&
        memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 && eh.e_ident[EI_CLASS] == ELFCLASS64 &&
        eh.e_phentsize == sizeof(Elf64_Phdr)) {
        result = 0;
        for (int i = 0; i < eh.e_phnum; i++) {
            Elf64_Phdr ph;
            if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + (uint64_t)i * sizeof ph)) !=
                (ssize_t)sizeof ph) {
                result = -1;
                break;
            }
            if (ph.p_type == PT_INTERP) {
                result = 1;
                break;
            }
        }
    }
    close(fd);
    return result;
}

int rw_watchable(const char *prog, char *why, size_t whylen)
{
    char path[PATH_MAX];
    if (!resolve(prog, path, sizeof path))
        return 1;
    struct stat st;
    if (stat(path, &st) == 0 && (st.st_mode & (S_ISUID | S_ISGID)) &&
        (((st.st_mode & S_ISUID) && st.st_uid != geteuid()) ||
         ((st.st_mode & S_ISGID) && st.st_gid != getegid()))) {
        snprintf(why, whylen,
                 "%s is set-user-ID or set-group-ID: the dynamic loader ignores LD_PRELOAD "
                 "for it, so racewatch cannot watch it; running it unwatched", prog);
        return 0;
    }
    if (has_interpreter(path) == 0) {
        snprintf(why, whylen,
                 "%s is statically linked: racewatch cannot watch it (it needs the dynamic "
                 "loader); running it unwatched", prog);
        return 0;
    }
    return 1;
}
