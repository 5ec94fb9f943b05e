#!/usr/bin/env python3
"""test_report_formats.py: tests of `racewatch merge` and its report formats.

Run by meson (tests/report_formats/meson.build registers one test per case):

    test_report_formats.py CASE RACEWATCH RACEWATCH_CC [LIBRACEWATCH]

with RW_SOURCE_ROOT set to the repository.  Each case is a function
case_<CASE> below.  Inputs are the hand-written records of fixtures/
(docs/json-format.md, in the runtime's exact layout) and, for the
end-to-end cases, records that programs built with racewatch-cc write
for real.  Outputs are compared byte for byte with the golden files of
expected/; with RW_UPDATE_GOLDEN=1 the golden files are rewritten
instead (check the diff before committing it).  SARIF is validated
against the official SARIF 2.1.0 schema (sarif-schema-2.1.0.json, OASIS
errata01, from github.com/oasis-tcs/sarif-spec) with python3-jsonschema.

Exit 0 = pass, 77 = skipped (jsonschema, cmake, make or meson missing),
anything else = fail with the reason on stderr.  No network.
"""

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET


class Skip(Exception):
    pass


RACEWATCH = CC = LIB = None
WORK = None
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")
EXPECTED = os.path.join(HERE, "expected")
PROGRAMS = os.path.join(HERE, "programs")
SCHEMA = os.path.join(HERE, "sarif-schema-2.1.0.json")
FIXTURE_ROOT = "/home/u/src"  # the source root of the fixtures' records


# ---------------------------------------------------------------- helpers

def fail(msg):
    raise AssertionError(msg)


def expect(cond, msg):
    if not cond:
        fail(msg)


def clean_env(**extra):
    env = dict(os.environ)
    for k in ("RACEWATCH_OPTIONS", "LD_PRELOAD", "RACEWATCH_CC", "RACEWATCH_CC_VERBOSE",
              "RACEWATCH_CC_NESTED", "CC", "CFLAGS", "LDFLAGS", "MAKEFLAGS", "MFLAGS"):
        env.pop(k, None)
    for k in [k for k in env if k.startswith("MESON")]:
        del env[k]
    # Tools and programs must find the runtime without meson's help.
    if LIB and env.get("LD_LIBRARY_PATH"):
        libdir = os.path.dirname(os.path.realpath(LIB))
        keep = [d for d in env["LD_LIBRARY_PATH"].split(":")
                if d and os.path.realpath(d) != libdir]
        if keep:
            env["LD_LIBRARY_PATH"] = ":".join(keep)
        else:
            del env["LD_LIBRARY_PATH"]
    # racewatch and racewatch-cc first in PATH, as after an install.
    tools = sorted({os.path.dirname(RACEWATCH), os.path.dirname(CC)})
    env["PATH"] = ":".join(tools + [env.get("PATH", "/usr/bin:/bin")])
    env["TMPDIR"] = os.path.join(WORK, "tmp")
    env["LC_ALL"] = "C"
    env.update({k: v for k, v in extra.items() if v is not None})
    return env


def run(cmd, env=None, cwd=None, timeout=120, check_rc=None, input=None):
    p = subprocess.run(cmd, env=env or clean_env(), cwd=cwd or WORK, input=input,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    if check_rc is not None and p.returncode != check_rc:
        fail(f"{shlex.join(cmd)}: exit {p.returncode}, want {check_rc}\n"
             f"--- stdout:\n{p.stdout.decode(errors='replace')}\n"
             f"--- stderr:\n{p.stderr.decode(errors='replace')}")
    return p


def merge(*args, rc=None, cwd=None):
    """racewatch merge ARGS in cwd (default: fixtures/); exit status rc."""
    return run([RACEWATCH, "merge"] + list(args), cwd=cwd or FIXTURES, check_rc=rc)


def one_line(p, what):
    err = p.stderr.decode(errors="replace")
    expect(err.endswith("\n") and err.count("\n") == 1,
           f"{what}: want exactly one line on stderr, got {err!r}")
    return err[:-1]


def version():
    out = run([RACEWATCH, "version"], check_rc=0).stdout.decode()
    m = re.match(r"racewatch version (\S+)", out)
    expect(m, f"racewatch version: {out!r}")
    return m.group(1)


def golden(name, got, subst=None):
    """got (bytes) must equal expected/<name>; subst: {placeholder: value}."""
    path = os.path.join(EXPECTED, name)
    if os.environ.get("RW_UPDATE_GOLDEN") == "1":
        text = got
        for k, v in (subst or {}).items():
            text = text.replace(v.encode(), k.encode())
        with open(path, "wb") as f:
            f.write(text)
        return
    with open(path, "rb") as f:
        want = f.read()
    for k, v in (subst or {}).items():
        want = want.replace(k.encode(), v.encode())
    if got != want:
        import difflib
        diff = difflib.unified_diff(want.decode(errors="replace").splitlines(True),
                                    got.decode(errors="replace").splitlines(True),
                                    f"expected/{name}", "got")
        fail(f"output differs from expected/{name} (RW_UPDATE_GOLDEN=1 rewrites it):\n"
             + "".join(list(diff)[:200]))


def have_jsonschema():
    try:
        import jsonschema  # noqa: F401
        return True
    except ImportError:
        return False


def load_schema():
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        raise Skip("python3 module jsonschema missing (Debian: python3-jsonschema)")
    with open(SCHEMA) as f:
        return json.load(f)


def validate_sarif(doc, what):
    """The SARIF 2.1.0 schema (when python3-jsonschema is there; the
    sarif_schema case skips without it), then what GitHub code scanning
    relies on."""
    if have_jsonschema():
        import jsonschema
        schema = load_schema()
        cls = jsonschema.validators.validator_for(schema)
        errors = sorted(cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(doc),
                        key=lambda e: list(e.path))
        expect(not errors, f"{what}: not valid SARIF 2.1.0:\n" + "\n".join(
            f"  at {'/'.join(map(str, e.path))}: {e.message}" for e in errors[:10]))
    expect(doc["version"] == "2.1.0", f"{what}: version {doc['version']}")
    expect(len(doc["runs"]) == 1, f"{what}: {len(doc['runs'])} runs")
    run_ = doc["runs"][0]
    driver = run_["tool"]["driver"]
    expect(driver["name"] == "racewatch", f"{what}: driver {driver['name']}")
    rule_ids = [r["id"] for r in driver["rules"]]
    # The kinds' rules, then one per kind of misuse (docs/misuse.md), the
    # catch-all last.
    expect(rule_ids[:6] == ["data-race", "deadlock", "lock-order-inversion", "misuse", "use-after-free",
                            "thread-leak"]
           and len(rule_ids) > 6 and all(r.startswith("misuse/") for r in rule_ids[6:])
           and len(set(rule_ids)) == len(rule_ids) and rule_ids[-1] == "misuse/other"
           and "misuse/signal-errno" in rule_ids and "misuse/mutex-lock-destroyed" in rule_ids,
           f"{what}: rules {rule_ids}")
    for r in driver["rules"]:
        for k in ("shortDescription", "fullDescription", "help"):
            expect(r[k]["text"], f"{what}: rule {r['id']} without {k}")
    fps = set()
    for i, res in enumerate(run_["results"]):
        w = f"{what}: results[{i}]"
        expect(res["ruleId"] in rule_ids, f"{w}: ruleId {res['ruleId']}")
        expect(rule_ids[res["ruleIndex"]] == res["ruleId"], f"{w}: ruleIndex")
        expect(res["level"] in ("error", "warning"), f"{w}: level {res['level']}")
        expect(res["message"]["text"], f"{w}: empty message")
        loc = res["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        expect(uri and re.fullmatch(r"[A-Za-z0-9\-._~/:%]+", uri), f"{w}: uri {uri!r}")
        if "region" in loc:
            expect(loc["region"]["startLine"] >= 1, f"{w}: startLine")
        ids = [r["id"] for r in res.get("relatedLocations", [])]
        expect(len(ids) == len(set(ids)), f"{w}: related location ids {ids}")
        for link in re.findall(r"(?<!\\)\]\((\d+)\)", res["message"]["text"]):
            expect(int(link) in ids, f"{w}: message links to ({link}), related ids {ids}")
        fp = res["partialFingerprints"]["racewatchFingerprint/v1"]
        expect(re.fullmatch(r"[0-9a-f]{16}", fp), f"{w}: fingerprint {fp}")
        expect(fp not in fps, f"{w}: fingerprint {fp} twice")
        fps.add(fp)
        expect(res["occurrenceCount"] >= 1, f"{w}: occurrenceCount")
        flows = res["codeFlows"][0]["threadFlows"]
        expect(flows and all(f["locations"] for f in flows), f"{w}: empty thread flow")
    return run_["results"]


def parse_junit(data, what):
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        fail(f"{what}: not well-formed XML: {e}")
    expect(root.tag == "testsuites", f"{what}: root <{root.tag}>")
    suites = root.findall("testsuite")
    expect(len(suites) == 1 and suites[0].get("name") == "racewatch", f"{what}: testsuites")
    suite = suites[0]
    cases = suite.findall("testcase")
    failed = sum(1 for c in cases if c.find("failure") is not None)
    expect(suite.get("tests") == str(len(cases)), f"{what}: tests={suite.get('tests')}, {len(cases)} testcases")
    expect(suite.get("failures") == str(failed), f"{what}: failures={suite.get('failures')}, {failed} failing")
    return suite, cases


def read_jsonl(data):
    return [json.loads(line) for line in data.decode().splitlines()]


def build(src, name=None, cflags=("-g", "-O1"), cc=None):
    """Compile src with racewatch-cc (or cc) into WORK/bin/<name>."""
    os.makedirs(os.path.join(WORK, "bin"), exist_ok=True)
    out = os.path.join(WORK, "bin", name or os.path.splitext(os.path.basename(src))[0])
    run([cc or CC] + list(cflags) + ["-o", out, src], check_rc=0)
    return out


def watch(prog, args=(), json_dir="rw", rc=None, timeout=60):
    """racewatch run --json-path=WORK/<json_dir>/report PROG ARGS."""
    d = os.path.join(WORK, json_dir)
    os.makedirs(d, exist_ok=True)
    return run([RACEWATCH, "run", "--color=never", f"--json-path={d}/report", prog] + list(args),
               check_rc=rc, timeout=timeout)


def source_root():
    root = os.environ.get("RW_SOURCE_ROOT")
    expect(root and os.path.isdir(root), "RW_SOURCE_ROOT not set")
    return root


def copy_fixtures(*names):
    """Copy fixtures/<name> into WORK/in/<name>; returns WORK/in."""
    dest = os.path.join(WORK, "in")
    for n in names:
        shutil.copytree(os.path.join(FIXTURES, n), os.path.join(dest, n))
    return dest


# -------------------------------------------------- the fixtures' outputs

def case_text_golden():
    p = merge("--text", "basic", rc=1)
    expect(p.stderr == b"", f"stderr: {p.stderr!r}")
    golden("basic.txt", p.stdout)
    # Without any output option, the text is the output.
    expect(merge("basic", rc=1).stdout == p.stdout, "merge without options != --text")
    golden("escapes.txt", merge("escapes", rc=1).stdout)


def case_sarif_golden():
    v = version()
    p = merge("--sarif", "-", "--source-root", FIXTURE_ROOT, "basic", rc=1)
    golden("basic.sarif", p.stdout, {"@VERSION@": v})
    # No source root: absolute file:// URIs; odd characters percent-encoded.
    p = merge("--sarif", "-", "escapes", rc=1)
    golden("escapes.sarif", p.stdout, {"@VERSION@": v})


def case_sarif_schema():
    load_schema()
    for args in (["--source-root", FIXTURE_ROOT, "basic"], ["basic", "new", "escapes"],
                 ["--baseline", os.path.join(EXPECTED, "basic.baseline"), "basic", "new"],
                 ["--source-root", "/", "basic"]):
        p = merge("--sarif", "-", *args)
        expect(p.returncode in (0, 1), f"merge {args}: exit {p.returncode}: {p.stderr!r}")
        validate_sarif(json.loads(p.stdout), f"merge --sarif {' '.join(args)}")
    # An empty merge is a valid log too.
    os.makedirs(os.path.join(WORK, "empty"))
    p = merge("--sarif", "-", os.path.join(WORK, "empty"), rc=0)
    expect(p.stderr.decode().startswith("racewatch merge: warning: no *.jsonl file in "),
           f"empty directory: stderr {p.stderr!r}")
    results = validate_sarif(json.loads(p.stdout), "empty merge")
    expect(results == [], f"empty merge: {len(results)} results")

    doc = json.loads(merge("--sarif", "-", "--source-root", FIXTURE_ROOT, "basic", rc=1).stdout)
    results = doc["runs"][0]["results"]
    expect(len(results) == 6, f"{len(results)} results, want 6")
    race = results[0]
    expect(race["ruleId"] == "data-race" and race["level"] == "error", "first result: the race")
    loc = race["locations"][0]["physicalLocation"]
    expect(loc["artifactLocation"] == {"uri": "tests/counter.c", "uriBaseId": "%SRCROOT%"},
           f"race location {loc}")
    expect(loc["region"]["startLine"] == 12, f"race line {loc['region']}")
    expect(race["occurrenceCount"] == 3 and race["properties"]["processes"] == 2,
           f"race counts {race['occurrenceCount']} {race['properties']}")
    expect(doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///home/u/src/",
           "originalUriBaseIds")
    levels = {r["properties"]["kind"] + ("/fatal" if r["properties"]["fatal"] else ""): r["level"]
              for r in results}
    expect(levels == {"data_race": "error", "deadlock/fatal": "error",
                      "lock_order_inversion": "warning", "misuse": "warning",
                      "misuse/fatal": "error"}, f"levels {levels}")
    # One thread flow per stack, frames outermost first.
    lo = results[2]
    expect(lo["ruleId"] == "lock-order-inversion", "third result: the inversion")
    flows = lo["codeFlows"][0]["threadFlows"]
    expect(len(flows) == 4, f"{len(flows)} thread flows for 4 stacks")
    lines = [l["location"]["physicalLocation"]["region"]["startLine"] for l in flows[0]["locations"]]
    expect(lines == [120, 88], f"first flow's lines {lines}, want outermost first [120, 88]")
    expect([r["id"] for r in lo["relatedLocations"]] == [1, 2, 3], "related locations of the inversion")


def case_junit_golden():
    p = merge("--junit", "-", "basic", rc=1)
    golden("basic.xml", p.stdout)
    suite, cases = parse_junit(p.stdout, "basic.xml")
    names = [c.get("name") for c in cases]
    # run1's records have no "argv" (written before racewatch recorded it):
    # "program (pid N)"; run2's name the command line.
    expect(names == ["counter (pid 1001)", "queue (pid 1002)", "bank (pid 1003)", "counter --jobs 2",
                     "cache_test evict_under_load", "plugin_host --plugin '/home/u/build/plugins/a b.so'",
                     "queue (pid 2004)", "queue (pid 2004) #2"], f"testcases {names}")
    expect(cases[0].get("classname") == "/home/u/build/tests/counter", "classname = program path")
    expect(cases[1].find("failure") is None, "a clean process passes")
    fails = cases[4].findall("failure")
    expect([(f.get("type"), f.get("message")) for f in fails] ==
           [("lock_order_inversion", "WARNING: LOCK ORDER INVERSION (potential deadlock)"),
            ("misuse/mutex-destroy-locked", "WARNING: destroy of a locked mutex")], "failures of cache_test")
    records = [json.loads(l) for l in open(os.path.join(FIXTURES, "basic/run2/report.2002.4412915.jsonl"))]
    expect(fails[0].text == records[0]["text"], "failure text != the record's text")
    expect("no summary record" in cases[5].find("system-out").text, "crashed process not noted")
    expect("FAIL: 6 new report(s)" in suite.find("system-out").text, "suite system-out: summary")

    # What XML cannot hold: markup in names, "]]>", control characters,
    # bytes that are not UTF-8.
    p = merge("--junit", "-", "escapes", rc=1)
    golden("escapes.xml", p.stdout)
    suite, cases = parse_junit(p.stdout, "escapes.xml")
    expect(cases[0].get("name") == 'odd & <strange> "name" (pid 4001)', f"name {cases[0].get('name')!r}")
    f = cases[0].find("failure")
    expect(f.get("message") == 'WARNING: unlock of a <mutex> & "friends"', f"message {f.get('message')!r}")
    want = ("==================\nWARNING: unlock of a <mutex> & \"friends\"\n"
            "text with ]]> inside, \ufffd[31mcolor\ufffd[0m, a tab\there, a byte \u00ff and caf\u00e9\n"
            "==================\n")
    expect(f.text == want, f"failure text {f.text!r}\nwant {want!r}")


def case_json_golden():
    p = merge("--json", "-", "basic", rc=1)
    golden("basic.jsonl", p.stdout)
    recs = read_jsonl(p.stdout)
    summaries = [r for r in recs if r["kind"] == "summary"]
    reports = [r for r in recs if r["kind"] != "summary"]
    expect(len(summaries) == 7 and len(reports) == 6, f"{len(summaries)} summaries, {len(reports)} reports")
    race = reports[0]
    expect(race["count"] == 3 and race["processes"] == [
        {"pid": 1001, "program": "/home/u/build/tests/counter"},
        {"pid": 2001, "program": "/home/u/build/tests/counter",
         "argv": ["/home/u/build/tests/counter", "--jobs", "2"]}], f"race: {race['count']} {race['processes']}")
    # Merging the merged file again changes nothing.
    merged = os.path.join(WORK, "merged.jsonl")
    with open(merged, "wb") as f:
        f.write(p.stdout)
    again = merge("--json", "-", merged, rc=1).stdout
    expect(again == p.stdout, "merging a merged file changed it")
    expect(merge("--text", merged, rc=1).stdout == merge("--text", "basic", rc=1).stdout,
           "text of the merged file differs")
    # The processes keep their names (their command lines) through it
    # (in another order: the merged file lists processes with a summary
    # first).
    names = sorted(c.get("name") for c in parse_junit(merge("--junit", "-", "basic", rc=1).stdout, "basic")[1])
    again = sorted(c.get("name") for c in parse_junit(merge("--junit", "-", merged, rc=1).stdout, "merged")[1])
    expect(again == names, f"testcase names from the merged file {again}, want {names}")
    # A merged file merges with fresh records: the counts add up.
    recs = read_jsonl(merge("--json", "-", merged, "basic/run1", rc=1).stdout)
    race = [r for r in recs if r.get("fingerprint") == "5b0c1f6d2e8a9b31"][0]
    expect(race["count"] == 4 and len(race["processes"]) == 3, f"re-merged race {race['count']}")


def with_argv(line, pid, program, argv, truncated=False):
    """A record line of the runtime's layout for another process: pid,
    program and, unless argv is None, "argv" (and "argv_truncated")."""
    rec = json.loads(line)
    head = f'"pid":{rec["pid"]},"program":{json.dumps(rec["program"])}'
    expect(head in line, f"template record: no {head}")
    new = f'"pid":{pid},"program":{json.dumps(program)}'
    if argv is not None:
        new += ',"argv":' + json.dumps(argv, separators=(",", ":"))
        if truncated:
            new += ',"argv_truncated":true'
    return line.replace(head, new, 1)


def case_process_names():
    """Processes are named by their command line (docs/ci.md, JUnit):
    the program's file name and its arguments, shell-quoted; the same
    command twice is "#2"; arguments left out are " ..."; records
    without "argv" name "program (pid N)".  The text lists the names
    under each report, SARIF the distinct ones, and --json keeps argv."""
    with open(os.path.join(FIXTURES, "new", "report.3001.jsonl")) as f:
        race, summary = f.read().splitlines(True)
    prog = "/home/u/build/uv_run_tests_a"
    test = "fork_threadpool_queue_work_simple"
    procs = [  # pid, argv, truncated, reports the race
        (5001, ["./uv_run_tests_a", test, test], False, True),
        (5002, ["./uv_run_tests_a", test, test], False, True),   # its forked child
        (5003, ["uv_run_tests_a", "it's", "", "a\tb", "\u00e9t\u00e9"], False, False),
        (5004, ["uv_run_tests_a", "spawn_helper1"], True, False),
        (5005, [], False, False),
        (5006, None, False, True),                                 # an older record
    ] + [(5006 + i, ["./uv_run_tests_a", f"test_{i}", f"test_{i}"], False, True) for i in range(1, 4)]
    d = os.path.join(WORK, "names")
    os.makedirs(d)
    for pid, argv, truncated, racy in procs:
        lines = ([with_argv(race, pid, prog, argv, truncated)] if racy else []) + \
                [with_argv(summary, pid, prog, argv, truncated)]
        name = f"report.{pid}.jsonl" if argv is None else f"report.{pid}.{1000 + pid}.jsonl"
        with open(os.path.join(d, name), "w") as f:
            f.write("".join(lines))
    want = [f"uv_run_tests_a {test} {test}", f"uv_run_tests_a {test} {test} #2",
            "uv_run_tests_a 'it'\\''s' '' 'a\tb' '\u00e9t\u00e9'", "uv_run_tests_a spawn_helper1 ...",
            "uv_run_tests_a", "uv_run_tests_a (pid 5006)"] + \
           [f"uv_run_tests_a test_{i} test_{i}" for i in range(1, 4)]

    suite, cases = parse_junit(merge("--junit", "-", d, rc=1, cwd=WORK).stdout, "names junit")
    names = [c.get("name") for c in cases]
    expect(names == want, f"testcases\n {names}\nwant\n {want}")
    expect([c.find("failure") is not None for c in cases] == [p[3] for p in procs], "failing testcases")
    out = cases[0].find("system-out").text
    expect(f"\ncommand line: ./uv_run_tests_a {test} {test}\n" in out, f"system-out: {out!r}")
    expect("command line:" not in cases[5].find("system-out").text, "a command line without argv")

    text = merge("--text", d, rc=1, cwd=WORK).stdout.decode()
    want_line = f"(seen 6 times in 6 processes)\n(in {want[0]}, {want[1]}, {want[5]}, {want[6]}, {want[7]} and 1 more)\n"
    expect(want_line in text, f"text: want {want_line!r} in\n{text}")

    doc = json.loads(merge("--sarif", "-", d, rc=1, cwd=WORK).stdout)
    props = validate_sarif(doc, "names SARIF")[0]["properties"]
    expect(props["commands"] == [want[0], want[5], want[6], want[7], want[8]] and props["processes"] == 6,
           f"SARIF commands {props}")

    # --json keeps every process's argv, and the names, through a re-merge.
    merged = os.path.join(WORK, "names.jsonl")
    with open(merged, "wb") as f:
        f.write(merge("--json", "-", d, rc=1, cwd=WORK).stdout)
    recs = read_jsonl(open(merged, "rb").read())
    got = {r["pid"]: (r.get("argv"), r.get("argv_truncated", False)) for r in recs if r["kind"] == "summary"}
    expect(got == {p[0]: (p[1], p[2]) for p in procs}, f"--json summaries' argv {got}")
    again = [c.get("name") for c in parse_junit(merge("--junit", "-", merged, rc=1, cwd=WORK).stdout,
                                                "re-merged junit")[1]]
    expect(sorted(again) == sorted(want), f"re-merged names {again}")


def case_fold_duplicates():
    # One race in two runs, three records (one process reported both
    # sides), is one entry.
    p = merge("--text", "basic/run1", "basic/run2", rc=1)
    out = p.stdout.decode()
    expect(out.count("WARNING: DATA RACE\nWrite at 0x55d1c0a04010") == 1, "the race is not shown once")
    expect(out.count("(seen 3 times in 2 processes)") == 1, "no '(seen 3 times in 2 processes)'")
    expect(out.count("(seen") == 1, "only the race was seen more than once")
    expect("6 distinct report(s) (8 in all)" in out, "distinct/all counts")
    # Seen twice in one process.
    out = merge("--text", "basic/run2/report.2001.4412907.jsonl", rc=1).stdout.decode()
    expect("(seen 2 times in 1 process)\n" in out, f"one process: {out[-400:]}")
    # A file named twice (directly, through its directory, through a
    # link) is read once.
    os.symlink(os.path.join(FIXTURES, "basic"), os.path.join(WORK, "link"))
    again = merge("--text", "basic", "basic/run1/report.1001.jsonl", os.path.join(WORK, "link"),
                  rc=1).stdout
    expect(again == merge("--text", "basic", rc=1).stdout, "a file read twice")
    # Only *.jsonl files are read from directories; any file named directly.
    d = copy_fixtures("new")
    with open(os.path.join(d, "new", "notes.txt"), "w") as f:
        f.write("not a record\n")
    merge("--text", os.path.join(d, "new"), rc=1)
    p = merge("--text", os.path.join(d, "new", "notes.txt"), rc=125)
    expect(one_line(p, "notes.txt").endswith("notes.txt:1: column 1: expected a value, got 'n'"),
           f"a file named directly is read: {p.stderr!r}")
    # Processes: pid 2004 ran twice (one file); 2003 has no summary.
    out = merge("--text", "basic", rc=1).stdout.decode()
    expect("racewatch merge: 8 process(es), 6 with reports, 1 without a summary" in out,
           "process counts")


def case_baseline_roundtrip():
    base = os.path.join(WORK, "racewatch.baseline")
    p = merge("--write-baseline", base, "basic", rc=1)
    expect(one_line(p, "write-baseline") ==
           "racewatch merge: FAIL: 6 new report(s) of the kinds in --fail-on (all); --text shows them",
           "the verdict line without --text")
    with open(base, "rb") as f:
        golden("basic.baseline", f.read())
    # Read back: every report is known, nothing fails.
    p = merge("--text", "--baseline", base, "basic", rc=0)
    out = p.stdout.decode()
    expect(out.count("(known, in baseline)") == 6, "not every report known")
    expect("6 distinct report(s) (8 in all): 0 new, 6 known (in baseline)" in out, "known counts")
    expect(out.endswith("PASS: no new report of the kinds in --fail-on (all)\n"), "PASS line")
    # A new report fails; the known ones still do not.
    p = merge("--text", "--baseline", base, "basic", "new", rc=1)
    golden("baseline.txt", p.stdout)
    out = p.stdout.decode()
    expect("7 distinct report(s) (9 in all): 1 new, 6 known (in baseline)" in out, "new counts")
    expect(out.endswith("FAIL: 1 new report(s) of the kinds in --fail-on (all)\n"), "FAIL line")
    # JUnit: only the new report is a failure; known ones are listed.
    suite, cases = parse_junit(merge("--junit", "-", "--baseline", base, "basic", "new", rc=1).stdout,
                               "junit with baseline")
    failing = [c.get("name") for c in cases if c.find("failure") is not None]
    expect(failing == ["counter (pid 3001)"], f"failing testcases {failing}")
    expect("(known, in baseline)" in cases[0].find("system-out").text, "known report not listed")
    # SARIF: baselineState.
    doc = json.loads(merge("--sarif", "-", "--baseline", base, "basic", "new", rc=1).stdout)
    states = [r["baselineState"] for r in doc["runs"][0]["results"]]
    expect(states == ["unchanged"] * 6 + ["new"], f"baselineState {states}")
    # Baseline entries no report had are counted.
    p = merge("--text", "--baseline", base, "new", rc=1)
    expect("1 distinct report(s) (1 in all): 1 new, 0 known (in baseline); 6 baseline entries not seen"
           in p.stdout.decode(), "unseen entries")
    # A hand-edited baseline: comments, blank lines, upper case.
    with open(base, "a") as f:
        f.write("\n   # the new race, accepted for now\n  9D3E5A7061C2B84F   # counter.c:19\n")
    merge("--baseline", base, "basic", "new", rc=0)
    # --write-baseline with --baseline writes every report, known or new.
    base2 = os.path.join(WORK, "second.baseline")
    merge("--baseline", base, "--write-baseline", base2, "basic", "new", rc=0)
    with open(base2) as f:
        fps = [l.split()[0] for l in f if not l.startswith("#")]
    expect(len(fps) == 7 and fps == sorted(fps), f"second baseline {fps}")


def case_fail_on():
    cases = [
        ("all", "basic", 1), ("none", "basic", 0),
        ("data_race", "basic", 1), ("deadlock", "basic", 1), ("misuse", "basic", 1),
        ("lock_order_inversion", "basic", 1),
        ("deadlock", "new", 0), ("lock_order_inversion,misuse", "new", 0),
        ("misuse,data_race", "new", 1), ("deadlock,lock_order_inversion,misuse", "basic/run1/report.1001.jsonl", 0),
        ("deadlock", "basic/run1", 1),
    ]
    for kinds, inp, rc in cases:
        p = merge("--text", "--fail-on", kinds, inp, rc=rc)
        last = p.stdout.decode().splitlines()[-1]
        expect(last.startswith("FAIL: " if rc else "PASS: "), f"--fail-on {kinds} {inp}: {last}")
    out = merge("--text", "--fail-on=deadlock,misuse", "basic", rc=1).stdout.decode()
    expect(out.endswith("FAIL: 3 new report(s) of the kinds in --fail-on (deadlock,misuse)\n"),
           f"--fail-on deadlock,misuse: {out.splitlines()[-1]}")
    expect(merge("--text", "--fail-on", "data_race,deadlock,lock_order_inversion,misuse,use_after_free", "basic",
                 rc=1).stdout.decode().endswith("(all)\n"), "every kind named is 'all'")
    for bad in ("race", "data_race,", "", "all,none", "DATA_RACE"):
        p = merge("--fail-on", bad, "basic", rc=125)
        want = (f"racewatch merge: bad value '{bad}' for --fail-on (want a comma list of data_race, "
                "deadlock, lock_order_inversion, misuse, use_after_free, thread_leak, all, or none)") if bad else \
            "racewatch merge: --fail-on needs a value"
        expect(one_line(p, f"--fail-on {bad!r}") == want, f"--fail-on {bad!r}: {p.stderr!r}")
    # JUnit failures follow --fail-on.
    suite, cases = parse_junit(merge("--junit", "-", "--fail-on", "deadlock", "basic", rc=1).stdout,
                               "junit --fail-on deadlock")
    failing = [c.get("name") for c in cases if c.find("failure") is not None]
    expect(failing == ["bank (pid 1003)"], f"failing testcases {failing}")
    expect("(not failing: its kind is not in --fail-on)" in cases[0].find("system-out").text,
           "non-failing report not listed")


# The first line of a good record, to break in many ways.
GOOD = None
PROG = '"program":"/home/u/build/tests/counter"'  # in GOOD


def bad_inputs():
    """(name, line 3 of the file, the error after 'FILE:3: ')."""
    g = GOOD
    return [
        ("trailing_comma", g[:-1] + ",}", f"column {len(g) + 1}: expected a member name (a string) in an object, got '}}'"),
        ("truncated", g[:200], "column 201: unterminated string"),
        ("not_json", "hello", "column 1: expected a value, got 'h'"),
        ("two_values", g + " {}", f"column {len(g) + 2}: text after the value: '{{'"),
        ("single_quotes", "{'version':1}", "column 2: expected a member name (a string) in an object, got '''"),
        ("leading_zero", g.replace('"version":1', '"version":01'), "column 12: leading zero in a number"),
        ("bad_escape", g.replace("WARNING: DATA RACE", "WARNING: \\x DATA RACE", 1),
         f"column {g.index('WARNING: DATA RACE') + 10}: invalid escape '\\x' in a string"),
        ("control_char", g.replace("WARNING: DATA RACE", "WARNING:\tDATA RACE", 1),
         f"column {g.index('WARNING: DATA RACE') + 9}: control character 0x09 in a string (must be escaped)"),
        ("nul_escape", g.replace("WARNING: DATA RACE", "WARNING:\\u0000", 1),
         f"column {g.index('WARNING: DATA RACE') + 9}: \\u0000 in a string is not allowed in a record"),
        ("lone_surrogate", g.replace("WARNING: DATA RACE", "\\ud800x", 1),
         f"column {g.index('WARNING: DATA RACE') + 1}: high surrogate \\ud800 not followed by a low one"),
        ("duplicate_key", g.replace('"version":1,', '"version":1,"version":1,'),
         "column 14: duplicate member \"version\" in an object"),
        ("array", "[1,2]", "expected a record (an object), got an array"),
        ("no_version", g.replace('"version":1,', ''), "missing field 'version'"),
        ("version_2", g.replace('"version":1', '"version":2'),
         "field 'version': unsupported record version 2 (this racewatch reads version 1)"),
        ("version_string", g.replace('"version":1', '"version":"1"'), "field 'version': expected a number, got a string"),
        ("unknown_kind", g.replace('"kind":"data_race"', '"kind":"race"'), "field 'kind': unknown kind \"race\""),
        ("bad_fingerprint", g.replace('"5b0c1f6d2e8a9b31"', '"5b0c1f6d"'),
         "field 'fingerprint': expected 16 hex digits, got \"5b0c1f6d\""),
        ("no_text", re.sub(r',"text":"(\\.|[^"\\])*"', "", g), "missing field 'text'"),
        ("line_float", g.replace('"line":12,', '"line":12.5,', 1), "field 'stacks[0].frames[0].line': expected an integer, got 12.5"),
        ("frame_not_object", g.replace('"frames":[{', '"frames":[7,{', 1),
         "field 'stacks[0].frames[0]': expected an object, got a number"),
        ("no_location", g[:g.index(',"location"')] + "}", "missing field 'location'"),
        ("thread_running", g.replace('"running":true', '"running":1', 1),
         "field 'threads[0].running': expected a boolean, got a number"),
        ("count_zero", g[:-1] + ',"count":0}', "field 'count': must be at least 1, got 0"),
        ("empty_line", "", "empty line (want one JSON record a line)"),
        ("deep", "[" * 100 + "]" * 100, "column 65: nested deeper than 64 levels"),
        ("argv_string", g.replace(PROG, PROG + ',"argv":"./counter"', 1),
         "field 'argv': expected an array, got a string"),
        ("argv_number", g.replace(PROG, PROG + ',"argv":["./counter",7]', 1),
         "field 'argv[1]': expected a string, got a number"),
        ("argv_truncated_int", g.replace(PROG, PROG + ',"argv":["./counter"],"argv_truncated":1', 1),
         "field 'argv_truncated': expected a boolean, got a number"),
    ]


def case_malformed_input():
    global GOOD
    with open(os.path.join(FIXTURES, "basic/run1/report.1001.jsonl")) as f:
        lines = f.read().splitlines()
    GOOD = lines[0]
    d = os.path.join(WORK, "bad")
    os.makedirs(d)
    for name, line3, msg in bad_inputs():
        path = os.path.join(d, name + ".jsonl")
        with open(path, "w") as f:
            f.write(lines[0] + "\n" + lines[1] + "\n" + line3 + "\n" + lines[1] + "\n")
        for args in (["--text", path], ["--sarif", os.path.join(WORK, "x.sarif"), path]):
            p = merge(*args, rc=125)
            expect(p.stdout == b"", f"{name}: stdout {p.stdout[:200]!r}")
            got = one_line(p, name)
            want = f"racewatch merge: {path}:3: {msg}"
            expect(got == want, f"{name}:\n got  {got!r}\n want {want!r}")
    # Invalid UTF-8 inside a string.
    path = os.path.join(d, "latin1.jsonl")
    with open(path, "wb") as f:
        f.write(lines[0].encode() + b"\n" + lines[0].replace("WARNING", "WARN\xe9NG").encode("latin-1") + b"\n")
    got = one_line(merge(path, rc=125), "latin1")
    expect(got == f"racewatch merge: {path}:2: column {GOOD.index('WARNING') + 5}: invalid UTF-8 byte 0xe9 in a string",
           f"latin1: {got!r}")
    # In a directory, the bad file is named with its path under it.
    os.makedirs(os.path.join(WORK, "tree", "a"))
    shutil.copy(os.path.join(d, "trailing_comma.jsonl"), os.path.join(WORK, "tree", "a", "r.1.jsonl"))
    got = one_line(merge(os.path.join(WORK, "tree"), rc=125), "tree")
    expect(got.startswith(f"racewatch merge: {WORK}/tree/a/r.1.jsonl:3: column "), f"tree: {got!r}")
    # A last line without its newline is still a record.
    path = os.path.join(d, "no_newline.jsonl")
    with open(path, "w") as f:
        f.write(lines[0] + "\n" + lines[1])
    merge(path, rc=1)


def case_malformed_baseline():
    base = os.path.join(WORK, "bad.baseline")
    for name, text, lineno, shown in (
        ("short", "# ok\n5b0c1f6d2e8a9b31\n\n5b0c1f6d\n", 4, "5b0c1f6d"),
        ("words", "5b0c1f6d2e8a9b31 c07d2a94b1e3f568\n", 1, "5b0c1f6d2e8a9b31 c07d2a94b1e3f568"),
        ("not_hex", "# baseline\n5b0c1f6d2e8a9b3g  # typo\n", 2, "5b0c1f6d2e8a9b3g"),
        ("colon", "race:worker\n", 1, "race:worker"),
    ):
        with open(base, "w") as f:
            f.write(text)
        p = merge("--text", "--baseline", base, "basic", rc=125)
        expect(p.stdout == b"", f"{name}: output before the error")
        want = f"racewatch merge: {base}:{lineno}: expected a fingerprint (16 hex digits), got '{shown}'"
        expect(one_line(p, name) == want, f"{name}: {p.stderr!r}\nwant {want!r}")
    p = merge("--baseline", os.path.join(WORK, "missing.baseline"), "basic", rc=125)
    expect(one_line(p, "missing") == f"racewatch merge: {WORK}/missing.baseline: no such file or directory",
           f"missing baseline: {p.stderr!r}")


def case_usage_errors():
    for args, want in (
        ([], "racewatch merge: no INPUT (a .jsonl file or a directory; see 'racewatch help merge')"),
        (["--bogus", "basic"], "racewatch merge: unknown option '--bogus' (see 'racewatch help merge')"),
        (["basic", "--sarif"], "racewatch merge: --sarif needs a value"),
        (["--text=yes", "basic"], "racewatch merge: --text takes no value"),
        (["nonexistent"], "racewatch merge: nonexistent: no such file or directory"),
        (["--sarif", "/nonexistent/dir/x.sarif", "basic"],
         "racewatch merge: /nonexistent/dir/x.sarif: no such file or directory"),
        (["--write-baseline", "/nonexistent/b", "basic"], "racewatch merge: /nonexistent/b: no such file or directory"),
    ):
        p = merge(*args, rc=125)
        expect(one_line(p, f"merge {args}") == want, f"merge {args}: {p.stderr!r}\nwant {want!r}")
    # Options after inputs, one dash, '=' or a separate value, "--".
    a = merge("--text", "--fail-on=none", "basic", rc=0).stdout
    expect(merge("basic", "-text", "-fail-on", "none", rc=0).stdout == a, "option spellings differ")
    os.makedirs(os.path.join(WORK, "d", "-dash"))
    shutil.copy(os.path.join(FIXTURES, "new", "report.3001.jsonl"), os.path.join(WORK, "d", "-dash"))
    merge("--text", "--", "-dash", rc=1, cwd=os.path.join(WORK, "d"))
    # Help.
    for args in (["--help"], ["-h"]):
        p = merge(*args, rc=0)
        expect(p.stdout.startswith(b"usage: racewatch merge [OPTIONS] INPUT..."), f"{args}: {p.stdout[:80]!r}")
    p = run([RACEWATCH, "help", "merge"], check_rc=0)
    expect(b"--fail-on KINDS" in p.stdout and b"Exit status: 0" in p.stdout, "racewatch help merge")
    p = run([RACEWATCH, "help"], check_rc=0)
    expect(b"  merge [OPTIONS] INPUT..." in p.stdout, "racewatch help lists merge")


# --------------------------------------------- end to end, real records

def case_e2e_counter_race():
    src = os.path.join(source_root(), "examples", "counter_race.c")
    race = build(src)
    clean = build(os.path.join(source_root(), "examples", "counter_fixed.c"))
    for _ in range(2):
        p = watch(race, rc=66)
        expect(b"WARNING: DATA RACE" in p.stderr, "counter_race: no race on stderr")
    watch(clean, rc=0)
    rw = os.path.join(WORK, "rw")
    files = sorted(os.listdir(rw))
    expect(len(files) == 3 and all(re.fullmatch(r"report\.\d+\.\d+\.jsonl", f) for f in files), f"files {files}")

    p = merge("--text", rw, rc=1, cwd=WORK)
    out = p.stdout.decode()
    expect(out.count("WARNING: DATA RACE") == 1, "the race is not folded into one")
    expect("(seen 2 times in 2 processes)" in out, "not seen 2 times in 2 processes")
    expect("racewatch merge: 3 process(es), 2 with reports\nFound 1 data race(s)\n"
           "1 distinct report(s) (2 in all)\nFAIL: 1 new report(s) of the kinds in --fail-on (all)\n" in out,
           f"summary:\n{out[out.index('racewatch merge:'):]}")
    # The text is the runtime's, byte for byte.  (Files are in name
    # order, which is not the order of the runs: report.10000.* comes
    # before report.9999.*.)
    texts = [r["text"] for f in files for r in read_jsonl(open(os.path.join(rw, f), "rb").read())
             if r["kind"] == "data_race"]
    expect(texts and texts[0] in out, "the text is not the runtime's")

    doc = json.loads(merge("--sarif", "-", "--source-root", source_root(), rw, rc=1, cwd=WORK).stdout)
    results = validate_sarif(doc, "counter_race SARIF")
    expect(len(results) == 1, f"{len(results)} results")
    loc = results[0]["locations"][0]["physicalLocation"]
    expect(loc["artifactLocation"] == {"uri": "examples/counter_race.c", "uriBaseId": "%SRCROOT%"}
           and loc["region"]["startLine"] == 12, f"primary location {loc}")
    expect(results[0]["occurrenceCount"] == 2, "occurrenceCount")

    suite, cases = parse_junit(merge("--junit", "-", rw, rc=1, cwd=WORK).stdout, "counter junit")
    got = sorted((c.get("name").split(" ")[0], c.find("failure") is not None) for c in cases)
    expect(got == [("counter_fixed", False), ("counter_race", True), ("counter_race", True)], f"testcases {got}")

    # Baseline round trip on real records: known now, a fresh run stays known.
    base = os.path.join(WORK, "rw.baseline")
    merge("--write-baseline", base, rw, rc=1, cwd=WORK)
    watch(race, json_dir="rw2", rc=66)
    watch(clean, json_dir="rw2", rc=0)
    p = merge("--text", "--baseline", base, os.path.join(WORK, "rw2"), rc=0, cwd=WORK)
    expect("(known, in baseline)" in p.stdout.decode(), "fresh run's race not known")


def case_e2e_kinds():
    progs = {n: build(os.path.join(PROGRAMS, n + ".c"))
             for n in ("deadlock", "lock_order", "misuse", "race_then_end", "fork_race", "thread_leak",
                       "use_after_free")}
    p = watch(progs["use_after_free"], rc=66)
    expect(b"WARNING: USE AFTER FREE" in p.stderr and b"Found 1 use(s) after free" in p.stderr,
           f"use_after_free: {p.stderr[-400:]!r}")
    watch(progs["deadlock"], rc=2, timeout=60)
    p = watch(progs["thread_leak"], rc=0)
    expect(b"WARNING: THREAD LEAK" in p.stderr and b"Found 1 thread leak(s)" in p.stderr,
           f"thread_leak: {p.stderr[-400:]!r}")
    watch(progs["lock_order"], rc=66)
    watch(progs["misuse"], rc=2)
    watch(progs["fork_race"], rc=0)
    for how, rc in (("exit", 66), ("_exit", 3), ("abort", 128 + 6), ("kill", 128 + 9)):
        watch(progs["race_then_end"], [how], json_dir="rw_" + how.strip("_"), rc=rc)
    rw = os.path.join(WORK, "rw")

    recs = read_jsonl(merge("--json", "-", rw, rc=1, cwd=WORK).stdout)
    kinds = sorted(r["kind"] for r in recs if r["kind"] != "summary")
    expect(kinds == ["data_race", "deadlock", "lock_order_inversion", "misuse", "thread_leak", "use_after_free"],
           f"kinds {kinds}")
    uaf = [r for r in recs if r["kind"] == "use_after_free"][0]
    expect(uaf["title"] == "WARNING: USE AFTER FREE" and [s["access"] for s in uaf["stacks"]] == ["read", "free"]
           and uaf["location"]["kind"] == "heap", f"use_after_free record {uaf}")
    leak = [r for r in recs if r["kind"] == "thread_leak"][0]
    expect(leak["leaked_threads"] == 2 and leak["leaked"] == [2, 3] and leak["stacks"][0]["role"] == "created"
           and leak["title"] == "WARNING: THREAD LEAK" and not leak["fatal"], f"thread_leak record {leak}")
    expect([r["thread_leaks"] for r in recs if r["kind"] == "summary" and r["program"].endswith("thread_leak")]
           == [1], "thread_leak summary")
    doc = json.loads(merge("--sarif", "-", "--source-root", source_root(), rw, rc=1, cwd=WORK).stdout)
    results = validate_sarif(doc, "kinds SARIF")
    by_rule = {r["ruleId"]: r for r in results}
    expect(sorted(by_rule) == ["data-race", "deadlock", "lock-order-inversion", "misuse/mutex-unlock-unlocked",
                              "thread-leak", "use-after-free"], f"rules {sorted(by_rule)}")
    by_rule["misuse"] = by_rule["misuse/mutex-unlock-unlocked"]
    expect(by_rule["use-after-free"]["level"] == "error" and by_rule["use-after-free"]["message"]["text"].startswith(
        "Use after free on a heap block of 64 bytes: read by thread 1 in main() at use_after_free.c:"),
        f"use-after-free: {by_rule['use-after-free']['message']}")
    expect(by_rule["deadlock"]["level"] == "error" and by_rule["misuse"]["level"] == "error"
           and by_rule["lock-order-inversion"]["level"] == "warning"
           and by_rule["thread-leak"]["level"] == "warning", "levels")
    expect(by_rule["thread-leak"]["message"]["text"].startswith(
        "Thread leak: 2 thread(s) finished and were never joined nor detached, thread 2 created in main() at "
        "thread_leak.c:"), f"thread-leak message {by_rule['thread-leak']['message']}")
    prog_dir = "tests/report_formats/programs/"
    for rule, file in (("deadlock", "deadlock.c"), ("lock-order-inversion", "lock_order.c"),
                       ("misuse", "misuse.c"), ("data-race", "fork_race.c"),
                       ("thread-leak", "thread_leak.c"), ("use-after-free", "use_after_free.c")):
        loc = by_rule[rule]["locations"][0]["physicalLocation"]["artifactLocation"]
        expect(loc == {"uri": prog_dir + file, "uriBaseId": "%SRCROOT%"}, f"{rule}: {loc}")
    expect(len(by_rule["deadlock"]["codeFlows"][0]["threadFlows"]) == 2, "deadlock: 2 thread flows")
    expect(len(by_rule["lock-order-inversion"]["codeFlows"][0]["threadFlows"]) == 4, "inversion: 4 flows")

    # The child of fork_race reported; the parent is clean.
    suite, cases = parse_junit(merge("--junit", "-", rw, rc=1, cwd=WORK).stdout, "kinds junit")
    fr = [c for c in cases if c.get("name").split(" ")[0] == "fork_race"]
    expect(len(fr) == 2 and sorted(c.find("failure") is not None for c in fr) == [False, True],
           "fork_race: parent and child testcases")
    # A thread leak is a warning: no failure unless --fail-on names it.
    tl = [c for c in cases if c.get("name").split()[0] == "thread_leak"]
    expect(len(tl) == 1 and tl[0].find("failure") is None, "thread_leak: a failure by default")
    suite, cases = parse_junit(merge("--junit", "-", "--fail-on", "all,thread_leak", rw, rc=1, cwd=WORK).stdout,
                               "kinds junit, leaks failing")
    tl = [c for c in cases if c.get("name").split()[0] == "thread_leak"]
    expect(len(tl) == 1 and tl[0].find("failure") is not None, "thread_leak: no failure with --fail-on thread_leak")
    watch(progs["thread_leak"], json_dir="rw_leak", rc=0)
    leak_dir = os.path.join(WORK, "rw_leak")
    out = merge("--text", leak_dir, rc=0, cwd=WORK).stdout.decode()
    expect("Found 1 thread leak(s)\n" in out and "PASS: no new report of the kinds in --fail-on (all)" in out,
           f"leaks alone, default --fail-on: {out[-300:]}")
    out = merge("--text", "--fail-on", "all,thread_leak", leak_dir, rc=1, cwd=WORK).stdout.decode()
    expect("FAIL: 1 new report(s) of the kinds in --fail-on (all,thread_leak)" in out, f"leaks failing: {out[-300:]}")

    # However the process ended, the race's record is there; only the
    # ways that run exit handlers leave a summary.
    for how, summary in (("exit", True), ("_exit", True), ("abort", False), ("kill", False)):
        d = os.path.join(WORK, "rw_" + how.strip("_"))
        recs = read_jsonl(merge("--json", "-", d, rc=1, cwd=WORK).stdout)
        expect([r["kind"] for r in recs if r["kind"] != "summary"] == ["data_race"], f"{how}: the race is lost")
        expect(any(r["kind"] == "summary" for r in recs) == summary, f"{how}: summary record {not summary}")
        out = merge("--text", d, rc=1, cwd=WORK).stdout.decode()
        expect(("without a summary" in out) != summary, f"{how}: summary line")


def race_records(d):
    """The kinds of the records under d (merge --json), summaries apart."""
    recs = read_jsonl(merge("--json", "-", d, cwd=WORK).stdout)
    return ([r["kind"] for r in recs if r["kind"] != "summary"],
            [r for r in recs if r["kind"] == "summary"])


def case_e2e_misuse_rules():
    """Misuse reports from real runs carry their own rule id: the JSON
    record's "rule", SARIF's misuse/<id> rule and JUnit's failure type
    (docs/misuse.md); the earlier call a misuse conflicts with is a
    second stack, role "previous"."""
    misuse_dir = os.path.join(HERE, "..", "misuse")
    want = {"signal_errno": {"signal-errno"},
            "sem_misuse": {"sem-post-overflow", "sem-use-destroyed"},
            "thread_misuse": {"thread-detach-twice", "thread-detach-joined", "thread-unknown"},
            "rwlock_unlock_unlocked": {"rwlock-unlock-unlocked"}}
    for n in want:
        watch(build(os.path.join(misuse_dir, n + ".c"), cflags=("-g", "-O1", "-pthread")),
              json_dir="rw", rc=2 if n == "rwlock_unlock_unlocked" else 66)
    rw = os.path.join(WORK, "rw")
    recs = [r for r in read_jsonl(merge("--json", "-", rw, rc=1, cwd=WORK).stdout) if r["kind"] == "misuse"]
    got = {}
    for r in recs:
        got.setdefault(os.path.basename(r["program"]), set()).add(r["rule"])
    expect(got == want, f"rules by program {got}")
    prev = [r for r in recs if r["rule"] == "sem-use-destroyed"]
    expect(prev and all([st["role"] for st in r["stacks"]] == ["at", "previous"] for r in prev),
           f"sem-use-destroyed stacks {[[st['role'] for st in r['stacks']] for r in prev]}")
    doc = json.loads(merge("--sarif", "-", "--source-root", source_root(), rw, rc=1, cwd=WORK).stdout)
    results = validate_sarif(doc, "misuse SARIF")
    ids = sorted({r["ruleId"] for r in results})
    expect(ids == sorted("misuse/" + i for v in want.values() for i in v), f"SARIF ruleIds {ids}")
    fatal = [r for r in results if r["ruleId"] == "misuse/rwlock-unlock-unlocked"]
    expect(len(fatal) == 1 and fatal[0]["level"] == "error", "the fatal misuse is an error")
    suite, cases = parse_junit(merge("--junit", "-", rw, rc=1, cwd=WORK).stdout, "misuse junit")
    types = sorted({f.get("type") for c in cases for f in c.findall("failure")})
    expect(types == ids, f"JUnit failure types {types}")


def case_e2e_never_lost():
    """However the process ends (exit, _exit, abort, SIGSEGV, SIGKILL it
    sends itself, SIGKILL or SIGTERM from outside, a test runner's
    timeout killing the whole process group), every report made before is
    in the JSON file and in the log (--log-path), whole."""
    prog = build(os.path.join(PROGRAMS, "race_then_end.c"))
    cases = []  # (name, records dir, log prefix, want summary)

    def dirs(name):
        d = os.path.join(WORK, name)
        os.makedirs(d)
        return d, os.path.join(d, "log")

    def flags(d, log):
        return ["--color=never", f"--json-path={d}/report", f"--log-path={log}"]

    # Ends of its own.
    for how, rc, summary in (("exit", 66, True), ("_exit", 3, True), ("abort", 128 + 6, False),
                             ("kill", 128 + 9, False), ("segv", 128 + 11, False)):
        d, log = dirs("own" + how)
        p = run([RACEWATCH, "run"] + flags(d, log) + [prog, how], timeout=60)
        expect(p.returncode == rc, f"{how}: exit {p.returncode}, want {rc}\n{p.stderr.decode()}")
        cases.append((how, d, log, summary))

    # Killed from outside while it sleeps after the race: the program alone
    # (SIGKILL), or its whole process group as a test runner does on a
    # timeout (meson: SIGTERM, then SIGKILL; here each alone).
    for how, target, sig in (("outside_kill", "program", signal.SIGKILL),
                             ("timeout_term", "group", signal.SIGTERM),
                             ("timeout_kill", "group", signal.SIGKILL)):
        d, log = dirs(how)
        ready = os.path.join(d, "ready")
        proc = subprocess.Popen([RACEWATCH, "run"] + flags(d, log) + [prog, "hang", ready],
                                env=clean_env(), cwd=WORK, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        for _ in range(600):
            if os.path.exists(ready):
                break
            time.sleep(0.05)
        else:
            os.killpg(proc.pid, signal.SIGKILL)
            fail(f"{how}: the program did not get to its sleep")
        if target == "program":
            pids = [int(f.split(".")[-3]) for f in os.listdir(d) if f.endswith(".jsonl")]
            expect(len(pids) == 1, f"{how}: records files {os.listdir(d)}")
            os.kill(pids[0], sig)
        else:
            os.killpg(proc.pid, sig)
        out, err = proc.communicate(timeout=60)
        if target == "program":
            expect(proc.returncode == 128 + sig and err.decode().endswith("signal: killed\n"),
                   f"{how}: exit {proc.returncode}, stderr {err[-300:]!r}")
        else:
            expect(proc.returncode in (-sig, 128 + sig), f"{how}: exit {proc.returncode}")
        cases.append((how, d, log, False))

    for how, d, log, summary in cases:
        kinds, summaries = race_records(d)
        expect(kinds == ["data_race"], f"{how}: records {kinds}, want the race's")
        expect(bool(summaries) == summary, f"{how}: summary record {bool(summaries)}, want {summary}")
        rec = [r for f in sorted(os.listdir(d)) if f.endswith(".jsonl")
               for r in read_jsonl(open(os.path.join(d, f), "rb").read()) if r["kind"] == "data_race"][0]
        logs = [f for f in os.listdir(d) if f.startswith("log.")]
        expect(len(logs) == 1, f"{how}: log files {logs}")
        with open(os.path.join(d, logs[0])) as f:
            text = f.read()
        expect(rec["text"] in text, f"{how}: the race's text is not whole in the log:\n{text}")
        expect(("Found 1 data race(s)" in text) == summary, f"{how}: summary line in the log:\n{text}")


def proc_start_time(pid):
    """Field 22 of /proc/PID/stat: the start time, in clock ticks after boot."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    return int(stat[stat.rindex(")") + 2:].split()[19])


def case_e2e_stale_records():
    """A JSON directory used again: files that earlier processes with the
    same pid left there (named the old way, report.<pid>.jsonl, and the
    current way with another start time), each holding a process that
    ended without a summary, are never appended to; the new process gets
    its own report.<pid>.<start>.jsonl, and merge counts it apart.  Racy
    and clean, built by racewatch-cc and plain gcc under LD_PRELOAD."""
    src = os.path.join(PROGRAMS, "wait_then_race.c")
    progs = {"cc": build(src, "wait_cc"),
             "preload": build(src, "wait_plain", cflags=("-g", "-O1", "-pthread"), cc=need("gcc"))}
    with open(os.path.join(FIXTURES, "new", "report.3001.jsonl")) as f:
        stale_race = json.loads(f.readline())
    for mode, prog in progs.items():
        for what in ("race", "clean"):
            d = os.path.join(WORK, f"rw_{mode}_{what}")
            os.makedirs(d)
            pidfile, go = os.path.join(d, "pid"), os.path.join(d, "go")
            proc = subprocess.Popen([RACEWATCH, "run", "--color=never", f"--json-path={d}/report",
                                     prog, pidfile, go, what],
                                    env=clean_env(), cwd=WORK, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(1000):
                if os.path.exists(pidfile):
                    break
                time.sleep(0.01)
            else:
                proc.kill()
                fail(f"{mode} {what}: the program did not write its pid")
            with open(pidfile) as f:
                pid = int(f.read())
            start = proc_start_time(pid)
            expect(start > 1000, f"start time {start}")
            # What a process of an earlier run with this pid left: a race,
            # no summary (it crashed), the same program.
            stale = dict(stale_race, pid=pid, program=os.path.realpath(prog))
            stale_text = (json.dumps(stale, separators=(",", ":")) + "\n").encode()
            stale_files = [os.path.join(d, f"report.{pid}.jsonl"),
                           os.path.join(d, f"report.{pid}.{start - 1000}.jsonl")]
            for path in stale_files:
                with open(path, "wb") as f:
                    f.write(stale_text)
            open(go, "w").close()
            out, err = proc.communicate(timeout=60)
            want_rc = 66 if what == "race" else 0
            expect(proc.returncode == want_rc, f"{mode} {what}: exit {proc.returncode}, want {want_rc}\n"
                   f"{err.decode(errors='replace')}")
            for path in stale_files:
                with open(path, "rb") as f:
                    expect(f.read() == stale_text, f"{mode} {what}: {os.path.basename(path)} was written to")
            own = f"report.{pid}.{start}.jsonl"
            files = sorted(f for f in os.listdir(d) if f.endswith(".jsonl"))
            expect(files == sorted([own] + [os.path.basename(p) for p in stale_files]),
                   f"{mode} {what}: files {files}, want the stale ones and {own}")
            kinds = [r["kind"] for r in read_jsonl(open(os.path.join(d, own), "rb").read())]
            want = ["data_race", "summary"] if what == "race" else ["summary"]
            expect(kinds == want, f"{mode} {what}: {own} holds {kinds}, want {want}")
            # Three processes: the two stale ones, crashed, and this one.
            out = merge("--text", d, rc=1, cwd=WORK).stdout.decode()
            n = 3 if what == "race" else 2
            expect(f"racewatch merge: 3 process(es), {n} with reports, 2 without a summary" in out,
                   f"{mode} {what}: merge summary:\n{out[out.index('racewatch merge:'):]}")


def case_e2e_command_names():
    """Real records carry the command line the process was started with
    (argv), even after the program overwrote its arguments in memory (a
    process title); JUnit names each process by it.  Racy and clean,
    built by racewatch-cc and plain gcc under LD_PRELOAD."""
    src = os.path.join(PROGRAMS, "renamed_race.c")
    progs = {"cc": build(src, "renamed_race"),
             "preload": build(src, "renamed_plain", cflags=("-g", "-O1", "-pthread"), cc=need("gcc"))}
    for mode, prog in progs.items():
        base = os.path.basename(prog)
        for what in ("race", "clean"):
            d = os.path.join(WORK, f"rw_{mode}_{what}")
            args = [what, "--case", "two words", ""]
            watch(prog, args, json_dir=os.path.basename(d), rc=66 if what == "race" else 0)
            recs = [r for f in sorted(os.listdir(d)) for r in read_jsonl(open(os.path.join(d, f), "rb").read())]
            kinds = [r["kind"] for r in recs]
            want = ["data_race", "summary"] if what == "race" else ["summary"]
            expect(kinds == want, f"{mode} {what}: records {kinds}, want {want}")
            for r in recs:
                expect(r.get("argv") == [prog] + args and "argv_truncated" not in r,
                       f"{mode} {what}: {r['kind']} record's argv {r.get('argv')}, want {[prog] + args}")
            suite, cases = parse_junit(merge("--junit", "-", d, rc=1 if what == "race" else 0, cwd=WORK).stdout,
                                       f"{mode} {what} junit")
            names = [(c.get("name"), c.find("failure") is not None) for c in cases]
            want_name = f"{base} {what} --case 'two words' ''"
            expect(names == [(want_name, what == "race")], f"{mode} {what}: testcases {names}, want {want_name!r}")


FP_RACES_C = r"""
#include <pthread.h>
int alpha, beta;
static void *one(void *arg) {
    (void)arg;
    alpha++;
    beta++;
    return 0;
}
static void *two(void *arg) {
    (void)arg;
    alpha++;
    beta++;
    return 0;
}
int main(void) {
    pthread_t a, b;
    pthread_create(&a, 0, one, 0);
    pthread_create(&b, 0, two, 0);
    pthread_join(a, 0);
    pthread_join(b, 0);
    return 0;
}
"""


def case_e2e_fingerprint_stable():
    """The same races give the same fingerprints in another run and after
    an edit that only moves lines (blank lines inserted); two races in the
    same pair of functions on different globals keep two fingerprints;
    SARIF's partialFingerprints is the record's fingerprint."""
    src_dir = os.path.join(WORK, "src")
    os.makedirs(os.path.join(src_dir, "moved"))
    plain = os.path.join(src_dir, "fp.c")
    with open(plain, "w") as f:
        f.write(FP_RACES_C)
    moved = os.path.join(src_dir, "moved", "fp.c")  # same basename, lines shifted
    with open(moved, "w") as f:
        f.write("\n\n\n" + FP_RACES_C.replace("\nstatic void *two", "\n\n\n\nstatic void *two")
                .replace("int main", "\n\nint main"))
    progs = {"plain": build(plain, "fp_plain"), "moved": build(moved, "fp_moved")}

    def fingerprints(name, n):
        d = os.path.join(WORK, f"rw_{name}_{n}")
        watch(progs[name], json_dir=os.path.basename(d), rc=66)
        recs = [r for f in sorted(os.listdir(d)) for r in read_jsonl(open(os.path.join(d, f), "rb").read())
                if r["kind"] == "data_race"]
        got = {}
        for r in recs:
            got.setdefault(r["location"]["name"], set()).add(r["fingerprint"])
            lines = {fr["line"] for st in r["stacks"] for fr in st["frames"][:1]}
            got.setdefault("_lines", set()).update(lines)
        return got, d

    a, d_plain = fingerprints("plain", 1)
    b, _ = fingerprints("plain", 2)
    c, d_moved = fingerprints("moved", 1)
    expect(sorted(k for k in a if k != "_lines") == ["alpha", "beta"], f"races on {sorted(a)}")
    for g in ("alpha", "beta"):
        expect(len(a[g]) == 1, f"{g}: {len(a[g])} fingerprints in one run: {a[g]}")
        expect(a[g] == b[g], f"{g}: another run, another fingerprint: {a[g]} {b[g]}")
        expect(a[g] == c[g], f"{g}: lines moved, fingerprint changed: {a[g]} {c[g]}")
    expect(a["alpha"] != a["beta"], "the races on alpha and beta share a fingerprint")
    expect(a["_lines"] != c["_lines"], f"the edit did not move the racing lines: {a['_lines']}")

    # One alert in SARIF across both builds; its fingerprint is the records'.
    doc = json.loads(merge("--sarif", "-", d_plain, d_moved, rc=1, cwd=WORK).stdout)
    results = validate_sarif(doc, "fingerprint SARIF")
    fps = sorted(r["partialFingerprints"]["racewatchFingerprint/v1"] for r in results)
    expect(fps == sorted(a["alpha"] | a["beta"]), f"SARIF fingerprints {fps}, records {a}")
    expect(all(r["occurrenceCount"] == 2 for r in results), "each race not folded across the builds")


def case_e2e_summary_counts():
    """Fatal reports are counted where summaries are: the runtime's text
    ("Found 1 deadlock(s)", "Found 1 misuse error(s)"), its JSON summary
    record (deadlocks, misuse, program_exit_status) and merge's JUnit."""
    progs = {n: build(os.path.join(PROGRAMS, n + ".c")) for n in ("deadlock", "misuse", "race_then_end")}
    p = watch(progs["deadlock"], json_dir="dl", rc=2)
    expect(b"\nFound 1 deadlock(s)\nexit status 2\n" in p.stderr, f"deadlock: {p.stderr[-300:]!r}")
    p = watch(progs["misuse"], json_dir="mis", rc=2)
    expect(b"\nFound 1 misuse error(s)\nexit status 2\n" in p.stderr, f"misuse: {p.stderr[-300:]!r}")
    watch(progs["race_then_end"], json_dir="race", rc=66)
    want = {"dl": dict(races=0, deadlocks=1, potential_deadlocks=0, misuse=0, program_exit_status=2, exit_status=2),
            "mis": dict(races=0, deadlocks=0, potential_deadlocks=0, misuse=1, program_exit_status=2, exit_status=2),
            "race": dict(races=1, deadlocks=0, potential_deadlocks=0, misuse=0, program_exit_status=0,
                         exit_status=66)}
    for d, counts in want.items():
        kinds, summaries = race_records(os.path.join(WORK, d))
        expect(len(summaries) == 1, f"{d}: {len(summaries)} summary records")
        got = {k: summaries[0].get(k) for k in counts}
        expect(got == counts, f"{d}: summary {got}, want {counts}")
    suite, cases = parse_junit(merge("--junit", "-", os.path.join(WORK, "dl"), rc=1, cwd=WORK).stdout, "dl junit")
    out = cases[0].find("system-out").text
    expect("counted 0 data race(s), 1 deadlock(s), 0 potential deadlock(s), 0 misuse report(s)" in out,
           f"junit system-out: {out!r}")
    out = merge("--text", os.path.join(WORK, "dl"), os.path.join(WORK, "mis"), rc=1, cwd=WORK).stdout.decode()
    expect("2 process(es), 2 with reports\nFound 1 deadlock(s)\nFound 1 misuse report(s)\n" in out,
           f"merge counts:\n{out[out.index('racewatch merge:'):]}")


# ------------------------------------------------------ test-runner recipes

def recipe_copy():
    proj = os.path.join(WORK, "proj")
    shutil.copytree(os.path.join(HERE, "recipe_project"), proj)
    return proj


def check_recipe(proj, rw, runner):
    """The records of one run of the recipe project's two tests."""
    files = sorted(os.listdir(rw))
    p = merge("--text", "--junit", os.path.join(WORK, "junit.xml"), "--sarif", os.path.join(WORK, "r.sarif"),
              "--source-root", proj, rw, rc=1, cwd=proj)
    out = p.stdout.decode()
    expect(out.count("WARNING: DATA RACE") == 1 and "test_race.c:12" in out,
           f"{runner}: the race of test_race.c:12 not found ({files}):\n{out}")
    with open(os.path.join(WORK, "junit.xml"), "rb") as f:
        suite, cases = parse_junit(f.read(), runner)
    got = sorted((c.get("name").split(" ")[0], c.find("failure") is not None) for c in cases)
    expect(got == [("test_clean", False), ("test_race", True)], f"{runner}: testcases {got}")
    with open(os.path.join(WORK, "r.sarif")) as f:
        results = validate_sarif(json.load(f), runner)
    loc = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]
    expect(loc == {"uri": "tests/test_race.c", "uriBaseId": "%SRCROOT%"}, f"{runner}: location {loc}")
    # Fail only on new reports: baseline this run, and the next one passes.
    base = os.path.join(proj, "racewatch.baseline")
    merge("--write-baseline", base, rw, rc=1, cwd=proj)
    merge("--baseline", base, rw, rc=0, cwd=proj)


def ci_md_block(heading):
    """The first ```sh block after the '### heading' line of docs/ci.md."""
    with open(os.path.join(source_root(), "docs", "ci.md")) as f:
        text = f.read()
    m = re.search(r"^### " + re.escape(heading) + r"\n(.*?)^```sh\n(.*?)^```", text, re.M | re.S)
    expect(m, f"docs/ci.md: no sh block under '### {heading}'")
    return m.group(2)


def doc_commands(block):
    """The commands of a block: continuation lines joined, comments dropped."""
    cmds, cur = [], ""
    for line in block.splitlines():
        if not cur and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.endswith("\\"):
            cur += line[:-1]
            continue
        cmds.append(" ".join((cur + line).split()) if cur else line)
        cur = ""
    return cmds


def run_doc_block(block, cwd):
    """A documented block, run by bash -e in cwd as a user would paste it."""
    return run(["bash", "--noprofile", "--norc", "-e", "-c", block], env=clean_env(), cwd=cwd, timeout=300)


def need(tool):
    path = shutil.which(tool)
    if path is None:
        raise Skip(f"{tool} not found")
    return path


def meson_command():
    intro = os.environ.get("MESONINTROSPECT")
    if intro:
        words = shlex.split(intro)
        if words and words[-1] == "introspect":
            return words[:-1]
    return [need("meson")]


def case_recipe_meson():
    need("ninja")
    proj = recipe_copy()
    rw = os.path.join(proj, "racewatch")
    env = clean_env(CC="racewatch-cc")
    meson = meson_command()
    p = run(meson + ["setup", "build"], env=env, cwd=proj, timeout=300)
    expect(p.returncode == 0, f"meson setup:\n{p.stdout.decode()}\n{p.stderr.decode()}")
    os.makedirs(rw)
    wrapper = f"racewatch run --exitcode=0 --json-path={rw}/report"
    p = run(meson + ["test", "-C", "build", "--wrapper", wrapper], env=clean_env(), cwd=proj, timeout=300)
    expect(p.returncode == 0, f"meson test (the tests pass; races are merge's business):\n"
           f"{p.stdout.decode()}\n{p.stderr.decode()}")
    check_recipe(proj, rw, "meson test --wrapper")
    # A per-test gate (docs/ci.md, "Baselines"): racewatch run --baseline
    # as the wrapper; the race is known, every test passes; with an empty
    # baseline it is new and its test fails.
    base = os.path.join(proj, "racewatch.baseline")
    p = run(meson + ["test", "-C", "build", "--wrapper", f"racewatch run --baseline {base}"],
            env=clean_env(), cwd=proj, timeout=300)
    expect(p.returncode == 0, f"meson test --wrapper 'racewatch run --baseline': exit {p.returncode}\n"
           f"{p.stdout.decode()}\n{p.stderr.decode()}")
    empty = os.path.join(WORK, "empty.baseline")
    open(empty, "w").close()
    p = run(meson + ["test", "-C", "build", "--wrapper", f"racewatch run --baseline {empty}"],
            env=clean_env(), cwd=proj, timeout=300)
    expect(p.returncode != 0 and re.search(rb"test_race\s+FAIL", p.stdout),
           f"meson test with an empty baseline: exit {p.returncode}\n{p.stdout.decode()}")
    # The block of docs/ci.md itself, word for word, in a fresh copy.
    need("meson")
    proj = os.path.join(WORK, "doc")
    shutil.copytree(os.path.join(HERE, "recipe_project"), proj)
    p = run_doc_block(ci_md_block("meson"), proj)
    expect(p.returncode == 0, f"docs/ci.md meson block: exit {p.returncode}\n{p.stdout.decode()}{p.stderr.decode()}")
    check_recipe(proj, os.path.join(proj, "racewatch"), "docs/ci.md meson block")


def case_recipe_ctest():
    cmake = need("cmake")
    ctest = need("ctest")
    proj = recipe_copy()
    rw = os.path.join(proj, "racewatch")
    os.makedirs(rw)
    launcher = f"{RACEWATCH};run;--exitcode=0;--json-path={rw}/report"
    out = run([cmake, "--version"], check_rc=0).stdout.decode()
    ver = tuple(int(x) for x in re.search(r"(\d+)\.(\d+)", out).groups())
    # CMake >= 3.29 has a test launcher; older ones run every test through
    # the cross-compiling emulator, cross-compiling or not.
    var = "CMAKE_TEST_LAUNCHER" if ver >= (3, 29) else "CMAKE_CROSSCOMPILING_EMULATOR"
    p = run([cmake, "-S", ".", "-B", "build", "-DCMAKE_C_COMPILER=racewatch-cc",
             "-DCMAKE_BUILD_TYPE=RelWithDebInfo", f"-D{var}={launcher}"],
            env=clean_env(), cwd=proj, timeout=300)
    expect(p.returncode == 0, f"cmake:\n{p.stdout.decode()}\n{p.stderr.decode()}")
    run([cmake, "--build", "build"], cwd=proj, check_rc=0, timeout=300)
    p = run([ctest, "--test-dir", "build", "--output-on-failure"], cwd=proj, timeout=300)
    expect(p.returncode == 0, f"ctest:\n{p.stdout.decode()}\n{p.stderr.decode()}")
    check_recipe(proj, rw, f"ctest with {var}")
    # The block of docs/ci.md itself, with the cmake line for this
    # CMake's version (the block shows both, "set only one").
    proj = os.path.join(WORK, "doc")
    shutil.copytree(os.path.join(HERE, "recipe_project"), proj)
    cmds = [c for c in doc_commands(ci_md_block("CMake and CTest"))
            if not c.startswith("cmake -S") or var in c]
    expect(sum(c.startswith("cmake -S") for c in cmds) == 1, f"docs/ci.md CMake block: {cmds}")
    block = "\n".join(cmds) + "\n"
    p = run_doc_block(block, proj)
    expect(p.returncode == 0, f"docs/ci.md CMake block: exit {p.returncode}\n{p.stdout.decode()}{p.stderr.decode()}")
    check_recipe(proj, os.path.join(proj, "racewatch"), f"docs/ci.md CMake block ({var})")
    # Every test command starts with racewatch's absolute path: ctest does
    # not depend on its PATH to find it.
    with open(os.path.join(proj, "build", "CTestTestfile.cmake")) as f:
        tests = [shlex.split(line[len("add_test("):].rstrip(")\n")) for line in f if line.startswith("add_test(")]
    expect(len(tests) == 2 and all(t[1] == RACEWATCH and t[2] == "run" for t in tests),
           f"docs/ci.md CMake block: test commands {tests}, want {RACEWATCH} run ... first")
    # Without racewatch on PATH (racewatch-cc still is), the block stops
    # at once with one message, before CMake runs.
    proj = os.path.join(WORK, "nopath")
    shutil.copytree(os.path.join(HERE, "recipe_project"), proj)
    cc_only = os.path.join(WORK, "cc_only")
    os.makedirs(cc_only)
    os.symlink(CC, os.path.join(cc_only, "racewatch-cc"))
    env = clean_env()
    env["PATH"] = ":".join([cc_only] + [d for d in env["PATH"].split(":")
                                        if d and not os.path.exists(os.path.join(d, "racewatch"))])
    p = run(["bash", "--noprofile", "--norc", "-e", "-c", block], env=env, cwd=proj, timeout=300)
    expect(p.returncode != 0 and p.stderr == b"racewatch is not on PATH\n"
           and not os.path.exists(os.path.join(proj, "build")),
           f"docs/ci.md CMake block without racewatch on PATH: exit {p.returncode}, want a failure with "
           f"one message before cmake\n{p.stdout.decode()}{p.stderr.decode()}")


def case_recipe_make():
    make = need("make")
    proj = recipe_copy()
    rw = os.path.join(proj, "racewatch")
    os.makedirs(rw)
    env = clean_env(RACEWATCH_OPTIONS=f"exitcode=0 json_path={rw}/report")
    p = run([make, "check", "CC=racewatch-cc"], env=env, cwd=proj, timeout=300)
    expect(p.returncode == 0 and b"PASS: test_race" in p.stdout,
           f"make check:\n{p.stdout.decode()}\n{p.stderr.decode()}")
    check_recipe(proj, rw, "make check")
    # The block of docs/ci.md itself, word for word, in a fresh copy.
    proj = os.path.join(WORK, "doc")
    shutil.copytree(os.path.join(HERE, "recipe_project"), proj)
    p = run_doc_block(ci_md_block("make check"), proj)
    expect(p.returncode == 0 and b"PASS: test_race" in p.stdout,
           f"docs/ci.md make block: exit {p.returncode}\n{p.stdout.decode()}{p.stderr.decode()}")
    check_recipe(proj, os.path.join(proj, "racewatch"), "docs/ci.md make block")


def case_recipe_shell():
    proj = recipe_copy()
    rw = os.path.join(proj, "racewatch")
    p = run(["./run-tests.sh", "--text"], env=clean_env(RW_DIR=rw), cwd=proj, timeout=300)
    expect(p.returncode == 1 and b"FAIL: 1 new report(s)" in p.stdout,
           f"run-tests.sh: exit {p.returncode}, want 1 (a new race):\n{p.stdout.decode()}\n{p.stderr.decode()}")
    check_recipe(proj, rw, "shell loop")
    # With the baseline in place, the same loop passes.
    shutil.rmtree(rw)
    p = run(["./run-tests.sh", "--baseline", "racewatch.baseline"], env=clean_env(RW_DIR=rw), cwd=proj,
            timeout=300)
    expect(p.returncode == 0, f"run-tests.sh with the baseline: exit {p.returncode}\n{p.stderr.decode()}")
    # The loop of docs/ci.md itself, word for word, over tests built into
    # build/tests/ (where it looks for them): exit 1, the merge's verdict
    # on the new race.
    proj = os.path.join(WORK, "doc")
    shutil.copytree(os.path.join(HERE, "recipe_project"), proj)
    os.makedirs(os.path.join(proj, "build", "tests"))
    for name in ("test_race", "test_clean"):
        run([CC, "-g", "-O1", "-pthread", "-o", os.path.join(proj, "build", "tests", name),
             os.path.join(proj, "tests", name + ".c")], check_rc=0)
    p = run_doc_block(ci_md_block("A plain shell loop"), proj)
    expect(p.returncode == 1 and b"FAIL: 1 new report(s)" in p.stdout,
           f"docs/ci.md shell loop: exit {p.returncode}, want 1\n{p.stdout.decode()}{p.stderr.decode()}")
    check_recipe(proj, os.path.join(proj, "racewatch"), "docs/ci.md shell loop")


def ci_file(name):
    try:
        import yaml
    except ImportError:
        raise Skip("python3 module yaml missing (Debian: python3-yaml)")
    with open(os.path.join(source_root(), "docs", "ci", name)) as f:
        return yaml.safe_load(f)


def case_ci_examples():
    """The shell steps of docs/ci/*.yml, run for real on the recipe
    project (installing racewatch and uploading are left out)."""
    need("ninja")
    need("meson")  # the workflows call it by name
    gh = ci_file("github-actions.yml")
    gl = ci_file("gitlab-ci.yml")
    steps = {st.get("name"): st.get("run") for st in gh["jobs"]["racewatch"]["steps"]}

    # GitHub: each step is "bash -e {0}" in the workspace.
    proj = recipe_copy()
    env = clean_env(GITHUB_WORKSPACE=proj)

    def gh_step(name):
        return run(["bash", "--noprofile", "--norc", "-e", "-c", steps[name]], env=env, cwd=proj, timeout=300)

    for name in ("Build with racewatch-cc", "Test under racewatch"):
        p = gh_step(name)
        expect(p.returncode == 0, f"github step {name!r}: exit {p.returncode}\n{p.stdout.decode()}\n{p.stderr.decode()}")
    p = gh_step("Merge the reports")
    expect(p.returncode == 1 and b"FAIL: 1 new report(s)" in p.stdout,
           f"github merge step: exit {p.returncode}, want 1 (a new race)\n{p.stdout.decode()}{p.stderr.decode()}")
    for f in ("racewatch.sarif", "racewatch-junit.xml", "racewatch-merged.jsonl"):
        expect(os.path.exists(os.path.join(proj, f)), f"github: no {f}")
    with open(os.path.join(proj, "racewatch.sarif")) as f:
        results = validate_sarif(json.load(f), "github SARIF")
    loc = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]
    expect(loc == {"uri": "tests/test_race.c", "uriBaseId": "%SRCROOT%"}, f"github: location {loc}")
    merge("--write-baseline", ".racewatch-baseline", "racewatch", rc=1, cwd=proj)
    p = gh_step("Merge the reports")
    expect(p.returncode == 0, f"github merge step with the baseline: exit {p.returncode}\n{p.stderr.decode()}")

    # GitLab: the script lines in one shell that stops at the first failure.
    proj = os.path.join(WORK, "gl")
    shutil.copytree(os.path.join(HERE, "recipe_project"), proj)
    script = "set -e\n" + "\n".join(gl["racewatch"]["script"]) + "\n"
    env = clean_env(CI_PROJECT_DIR=proj)
    p = run(["bash", "--noprofile", "--norc", "-c", script], env=env, cwd=proj, timeout=300)
    expect(p.returncode == 1 and b"FAIL: 1 new report(s)" in p.stdout,
           f"gitlab script: exit {p.returncode}, want 1 (a new race)\n{p.stdout.decode()}{p.stderr.decode()}")
    with open(os.path.join(proj, gl["racewatch"]["artifacts"]["reports"]["junit"]), "rb") as f:
        parse_junit(f.read(), "gitlab junit")
    for f in gl["racewatch"]["artifacts"]["paths"]:
        expect(os.path.exists(os.path.join(proj, f)), f"gitlab: no artifact {f}")
    merge("--write-baseline", ".racewatch-baseline", "racewatch", rc=1, cwd=proj)
    shutil.rmtree(os.path.join(proj, "build"))
    shutil.rmtree(os.path.join(proj, "racewatch"))
    p = run(["bash", "--noprofile", "--norc", "-c", script], env=env, cwd=proj, timeout=300)
    expect(p.returncode == 0, f"gitlab script with the baseline: exit {p.returncode}\n{p.stdout.decode()}{p.stderr.decode()}")


# ------------------------------------------------------------------ main

def main():
    global RACEWATCH, CC, LIB, WORK
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    case, RACEWATCH, CC = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    LIB = os.path.abspath(sys.argv[4]) if len(sys.argv) > 4 else None
    fn = globals().get("case_" + case)
    if fn is None:
        print(f"unknown case {case}", file=sys.stderr)
        return 2
    WORK = tempfile.mkdtemp(prefix=f"rwfmt-{case}-")
    os.makedirs(os.path.join(WORK, "tmp"))
    try:
        fn()
    except Skip as e:
        print(f"SKIP {case}: {e}")
        shutil.rmtree(WORK, ignore_errors=True)
        return 77
    except (AssertionError, subprocess.TimeoutExpired) as e:
        print(f"FAIL {case}: {e}", file=sys.stderr)
        print(f"(work directory kept: {WORK})", file=sys.stderr)
        return 1
    shutil.rmtree(WORK, ignore_errors=True)
    print(f"PASS {case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
