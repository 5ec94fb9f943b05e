/* merge_input.c: finding the input files and reading their records
 * (merge_input.h).
 *
 * Directories are walked with opendir/readdir; each directory's names
 * are sorted with strcmp before use, so the order (and the output) is the
 * same on every machine.  Files are recognized by device and inode, which
 * also stops a directory link from being walked twice.  Lines are read
 * with getline, so a record may be of any length. */
#include "tools/merge_input.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tools/errtext.h"
#include "tools/json_read.h"
#include "tools/json_record.h"

typedef struct seen {
    dev_t *dev;
    ino_t *ino;
    size_t n, cap;
} seen;

/* 1 if (dev, ino) was seen before; else remember it and return 0. */
static int seen_before(seen *s, const struct stat *st)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->dev[i] == st->st_dev && s->ino[i] == st->st_ino)
            return 1;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 32;
        s->dev = realloc(s->dev, s->cap * sizeof *s->dev);
        s->ino = realloc(s->ino, s->cap * sizeof *s->ino);
        if (s->dev == NULL || s->ino == NULL)
            sv_out_of_memory();
    }
    s->dev[s->n] = st->st_dev;
    s->ino[s->n++] = st->st_ino;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

static int walk(const char *dir, seen *files, seen *dirs, strvec *out)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "%s: %s: %s\n", rw_tool_name, dir, rw_errno_text(errno));
        return -1;
    }
    strvec names = { 0 };
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            sv_push(&names, sv_printf("%s%s%s", dir, ends_with(dir, "/") ? "" : "/", de->d_name));
    }
    closedir(d);
    if (names.n)
        qsort(names.v, names.n, sizeof *names.v, by_name);
    int rc = 0;
    for (size_t i = 0; i < names.n; i++) {
        struct stat st;
        if (rc != 0) {
            /* after an error: only free the rest */
        } else if (stat(names.v[i], &st) != 0) {
            if (errno != ENOENT) { /* a dangling link is no input */
                fprintf(stderr, "%s: %s: %s\n", rw_tool_name, names.v[i], rw_errno_text(errno));
                rc = -1;
            }
        } else if (S_ISDIR(st.st_mode)) {
            if (!seen_before(dirs, &st))
                rc = walk(names.v[i], files, dirs, out);
        } else if (S_ISREG(st.st_mode) && ends_with(names.v[i], ".jsonl")) {
            if (!seen_before(files, &st)) {
                sv_push(out, names.v[i]);
                names.v[i] = NULL;
            }
        }
        free(names.v[i]);
    }
    sv_free(&names);
    return rc;
}

int rw_merge_collect(char *const *inputs, size_t n, strvec *files)
{
    seen f = { 0 }, d = { 0 };
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct stat st;
        if (stat(inputs[i], &st) != 0) {
            fprintf(stderr, "%s: %s: %s\n", rw_tool_name, inputs[i], rw_errno_text(errno));
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            size_t before = files->n;
            if (!seen_before(&d, &st))
                rc = walk(inputs[i], &f, &d, files);
            if (rc == 0 && files->n == before)
                fprintf(stderr, "%s: warning: no *.jsonl file in %s\n", rw_tool_name, inputs[i]);
        } else if (!seen_before(&f, &st)) {
            sv_push(files, sv_printf("%s", inputs[i]));
        }
    }
    free(f.dev);
    free(f.ino);
    free(d.dev);
    free(d.ino);
    return rc;
}

int rw_merge_read(rw_merge *m, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "%s: %s: %s\n", rw_tool_name, path, rw_errno_text(errno));
        return -1;
    }
    rw_merge_begin_file(m, path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0;
    int rc = 0;
    char err[512];
    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (len == 0) {
            fprintf(stderr, "%s: %s:%ld: empty line (want one JSON record a line)\n", rw_tool_name, path,
                    lineno);
            rc = -1;
            break;
        }
        rw_json *v = rw_json_parse(line, (size_t)len, err, sizeof err);
        if (v == NULL) {
            fprintf(stderr, "%s: %s:%ld: %s\n", rw_tool_name, path, lineno, err);
            rc = -1;
            break;
        }
        rw_record r;
        if (rw_record_load(&r, v, err, sizeof err) != 0) {
            fprintf(stderr, "%s: %s:%ld: %s\n", rw_tool_name, path, lineno, err);
            rw_record_free(&r);
            rc = -1;
            break;
        }
        rw_merge_add(m, &r);
    }
    if (rc == 0 && ferror(f)) {
        fprintf(stderr, "%s: %s: %s\n", rw_tool_name, path, rw_errno_text(errno));
        rc = -1;
    }
    free(line);
    fclose(f);
    return rc;
}
