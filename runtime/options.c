/* options.c: parse racewatch's key=value option text (see options.h).
 *
 * The same parser runs in the CLI, before the program starts, and in the
 * runtime, before main, so a bad option is caught once with one message.
 * It uses no heap and no libc state beyond string functions: the runtime
 * calls it from its constructor before its allocator is ready. */
#include "runtime/options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rw_options_defaults(rw_options *o)
{
    memset(o, 0, sizeof *o);
    o->exitcode = 66;
    o->halt_on_error = 0;
    o->history_size = 2;
    o->color = RW_COLOR_AUTO;
    o->report_races = 1;
    o->report_thread_leaks = RW_LEAKS_WARN;
    o->verbosity = 0;
    o->follow_exec = 1;
}

static int parse_int(const char *v, long lo, long hi, int *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || errno != 0 || n < lo || n > hi)
        return -1;
    *out = (int)n;
    return 0;
}

static int parse_bool(const char *v, int *out)
{
    if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes")) {
        *out = 1;
        return 0;
    }
    if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no")) {
        *out = 0;
        return 0;
    }
    return -1;
}

static int parse_color(const char *v, int *out)
{
    if (!strcmp(v, "never") || !strcmp(v, "off") || !strcmp(v, "0"))
        *out = RW_COLOR_NEVER;
    else if (!strcmp(v, "always") || !strcmp(v, "on") || !strcmp(v, "1"))
        *out = RW_COLOR_ALWAYS;
    else if (!strcmp(v, "auto"))
        *out = RW_COLOR_AUTO;
    else
        return -1;
    return 0;
}

/* Apply one key=value pair.  Returns 0, or -1 with err filled. */
static int apply(rw_options *o, const char *key, const char *val,
                 char *err, size_t errlen)
{
    int bad = 0;
    const char *want = "";
    if (!strcmp(key, "log_path")) {
        if (strlen(val) >= sizeof o->log_path) {
            bad = 1;
            want = "a path shorter than 1024 bytes";
        } else {
            strcpy(o->log_path, val);
        }
    } else if (!strcmp(key, "json_path")) {
        if (strlen(val) >= sizeof o->json_path) {
            bad = 1;
            want = "a path shorter than 1024 bytes";
        } else {
            strcpy(o->json_path, val);
        }
    } else if (!strcmp(key, "suppressions")) {
        if (strlen(val) >= sizeof o->suppressions) {
            bad = 1;
            want = "a path shorter than 1024 bytes";
        } else {
            strcpy(o->suppressions, val);
        }
    } else if (!strcmp(key, "unused_suppressions")) {
        bad = parse_bool(val, &o->unused_suppressions);
        want = "0 or 1";
    } else if (!strcmp(key, "exitcode")) {
        bad = parse_int(val, 0, 255, &o->exitcode);
        want = "an integer 0..255";
    } else if (!strcmp(key, "halt_on_error")) {
        bad = parse_bool(val, &o->halt_on_error);
        want = "0 or 1";
    } else if (!strcmp(key, "history_size")) {
        bad = parse_int(val, 0, 7, &o->history_size);
        want = "an integer 0..7";
    } else if (!strcmp(key, "color")) {
        bad = parse_color(val, &o->color);
        want = "never, always or auto";
    } else if (!strcmp(key, "report_races")) {
        bad = parse_bool(val, &o->report_races);
        want = "0 or 1";
    } else if (!strcmp(key, "report_thread_leaks")) {
        if (!strcmp(val, "fail"))
            o->report_thread_leaks = RW_LEAKS_FAIL;
        else
            bad = parse_bool(val, &o->report_thread_leaks);
        want = "0, 1 or fail";
    } else if (!strcmp(key, "follow_exec")) {
        bad = parse_bool(val, &o->follow_exec);
        want = "0 or 1";
    } else if (!strcmp(key, "verbosity")) {
        bad = parse_int(val, 0, 2, &o->verbosity);
        want = "an integer 0..2";
    } else {
        snprintf(err, errlen, "unknown option '%s'", key);
        return -1;
    }
    if (bad) {
        snprintf(err, errlen, "bad value '%s' for option '%s' (want %s)", val, key, want);
        return -1;
    }
    return 0;
}

int rw_options_parse(const char *text, rw_options *o, char *err, size_t errlen)
{
    if (text == NULL)
        return 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == ':' || *p == ',' || *p == '\t' || *p == '\n')
            p++;
        if (*p == '\0')
            break;
        char key[64], val[1100];
        size_t kn = 0, vn = 0;
        while (*p && *p != '=' && *p != ' ' && *p != ':' && *p != ',') {
            if (kn + 1 < sizeof key)
                key[kn++] = *p;
            p++;
        }
        key[kn] = '\0';
        if (*p != '=') {
            snprintf(err, errlen, "option '%s' has no value (write %s=VALUE)", key, key);
            return -1;
        }
        p++;
        /* A value runs to the next space or comma; a colon ends it too,
         * except in log_path, where it may be part of the path. */
        int path = !strcmp(key, "log_path") || !strcmp(key, "json_path") ||
                   !strcmp(key, "suppressions");
        while (*p && *p != ' ' && *p != ',' && (path || *p != ':')) {
            if (vn + 1 < sizeof val)
                val[vn++] = *p;
            p++;
        }
        val[vn] = '\0';
        if (apply(o, key, val, err, errlen) != 0)
            return -1;
    }
    return 0;
}
