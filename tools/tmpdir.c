/* tmpdir.c: the private temporary directory of racewatch-cc (tmpdir.h).
 *
 * A signal handler may only make async-signal-safe calls, so it cannot
 * walk the directory; it unlinks the files named through rw_tmpdir_file
 * (the registry grows with the signals blocked, so the handler never sees
 * it half-updated), removes the directory and dies of the same signal.
 * The normal path also deletes whatever else the compiler left there. */
#include "tools/tmpdir.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/errtext.h"
#include "tools/strvec.h"

static const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
static struct sigaction old_action[3];
static char dir[PATH_MAX];
static strvec files;

static void on_signal(int sig)
{
    for (size_t i = 0; i < files.n; i++)
        unlink(files.v[i]);
    if (dir[0] != '\0')
        rmdir(dir);
    signal(sig, SIG_DFL);
    kill(getpid(), sig);   /* delivered when the handler returns */
}

int rw_tmpdir_create(const char *prog)
{
    if (dir[0] != '\0')
        return 0;
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || tmp[0] == '\0')
        tmp = "/tmp";
    if (snprintf(dir, sizeof dir, "%s/racewatch-cc.XXXXXX", tmp) >= (int)sizeof dir
        || mkdtemp(dir) == NULL) {
        fprintf(stderr, "%s: cannot create a temporary directory in %s: %s\n",
                prog, tmp, rw_errno_text(errno));
        dir[0] = '\0';
        return -1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int s = 0; s < 3; s++) {
        sigaction(sigs[s], NULL, &old_action[s]);
        if (old_action[s].sa_handler != SIG_IGN)   /* nohup stays nohup */
            sigaction(sigs[s], &sa, NULL);
    }
    return 0;
}

char *rw_tmpdir_file(const char *name)
{
    char *path = sv_printf("%s/%s", dir, name);
    sigset_t block, old;
    sigemptyset(&block);
    for (int s = 0; s < 3; s++)
        sigaddset(&block, sigs[s]);
    sigprocmask(SIG_BLOCK, &block, &old);
    sv_push(&files, path);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return path;
}

int rw_tmpdir_active(void)
{
    return dir[0] != '\0';
}

void rw_tmpdir_remove(void)
{
    if (dir[0] == '\0')
        return;
    DIR *d = opendir(dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                char p[PATH_MAX];
                if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) < (int)sizeof p)
                    unlink(p);
            }
        }
        closedir(d);
    }
    rmdir(dir);
    dir[0] = '\0';
    for (int s = 0; s < 3; s++)
        sigaction(sigs[s], &old_action[s], NULL);
}
