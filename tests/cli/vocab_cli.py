"""One vocabulary across subcommands (issue 17 §4; USER_TRIALS frictions 1.5, 1.6, 1.11, 2.4, 2.7, 3.9 and the
"Inconsistencies across subcommands" list). Run by tests/scripts/vocab.sh under ctest."""
import json
import os
import shutil
import subprocess
import sys

HIVELINT, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
SAMPLES = os.path.join(SRC, "samples", "hives")
BROKEN = os.path.join(SAMPLES, "controlset002-broken.hiv")
HEALTHY = os.path.join(SAMPLES, "exchange2000-healthy.hiv")
failures = []
checks = 0
shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)


def run(*args, **kw):
    p = subprocess.run([HIVELINT, *args], capture_output=True, timeout=60, cwd=WORK, **kw)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def expect(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def work(name):
    return os.path.join(WORK, name)


# 1. Rule ids and enumerated values in any case; "did you mean" for a near miss, naming the option.
rc, out, err = run("check", BROKEN, "--rule", "kb277770", "--format", "JSON")
expect(rc == 1 and {r["rule"] for r in json.loads(out)["results"]} == {"KB277770"}, f"--rule kb277770 --format JSON: {rc} {err}")
rc, out, err = run("rules", "show", "kb277770")
expect(rc == 0 and out.startswith("KB277770"), f"rules show kb277770: {rc} {err}")
rc, out, err = run("rules", "SHOW", "KB277770", "--format", "Json")
expect(rc == 0 and '"KB277770"' in out, f"rules SHOW --format Json: {rc} {err}")
rc, out, err = run("fix", BROKEN, "--rule", "Kb277770", "--reg", work("fix.reg"), "--reg-root", "LIVE", "-q")
expect(rc == 0 and os.path.exists(work("fix.reg")), f"fix --rule Kb277770 --reg-root LIVE: {rc} {err}")
for args, option, suggestion in [
    (["check", BROKEN, "--rule", "KB27770"], "--rule KB27770", "did you mean KB277770?"),
    (["rules", "show", "KB2777"], "rules show KB2777", "did you mean KB277770?"),
    (["check", BROKEN, "--format", "jsn"], "--format", "did you mean json?"),
    (["check", BROKEN, "--backend", "hivlint"], "--backend", "did you mean hivelint?"),
    (["check", BROKEN, "--progress", "plan"], "--progress", "did you mean plain?"),
    (["check", BROKEN, "--control-set", "lastknowngod"], "--control-set", "did you mean lastknowngood?"),
    (["fix", BROKEN, "--reg-root", "lve", "--reg", work("x.reg")], "--reg-root", "did you mean live?"),
    (["export", BROKEN, "--format", "rge"], "--format", "did you mean reg?"),
]:
    rc, out, err = run(*args)
    expect(rc == 2 and option in err and suggestion in err and err.startswith("hivelint " + args[0] + ": "),
           f"{' '.join(args[:1] + args[2:])}: exit {rc}, {err!r}")
rc, out, err = run("check", BROKEN, "--format", "xml")
expect(rc == 2 and "did you mean" not in err and "text, json" in err, f"--format xml: no guess: {err!r}")

# 2. -o FILE on check, info and verify: written atomically, an existing file refused without --force, never an input.
for sub, extra in [("check", ["--format", "json"]), ("info", ["--format", "json"]), ("verify", ["--format", "json"])]:
    target = work(sub + ".json")
    rc, out, err = run(sub, BROKEN, "-o", target, *extra)
    expect(out == "" and os.path.exists(target), f"{sub} -o: report not in the file (exit {rc}, {out[:60]!r}, {err!r})")
    if os.path.exists(target):
        expect(json.load(open(target))["command"] == sub, f"{sub} -o: the file is not {sub}'s JSON")
    rc2, _, err2 = run(sub, BROKEN, "-o", target, *extra)
    expect(rc2 == 4 and "already exists" in err2, f"{sub} -o over an existing file: exit {rc2} {err2!r}")
    rc3, _, err3 = run(sub, BROKEN, "-o", target, "--force", *extra)
    expect(rc3 == rc, f"{sub} -o --force: exit {rc3} {err3!r}")
    copy = work(sub + "-input.hiv")
    shutil.copy(BROKEN, copy)
    before = open(copy, "rb").read()
    rc4, _, err4 = run(sub, copy, "-o", copy, "--force")
    expect(rc4 == 4 and open(copy, "rb").read() == before, f"{sub} -o INPUT --force: exit {rc4} {err4!r}")
rc, out, err = run("check", BROKEN, "-o", work("same.txt"))
rc_stdout, out_stdout, _ = run("check", BROKEN)
body = lambda text: text.split("\n", 2)[2]  # past the provenance header (run time, command line)
expect(rc == rc_stdout == 1 and body(open(work("same.txt")).read()) == body(out_stdout), "check -o FILE holds what stdout would")

# 3. -q: nothing on stdout or stderr except an error that stops the command, for every subcommand.
for args in [["check", BROKEN], ["check", BROKEN, "--format", "json"], ["info", BROKEN], ["info", BROKEN, "--format", "json"],
             ["verify", BROKEN], ["verify", BROKEN, "--format", "json"], ["deleted", BROKEN, "--format", "json"],
             ["deleted", BROKEN], ["fix", BROKEN, "--dry-run"], ["fix", BROKEN, "--dry-run", "--format", "json"]]:
    rc, out, err = run(*args, "-q")
    expect(out == "" and err == "", f"{' '.join(args[:1] + args[2:])} -q: {out[:60]!r} {err[:80]!r}")
rc, out, err = run("verify", "/etc/hostname", "-q")
expect(rc == 3 and err.count("\n") == 1 and out == "", f"verify -q of a non-hive: the error that stops it is shown: {err!r}")
rc, out, err = run("check", BROKEN, "-q", "-o", work("quiet.json"), "--format", "json")
expect(rc == 1 and out == "" and err == "" and os.path.getsize(work("quiet.json")) > 0, "check -q -o FILE still writes FILE")
for sub in ["build", "info", "check", "export", "fix", "verify", "recover", "events", "deleted"]:
    _, out, _ = run(sub, "--help")
    expect("No output on stdout or stderr except an error that stops the command" in out, f"{sub} --help: -q text differs")

# 4. --rules given a rule id hints at --rule.
for sub in ["check", "fix"]:
    rc, out, err = run(sub, BROKEN, "--rules", "KB277770", *(["--dry-run"] if sub == "fix" else []))
    expect(rc == 2 and "--rules takes a rule file or folder; for the built-in rule KB277770 use --rule KB277770" in err,
           f"{sub} --rules KB277770: exit {rc} {err!r}")
rc, out, err = run("check", BROKEN, "--rules", "kb277770")
expect("use --rule KB277770" in err, f"--rules kb277770: {err!r}")
rc, out, err = run("check", BROKEN, "--rules", "no-such-file.json")
expect(rc == 3 and "no such rule file or directory" in err, f"--rules of a missing file: {rc} {err!r}")

# 5. Usage errors name the subcommand; fix HIVE OUT; --help footers; the top-level help points to man and docs/.
rc, out, err = run("fix", BROKEN, work("SYSTEM.fixed"))
expect(rc == 2 and "hivelint fix: fix takes one hive; give the output with -o " + work("SYSTEM.fixed") in err
       and not os.path.exists(work("SYSTEM.fixed")), f"fix HIVE OUT: {rc} {err!r}")
rc, out, err = run("verify", BROKEN, "other")
expect(rc == 2 and err.startswith("hivelint verify: "), f"verify a b: {err!r}")
rc, out, err = run("check", BROKEN, "--no-such-option")
expect(rc == 2 and err.startswith("hivelint check: "), f"check --no-such-option: {err!r}")
rc, out, err = run("check", BROKEN, "--rule", "NOPE")
expect(rc == 2 and err.startswith("hivelint check: --rule NOPE: no such rule"), f"check --rule NOPE: {err!r}")
for sub in ["build", "info", "check", "export", "fix", "verify", "recover", "events", "deleted", "rules"]:
    rc, out, err = run(sub, "--help")
    footer = out[out.find("Exit codes:"):]
    examples = [line for line in footer.split("Examples:")[-1].splitlines() if line.startswith("  hivelint " + sub)]
    expect(rc == 0 and "Exit codes:" in out and " 2 usage error" in footer and len(examples) == 2,
           f"{sub} --help: no exit codes or not two examples")
rc, out, err = run("--help")
expect(rc == 0 and "man hivelint" in out and "docs/" in out, "hivelint --help points to man hivelint and docs/")

# 6. export KEYPATH as hivelint prints it; the output path is the stored one (frictions 1.5, 1.6).
PARAMS = "ControlSet002\\Services\\InetInfo\\Parameters"


def reg_text(data):
    return data.decode("utf-16") if data.startswith(b"\xff\xfe") else data.decode("utf-8")


def export(*args):
    p = subprocess.run([HIVELINT, "export", BROKEN, *args], capture_output=True, timeout=60, cwd=WORK)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


for typed, control_set, stored in [
    ("controlset002\\services\\inetinfo\\parameters", None, PARAMS),
    ("HKLM\\SYSTEM\\ControlSet002\\Services\\InetInfo\\Parameters", None, PARAMS),
    ("HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet002\\Services\\InetInfo\\Parameters", None, PARAMS),
    ("hkey_local_machine\\system\\currentcontrolset\\services\\inetinfo\\parameters", None, PARAMS),
    ("CurrentControlSet\\Services\\InetInfo\\Parameters", None, PARAMS),
    ("CurrentControlSet\\Services\\InetInfo\\Parameters", "lastknowngood", PARAMS.replace("002", "001")),
    ("HKLM\\SYSTEM\\CurrentControlSet\\Services\\InetInfo\\Parameters", "1", PARAMS.replace("002", "001")),
]:
    extra = ["--control-set", control_set] if control_set else []
    rc, out, err = export(typed, *extra)
    header = "[HKEY_LOCAL_MACHINE\\SYSTEM\\" + stored + "]"
    expect(rc == 0 and header in reg_text(out), f"export {typed} {extra}: exit {rc} {err!r}")
    if typed.lower().find("currentcontrolset") >= 0:
        expect("CurrentControlSet is " + stored.split("\\")[0] in err, f"export {typed}: the set used is not named: {err!r}")
    rc, out, err = export(typed, "--format", "json", *extra)
    doc = json.loads(out) if rc == 0 else {}
    expect(rc == 0 and doc["keys"][0]["path"] == stored, f"export {typed} --format json: path {doc.get('keys', [{}])[0].get('path')!r}")
rc, out, err = export("HKLM\\OFFLINE\\ControlSet001\\Services", "--root", "HKLM\\OFFLINE")
expect(rc == 0 and "[HKLM\\OFFLINE\\ControlSet001\\Services]" in reg_text(out), f"export with --root HKLM\\OFFLINE: {rc} {err!r}")
rc, out, err = export("CurrentControlSet\\Services\\NoSuchService")
expect(rc == 2 and "CurrentControlSet is ControlSet002 (Select\\Current = 2)" in err, f"absent key under CurrentControlSet: {err!r}")
rc, out, err = export("CurrentControlSet\\Services", "--control-set", "all")
expect(rc == 2 and "--control-set all" in err, f"export --control-set all: {rc} {err!r}")

# 7. Encodings and the provenance comments (friction 1.11).
rc, out, err = export("Select")
expect(rc == 0 and out.startswith(b"\xff\xfeW\x00") and b"\r\x00\n\x00" in out and b";" not in out.replace(b"\x00", b""),
       "export to a pipe: UTF-16LE with BOM and CRLF, no comment, as before")
rc, out, err = export("Select", "--encoding", "UTF8")
expect(rc == 0 and out.startswith(b"Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\n")
       and b"\r" not in out, f"--encoding utf8: {out[:80]!r}")
rc, out, err = export(PARAMS, "--reg-comments", "-o", work("commented.reg"))
text = reg_text(open(work("commented.reg"), "rb").read()) if os.path.exists(work("commented.reg")) else ""
sha = __import__("hashlib").sha256(open(BROKEN, "rb").read()).hexdigest()
lines = text.split("\r\n")
expect(rc == 0 and lines[1] == "" and lines[2].startswith("; hivelint ") and BROKEN in lines[2]
       and any(sha in line for line in lines if line.startswith(";"))
       and any(line.startswith("; key HKEY_LOCAL_MACHINE\\SYSTEM\\" + PARAMS + " last written 2004-06-01T00:00:00") for line in lines),
       f"export --reg-comments: {text[:400]!r}")
rc, _, err = run("build", work("commented.reg"), "-o", work("rebuilt.hiv"))
expect(rc == 0, f"hivelint build reads an export with comments: {err!r}")
# On a terminal: UTF-8 (readable), never UTF-16 bytes; --encoding utf16le is still honoured.
import pty
master, slave = pty.openpty()
p = subprocess.run([HIVELINT, "export", BROKEN, "Select"], stdout=slave, stderr=subprocess.PIPE, timeout=60)
os.close(slave)
shown = b""
try:
    while True:
        chunk = os.read(master, 4096)
        if not chunk:
            break
        shown += chunk
except OSError:
    pass
os.close(master)
expect(p.returncode == 0 and b"\x00" not in shown and b"[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]" in shown,
       f"export on a terminal writes UTF-8: {shown[:80]!r}")

print(f"vocab: {checks} checks, {len(failures)} failures")
sys.exit(1 if failures else 0)
