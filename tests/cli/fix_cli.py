"""CLI contract tests for what `hivelint fix` tells an administrator (issue 17 section 3; run by
tests/scripts/fix_cli.sh). Each case is one friction of the user trials: it failed before the change.
"""
import json
import os
import shutil
import subprocess
import sys

HIVELINT, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
SAMPLES = os.path.join(SRC, "samples", "hives")
STAMP = ["--timestamp", "2024-01-01T00:00:00Z"]
failures = []
checks = 0


def run(*args):
    p = subprocess.run([HIVELINT, *args], capture_output=True, text=True, timeout=120, cwd=WORK)
    return p.returncode, p.stdout, p.stderr


def expect(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(os.path.join(WORK, "case", "config"))
broken = os.path.join("case", "config", "SYSTEM")
shutil.copyfile(os.path.join(SAMPLES, "controlset002-broken.hiv"), os.path.join(WORK, broken))
healthy = os.path.join(SAMPLES, "exchange2000-healthy.hiv")

# A folder given as the hive: a usage error, said once, pointing at the hive inside it.
code, out, err = run("fix", "case", "-o", "out.hiv")
expect(code == 2, "fix DIR: exit 2, got %d" % code)
expect("did you mean " + broken + "?" in err, "fix DIR: names the hive inside it: " + err)
expect(err.count("\n") == 1 and out == "", "fix DIR: one line on stderr, nothing on stdout: %r %r" % (out, err))
expect(not os.path.exists(os.path.join(WORK, "out.hiv")), "fix DIR: nothing written")

# HIVE and -o swapped: the missing input is the answer, with the swap named, not "use --force".
code, out, err = run("fix", "-o", broken, broken + ".fixed")
expect(code == 3, "swapped: exit 3, got %d" % code)
expect("did you swap them?" in err and "--force" not in err, "swapped: asks about the swap, no --force hint: " + err)

# -o an existing hive (the original given as the output): no --force hint either, and it is not replaced.
shutil.copyfile(healthy, os.path.join(WORK, "other.hiv"))
before = open(os.path.join(WORK, broken), "rb").read()
code, out, err = run("fix", "other.hiv", "-o", broken, "--copy-if-clean")
expect(code == 4, "-o existing hive: exit 4, got %d" % code)
expect("is a registry hive: did you swap" in err and "--force" not in err, "-o existing hive: " + err)
expect(open(os.path.join(WORK, broken), "rb").read() == before, "-o existing hive: left alone")

# -o a directory: said up front, with a file name to use.
code, out, err = run("fix", broken, "-o", "case")
expect(code == 2 and "-o needs a file name" in err, "-o DIR: exit 2 and a file name asked for: %d %s" % (code, err))

# A written fix: one verification line, then Next: with the undo and Last Known Good (ControlSet001 passes).
code, out, err = run("fix", broken, "-o", "fixed.hiv", "--reg", "fix.reg", *STAMP)
expect(code == 0, "fix: exit 0, got %d: %s" % (code, err))
expect(out.count("verified: ") == 2, "fix: one verified line per output, got:\n" + out)
expect("independent checks passed; KB277770 on ControlSet002: pass" in out, "fix: the count and the re-check:\n" + out)
lines = out.splitlines()
expect("Next:" in lines, "fix: a Next: block:\n" + out)
nxt = "\n".join(lines[lines.index("Next:"):]) if "Next:" in lines else ""
expect("Keep the original" in nxt and "copy fixed.hiv over" in nxt, "Next: keep the original, put the copy in place")
expect("Last Known Good" in nxt and "ControlSet001 passes" in nxt, "Next: Last Known Good as the fallback:\n" + nxt)
expect("reg import fix.reg" in nxt and "restart the IIS Admin service" in nxt, "Next: import and restart:\n" + nxt)
code, out, err = run("fix", broken, "-o", "fixed2.hiv", "--verbose", *STAMP)
expect(out.count("verified: ") >= 5, "fix --verbose: every check listed:\n" + out)
code, out, err = run("fix", broken, "-o", "fixed3.hiv", "--format", "json", *STAMP)
doc = json.loads(out)
expect(len(doc["next_steps"]) >= 4 and len(doc["output"]["verification"]) >= 5, "fix JSON: next_steps and every check")

# Offline .reg: load, import, unload under the mount name; no restart of a server that is not running.
code, out, err = run("fix", broken, "--reg", "offline.reg", "--reg-root", "offline:OFFSYS", *STAMP)
expect("reg load HKLM\\OFFSYS" in out and "reg unload HKLM\\OFFSYS" in out and "IIS Admin" not in out,
       "offline .reg: load/import/unload steps:\n" + out)

# Nothing to fix: exit 0 and nothing written, saying how to get OUT anyway; --copy-if-clean writes it.
code, out, err = run("fix", healthy, "-o", "clean.hiv")
expect(code == 0 and not os.path.exists(os.path.join(WORK, "clean.hiv")), "nothing to fix: exit 0, no file")
expect("--copy-if-clean writes clean.hiv anyway" in out, "nothing to fix: names --copy-if-clean:\n" + out)
code, out, err = run("fix", healthy, "-o", "clean.hiv", "--copy-if-clean")
expect(code == 0, "--copy-if-clean: exit 0, got %d: %s" % (code, err))
expect(os.path.exists(os.path.join(WORK, "clean.hiv")) and
       open(os.path.join(WORK, "clean.hiv"), "rb").read() == open(healthy, "rb").read(),
       "--copy-if-clean: OUT is the hive, byte for byte")
expect("Next:" not in out, "--copy-if-clean: no Next: block for an unchanged copy")

# An unreadable hive: the error once on stdout, without a rule label or a doubled path.
with open(os.path.join(WORK, "bad.hiv"), "wb") as f:
    f.write(b"regf" + bytes(2996))
code, out, err = run("fix", "bad.hiv", "-o", "o.hiv")
expect(code == 3, "unreadable: exit 3, got %d" % code)
body = "\n".join(l for l in out.splitlines() if not l.startswith(("hivelint ", "Command: ", "Rules: ")))  # past the header
expect("KB277770" not in body and body.count("bad.hiv") == 1, "unreadable: no rule label, path once:\n" + out)

print("fix_cli: %d checks, %d failed" % (checks, len(failures)))
sys.exit(1 if failures else 0)
