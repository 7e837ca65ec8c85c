"""Batch contract of `hivelint check` (run by tests/scripts/check_batch.sh under ctest)."""
import glob
import json
import os
import pty
import select
import shutil
import subprocess
import sys

HIVELINT, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []
checks = 0


def expect(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(*args):
    p = subprocess.run([HIVELINT, *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def run_with_tty_stderr(*args):
    """stdout to a pipe, stderr to a pseudo-terminal; returns (exit code, stdout, what the terminal showed)."""
    master, slave = pty.openpty()
    stdout_file = open(os.path.join(WORK, "tty-stdout"), "w+b")  # a file, not a pipe: no deadlock on big output
    p = subprocess.Popen([HIVELINT, *args], stdout=stdout_file, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    shown = b""
    while True:
        r, _, _ = select.select([master], [], [], 60)
        if not r:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    code = p.wait(timeout=60)
    stdout_file.seek(0)
    out = stdout_file.read().decode()
    stdout_file.close()
    os.close(master)
    return code, out, shown.decode("utf-8", "replace")


samples = sorted(glob.glob(os.path.join(SRC, "samples", "hives", "*.hiv")))
batch = os.path.join(WORK, "batch")
shutil.rmtree(batch, ignore_errors=True)
os.makedirs(os.path.join(batch, "site-b", "deeper"))
hives = []
for i in range(36):
    sub = "" if i % 3 == 0 else ("site-b" if i % 3 == 1 else os.path.join("site-b", "deeper"))
    dst = os.path.join(batch, sub, "host%03d.hiv" % i)
    shutil.copyfile(samples[i % len(samples)], dst)
    hives.append(dst)
broken = os.path.join(batch, "site-b", "broken.hiv")  # starts with regf, cut inside its first hive bin
with open(samples[0], "rb") as f:
    head = f.read(4096 + 100)
with open(broken, "wb") as f:
    f.write(head)
hives.append(broken)
with open(os.path.join(batch, "notes.txt"), "w") as f:
    f.write("not a hive: skipped in directories\n")
with open(os.path.join(batch, "site-b", "host001.hiv.LOG1"), "wb") as f:
    f.write(b"DIRT" + bytes(600))
expected_order = sorted(hives)

# jsonl over a directory: one line per hive that starts with "regf", in path order, broken one included.
code, out, err = run("check", batch, "--jobs", "2", "--format", "jsonl")
lines = out.splitlines()
docs = [json.loads(l) for l in lines]
summary = docs.pop() if docs and docs[-1].get("type") == "summary" else {}
lines = lines[:len(docs)]
expect(summary.get("skipped") == {"transaction_log": 0, "no_regf_signature": 2, "not_regular_file": 0},
       "the summary record counts notes.txt and the DIRT file as skipped: %r" % summary.get("skipped"))
expect(code == 3, "a broken hive in the batch makes the exit code 3 (got %d)" % code)
expect(len(lines) == len(expected_order), "one line per hive: %d lines for %d hives" % (len(lines), len(expected_order)))
expect([d["hives"][0]["hive"] for d in docs] == expected_order, "lines in path order, only regf files")
expect(all(len(d["hives"]) == 1 and d["command"] == "check" and d["schema_version"] == 1 for d in docs),
       "each line is a check document for one hive")
bad = [d for d in docs if d["hives"][0]["hive"] == broken]
expect(len(bad) == 1 and bad[0]["exit_code"] == 3 and bad[0]["errors"], "the broken hive has its own error line")
expect(sum(1 for d in docs if d["hives"][0]["readable"]) == 36, "every other hive was checked")
n_err = sum(1 for d in docs if d["exit_code"] == 3)
n_fail = sum(1 for d in docs if d["exit_code"] == 1)
n_ok = sum(1 for d in docs if d["exit_code"] == 0)
expect(n_err >= 1 and n_ok >= 1 and n_fail >= 1, "the batch mixes verdicts")
n_pass = sum(1 for d in docs if d["status"] == "pass")
n_na = sum(1 for d in docs if d["status"] == "not_applicable")
expect(n_pass + n_na == n_ok, "exit 0 lines are pass or not_applicable")
expect("hivelint: checked 36 of 37 hives, 1 could not be read (" in err and
       "): hives %d fail, %d pass, %d not applicable, %d error%s; skipped 2 files without a regf signature (exit 3)"
       % (n_fail, n_pass, n_na, n_err, "" if n_err == 1 else "s") in err,
       "summary on stderr: " + err[-300:])
expect("\r" not in err and "\x1b" not in err, "no progress bar when stderr is not a terminal")

# The same verdicts as one hive at a time with --format json.
for i in (0, 1, 4):
    c1, single, _ = run("check", hives[i], "--format", "json")
    one = json.loads(single)
    line = next(d for d in docs if d["hives"][0]["hive"] == hives[i])
    expect(line["results"] == one["results"] and line["exit_code"] == one["exit_code"] == c1,
           "jsonl line of %s equals its --format json results" % os.path.basename(hives[i]))

# --jobs 1 and --jobs 2 print the same, in the same order; 0 means one per core. Only the provenance differs (the
# command line, and the run time when the clock ticks): it is left out of the comparison.
def without_provenance(text):
    """JSONL or JSON with the "provenance" member dropped; text with its provenance header (up to the first blank line) dropped."""
    if text.startswith("{"):
        try:
            docs = [json.loads(text)]
        except ValueError:
            docs = [json.loads(l) for l in text.splitlines()]
        for d in docs:
            d.pop("provenance", None)
        return docs
    return text.split("\n\n", 1)[1] if text.startswith("hivelint ") else text


code1, out1, _ = run("check", batch, "--jobs", "1", "--format", "jsonl")
expect(code1 == code and without_provenance(out1) == without_provenance(out), "--jobs 1 and --jobs 2 give identical output")
code0, out0, _ = run("check", batch, "--jobs", "0", "--format", "jsonl")
expect(code0 == code and without_provenance(out0) == without_provenance(out), "--jobs 0 gives identical output")
ct1, text1, _ = run("check", *hives[:12], "--jobs", "1")
ct2, text2, _ = run("check", *hives[:12], "--jobs", "2")
expect(ct1 == ct2 and without_provenance(text1) == without_provenance(text2) and text1.count("Summary:") == 1,
       "text output does not depend on --jobs")
cj1, json1, _ = run("check", *hives[:12], "--format", "json")
cj2, json2, _ = run("check", *hives[:12], "--format", "json", "--jobs", "2")
expect(cj1 == cj2 and without_provenance(json1) == without_provenance(json2), "JSON output does not depend on --jobs")

# Quiet: nothing at all, the exit code still tells.
code, out, err = run("check", batch, "--jobs", "2", "--format", "jsonl", "--quiet")
expect(code == 3 and out == "" and err == "", "--quiet prints nothing (exit %d, %r, %r)" % (code, out[:50], err[:80]))

# Single-hive runs without batch options keep their old stderr: no summary line.
code, out, err = run("check", hives[0])
expect("hivelint: checked" not in err, "no summary line for a plain single-hive check")

# A progress bar on a terminal (stderr a pty), none with --quiet; stdout stays clean JSON lines. A chroot without
# /dev/pts has no pseudo-terminals at all: that part is then skipped, saying so (every real machine has them).
try:
    os.close(pty.openpty()[0])
    have_pty = True
except OSError as e:
    have_pty = False
    print("check_batch: SKIPPED the progress-bar checks: no pseudo-terminal can be opened here (%s; mount /dev/pts)" % e)
if have_pty:
    code, out, shown = run_with_tty_stderr("check", batch, "--jobs", "2", "--format", "jsonl")
    expect(code == 3, "exit code under a terminal")
    expect("\r[" in shown and "37/37 hives" in shown, "progress bar drawn on the terminal: %r" % shown[-300:])
    expect("hivelint: checked 36 of 37 hives" in shown, "summary after the bar")
    expect(len(out.splitlines()) == 38 and "\r" not in out, "stdout holds only the JSON lines (and the summary record)")
    code, out, shown = run_with_tty_stderr("check", batch, "--jobs", "2", "--format", "jsonl", "--quiet")
    expect(shown == "" and out == "", "no bar and no output with --quiet: %r" % shown[:100])

# Missing files and usage errors.
code, out, err = run("check", hives[0], os.path.join(WORK, "missing.hiv"), "--format", "jsonl")
expect(code == 3 and len(out.splitlines()) == 3, "a missing file is an error line, the batch goes on (+ summary record)")
code, out, err = run("check", hives[0], "--jobs", "-1")
expect(code == 2, "--jobs -1 is a usage error")

print("check_batch: %d checks, %d failures" % (checks, len(failures)))
sys.exit(1 if failures else 0)
