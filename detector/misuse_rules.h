/* misuse_rules.h: the rule id of each kind of misuse report (JSON's
 * "rule", SARIF's "misuse/<id>" rule, JUnit's failure type), found from
 * the report's title.  docs/misuse.md lists them. */
#ifndef RW_MISUSE_RULES_H
#define RW_MISUSE_RULES_H

typedef struct rw_misuse_rule {
    const char *title; /* the title's start, after "WARNING: " / "fatal error: " / "panic: " */
    const char *id;    /* e.g. "mutex-lock-destroyed" */
    const char *text;  /* one sentence: what was done wrong */
} rw_misuse_rule;

/* Every rule, the last one "other" (a misuse no entry names). */
extern const rw_misuse_rule rw_misuse_rules[];
extern const int rw_misuse_nrules;

/* The rule of a report title, with or without its prefix. */
const rw_misuse_rule *rw_misuse_rule_of(const char *title);

#endif
