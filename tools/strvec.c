/* strvec.c: the growable argv of strvec.h.  Doubling growth, NULL kept at
 * v[n] after every push, out-of-memory is one line and exit RW_EXIT_ERROR (125). */
#include "tools/strvec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "runtime/options.h"

void sv_out_of_memory(void)
{
    static const char msg[] = "racewatch: out of memory\n";
    if (write(2, msg, sizeof msg - 1) < 0) {
        /* nothing more to say */
    }
    _exit(RW_EXIT_ERROR);
}

void sv_push(strvec *sv, const char *s)
{
    if (sv->n + 2 > sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 16;
        char **v = realloc(sv->v, cap * sizeof *v);
        if (v == NULL)
            sv_out_of_memory();
        sv->v = v;
        sv->cap = cap;
    }
    sv->v[sv->n++] = (char *)s;
    sv->v[sv->n] = NULL;
}

void sv_extend(strvec *sv, const strvec *other)
{
    for (size_t i = 0; i < other->n; i++)
        sv_push(sv, other->v[i]);
}

char *sv_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        sv_out_of_memory();
    return s;
}

void sv_free(strvec *sv)
{
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
}
