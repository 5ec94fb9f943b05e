/* cc_args.c: classify a gcc/clang command line (see cc_args.h).
 *
 * Three tables drive it: options that take their value as the next word,
 * options by exact name, and options by prefix, each with the steps it
 * belongs to.  Anything not listed goes to every step (CC_BOTH): an
 * unknown option on a link line is harmless to gcc and clang, while an
 * option dropped from a compile could change the code.  Link-only options
 * are listed because clang warns about them ("argument unused during
 * compilation") and -Werror turns that into a failure.  A word that does
 * not start with '-' (or is "-", standard input) is an input; it is a
 * source if a -x language is in force or its suffix says so, else the
 * linker's (objects, archives, shared libraries, linker scripts). */
#include "tools/cc_args.h"

#include <stdlib.h>
#include <string.h>

#include "tools/strvec.h"

struct opt {
    const char *name;
    enum cc_item_kind kind;
};

/* Options whose value is the next word when written alone ("-I dir"). */
static const struct opt separate[] = {
    {"-o", CC_OUTPUT}, {"--output", CC_OUTPUT},
    {"-x", CC_LANG}, {"--language", CC_LANG},
    {"-l", CC_LINKIN},
    {"-I", CC_COMPILE}, {"-D", CC_COMPILE}, {"-U", CC_COMPILE},
    {"-include", CC_COMPILE}, {"-imacros", CC_COMPILE}, {"-isystem", CC_COMPILE},
    {"-iquote", CC_COMPILE}, {"-idirafter", CC_COMPILE}, {"-iprefix", CC_COMPILE},
    {"-iwithprefix", CC_COMPILE}, {"-iwithprefixbefore", CC_COMPILE},
    {"-isysroot", CC_COMPILE}, {"-imultilib", CC_COMPILE}, {"-iframework", CC_COMPILE},
    {"-isystem-after", CC_COMPILE}, {"-cxx-isystem", CC_COMPILE},
    {"-ivfsoverlay", CC_COMPILE}, {"-include-pch", CC_COMPILE},
    {"--include", CC_COMPILE}, {"--include-directory", CC_COMPILE},
    {"--define-macro", CC_COMPILE}, {"--undefine-macro", CC_COMPILE},
    {"-MF", CC_COMPILE}, {"-MT", CC_COMPILE}, {"-MQ", CC_COMPILE}, {"-MJ", CC_COMPILE},
    {"-A", CC_COMPILE}, {"-aux-info", CC_COMPILE},
    {"-Xpreprocessor", CC_COMPILE}, {"-Xassembler", CC_COMPILE},
    {"-Xclang", CC_COMPILE}, {"-Xanalyzer", CC_COMPILE},
    {"-L", CC_LINK}, {"--library-directory", CC_LINK}, {"-Xlinker", CC_LINK},
    {"-T", CC_LINK}, {"-u", CC_LINK}, {"-e", CC_LINK}, {"-z", CC_LINK},
    {"-target", CC_BOTH}, {"-arch", CC_BOTH}, {"--param", CC_BOTH},
    {"-mllvm", CC_BOTH}, {"-B", CC_BOTH}, {"-specs", CC_BOTH},
    {"--sysroot", CC_BOTH}, {"-gcc-toolchain", CC_BOTH}, {"--gcc-toolchain", CC_BOTH},
    {"-resource-dir", CC_BOTH}, {"-wrapper", CC_BOTH},
    {"-dumpdir", CC_BOTH}, {"-dumpbase", CC_BOTH}, {"-dumpbase-ext", CC_BOTH},
    {NULL, CC_BOTH},
};

/* Options matched by their whole word. */
static const struct opt exact[] = {
    {"-C", CC_COMPILE}, {"-CC", CC_COMPILE}, {"-P", CC_COMPILE}, {"-H", CC_COMPILE},
    {"-undef", CC_COMPILE}, {"-nostdinc", CC_COMPILE}, {"-trigraphs", CC_COMPILE},
    {"-traditional-cpp", CC_COMPILE},
    {"-dD", CC_COMPILE}, {"-dM", CC_COMPILE}, {"-dN", CC_COMPILE},
    {"-dI", CC_COMPILE}, {"-dU", CC_COMPILE},
    {"-shared", CC_LINK}, {"-static", CC_LINK}, {"-static-pie", CC_LINK},
    {"-rdynamic", CC_LINK}, {"-pie", CC_LINK}, {"-no-pie", CC_LINK},
    {"-nostdlib", CC_LINK}, {"-nostartfiles", CC_LINK}, {"-nodefaultlibs", CC_LINK},
    {"-nolibc", CC_LINK}, {"-s", CC_LINK}, {"-r", CC_LINK},
    {"-shared-libgcc", CC_LINK}, {"-symbolic", CC_LINK},
    {NULL, CC_BOTH},
};

/* Options matched by prefix (their value joined: -Idir, -Wl,x, -lm). */
static const struct opt prefix[] = {
    {"-l", CC_LINKIN},
    {"-I", CC_COMPILE}, {"-D", CC_COMPILE}, {"-U", CC_COMPILE},
    {"-isystem", CC_COMPILE}, {"-iquote", CC_COMPILE}, {"-idirafter", CC_COMPILE},
    {"-iprefix", CC_COMPILE}, {"-iwithprefix", CC_COMPILE}, {"-isysroot", CC_COMPILE},
    {"-imultilib", CC_COMPILE},
    {"--include-directory=", CC_COMPILE}, {"--define-macro=", CC_COMPILE},
    {"--undefine-macro=", CC_COMPILE}, {"--include=", CC_COMPILE},
    {"-M", CC_COMPILE}, {"-Wp,", CC_COMPILE}, {"-Wa,", CC_COMPILE},
    {"-L", CC_LINK}, {"--library-directory=", CC_LINK}, {"-Wl,", CC_LINK},
    {"-T", CC_LINK}, {"-static-lib", CC_LINK}, {"-fuse-ld=", CC_LINK},
    {"--ld-path=", CC_LINK}, {"--entry=", CC_LINK},
    {NULL, CC_BOTH},
};

/* Suffixes the driver compiles or assembles (C, C++, Objective-C,
 * assembly, Fortran, D, Go); anything else goes to the linker. */
static const char *const source_suffixes[] = {
    "c", "i", "h", "s", "S", "sx", "cc", "cp", "cxx", "cpp", "CPP", "c++", "C",
    "ii", "hh", "hpp", "hxx", "H", "m", "mi", "mm", "M", "mii",
    "f", "F", "for", "FOR", "ftn", "fpp", "FPP", "f90", "F90", "f95", "F95",
    "f03", "F03", "f08", "F08", "d", "go", NULL,
};

static int is_source_suffix(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (dot == NULL || dot == base)
        return 0;
    for (int i = 0; source_suffixes[i]; i++)
        if (!strcmp(dot + 1, source_suffixes[i]))
            return 1;
    return 0;
}

static const struct opt *find_exact(const struct opt *table, const char *w)
{
    for (int i = 0; table[i].name; i++)
        if (!strcmp(w, table[i].name))
            return &table[i];
    return NULL;
}

static const struct opt *find_prefix(const char *w)
{
    for (int i = 0; prefix[i].name; i++)
        if (!strncmp(w, prefix[i].name, strlen(prefix[i].name)))
            return &prefix[i];
    return NULL;
}

static void add(cc_cmdline *cl, size_t *cap, cc_item it)
{
    if (cl->nitems == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        cc_item *items = realloc(cl->items, *cap * sizeof *items);
        if (items == NULL)
            sv_out_of_memory();
        cl->items = items;
    }
    cl->items[cl->nitems++] = it;
}

/* Record what a single option word tells about the whole command. */
static void note_flags(cc_cmdline *cl, const char *w)
{
    if (!strcmp(w, "-c") || !strcmp(w, "-S") || !strcmp(w, "-E") || !strcmp(w, "-M")
        || !strcmp(w, "-MM") || !strcmp(w, "-fsyntax-only"))
        cl->stop_before_link = 1;
    else if (!strcmp(w, "-shared"))
        cl->shared = 1;
    else if (!strcmp(w, "-r"))
        cl->relocatable = 1;
    else if (!strcmp(w, "-static") || !strcmp(w, "-static-pie"))
        cl->static_link = 1;
    else if (!strcmp(w, "-MD") || !strcmp(w, "-MMD"))
        cl->dep_file = 1;
    else if (!strncmp(w, "-MF", 3))
        cl->dep_file_named = 1;
    else if (!strncmp(w, "-MT", 3) || !strncmp(w, "-MQ", 3))
        cl->dep_target_named = 1;
}

void cc_parse(int argc, char **argv, cc_cmdline *cl)
{
    memset(cl, 0, sizeof *cl);
    size_t cap = 0;
    const char *lang = NULL;   /* -x in force; NULL or "none": by suffix */

    for (int i = 0; i < argc; i++) {
        char *w = argv[i];
        cc_item it = {CC_BOTH, 1, {w, NULL}, NULL, NULL};

        if (w[0] != '-' || w[1] == '\0') {              /* an input */
            int src = lang ? strcmp(lang, "none") != 0 : is_source_suffix(w) || !strcmp(w, "-");
            it.kind = src ? CC_SOURCE : CC_LINKIN;
            it.value = w;
            it.lang = src && lang && strcmp(lang, "none") ? lang : NULL;
            cl->ninputs++;
            cl->nsources += src;
            cl->nplain_asm += src && cc_is_plain_asm(&it);
            add(cl, &cap, it);
            continue;
        }

        const struct opt *o = find_exact(separate, w);
        if (o != NULL && i + 1 < argc) {
            it.kind = o->kind;
            it.nwords = 2;
            it.word[1] = argv[++i];
            it.value = it.word[1];
        } else if ((o = find_exact(exact, w)) != NULL) {
            it.kind = o->kind;
        } else if (!strncmp(w, "-o", 2)) {
            it.kind = CC_OUTPUT;
            it.value = w + 2;
        } else if (!strncmp(w, "--output=", 9)) {
            it.kind = CC_OUTPUT;
            it.value = w + 9;
        } else if (!strncmp(w, "-x", 2)) {
            it.kind = CC_LANG;
            it.value = w + 2;
        } else if (!strncmp(w, "--language=", 11)) {
            it.kind = CC_LANG;
            it.value = w + 11;
        } else if ((o = find_prefix(w)) != NULL) {
            it.kind = o->kind;
        }

        if (it.kind == CC_OUTPUT)
            cl->output = it.value;
        else if (it.kind == CC_LANG)
            lang = it.value;
        else if (it.kind == CC_LINKIN)
            cl->ninputs++;
        note_flags(cl, w);
        add(cl, &cap, it);
    }
}

int cc_is_plain_asm(const cc_item *it)
{
    if (it->kind != CC_SOURCE)
        return 0;
    if (it->lang != NULL)
        return !strcmp(it->lang, "assembler");
    size_t n = strlen(it->value);
    return n > 2 && !strcmp(it->value + n - 2, ".s");
}

const char *cc_strip_tsan(const char *word)
{
    static const char pre[] = "-fsanitize=";
    if (strncmp(word, pre, sizeof pre - 1) != 0)
        return word;
    const char *list = word + sizeof pre - 1;
    char *out = sv_printf("%s", pre);
    int kept = 0, removed = 0;
    for (const char *p = list; *p; ) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 6 && !strncmp(p, "thread", 6)) {
            removed = 1;
        } else if (n > 0) {
            char *more = sv_printf("%s%s%.*s", out, kept ? "," : "", (int)n, p);
            free(out);
            out = more;
            kept = 1;
        }
        p += n + (end != NULL);
    }
    if (!removed) {
        free(out);
        return word;
    }
    if (!kept) {
        free(out);
        return NULL;
    }
    return out;
}

char *cc_stem(const char *path)
{
    if (!strcmp(path, "-"))
        return sv_printf("stdin");
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    return sv_printf("%.*s", (int)n, base);
}
