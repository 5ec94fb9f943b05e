/* cc_wrap.c: racewatch-cc, a compiler driver wrapper that builds programs
 * against libracewatch.so instead of libtsan.
 *
 * The underlying compiler is --cc=PATH (consumed), else $RACEWATCH_CC (a
 * command, split at white space: "ccache gcc" works), else "cc".  Every
 * command line falls in one of four cases:
 *
 *   no inputs (--version, -v, -dumpversion, -print-*, -Wl,--version):
 *       run the compiler with the arguments unchanged;
 *   compile only (-c, -S, -E, -M, -MM, -fsyntax-only):
 *       add -fsanitize=thread and -fno-builtin-mem{cpy,set,move} (fixed-size
 *       memcpy/memset would otherwise be expanded inline, uninstrumented,
 *       and races through them would vanish); not for plain assembly (.s);
 *       clang with -g also gets -gdwarf-aranges (needs_aranges), and clang
 *       -mprefer-vector-width=128 (push_vector_width);
 *   link of objects only:
 *       drop -fsanitize=thread (gcc and clang would link their own TSan
 *       runtime) and add -L<libdir> -rpath <libdir> -lracewatch at the end,
 *       after the user's objects and libraries; the driver puts libc after
 *       that, so our interceptors come first in symbol lookup;
 *   compile and link in one command (cc a.c b.o -o prog):
 *       split it: compile each source to an object in a private temporary
 *       directory (as the driver itself would), then link those objects in
 *       the sources' places.  -MD/-MMD get the -MF/-MT the one-step command
 *       would have used (<output>.d naming <output>, or <stem>.d / <stem>.o).
 *
 * A gcc link with -flto needs -fsanitize=thread after all (gcc_lto.c).
 * -static cannot work (the runtime is a shared library): one error line.
 * -r (ld -r) gets no libraries.  The exit status is the compiler's.
 * RACEWATCH_CC_VERBOSE=1 prints each command before it runs.  Running
 * ourselves as the underlying compiler (cc symlinked to racewatch-cc) is
 * caught through an environment mark instead of recursing forever. */
#include "tools/cc_wrap.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/options.h"
#include "tools/cc_args.h"
#include "tools/cc_exec.h"
#include "tools/gcc_lto.h"
#include "tools/response_file.h"
#include "tools/runtime_path.h"
#include "tools/strvec.h"
#include "tools/tmpdir.h"

#define NESTED_MARK "RACEWATCH_CC_NESTED"

const char *const rw_cc_compile_flags[] = {
    "-fsanitize=thread",
    "-fno-builtin-memcpy", "-fno-builtin-memset", "-fno-builtin-memmove",
    NULL,
};

static const char *prog_name;

static void push_item(strvec *cmd, const cc_item *it)
{
    for (int k = 0; k < it->nwords; k++)
        sv_push(cmd, it->word[k]);
}

/* The link-time arguments that bring in the runtime.  The rpath goes
 * through -Xlinker so a directory with a comma in its name survives. */
static void push_runtime(strvec *cmd, const rw_runtime_path *rt)
{
    sv_push(cmd, sv_printf("-L%s", rt->dir));
    sv_push(cmd, "-Xlinker");
    sv_push(cmd, "-rpath");
    sv_push(cmd, "-Xlinker");
    sv_push(cmd, rt->dir);
    /* The objects' __tsan_* references are the only use of the library:
     * keep it needed whatever --as-needed state the user's flags left. */
    sv_push(cmd, "-Wl,--push-state,--no-as-needed");
    sv_push(cmd, "-lracewatch");
    sv_push(cmd, "-Wl,--pop-state");
}

/* -fopenmp (not -fopenmp-simd, which needs no runtime). */
static int wants_openmp(const cc_cmdline *cl)
{
    for (size_t i = 0; i < cl->nitems; i++)
        for (int k = 0; k < cl->items[i].nwords; k++)
            if (!strcmp(cl->items[i].word[k], "-fopenmp"))
                return 1;
    return 0;
}

/* gcc -fopenmp links libgomp, but every GOMP_* function the objects call
 * is also defined by our runtime, linked before it: with --as-needed
 * (the distribution default) libgomp would be dropped and our
 * interceptors would have no real function to call.  Keep it needed,
 * after the runtime, so the runtime still comes first in symbol
 * lookup. */
static void push_libgomp(strvec *cmd)
{
    sv_push(cmd, "-Wl,--push-state,--no-as-needed");
    sv_push(cmd, "-lgomp");
    sv_push(cmd, "-Wl,--pop-state");
}

/* The link: the user's arguments in order with -fsanitize=thread removed;
 * with objs, sources are replaced by their objects and options only
 * compiling uses (-I, -D, -MD, -x, ...) are left out.  Returns 0, or -1
 * after an error line. */
static int build_link(strvec *cmd, const strvec *cc, const cc_cmdline *cl,
                      char **objs, const rw_runtime_path *rt)
{
    sv_extend(cmd, cc);
    if (rw_lto_link(cl) && rw_compiler_is_gcc(cc) && rw_gcc_lto_standins(cmd, prog_name) != 0)
        return -1;
    size_t src = 0;
    for (size_t i = 0; i < cl->nitems; i++) {
        const cc_item *it = &cl->items[i];
        if (objs != NULL && (it->kind == CC_COMPILE || it->kind == CC_LANG))
            continue;
        if (it->kind == CC_SOURCE && objs != NULL) {
            sv_push(cmd, objs[src++]);
        } else if (it->kind == CC_BOTH && it->nwords == 1) {
            const char *w = cc_strip_tsan(it->word[0]);
            if (w != NULL)
                sv_push(cmd, w);
        } else {
            push_item(cmd, it);
        }
    }
    if (!cl->relocatable) {
        push_runtime(cmd, rt);
        if (wants_openmp(cl) && rw_compiler_is_gcc(cc))
            push_libgomp(cmd);
    }
    return 0;
}

/* "<output minus its suffix>.d" (gcc's one-step name), else "<stem>.d". */
static const char *dep_file_name(const cc_cmdline *cl, const char *stem)
{
    if (cl->output == NULL)
        return sv_printf("%s.d", stem);
    const char *base = strrchr(cl->output, '/');
    base = base ? base + 1 : cl->output;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - cl->output) : strlen(cl->output);
    return sv_printf("%.*s.d", (int)n, cl->output);
}

/* -g in any form but -g0 / -gno-*: debug information is asked for. */
static int wants_debug_info(const cc_cmdline *cl)
{
    int on = 0;
    for (size_t i = 0; i < cl->nitems; i++)
        for (int k = 0; k < cl->items[i].nwords; k++) {
            const char *w = cl->items[i].word[k];
            if (!strncmp(w, "-g", 2) && strncmp(w, "-gno-", 5))
                on = strcmp(w, "-g0") != 0;
        }
    return on;
}

/* Whether the compiler is clang.  Asked once. */
static int is_clang(const strvec *cc)
{
    static int clang = -1;
    if (clang < 0) {
        strvec cmd = {0};
        sv_extend(&cmd, cc);
        sv_push(&cmd, "-E");
        sv_push(&cmd, "-dM");
        sv_push(&cmd, "-x");
        sv_push(&cmd, "c");
        sv_push(&cmd, "/dev/null");
        static char out[64 * 1024];
        clang = rw_cc_capture(&cmd, out, sizeof out) == 0 && strstr(out, "#define __clang__ ");
        sv_free(&cmd);
    }
    return clang;
}

/* clang writes no .debug_aranges by default, and the runtime's elfutils
 * (before 0.189) finds a code address's compilation unit only through
 * them: without, reports name functions but no file:line. */
static int needs_aranges(const strvec *cc, const cc_cmdline *cl)
{
    return wants_debug_info(cl) && is_clang(cc);
}

/* clang 14's ThreadSanitizer pass leaves accesses wider than 16 bytes
 * uninstrumented (AVX's 32-byte vectors, with -march=native or -mavx2):
 * a race through a vectorized loop would vanish.  Vectors of at most 16
 * bytes are instrumented (__tsan_read16 / __tsan_write16).  Given before
 * the user's options, which may override it.  docs/openmp.md, "clang at
 * -O3". */
static void push_vector_width(strvec *cmd, const strvec *cc)
{
    if (is_clang(cc))
        sv_push(cmd, "-mprefer-vector-width=128");
}

/* Compile source item src to obj, with every compile-relevant option. */
static void build_compile(strvec *cmd, const strvec *cc, const cc_cmdline *cl,
                          const cc_item *src, const char *obj)
{
    sv_extend(cmd, cc);
    for (int k = 0; rw_cc_compile_flags[k] && !cc_is_plain_asm(src); k++)
        sv_push(cmd, rw_cc_compile_flags[k]);
    if (!cc_is_plain_asm(src))
        push_vector_width(cmd, cc);
    for (size_t i = 0; i < cl->nitems; i++) {
        const cc_item *it = &cl->items[i];
        if (it->kind == CC_BOTH || it->kind == CC_COMPILE)
            push_item(cmd, it);
    }
    if (cl->dep_file) {
        char *stem = cc_stem(src->value);
        if (!cl->dep_file_named) {
            sv_push(cmd, "-MF");
            sv_push(cmd, dep_file_name(cl, stem));
        }
        if (!cl->dep_target_named) {
            sv_push(cmd, "-MT");
            sv_push(cmd, cl->output ? cl->output : sv_printf("%s.o", stem));
        }
    }
    /* The options were written for the whole command; clang calls those
     * that plain assembly does not use (-pthread, -std=, -D) "unused",
     * which -Werror makes fatal.  gcc ignores an unknown -Wno- option. */
    if (cc_is_plain_asm(src))
        sv_push(cmd, "-Wno-unused-command-line-argument");
    else if (needs_aranges(cc, cl))
        sv_push(cmd, "-gdwarf-aranges");
    sv_push(cmd, "-c");
    if (src->lang != NULL) {
        sv_push(cmd, "-x");
        sv_push(cmd, src->lang);
    }
    sv_push(cmd, src->value);
    sv_push(cmd, "-o");
    sv_push(cmd, obj);
}

/* Compile every source into the temporary directory, then link. */
static int compile_and_link(const strvec *cc, const cc_cmdline *cl, const rw_runtime_path *rt)
{
    if (rw_tmpdir_create(prog_name) != 0)
        return RW_EXIT_ERROR;
    char **objs = calloc(cl->nsources, sizeof *objs);
    if (objs == NULL)
        sv_out_of_memory();
    int status = 0;
    for (size_t i = 0, k = 0; i < cl->nitems && status == 0; i++) {
        if (cl->items[i].kind != CC_SOURCE)
            continue;
        char *stem = cc_stem(cl->items[i].value);
        char *name = sv_printf("%zu-%s.o", k, stem);
        objs[k] = rw_tmpdir_file(name);
        free(name);
        free(stem);
        strvec cmd = {0};
        build_compile(&cmd, cc, cl, &cl->items[i], objs[k++]);
        status = rw_cc_run(&cmd);
        sv_free(&cmd);
    }
    if (status == 0) {
        strvec cmd = {0};
        status = build_link(&cmd, cc, cl, objs, rt) == 0 ? rw_cc_run(&cmd) : 2;
        sv_free(&cmd);
    }
    rw_tmpdir_remove();
    return status;
}

/* The underlying compiler command, and the arguments without --cc=. */
static void split_compiler(int argc, char **argv, strvec *cc, strvec *args)
{
    const char *path = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strncmp(argv[i], "--cc=", 5))
            path = argv[i] + 5;
        else
            sv_push(args, argv[i]);
    }
    if (path != NULL && path[0] != '\0') {
        sv_push(cc, path);
        return;
    }
    const char *env = getenv("RACEWATCH_CC");
    if (env != NULL) {
        char *copy = sv_printf("%s", env), *save = NULL;
        for (char *w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save))
            sv_push(cc, w);
    }
    if (cc->n == 0)
        sv_push(cc, "cc");
}

int rw_cc_main(int argc, char **argv, const char *prog)
{
    prog_name = prog;
    const char *v = getenv("RACEWATCH_CC_VERBOSE");
    rw_cc_exec_setup(prog, v != NULL && v[0] != '\0' && strcmp(v, "0") != 0);

    strvec cc = {0}, given = {0}, args = {0};
    split_compiler(argc, argv, &cc, &given);
    if (getenv(NESTED_MARK) != NULL) {
        fprintf(stderr, "%s: the compiler it runs ('%s') is racewatch-cc itself; "
                "set RACEWATCH_CC or --cc=PATH to a real compiler\n", prog, cc.v[0]);
        return RW_EXIT_ERROR;
    }
    setenv(NESTED_MARK, "1", 1);   /* seen only by the compilers we run */
    rw_expand_response_files(&args, (int)given.n, given.v);

    cc_cmdline cl;
    cc_parse((int)args.n, args.v, &cl);

    strvec cmd = {0};
    if (cl.ninputs == 0) {                    /* --version, -print-*, ... */
        sv_extend(&cmd, &cc);
        sv_extend(&cmd, &given);
        return rw_cc_exec(&cmd);
    }
    if (cl.stop_before_link) {
        /* Nothing to instrument in plain assembly, and clang would warn. */
        int plain_asm = cl.nsources > 0 && cl.nplain_asm == cl.nsources;
        sv_extend(&cmd, &cc);
        for (int k = 0; rw_cc_compile_flags[k] && !plain_asm; k++)
            sv_push(&cmd, rw_cc_compile_flags[k]);
        if (!plain_asm && cl.nsources > 0 && needs_aranges(&cc, &cl))
            sv_push(&cmd, "-gdwarf-aranges");
        if (!plain_asm && cl.nsources > 0)
            push_vector_width(&cmd, &cc);
        sv_extend(&cmd, &given);
        return rw_cc_exec(&cmd);
    }
    if (cl.static_link) {
        fprintf(stderr, "%s: -static is not supported: the racewatch runtime is a "
                "shared library\n", prog);
        return RW_EXIT_ERROR;
    }
    rw_runtime_path rt = {0};
    char err[PATH_MAX + 100];
    if (!cl.relocatable && rw_find_runtime(&rt, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", prog, err);
        return RW_EXIT_ERROR;
    }
    if (cl.nsources > 0)
        return compile_and_link(&cc, &cl, &rt);
    if (build_link(&cmd, &cc, &cl, NULL, &rt) != 0) {
        rw_tmpdir_remove();
        return RW_EXIT_ERROR;
    }
    if (!rw_tmpdir_active())
        return rw_cc_exec(&cmd);
    int status = rw_cc_run(&cmd);    /* gcc LTO stand-ins to remove after */
    rw_tmpdir_remove();
    return status;
}
void rw_cc_usage(FILE *f)
{
    fputs(
"usage: racewatch-cc [--cc=COMPILER] COMPILER-ARGUMENTS...\n"
"       racewatch cc [--cc=COMPILER] COMPILER-ARGUMENTS...\n"
"\n"
"A drop-in C compiler (CC=racewatch-cc for make, meson, CMake) that builds\n"
"programs against the racewatch runtime.  It runs the real compiler:\n"
"--cc=COMPILER, else $RACEWATCH_CC (a command: \"ccache gcc\" works), else cc.\n"
"gcc and clang both work.\n"
"\n"
"Compiling (-c, -S, -E, ...) adds\n"
"    -fsanitize=thread -fno-builtin-memcpy -fno-builtin-memset\n"
"    -fno-builtin-memmove\n"
"(the compiler's ThreadSanitizer instrumentation; fixed-size memcpy and\n"
"memset stay calls racewatch sees instead of uninstrumented inline code).\n"
"\n"
"Linking (executables and -shared libraries) adds, after your objects and\n"
"libraries:\n"
"    -L<libdir> -Xlinker -rpath -Xlinker <libdir>\n"
"    -Wl,--push-state,--no-as-needed -lracewatch -Wl,--pop-state\n"
"and removes -fsanitize=thread, which would link the compiler's own TSan\n"
"runtime.  A command that compiles and links (cc -o prog a.c b.c) is run as\n"
"one compile per source into a temporary directory, then one link.\n"
"A gcc link with -flto keeps -fsanitize=thread (gcc instruments at link\n"
"time then) with empty stand-ins for libtsan in the temporary directory.\n"
"-static is refused: the runtime is a shared library.\n"
"\n"
"Commands without input files (--version, -v, -dumpversion, -print-*) run\n"
"the compiler unchanged.  The exit status is the compiler's.\n"
"\n"
"Environment:\n"
"  RACEWATCH_CC          the compiler to run (default cc)\n"
"  RACEWATCH_CC_VERBOSE  1: print each command before running it\n"
"\n"
"The runtime is looked up next to the racewatch-cc executable: in\n", f);
    fprintf(f, "%s%s when installed, in ../runtime in a build tree.\n",
            RW_REL_LIBDIR[0] == '/' ? "" : "<bindir>/", RW_REL_LIBDIR);
}
