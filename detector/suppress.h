/* suppress.h: suppression files in ThreadSanitizer's syntax, so existing
 * TSan suppression files work unchanged:
 *
 *     # comment
 *     race:function_or_file_or_module*      any frame of either stack
 *     race_top:pattern                       the top frame of either stack
 *     deadlock:pattern                       lock-order inversions
 *     mutex:pattern                          misuse of mutexes
 *     thread:pattern                         misuse of threads (joins, exits)
 *     called_from_lib:libfoo.so              reports whose top frame is in it
 *     signal:pattern                         accepted, nothing to suppress here
 *
 * A pattern matches a frame's function name, source file path or module
 * path; `*` matches any run of characters, and a pattern without a leading
 * or trailing `*` must match from the start or to the end (a plain name is
 * also found as a whole path component).  Each rule counts its matches. */
#ifndef RW_SUPPRESS_H
#define RW_SUPPRESS_H

#include <stddef.h>
#include <stdint.h>

enum rw_supp_kind {
    RW_SUPP_RACE, RW_SUPP_RACE_TOP, RW_SUPP_DEADLOCK, RW_SUPP_MUTEX, RW_SUPP_THREAD,
    RW_SUPP_CALLED_FROM_LIB, RW_SUPP_SIGNAL, RW_SUPP_KINDS
};

typedef struct rw_supp_rule {
    int kind;
    char pattern[256];
    char text[300];          /* "race:foo*" as written */
    uint64_t hits;
} rw_supp_rule;

typedef struct rw_supp_list {
    rw_supp_rule *rules;
    int n, cap;
} rw_supp_list;

/* Parse a file; 0, or -1 with "FILE:LINE: message" (or "FILE: ...") in err. */
int rw_supp_load(rw_supp_list *l, const char *path, char *err, size_t errlen);

/* Glob match of pattern against s (see above). */
int rw_supp_glob(const char *pattern, const char *s);

/* One frame's names; the caller asks frame by frame. */
typedef struct rw_supp_frame {
    const char *function, *file, *module;
} rw_supp_frame;

/* The first rule of `kind` that matches one of the frames, counted; NULL
 * if none. */
rw_supp_rule *rw_supp_match(rw_supp_list *l, int kind, const rw_supp_frame *frames, int n);

const char *rw_supp_kind_name(int kind);

#endif
