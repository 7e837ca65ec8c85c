"""The CI report formats of `hivelint check` (run by tests/scripts/ci_formats.sh under ctest).

Every sample hive, alone and as one directory batch, plus unreadable inputs and hostile file names: the SARIF output
validates against the SARIF 2.1.0 JSON schema (python3-jsonschema) and says what the JSON report says (one result per
failing rule without items, one per item, level from the severity, the key as a logical location, errors as
toolExecutionNotifications); the JUnit output is well-formed XML whose suites and counts match the JSON report; the
exit code is the same for json, sarif and junit.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import jsonschema

HIVELINT, SRC, WORK = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
failures = []
checks = 0
LEVEL = {"error": "error", "warning": "warning", "info": "note"}

shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
with open(os.path.join(SRC, "tests/schemas/sarif/sarif-schema-2.1.0.json"), encoding="utf-8") as f:
    SCHEMA = json.load(f)
jsonschema.Draft4Validator.check_schema(SCHEMA)
VALIDATOR = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def expect(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(*args):
    p = subprocess.run([HIVELINT, "check", *args], capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr


def uri_ok(uri):
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/%:")
    return all(c in allowed for c in uri) and ":" not in uri.replace("file:///", "", 1)


def expected_sarif_results(doc):
    """(rule, level, key or None) for every SARIF result the JSON document implies."""
    out = []
    for r in doc["results"]:
        items = r["details"].get("items")
        if r["status"] == "error":
            continue
        if items:
            out += [(r["rule"], LEVEL[i["severity"]], i["key"]) for i in items]
        elif r["status"] == "fail":
            keys = [c["key"] for c in r["details"]["checks"] if c["reason"] != "ok"] or [None]
            out += [(r["rule"], LEVEL[r["severity"]], k) for k in keys]
    return out


def check_sarif(label, args, doc, code):
    rc, out, _ = run(*args, "--format", "sarif")
    expect(rc == code, f"{label}: sarif exit {rc}, json exit {code}")
    sarif = json.loads(out)
    errors = sorted(VALIDATOR.iter_errors(sarif), key=lambda e: list(e.path))
    expect(not errors, f"{label}: SARIF not valid against the 2.1.0 schema: "
                       + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:3]))
    expect(sarif["version"] == "2.1.0" and len(sarif["runs"]) == 1, f"{label}: one SARIF 2.1.0 run")
    run0 = sarif["runs"][0]
    rules = run0["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    expect(set(ids) >= {r["rule"] for r in doc["results"]}, f"{label}: every rule reported is a driver rule")
    for rule in rules:
        expect(rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"],
               f"{label}: rule {rule['id']} has descriptions and help")
        if any("https://" in ref for ref in rule["properties"]["references"]):
            expect(rule.get("helpUri", "").startswith("https://"), f"{label}: rule {rule['id']} has a helpUri")
    got = []
    for res in run0["results"]:
        expect(ids[res["ruleIndex"]] == res["ruleId"], f"{label}: ruleIndex points at ruleId")
        loc = res["locations"][0]
        uri = loc["physicalLocation"]["artifactLocation"]["uri"]
        expect(uri_ok(uri), f"{label}: artifact uri {uri!r} is percent-encoded")
        logical = loc.get("logicalLocations", [{}])[0]
        key = logical.get("fullyQualifiedName")
        if key is not None:
            expect(key.startswith("HKLM\\SYSTEM\\ControlSet"), f"{label}: logical location {key} is a registry path")
            expect(logical["kind"] == "object", f"{label}: logical location kind object")
            key = key[len("HKLM\\SYSTEM\\"):]
        got.extend((res["ruleId"], res["level"], key) for _ in loc.get("logicalLocations", [{}])[:1])
        for extra in res["locations"][1:]:
            got.append((res["ruleId"], res["level"], extra["logicalLocations"][0]["fullyQualifiedName"][len("HKLM\\SYSTEM\\"):]))
    expect(sorted(got, key=str) == sorted(expected_sarif_results(doc), key=str),
           f"{label}: SARIF results {sorted(got, key=str)} != {sorted(expected_sarif_results(doc), key=str)}")
    inv = run0["invocations"][0]
    expect(inv["exitCode"] == code and inv["executionSuccessful"] == (code != 3), f"{label}: invocation exit code")
    unreadable = [h for h in doc["hives"] if h["error"]]
    rule_errors = [r for r in doc["results"] if r["status"] == "error" and r["hive"] not in {h["hive"] for h in unreadable}]
    input_errors = [e for e in doc["errors"] if e["hive"] is None]
    notes = inv["toolExecutionNotifications"]
    expect(len(notes) == len(unreadable) + len(rule_errors) + len(input_errors),
           f"{label}: {len(notes)} notifications for {len(unreadable)} unreadable hives, {len(rule_errors)} rule errors, "
           f"{len(input_errors)} input errors")
    for n in notes:
        expect(n["level"] == "error" and n["message"]["text"], f"{label}: notification is an error with a message")
    return sarif


def check_junit(label, args, doc, code, hive_count):
    rc, out, _ = run(*args, "--format", "junit")
    expect(rc == code, f"{label}: junit exit {rc}, json exit {code}")
    try:
        root = ET.fromstring(out.encode("utf-8"))
    except ET.ParseError as e:
        expect(False, f"{label}: JUnit is not well-formed XML: {e}")
        return
    expect(root.tag == "testsuites", f"{label}: root element testsuites")
    suites = root.findall("testsuite")
    input_errors = [e for e in doc["errors"] if e["hive"] is None]
    expect(len(suites) == hive_count + (1 if input_errors else 0),
           f"{label}: {len(suites)} testsuites for {hive_count} hives")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for s in suites:
        cases = s.findall("testcase")
        real = {"tests": len(cases), "failures": sum(1 for c in cases if c.find("failure") is not None),
                "errors": sum(1 for c in cases if c.find("error") is not None),
                "skipped": sum(1 for c in cases if c.find("skipped") is not None)}
        for k, v in real.items():
            expect(int(s.get(k)) == v, f"{label}: suite {s.get('name')} says {k}={s.get(k)}, has {v}")
            totals[k] += v
        names = [c.get("name") for c in cases]
        expect(len(set(names)) == len(names), f"{label}: testcase names unique in suite {s.get('name')}")
    for k, v in totals.items():
        expect(int(root.get(k)) == v, f"{label}: testsuites says {k}={root.get(k)}, has {v}")
    summary = doc["summary"]
    expect(totals["tests"] == len(doc["results"]) + len(input_errors), f"{label}: one testcase per result")
    expect(totals["failures"] == summary["fail"], f"{label}: failures == fail results")
    expect(totals["errors"] == summary["error"] + len(input_errors), f"{label}: errors == error results")
    expect(totals["skipped"] == summary["not_applicable"], f"{label}: skipped == not_applicable results")
    # Each failure names what is missing: the missing names and the items.
    # Suites are in input order, as the JSON report's hives (whose names JSON and XML escape differently).
    hive_index = {}
    for n, h in enumerate(doc["hives"]):
        hive_index.setdefault(h["hive"], n)
    bodies = {}
    for n, s in enumerate(suites):
        for c in s.findall("testcase"):
            f = c.find("failure")
            if f is not None:
                bodies.setdefault(n, []).append((c.get("name"), f.get("message"), f.text or ""))
    for r in doc["results"]:
        if r["status"] != "fail":
            continue
        name = r["rule"] + (" " + r["control_set"] if r["control_set"] else "")
        match = [b for b in bodies.get(hive_index[r["hive"]], []) if b[0] == name]
        expect(len(match) == 1, f"{label}: a failure for {r['hive']} {name}")
        if match:
            body = match[0][2]
            expect(match[0][1] == r["message"], f"{label}: failure message is the result's message")
            for m in r["details"]["missing"]:
                expect(m in body, f"{label}: failure of {name} names missing {m}")
            for it in r["details"].get("items", []):
                expect(it["name"] in body, f"{label}: failure of {name} names item {it['name']}")


def check_all(label, args, hive_count):
    rc, out, _ = run(*args, "--format", "json")
    doc = json.loads(out)
    check_sarif(label, args, doc, rc)
    check_junit(label, args, doc, rc, hive_count)
    return doc, rc


samples = sorted(glob.glob(os.path.join(SRC, "samples/hives/*.hiv")))
expect(len(samples) >= 15, f"{len(samples)} sample hives found")
seen_levels, seen_codes = set(), set()
for hive in samples:
    rel = os.path.relpath(hive, SRC)
    for cs in ("current", "all"):
        doc, rc = check_all(f"{rel} --control-set {cs}", [rel, "--control-set", cs], 1)
        seen_codes.add(rc)
        seen_levels |= {lvl for _, lvl, _ in expected_sarif_results(doc)}
# The samples cover every exit code and level, so each mapping above was exercised.
expect(seen_codes == {0, 1, 3}, f"samples give exit codes {sorted(seen_codes)}")
expect({"error", "warning"} <= seen_levels, f"samples give SARIF levels {sorted(seen_levels)}")

# --fail-on warning: warning items fail the result; the SARIF levels stay the items' own.
check_all("service-start-faults --fail-on warning",
          ["samples/hives/service-start-faults.hiv", "--fail-on", "warning"], 1)
# One directory batch: a suite per hive.
check_all("samples/hives directory", ["samples/hives", "--jobs", "2"], len(samples))

# Unreadable inputs: a missing path and a file that is not a hive (named explicitly, it is an error), in a batch.
junk = os.path.join(WORK, "junk.hiv")
with open(junk, "wb") as f:
    f.write(b"regf" + b"\0" * 100)
doc, rc = check_all("unreadable", ["samples/hives/no-exchange.hiv", os.path.join(WORK, "missing.hiv"), junk], 3)
expect(rc == 3, "unreadable hives exit 3")
# An empty directory: nothing checked is an input error (exit 3), never an empty green report.
os.makedirs(os.path.join(WORK, "empty"))
doc, rc = check_all("empty directory", [os.path.join(WORK, "empty")], 0)
expect(rc == 3, "an empty directory exits 3")

# Hostile file names: spaces, URI delimiters, XML markup and a byte that is not UTF-8, relative and absolute.
hostile = os.path.join(WORK, "hostile")
os.makedirs(hostile)
for n, name in enumerate([b"a b#c?d.hiv", b"x:y&<z>\"'.hiv", b"bad\xff\x1bname.hiv"]):
    shutil.copy(samples[n * 3], os.path.join(hostile.encode(), name))
check_all("hostile names (absolute)", [hostile], 3)
old = os.getcwd()
os.chdir(WORK)
try:
    check_all("hostile names (relative)", ["hostile"], 3)
finally:
    os.chdir(old)

print(f"ci_formats: {checks} checks, {len(failures)} failures")
sys.exit(1 if failures else 0)
