/* cc_args.h: what a gcc/clang command line asks for, as racewatch-cc needs
 * to know it: which arguments are inputs (and in which language), which
 * options belong to compiling, to linking, or to both, whether the driver
 * stops before linking, and the few flags that change what we add.
 *
 * The command line is cut into items, each one or two argv words ("-o x"
 * is one item), in their original order, so a link step can be rebuilt
 * with every library and -Wl, option where the user put it. */
#ifndef RW_TOOLS_CC_ARGS_H
#define RW_TOOLS_CC_ARGS_H

#include <stddef.h>

enum cc_item_kind {
    CC_BOTH,      /* an option for compile and link steps alike (-O2, -g, -pthread) */
    CC_COMPILE,   /* only for compiling/preprocessing (-I, -D, -MD, -Wa,) */
    CC_LINK,      /* only for linking (-L, -Wl,, -shared, -fuse-ld=) */
    CC_LANG,      /* -x LANG: applies to the inputs after it */
    CC_OUTPUT,    /* -o FILE */
    CC_SOURCE,    /* an input the driver compiles or assembles */
    CC_LINKIN,    /* an input only the linker reads: foo.o, libx.a, -lm */
};

typedef struct cc_item {
    enum cc_item_kind kind;
    int nwords;           /* 1 or 2 */
    char *word[2];        /* the argv words, as given */
    const char *value;    /* -o/-x: the file or language; inputs: the file */
    const char *lang;     /* CC_SOURCE: the -x language in force, or NULL (by suffix) */
} cc_item;

typedef struct cc_cmdline {
    cc_item *items;
    size_t nitems;
    size_t ninputs;       /* CC_SOURCE + CC_LINKIN items */
    size_t nsources;      /* CC_SOURCE items */
    size_t nplain_asm;    /* of those, assembly without preprocessing (.s, -x assembler) */
    int stop_before_link; /* -c, -S, -E, -M, -MM or -fsyntax-only */
    int shared;           /* -shared */
    int relocatable;      /* -r: ld -r, no libraries */
    int static_link;      /* -static or -static-pie */
    int dep_file;         /* -MD or -MMD */
    int dep_file_named;   /* -MF given */
    int dep_target_named; /* -MT or -MQ given */
    const char *output;   /* -o value (last), or NULL */
} cc_cmdline;

/* Classify argv[0..argc) (compiler arguments only, no program name,
 * response files already expanded).  Never fails: what it does not know
 * is passed on to every step, and unknown non-option words are inputs. */
void cc_parse(int argc, char **argv, cc_cmdline *cl);

/* Is source item it assembly that is not preprocessed (.s, -x assembler)?
 * clang warns that -fsanitize and -f flags are unused for it. */
int cc_is_plain_asm(const cc_item *it);

/* "-fsanitize=..." with "thread" removed from its list: NULL if nothing
 * is left (drop the word), the word itself if it had no "thread". */
const char *cc_strip_tsan(const char *word);

/* The part of a path's last component before its last '.', malloc'd:
 * "src/a.c" -> "a", "-" -> "stdin". */
char *cc_stem(const char *path);

#endif
