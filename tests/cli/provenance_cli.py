"""Provenance of every report (run by tests/scripts/provenance.sh under ctest).

Each expectation is computed independently of hivelint: hashes with Python's hashlib, sizes and times with
os.stat, the rule manifest as `sha256sum *.json` prints it.
"""
import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

HIVELINT, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
SHARED = os.environ.get("HIVELINT_SHARED_DIR", os.path.join(SRC, "..", "shared"))
SAMPLES = os.path.join(SRC, "samples", "hives")
failures = []
checks = 0


def run(*args):
    p = subprocess.run([HIVELINT, *args], capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def expect(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def mtime(path):
    st = os.stat(path)
    t = datetime.datetime.fromtimestamp(st.st_mtime_ns // 10**9, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%09dZ" % (st.st_mtime_ns % 10**9)


def expect_file(facts, path, what):
    expect(facts is not None and facts["path"] == path, "%s: path %r" % (what, facts and facts.get("path")))
    if facts is None:
        return
    expect(facts["size"] == os.path.getsize(path), "%s: size %r" % (what, facts["size"]))
    expect(facts["sha256"] == sha256(path), "%s: sha256 %r" % (what, facts["sha256"]))
    expect(facts["mtime"] == mtime(path), "%s: mtime %r, stat says %r" % (what, facts["mtime"], mtime(path)))


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
version = run("--version")[1].split()[-1]
libregf_version = None
# A hive whose name holds a space, a quote and an ESC sequence: argv must come back exact in JSON and harmless in text.
hive = os.path.join(WORK, "it's \x1b[31mred.hiv")
shutil.copyfile(os.path.join(SAMPLES, "dispatch-missing-names.hiv"), hive)
os.utime(hive, ns=(1_100_000_000_123_456_789, 1_100_000_000_123_456_789))

rules_dir = os.path.join(SRC, "rules")
manifest = "".join("%s  %s\n" % (sha256(os.path.join(rules_dir, n)), n)
                   for n in sorted(n for n in os.listdir(rules_dir) if n.endswith(".json")))
builtin_sha = hashlib.sha256(manifest.encode()).hexdigest()


def expect_provenance(doc, argv, reader, rules, what):
    p = doc.get("provenance")
    expect(isinstance(p, dict), what + ": a provenance object")
    if not isinstance(p, dict):
        return
    expect(p["tool_version"] == version, "%s: tool_version %r, --version says %r" % (what, p["tool_version"], version))
    t = datetime.datetime.strptime(p["generated_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    age = (datetime.datetime.now(datetime.timezone.utc) - t).total_seconds()
    expect(-2 <= age < 120, "%s: generated_at %r is the time of the run" % (what, p["generated_at"]))
    expect(p["argv"] == [HIVELINT, *argv], "%s: argv %r" % (what, p["argv"]))
    expect(p["reader"]["name"] == reader, "%s: reader %r" % (what, p["reader"]))
    if reader == "hivelint":
        expect(p["reader"]["version"] == version, "%s: hivelint's reader carries the tool version" % what)
    elif reader == "hivelint+libregf":  # check and fix by default: hivelint's reader, libregf confirming
        expect(re.fullmatch(re.escape(version) + r"\+\d{8}", p["reader"]["version"] or "") is not None,
               "%s: both readers' versions %r" % (what, p["reader"]["version"]))
    else:
        expect(re.fullmatch(r"\d{8}", p["reader"]["version"] or "") is not None,
               "%s: libregf's version string %r" % (what, p["reader"]["version"]))
    if rules is None:
        expect(p["rules"] is None, "%s: no rules, rules null" % what)
    else:
        expect(p["rules"] is not None and p["rules"]["source"] == rules[0] and p["rules"]["sha256"] == rules[1],
               "%s: rules %r, expected %r" % (what, p["rules"] and {k: p["rules"][k] for k in ("source", "sha256")}, rules))


# 1. check: JSON and text.
argv = ["check", hive, "--rule", "KB277770", "--format", "json"]
code, out, err = run(*argv)
doc = json.loads(out)
expect(code == 1, "check exits 1 on the failing sample: %d %s" % (code, err))
expect(list(doc)[:4] == ["schema_version", "tool", "command", "provenance"], "provenance right after command: %r" % list(doc)[:4])
expect_provenance(doc, argv, "hivelint+libregf", ("built-in", builtin_sha), "check json")
expect([f["path"] for f in doc["provenance"]["rules"]["files"]] ==
       ["built-in:" + n for n in sorted(n for n in os.listdir(rules_dir) if n.endswith(".json"))],
       "every built-in rule file is listed: %r" % doc["provenance"]["rules"]["files"])
expect_file(doc["hives"][0]["input"]["hive"], hive, "check json input.hive")
expect(doc["hives"][0]["input"]["logs"] == [], "no logs beside the hive: %r" % doc["hives"][0]["input"]["logs"])
expect(doc["hives"][0]["input"]["hive"]["mtime"] == "2004-11-09T11:33:20.123456789Z",
       "mtime keeps its nanoseconds: %r" % doc["hives"][0]["input"]["hive"]["mtime"])

code, out, err = run("check", hive, "--rule", "KB277770")
head = out.split("\n\n")[0].split("\n")
expect(re.fullmatch(r"hivelint %s, run \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, reader hivelint\+libregf %s\+\d{8}" % (re.escape(version), re.escape(version)), head[0]) is not None,
       "text header line 1: %r" % head[0])
expect(head[1] == "Command: %s check '%s/it'\\''s \\x1b[31mred.hiv' --rule KB277770" % (HIVELINT, WORK),
       "text Command: line is shell-quoted with the ESC made visible: %r" % head[1])
expect("\x1b" not in out, "no ESC reaches the text report")
expect(head[2] == "Rules:   built-in (%d files), sha256 %s" % (len(doc["provenance"]["rules"]["files"]), builtin_sha),
       "text Rules: line: %r" % head[2])
expect(head[3].startswith("Hive:    ") and head[3].endswith(", %d bytes, modified %s, sha256 %s" %
                                                            (os.path.getsize(hive), mtime(hive), sha256(hive))),
       "text Hive: line: %r" % head[3])

# 1b. -q: nothing printed and the same exit code; -q -o FILE: the report written still has the hive's SHA-256
# (without -o nobody reads it, and hivelint does not hash the hive then: docs/performance.md).
code, out, err = run("check", hive, "--rule", "KB277770", "-q")
expect(code == 1 and out == "" and err == "", "check -q: exit 1, nothing printed: %d %r %r" % (code, out, err))
quiet_report = os.path.join(WORK, "quiet.json")
argv = ["check", hive, "--rule", "KB277770", "--format", "json", "-q", "-o", quiet_report]
code, out, err = run(*argv)
expect(code == 1 and out == "" and err == "", "check -q -o FILE: exit 1, nothing printed: %d %r %r" % (code, out, err))
with open(quiet_report, encoding="utf-8") as f:
    expect_file(json.load(f)["hives"][0]["input"]["hive"], hive, "check -q -o FILE input.hive")

# 2. --rules FILE and --backend hivelint.
rule_file = os.path.join(rules_dir, "KB277770.json")
argv = ["check", hive, "--rules", rule_file, "--backend", "hivelint", "--format", "json"]
code, out, _ = run(*argv)
expect_provenance(json.loads(out), argv, "hivelint", (rule_file, sha256(rule_file)), "check --rules FILE --backend hivelint")
argv = ["check", hive, "--rules", rules_dir, "--format", "json"]
code, out, _ = run(*argv)
expect_provenance(json.loads(out), argv, "hivelint+libregf", (rules_dir, builtin_sha), "check --rules DIR")

# 3. fix, info, verify, export.
argv = ["fix", hive, "--dry-run", "--format", "json"]
code, out, _ = run(*argv)
doc = json.loads(out)
expect_provenance(doc, argv, "hivelint+libregf", ("built-in", builtin_sha), "fix json")
expect_file(doc["hive"]["input"]["hive"], hive, "fix json hive.input.hive")
code, out, _ = run("fix", hive, "--dry-run")
expect(out.startswith("hivelint %s, run " % version) and "\nHive:    " in out.split("\n\n")[0], "fix text header: %r" % out[:300])
argv = ["info", hive, "--format", "json"]
doc = json.loads(run(*argv)[1])
expect_provenance(doc, argv, "libregf", None, "info json")
expect_file(doc["hives"][0]["input"]["hive"], hive, "info json input.hive")
argv = ["verify", hive, "--format", "json"]
doc = json.loads(run(*argv)[1])
expect_provenance(doc, argv, "hivelint", None, "verify json")
expect_file(doc["input"]["hive"], hive, "verify json input.hive")
argv = ["export", hive, "ControlSet001\\Services\\InetInfo", "--format", "json"]
doc = json.loads(run(*argv)[1])
expect_provenance(doc, argv, "hivelint", None, "export json")
expect_file(doc["input"]["hive"], hive, "export json input.hive")

# 4. A batch: the JSONL summary record carries the run's provenance once; each hive line its input files.
batch = os.path.join(WORK, "batch")
os.makedirs(batch)
for name in ("a.hiv", "b.hiv"):
    shutil.copyfile(os.path.join(SAMPLES, "exchange2000-healthy.hiv"), os.path.join(batch, name))
argv = ["check", batch, "--format", "jsonl"]
lines = [json.loads(l) for l in run(*argv)[1].splitlines()]
expect([l["type"] for l in lines] == ["hive", "hive", "summary"], "jsonl records: %r" % [l.get("type") for l in lines])
expect_provenance(lines[-1], argv, "hivelint+libregf", ("built-in", builtin_sha), "jsonl summary")
for l in lines[:-1]:
    expect("provenance" not in l, "a hive line does not repeat the run's provenance")
    expect_file(l["hives"][0]["input"]["hive"], l["hive"], "jsonl hive line input")
argv = ["check", batch, "--format", "json"]
doc = json.loads(run(*argv)[1])
expect_provenance(doc, argv, "hivelint+libregf", ("built-in", builtin_sha), "batch json")
expect([h["input"]["hive"]["sha256"] for h in doc["hives"]] == [sha256(os.path.join(batch, n)) for n in ("a.hiv", "b.hiv")],
       "batch json: each hive's sha256")

# 5. A dirty hive with its logs (real Windows 10 hive, yarp's test set): each log read is listed with its own
#    size, mtime and SHA-256 and whether it was applied; the hive's facts are the file's, not the recovered image's.
dirty_src = os.path.join(SHARED, "hives-real", "yarp", "NewDirtyHive1")
if os.path.isdir(dirty_src):
    dirty_dir = os.path.join(WORK, "dirty")
    shutil.copytree(dirty_src, dirty_dir)
    dirty = os.path.join(dirty_dir, "NewDirtyHive")
    logs = sorted(os.path.join(dirty_dir, n) for n in os.listdir(dirty_dir) if n.startswith("NewDirtyHive.LOG"))
    doc = json.loads(run("info", dirty, "--format", "json")[1])
    inp = doc["hives"][0]["input"]
    expect_file(inp["hive"], dirty, "dirty hive: the file's facts")
    expect([l["path"] for l in inp["logs"]] == logs, "every log read is listed: %r" % [l["path"] for l in inp["logs"]])
    for l in inp["logs"]:
        expect_file(l, l["path"], "log " + l["path"])
    applied = {l["log"] for l in doc["hives"][0]["recovery"]["logs"] if l["applied"]}
    expect(applied and {l["path"] for l in inp["logs"] if l["applied"]} == applied,
           "applied flags agree with the recovery object: %r" % applied)
    doc = json.loads(run("info", dirty, "--no-logs", "--format", "json")[1])
    expect(doc["hives"][0]["input"]["logs"] == [], "--no-logs reads no log: %r" % doc["hives"][0]["input"]["logs"])
    # --no-logs with logs present: the report says they were not used, never that there is none (USER_TRIALS 1.7).
    rec = doc["hives"][0]["recovery"]
    expect(rec["not_used"] == logs and "logs not used (--no-logs): %s: analysing the file as it is" % ", ".join(logs)
           in rec["summary"], "--no-logs: not_used and summary %r" % rec)
    out = run("check", dirty, "--no-logs")[1]
    expect("logs not used (--no-logs): " in out and "no transaction log found" not in out,
           "--no-logs text Recovery line: %r" % [l for l in out.splitlines() if l.startswith("Recovery:")])
    out = run("check", dirty)[1]
    expect(any(line.startswith("Log:     %s (applied), " % l) for l in logs for line in out.splitlines()),
           "text names the log applied: %r" % out[:600])
else:
    print("provenance: dirty-hive part SKIPPED: %s is absent" % dirty_src)

print("provenance: %d checks, %d failures" % (checks, len(failures)))
sys.exit(1 if failures else 0)
