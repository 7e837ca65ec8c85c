"""`hivelint check` over real-looking evidence folders (run by tests/scripts/check_evidence_folders.sh under ctest).

Issue 17 section 1 and REVIEW.md D10: a folder as Windows keeps it (SYSTEM, SYSTEM.LOG1, SYSTEM.LOG2) exits by the
SYSTEM verdict; nothing below a directory is dropped without being counted; a run that reads no hive is not a pass.
"""
import json
import os
import shutil
import stat
import struct
import subprocess
import sys

HIVELINT, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
SAMPLES = os.path.join(SRC, "samples", "hives")
failures = []
checks = 0


def expect(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(*args, prefix=()):
    p = subprocess.run([*prefix, HIVELINT, *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def jsonl(out):
    return [json.loads(l) for l in out.splitlines()]


def fresh(name):
    d = os.path.join(WORK, name)
    if os.path.exists(d):
        for root, dirs, _ in os.walk(d):  # a previous run may have left unreadable directories
            for x in dirs:
                os.chmod(os.path.join(root, x), 0o755)
        shutil.rmtree(d)
    os.makedirs(d)
    return d


def log_copy(hive, dst, file_type):
    """A transaction log's base block: a hive's, with file type 1, 2 or 6 at offset 28 (spec "Base block")."""
    with open(hive, "rb") as f:
        b = bytearray(f.read(8192))
    struct.pack_into("<I", b, 28, file_type)
    with open(dst, "wb") as f:
        f.write(b)


broken = os.path.join(SAMPLES, "controlset002-broken.hiv")   # FAIL: missing Imap4svc, Pop3svc, Resvc
healthy = os.path.join(SAMPLES, "exchange2000-healthy.hiv")  # PASS

# 1. A config folder as collected: SYSTEM + SYSTEM.LOG1 (new format, type 6) + SYSTEM.LOG2 (old format, type 1)
#    + SAM.LOG (type 2) + a note. The exit code is the SYSTEM verdict; the logs and the note are counted as skipped.
case = fresh("case")
config = os.path.join(case, "config")
os.makedirs(config)
shutil.copyfile(broken, os.path.join(config, "SYSTEM"))
log_copy(broken, os.path.join(config, "SYSTEM.LOG1"), 6)
log_copy(broken, os.path.join(config, "SYSTEM.LOG2"), 1)
log_copy(broken, os.path.join(config, "SAM.LOG"), 2)
with open(os.path.join(case, "notes.txt"), "w") as f:
    f.write("chain of custody\n")
code, out, err = run("check", case, "--rule", "KB277770")  # one rule: the counts below are KB277770's
expect(code == 1, "SYSTEM + logs exits by the SYSTEM verdict (fail = 1), got %d: %s" % (code, err[-300:]))
results = out.split("\n\n", 1)[1]  # the provenance header before it lists the logs read ("Log: ...")
expect("LOG" not in results.replace("Skipped", ""), "no result line for a transaction log:\n" + out)
expect("Skipped: 3 transaction logs, 1 file without a regf signature" in out, "text summary counts the skipped files:\n" + out)
expect("Hives: checked 1 hive: 1 fail, 0 pass, 0 not applicable, 0 errors" in out, "text counts the hives:\n" + out)
expect("skipped 3 transaction logs, 1 file without a regf signature (exit 1)" in err, "stderr counts them too: " + err)
expect("hives 1 fail, 0 pass, 0 not applicable, 0 errors" in err and "Summary: 1 fail, 0 pass, 0 not applicable, 0 errors" in out,
       "stdout and stderr use the same words: %r / %r" % (out[-300:], err))

code, out, _ = run("check", case, "--format", "json")
doc = json.loads(out)
expect(code == 1 and doc["exit_code"] == 1, "json exit code 1")
b = doc.get("batch", {})
expect(b.get("skipped") == {"transaction_log": 3, "no_regf_signature": 1, "not_regular_file": 0}, "json batch.skipped: %r" % b)
expect(sorted(os.path.basename(f["path"]) for f in b.get("skipped_files", [])) == ["SAM.LOG", "SYSTEM.LOG1", "SYSTEM.LOG2", "notes.txt"],
       "json lists the skipped files: %r" % b.get("skipped_files"))
expect(any(f["detail"] == "file type 6" for f in b.get("skipped_files", [])), "a log's detail names its file type")
expect(b.get("hives") == 1 and b.get("checked") == 1 and b.get("by_status", {}).get("fail") == 1, "json batch counts: %r" % b)

# 2. JSONL: top-level type, hive and status on every hive line; a final summary record.
code, out, _ = run("check", case, healthy, os.path.join(WORK, "missing.hiv"), "--format", "jsonl")
lines = jsonl(out)
expect(code == 3, "a missing path is an error (exit 3), got %d" % code)
expect(len(lines) == 4, "three hive lines and a summary record: %d lines" % len(lines))
expect([l.get("type") for l in lines] == ["hive", "hive", "hive", "summary"], "line types: %r" % [l.get("type") for l in lines])
expect([l.get("status") for l in lines[:3]] == ["fail", "pass", "error"], "top-level status: %r" % [l.get("status") for l in lines])
expect([l.get("hive") for l in lines[:3]] == [os.path.join(config, "SYSTEM"), healthy, os.path.join(WORK, "missing.hiv")],
       "top-level hive on every line")
s = lines[-1]
expect(s.get("hives") == 3 and s.get("checked") == 2 and s.get("unreadable") == 1 and s.get("exit_code") == 3,
       "summary record counts: %r" % s)
expect(s.get("by_status") == {"fail": 1, "pass": 1, "not_applicable": 0, "error": 1}, "summary by_status: %r" % s)
expect("status" not in s and "hive" not in s, "select(.status==...) never matches the summary record")

# 3. A run that reads nothing is not a pass.
empty = fresh("empty")
code, out, err = run("check", empty)
expect(code == 3, "an empty directory exits 3, got %d" % code)
expect("nothing was checked" in out and "nothing was checked" in err, "the empty run says so: %r %r" % (out, err))
code, out, _ = run("check", empty, "--format", "json")
expect(code == 3 and json.loads(out)["exit_code"] == 3 and json.loads(out)["errors"], "json of an empty run: exit 3 and an error")
code, out, _ = run("check", empty, "--format", "jsonl")
expect(code == 3 and jsonl(out)[-1].get("too_few_hives") is True, "jsonl summary of an empty run says too_few_hives")
code, _, _ = run("check", empty, "--min-hives", "0")
expect(code == 0, "--min-hives 0 allows an empty folder, got %d" % code)
only_logs = fresh("only-logs")
log_copy(broken, os.path.join(only_logs, "SYSTEM.LOG1"), 6)
code, out, _ = run("check", only_logs)
expect(code == 3 and "Skipped: 1 transaction log" in out, "a folder of logs only checks nothing: exit 3:\n" + out)
code, _, _ = run("check", case, healthy, "--min-hives", "3")
expect(code == 3, "two hives read with --min-hives 3 exits 3, got %d" % code)
code, _, err = run("check", os.path.join(WORK, "nosuchdir"), "--jobs", "2")
expect(code == 3 and "checked 0 of 1 hive, 1 could not be read" in err, "a missing path is not a checked hive: " + err)
code, out, err = run("check", os.path.join(WORK, "missing.hiv"), "--rule", "KB277770")
expect(code == 3 and "min-hives" not in out + err and out.count("missing.hiv: cannot open") == 1,
       "a missing hive is one error; no second one about --min-hives: %r %r" % (out, err))

# 3b. --strict: a file of a folder that is not a hive (a hive whose first sector was zeroed) is an input error, not
#     only a count; transaction logs are still left out. The speed counts hives read, and a path is said once.
strict = fresh("strict")
shutil.copyfile(healthy, os.path.join(strict, "SYSTEM"))
log_copy(healthy, os.path.join(strict, "SYSTEM.LOG1"), 6)
code, out, _ = run("check", strict, "--strict")
expect(code == 0, "--strict with a hive and its log only: exit 0, got %d:\n%s" % (code, out))
with open(healthy, "rb") as f:
    zeroed = bytearray(f.read())
zeroed[:512] = bytes(512)
with open(os.path.join(strict, "SOFTWARE"), "wb") as f:
    f.write(zeroed)
code, out, err = run("check", strict)
expect(code == 0 and "Skipped: 1 transaction log, 1 file without a regf signature" in out,
       "without --strict a zeroed hive is counted only: exit %d\n%s" % (code, out))
code, out, err = run("check", strict, "--strict")
expect(code == 3 and "--strict: the folders given hold 1 file without a regf signature" in out and
       "--strict: the folders given hold 1 file without a regf signature" in err,
       "--strict makes the zeroed hive an input error, said on stdout and stderr: exit %d\n%s\n%s" % (code, out, err))
code, out, _ = run("check", strict, "--strict", "--format", "json")
doc = json.loads(out)
expect(code == 3 and doc["batch"]["strict"] is True and doc["exit_code"] == 3 and
       any("--strict" in e["message"] for e in doc["errors"]), "--strict in the JSON: %r" % doc.get("batch"))
code, _, err = run("check", os.path.join(WORK, "nosuchdir"))
expect(code == 3 and err.count("nosuchdir") == 1, "a missing path is named once: %r" % err)
code, _, err = run("check", os.path.join(WORK, "nosuchdir"), "--jobs", "2")
expect(code == 3 and " 0 hives/s" in err, "a batch that read nothing gives no speed: %r" % err)

# 4. D10: files and directories that cannot be read are error lines, never silently dropped (run as nobody when root:
#    root reads everything).
unreadable = fresh("unreadable")
os.chmod(unreadable, 0o755)
os.chmod(WORK, 0o755)
shutil.copyfile(healthy, os.path.join(unreadable, "healthy.hiv"))
shutil.copyfile(broken, os.path.join(unreadable, "broken.hiv"))
os.makedirs(os.path.join(unreadable, "sub"))
shutil.copyfile(broken, os.path.join(unreadable, "sub", "x.hiv"))
for p in (unreadable, os.path.join(unreadable, "healthy.hiv")):
    os.chmod(p, 0o755 if os.path.isdir(p) else 0o644)
os.chmod(os.path.join(unreadable, "broken.hiv"), 0)
os.chmod(os.path.join(unreadable, "sub"), 0)
prefix = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups") if os.geteuid() == 0 else ()
code, out, err = run("check", unreadable, "--format", "jsonl", prefix=prefix)
lines = jsonl(out)
expect(code == 3, "an unreadable hive and directory make the batch exit 3, got %d: %s" % (code, err))
by_hive = {l.get("hive"): l.get("status") for l in lines if l.get("type") == "hive"}
expect(by_hive.get(os.path.join(unreadable, "broken.hiv")) == "error", "the unreadable hive has an error line: %r" % by_hive)
expect(by_hive.get(os.path.join(unreadable, "sub")) == "error", "the unlistable directory has an error line: %r" % by_hive)
expect(by_hive.get(os.path.join(unreadable, "healthy.hiv")) == "pass", "the readable hive is still checked")
os.chmod(os.path.join(unreadable, "sub"), 0o755)

# 5. --format brief: one line per result for batch logs, then the same summary.
code, out, _ = run("check", case, healthy, "--format", "brief", "--rule", "KB277770")
rows = out.splitlines()
expect(code == 1, "brief keeps the exit code")
expect(rows[0].split() == ["FAIL", "KB277770", os.path.join(config, "SYSTEM"), "ControlSet002", "missing", "Imap4svc,", "Pop3svc,", "Resvc"],
       "a failing result on one line: %r" % rows[:1])
expect(rows[1].split()[:2] == ["PASS", "KB277770"] and rows[1].split()[2] == healthy, "a passing result on one line: %r" % rows[1:2])
expect(rows[2].startswith("Summary: 1 fail, 1 pass") and any(r.startswith("Skipped: 3 transaction logs") for r in rows),
       "brief ends with the summary:\n" + out)

# 6. --progress plain: a heartbeat line on a non-terminal stderr; none by default there.
code, _, err = run("check", case, healthy, "--progress", "plain", "--progress-interval", "0")
expect("hivelint: progress: 2/2 hives, 1 fail, 0 errors" in err and "\r" not in err, "plain progress lines: %r" % err)
code, _, err = run("check", case, healthy)
expect("progress" not in err, "no progress lines unless asked when stderr is not a terminal")

# 7. A folder mixing SYSTEM with a user's NTUSER.DAT (built from a .reg): the NTUSER hive is not applicable, naming its
#    kind, so the run exits by the SYSTEM verdict; a hive with ControlSetNNN but no Select stays an error.
mixed = fresh("mixed")
reg = os.path.join(mixed, "ntuser.reg.txt")
with open(reg, "w") as f:
    f.write("Windows Registry Editor Version 5.00\n\n[HKEY_CURRENT_USER\\AppEvents]\n\n"
            "[HKEY_CURRENT_USER\\Control Panel\\Desktop]\n\"Wallpaper\"=\"\"\n\n"
            "[HKEY_CURRENT_USER\\Environment]\n\"TEMP\"=\"C:\\\\Temp\"\n")
ntuser = os.path.join(mixed, "Users", "joe", "NTUSER.DAT")
os.makedirs(os.path.dirname(ntuser))
code, _, err = run("build", reg, "-o", ntuser, "--prefix", "HKEY_CURRENT_USER", "--timestamp", "2004-06-01T00:00:00Z")
expect(code == 0, "an NTUSER-like hive builds: " + err)
shutil.copyfile(healthy, os.path.join(mixed, "SYSTEM"))
code, out, err = run("check", mixed, "--format", "jsonl")
lines = jsonl(out)
nt = [l for l in lines if l.get("hive") == ntuser]
expect(code == 0, "SYSTEM passes and NTUSER.DAT is not applicable: exit 0, got %d: %s" % (code, err))
expect(len(nt) == 1 and nt[0]["status"] == "not_applicable", "NTUSER.DAT is not_applicable: %r" % [l.get("status") for l in nt])
expect(len(nt) == 1 and "not a SYSTEM hive (kind: NTUSER)" in nt[0]["results"][0]["message"] and not nt[0]["errors"],
       "the reason names the kind and it is no error: %r" % (nt[0]["results"][0]["message"] if nt else None))
expect("Select" not in err, "no advice about Select or --control-set for a user hive: " + err)
code, out, _ = run("info", ntuser, "--format", "json")
expect(code == 0 and json.loads(out)["hives"][0]["kind"] == "NTUSER", "info names the same kind: %s" % out[:300])
code, out, _ = run("check", os.path.join(SAMPLES, "no-select.hiv"), "--format", "json")
doc = json.loads(out)
expect(code == 3 and doc["results"][0]["status"] == "error" and "no Select key" in doc["results"][0]["message"],
       "ControlSetNNN without Select stays an error (exit %d)" % code)

print("check_evidence_folders: %d checks, %d failures" % (checks, len(failures)))
sys.exit(1 if failures else 0)
