/* response_file.c: "@file" expansion with libiberty's rules (what gcc
 * uses; clang's GNU mode agrees): arguments are separated by white space;
 * single and double quotes group; a backslash takes the next character
 * literally, inside quotes too.  Expanded arguments that start with '@'
 * are expanded again, up to a fixed depth so a file naming itself ends. */
#include "tools/response_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 16 };

/* The whole file as a NUL-terminated string, or NULL. */
static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - 1 - n, f);
        if (n < cap - 1)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (bigger == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    if (buf != NULL && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf != NULL)
        buf[n] = '\0';
    return buf;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Split text in place into arguments (libiberty buildargv). */
static void split(char *text, strvec *args)
{
    char *in = text;
    for (;;) {
        while (is_space(*in))
            in++;
        if (*in == '\0')
            return;
        char *arg = in, *out = in;
        int squote = 0, dquote = 0, bsquote = 0;
        for (; *in != '\0'; in++) {
            char c = *in;
            if (bsquote) {
                bsquote = 0;
                *out++ = c;
            } else if (c == '\\') {
                bsquote = 1;
            } else if (squote) {
                if (c == '\'')
                    squote = 0;
                else
                    *out++ = c;
            } else if (dquote) {
                if (c == '"')
                    dquote = 0;
                else
                    *out++ = c;
            } else if (is_space(c)) {
                break;
            } else if (c == '\'') {
                squote = 1;
            } else if (c == '"') {
                dquote = 1;
            } else {
                *out++ = c;
            }
        }
        int more = *in != '\0';
        *out = '\0';            /* out <= in, so this never eats input */
        sv_push(args, arg);
        if (!more)
            return;
        in++;
    }
}

static void expand(strvec *out, int argc, char **argv, int depth)
{
    for (int i = 0; i < argc; i++) {
        char *text;
        if (argv[i][0] != '@' || depth >= MAX_DEPTH || (text = read_all(argv[i] + 1)) == NULL) {
            sv_push(out, argv[i]);
            continue;
        }
        strvec inner = {0};
        split(text, &inner);   /* text stays allocated: inner points into it */
        expand(out, (int)inner.n, inner.v, depth + 1);
        sv_free(&inner);
    }
}

void rw_expand_response_files(strvec *out, int argc, char **argv)
{
    expand(out, argc, argv, 0);
}
