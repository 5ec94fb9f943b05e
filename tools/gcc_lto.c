/* gcc_lto.c: instrumented gcc LTO links without libtsan (gcc_lto.h).
 *
 * With -fsanitize=thread, gcc's link spec adds "libtsan_preinit.o" (found
 * on its startfile path, -B first) and "--no-as-needed -ltsan" (found on
 * the library path, -L first).  We put a directory in front of both that
 * holds an empty file of each name.  ld reads an empty non-ELF input as an
 * empty linker script, so both add nothing, and -lracewatch, which follows,
 * provides every __tsan_* symbol.  The -B directory holds nothing else, so
 * gcc still finds cc1, collect2 and lto-wrapper where it always does.
 * Measured with gcc 12: without this a -flto program has no __tsan_ call
 * at all; with it, the same calls as a non-LTO build. */
#include "tools/gcc_lto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tools/cc_exec.h"
#include "tools/cc_wrap.h"
#include "tools/errtext.h"
#include "tools/tmpdir.h"

int rw_lto_link(const cc_cmdline *cl)
{
    int lto = 0;
    for (size_t i = 0; i < cl->nitems; i++) {
        const char *w = cl->items[i].word[0];
        if (cl->items[i].kind != CC_BOTH)
            continue;
        if (!strcmp(w, "-flto") || !strncmp(w, "-flto=", 6))
            lto = 1;
        else if (!strcmp(w, "-fno-lto"))
            lto = 0;
    }
    return lto;
}

int rw_compiler_is_gcc(const strvec *cc)
{
    strvec cmd = {0};
    sv_extend(&cmd, cc);
    sv_push(&cmd, "-E");
    sv_push(&cmd, "-dM");
    sv_push(&cmd, "-x");
    sv_push(&cmd, "c");
    sv_push(&cmd, "/dev/null");
    static char out[64 * 1024];
    int rc = rw_cc_capture(&cmd, out, sizeof out);
    sv_free(&cmd);
    return rc == 0 && strstr(out, "#define __GNUC__ ") != NULL
           && strstr(out, "#define __clang__ ") == NULL;
}

static int empty_file(const char *path, const char *prog)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, rw_errno_text(errno));
        return -1;
    }
    close(fd);
    return 0;
}

int rw_gcc_lto_standins(strvec *cmd, const char *prog)
{
    if (rw_tmpdir_create(prog) != 0)
        return -1;
    char *lib = rw_tmpdir_file("libtsan.so");
    char *preinit = rw_tmpdir_file("libtsan_preinit.o");
    if (empty_file(lib, prog) != 0 || empty_file(preinit, prog) != 0)
        return -1;
    char *dir = sv_printf("%.*s", (int)(strrchr(lib, '/') - lib), lib);
    for (int k = 0; rw_cc_compile_flags[k]; k++)
        sv_push(cmd, rw_cc_compile_flags[k]);
    sv_push(cmd, sv_printf("-B%s/", dir));
    sv_push(cmd, sv_printf("-L%s", dir));
    return 0;
}
