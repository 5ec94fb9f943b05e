/* strvec.h: a growable, NULL-terminated array of strings, the argv that the
 * tools build before they exec a compiler or a program.
 *
 * The vector holds pointers, never copies: the strings belong to the
 * caller (argv, getenv, or one-off allocations that live until exec or
 * exit).  v[n] is always NULL, so s.v can be handed to execvp as it is.
 * Running out of memory is fatal: one line on stderr and exit 125. */
#ifndef RW_TOOLS_STRVEC_H
#define RW_TOOLS_STRVEC_H

#include <stddef.h>

typedef struct strvec {
    char **v;      /* n strings, then NULL (v is NULL until the first push) */
    size_t n;
    size_t cap;
} strvec;

/* Append s (not copied). */
void sv_push(strvec *sv, const char *s);

/* Append every string of other. */
void sv_extend(strvec *sv, const strvec *other);

/* A malloc'd copy of printf-style text; exits on out-of-memory. */
char *sv_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line "racewatch: out of memory" on stderr and exit RW_EXIT_ERROR (125). */
__attribute__((noreturn)) void sv_out_of_memory(void);

/* Free the array (not the strings). */
void sv_free(strvec *sv);

#endif
