/* suppress.c: parsing and matching suppression rules (see suppress.h). */
#include "detector/suppress.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "detector/alloc.h"

static const char *const kind_names[RW_SUPP_KINDS] = {
    "race", "race_top", "deadlock", "mutex", "thread", "called_from_lib", "signal",
};

const char *rw_supp_kind_name(int kind)
{
    return kind >= 0 && kind < RW_SUPP_KINDS ? kind_names[kind] : "?";
}

static int add(rw_supp_list *l, int kind, const char *pattern, const char *text)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 16;
        rw_supp_rule *r = rw_realloc(l->rules, (size_t)cap * sizeof *r);
        if (!r)
            return -1;
        l->rules = r;
        l->cap = cap;
    }
    rw_supp_rule *r = &l->rules[l->n++];
    r->kind = kind;
    snprintf(r->pattern, sizeof r->pattern, "%s", pattern);
    snprintf(r->text, sizeof r->text, "%s", text);
    r->hits = 0;
    return 0;
}

int rw_supp_load(rw_supp_list *l, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "re");
    if (!f) {
        snprintf(err, errlen, "%s: cannot read suppressions: %s", path, strerror(errno));
        return -1;
    }
    char line[1024];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            snprintf(err, errlen, "%s:%d: line too long", path, lineno);
            rc = -1;
            break;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ' ||
                       line[len - 1] == '\t'))
            line[--len] = '\0';
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0' || *s == '#')
            continue;
        char *colon = strchr(s, ':');
        if (!colon) {
            snprintf(err, errlen, "%s:%d: expected TYPE:PATTERN, got '%s'", path, lineno, s);
            rc = -1;
            break;
        }
        *colon = '\0';
        const char *pattern = colon + 1;
        int kind = -1;
        for (int k = 0; k < RW_SUPP_KINDS; k++)
            if (!strcmp(s, kind_names[k]))
                kind = k;
        if (kind < 0) {
            snprintf(err, errlen, "%s:%d: unknown suppression type '%s' (want race, race_top, "
                     "deadlock, mutex, thread, called_from_lib or signal)", path, lineno, s);
            rc = -1;
            break;
        }
        if (*pattern == '\0' || strlen(pattern) >= sizeof l->rules[0].pattern) {
            snprintf(err, errlen, "%s:%d: %s pattern after '%s:'", path, lineno,
                     *pattern ? "too long a" : "empty", s);
            rc = -1;
            break;
        }
        char text[300];
        snprintf(text, sizeof text, "%s:%s", s, pattern);
        if (add(l, kind, pattern, text) != 0) {
            snprintf(err, errlen, "%s:%d: out of memory", path, lineno);
            rc = -1;
            break;
        }
    }
    fclose(f);
    return rc;
}

/* '*' wildcards; anchored at both ends. */
static int glob_anchored(const char *p, const char *s)
{
    if (*p == '\0')
        return *s == '\0';
    if (*p == '*') {
        while (*p == '*')
            p++;
        if (*p == '\0')
            return 1;
        for (; *s; s++)
            if (glob_anchored(p, s))
                return 1;
        return 0;
    }
    return *s && *p == *s && glob_anchored(p + 1, s + 1);
}

int rw_supp_glob(const char *pattern, const char *s)
{
    if (!s || !*s)
        return 0;
    if (glob_anchored(pattern, s))
        return 1;
    /* A plain name also matches a whole path component at the end
     * ("libfoo.so" matches "/usr/lib/libfoo.so"). */
    const char *slash = strrchr(s, '/');
    return slash && glob_anchored(pattern, slash + 1);
}

rw_supp_rule *rw_supp_match(rw_supp_list *l, int kind, const rw_supp_frame *frames, int n)
{
    for (int i = 0; i < l->n; i++) {
        rw_supp_rule *r = &l->rules[i];
        if (r->kind != kind)
            continue;
        for (int j = 0; j < n; j++) {
            const rw_supp_frame *f = &frames[j];
            int hit = kind == RW_SUPP_CALLED_FROM_LIB
                          ? rw_supp_glob(r->pattern, f->module)
                          : (rw_supp_glob(r->pattern, f->function) ||
                             rw_supp_glob(r->pattern, f->file) || rw_supp_glob(r->pattern, f->module));
            if (hit) {
                __atomic_fetch_add(&r->hits, 1, __ATOMIC_RELAXED);
                return r;
            }
        }
    }
    return NULL;
}
