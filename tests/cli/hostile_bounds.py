"""Hostile input against resource bounds (run by tests/scripts/hostile_bounds.sh under ctest).

One case per defect of the adversarial review's input-bounds half; each was a crash, a hang or gigabytes of
memory before. Every hivelint run has a time limit; memory is measured with the children's peak RSS.
"""
import json
import os
import resource
import shutil
import stat
import struct
import subprocess
import sys
import time

HIVELINT, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
SANITIZED = os.environ.get("HIVELINT_SANITIZED", "0") in ("1", "ON", "TRUE", "true")
SAMPLES = os.path.join(SRC, "samples", "hives")
sys.path.insert(0, os.path.join(SRC, "tests", "support"))
from regfgen import Hive  # noqa: E402

failures = []
checks = 0


def expect(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def limit_memory():
    # A regression must fail the test, not exhaust a shared machine (ASan reserves terabytes of address space).
    if not SANITIZED:
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def run(*args, timeout=30):
    """(exit code, stdout, stderr, seconds, peak RSS in MiB of this run); exit 124 on timeout."""
    start = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    try:
        p = subprocess.run([HIVELINT, *args], capture_output=True, timeout=timeout, preexec_fn=limit_memory)
        rc, out, err = p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        rc, out, err = 124, b"", "timeout"
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest so far: a run that did not raise it used at most `before`.
    return rc, out, err, time.monotonic() - start, max(after, 0) / 1024 if after > before else 0


def path(name):
    return os.path.join(WORK, name)


def reg_hive(name, values_reg):
    """Builds a SYSTEM hive with Exchange installed and the given lines under InetInfo\\Parameters."""
    txt = ('Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\r\n"Current"=dword:00000001\r\n\r\n'
           '[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\SMTPSVC]\r\n' + values_reg.get("smtp", "") + '\r\n'
           '[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\MSExchangeSA]\r\n\r\n'
           '[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\InetInfo\\Parameters]\r\n' + values_reg.get("params", ""))
    src = path(name + ".reg")
    with open(src, "wb") as f:
        f.write(b"\xff\xfe" + txt.encode("utf-16-le"))
    rc, _, err, _, _ = run("build", src, "-o", path(name), "-q", "--prefix", "HKEY_LOCAL_MACHINE\\SYSTEM", "--force")
    assert rc == 0, err
    return path(name)


def hex7(data):
    return "hex(7):" + ",".join("%02x" % c for c in data) + "\r\n"


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)

# D6: a value named "DispatchEntries\0" is not DispatchEntries, with either backend.
with open(os.path.join(SAMPLES, "exchange2000-healthy.hiv"), "rb") as f:
    b = bytearray(f.read())
i = b.find(b"DispatchEntries")
while i >= 0:
    if b[i - 20:i - 18] == b"vk":
        struct.pack_into("<H", b, i - 18, 16)
    i = b.find(b"DispatchEntries", i + 1)
i = b.find(b"Parameters")
while i >= 0:
    if b[i - 76:i - 74] == b"nk" and struct.unpack_from("<I", b, i - 16)[0] == 30:
        struct.pack_into("<I", b, i - 16, 32)
    i = b.find(b"Parameters", i + 1)
with open(path("nulname.hiv"), "wb") as f:
    f.write(b)
for backend in ("libregf", "hivelint"):
    rc, out, err, _, _ = run("check", path("nulname.hiv"), "--backend", backend, "--format", "json")
    expect(rc == 1 and b'"value_absent"' in out, f"D6 {backend}: DispatchEntries+NUL is absent (exit {rc}) {err}")
rc, out, err, _, _ = run("fix", path("nulname.hiv"), "-o", path("nulname.fixed"), "-q")
expect(rc == 0 and os.path.exists(path("nulname.fixed")), f"D6: fix writes the value (exit {rc}) {err}")

# D7: a 40 KB hive of values sharing one big-data segment cell.
h = Hive(); h.begin(); h.make_sk(); nseg = 4105
seg = h.alloc(b"A\0" * 8172)
lst = h.alloc(struct.pack("<I", seg) * nseg)
db = h.alloc(b"db" + struct.pack("<HI", nseg, lst) + b"\0" * 4)
vks = [h.vk("v%d" % n, 3, raw_size=nseg * 16344, data_off=db) for n in range(8)]
k = h.nk("bomb", nvalues=8, vlist=h.vlist(vks))
root = h.nk("ROOT", subkeys=1, sublist=h.lh([(k, "bomb")]), root=True); h.set_nk(k, 16, "<I", root)
h.finish(root, path("bomb.hiv"))
for backend in ("hivelint", "libregf"):
    for fmt in ("reg", "json"):
        rc, _, err, secs, rss = run("export", path("bomb.hiv"), "--backend", backend, "--format", fmt, timeout=60)
        expect(rc == 3 and "again" in err, f"D7 export --backend {backend} --format {fmt}: shared segment refused (exit {rc}) {err}")
        expect(SANITIZED or rss < 200, f"D7 export --backend {backend} --format {fmt}: peak RSS {rss:.0f} MiB")

# D8: fix planning is linear (20,000 distinct entries took 17-25 s).
data = "".join("e%07d\0" % n for n in range(20000)).encode("utf-16-le") + b"\0\0"
dd = reg_hive("dd.hiv", {"params": '"DispatchEntries"=' + hex7(data)})
rc, _, err, secs, _ = run("check", dd, timeout=60)
expect(rc == 1 and secs < (20 if SANITIZED else 5), f"D8: check of 20,000 entries: exit {rc} in {secs:.1f} s")

# D9: devices are refused before reading, as a hive and as a clean hive's sibling log.
rc, _, err, secs, _ = run("check", "/dev/zero", timeout=20)
expect(rc == 3 and "character device" in err, f"D9: check /dev/zero: exit {rc} {err}")
os.makedirs(path("d9"))
shutil.copy(os.path.join(SAMPLES, "exchange2000-healthy.hiv"), path("d9/SYSTEM"))
os.symlink("/dev/zero", path("d9/SYSTEM.LOG1"))
rc, _, err, secs, _ = run("check", path("d9/SYSTEM"), timeout=20)
expect(rc == 0, f"D9: clean hive with SYSTEM.LOG1 -> /dev/zero: exit {rc} {err}")
rc, out, err, _, _ = run("check", os.path.join(SAMPLES, "controlset002-broken.hiv"), "/dev/zero",
                         os.path.join(SAMPLES, "exchange2000-healthy.hiv"), "--format", "jsonl", timeout=20)
# One line per hive (the device's is an error line) and the batch's closing summary record.
records = [json.loads(line) for line in out.splitlines() if line.strip()]
kinds = [r.get("type") for r in records]
expect(rc == 3 and kinds == ["hive", "hive", "hive", "summary"] and records[1]["status"] == "error",
       f"D9: batch with /dev/zero in the middle: exit {rc}, records {kinds}")

# D11: a FIFO named like a log does not block.
os.makedirs(path("d11"))
shutil.copy(os.path.join(SAMPLES, "exchange2000-healthy.hiv"), path("d11/SYSTEM"))
os.mkfifo(path("d11/SYSTEM.LOG2"))
rc, _, err, _, _ = run("check", path("d11/SYSTEM"), timeout=20)
expect(rc == 0, f"D11: check beside a FIFO log: exit {rc} {err}")
rc, _, err, _, _ = run("check", path("d11"), "--format", "jsonl", timeout=20)
expect(rc != 124, f"D11: batch over a directory with a FIFO log: exit {rc}")

# D12: 40 keys each listing the next twice: 2^40 paths.
h = Hive(); h.begin(); h.make_sk(); prev = h.nk("leaf")
for n in range(40):
    node = h.nk("k", subkeys=2, sublist=h.lh([(prev, "leaf" if n == 0 else "k")] * 2)); h.set_nk(prev, 16, "<I", node); prev = node
root = h.nk("ROOT", subkeys=1, sublist=h.lh([(prev, "k")]), root=True); h.set_nk(prev, 16, "<I", root)
h.finish(root, path("dag.hiv"))
for backend in ("hivelint", "libregf"):
    for fmt in ("reg", "json"):
        rc, _, err, _, _ = run("export", path("dag.hiv"), "--backend", backend, "--format", fmt, timeout=20)
        expect(rc == 3 and "listed as a subkey twice" in err, f"D12 export --backend {backend} --format {fmt}: exit {rc} {err}")

# D13: deep rule files are exit 3, not SIGSEGV; `rules show` is not cubic.
def rule_file(name, body):
    with open(path(name), "w") as f:
        f.write(body)
    return path(name)

head = '{"schema_version":1,"id":"D","title":"t","check":'
for depth in (20000, 10000, 200):
    r = rule_file(f"deep{depth}.json", head + '{"not":' * depth + '{"key_exists":"x"}' + "}" * depth + "}")
    rc, _, err, _, _ = run("rules", "list", "--rules", r)
    expect(rc == 3 and "nested more than 128 levels" in err, f"D13: rules list, {depth} deep: exit {rc} {err}")
    rc, _, err, _, _ = run("check", os.path.join(SAMPLES, "exchange2000-healthy.hiv"), "--rules", r)
    expect(rc == 3, f"D13: check --rules, {depth} deep: exit {rc}")
r = rule_file("deep60.json", head + '{"not":' * 60 + '{"key_exists":"x"}' + "}" * 60 + "}")
rc, out, err, secs, _ = run("rules", "show", "D", "--rules", r)
expect(rc == 0 and out.count(b"not:") == 60 and secs < 5, f"D13: rules show, 60 deep: exit {rc} in {secs:.1f} s {err}")

# D14: a rule regex over a 200,000-character value.
long_hive = reg_hive("long.hiv", {"smtp": '"ImagePath"="inetinfo' + "a" * 200000 + '"\r\n'})
r = rule_file("regex.json", '{"schema_version":1,"id":"M","title":"t","check":{"string_matches":{"key":"Services\\\\SMTPSVC",'
                            '"value":"ImagePath","regex":"inetinfo.*\\\\.exe"}}}')
rc, _, err, _, _ = run("check", long_hive, "--rules", r)
expect(rc == 1, f"D14: inetinfo.*\\.exe over 200,000 characters: exit {rc} {err}")
r = rule_file("note.json", '{"schema_version":1,"id":"N","title":"t","check":{"key_exists":"Services\\\\SMTPSVC"},'
                           '"evidence":[{"key":"Services\\\\SMTPSVC","values":["ImagePath"],"notes":[{"regex":"(a|b)*c","note":"n"}]}]}')
rc, _, err, _, _ = run("check", long_hive, "--rules", r)
expect(rc == 0, f"D14: evidence note (a|b)*c over 200,000 characters: exit {rc} {err}")
r = rule_file("backref.json", '{"schema_version":1,"id":"B","title":"t","check":{"string_matches":{"key":"k","value":"v","regex":"(a)\\\\1"}}}')
rc, _, err, _, _ = run("rules", "list", "--rules", r)
expect(rc == 3 and "/check/string_matches/regex" in err, f"D14: a backreference is refused at load: exit {rc} {err}")

# D20: an entry holding an unpaired surrogate is kept as stored.
data = "Ldapsvc\0Res".encode("utf-16-le") + b"\x00\xd8" + "vc\0\0".encode("utf-16-le")
s = reg_hive("s.hiv", {"params": '"DispatchEntries"=' + hex7(data)})
rc, _, err, _, _ = run("fix", s, "-o", path("s.fixed"), "-q")
expect(rc == 0, f"D20: fix: exit {rc} {err}")
rc, out, err, _, _ = run("export", path("s.fixed"), "ControlSet001\\Services\\InetInfo\\Parameters", "--format", "json")
expect(rc == 0 and b"Res\\ud800vc" not in out and (b"00d8" in out or b"\\ud800" in out),
       f"D20: the stored entry keeps its code unit 0xD800 (exit {rc})")
fixed = open(path("s.fixed"), "rb").read()
expect(data[:-2] in fixed, "D20: the stored entries are a byte-for-byte prefix of the new value")

# A .reg source naming a value or key with an unpaired surrogate (found by fuzz_builder_roundtrip): build
# refuses it up front, naming it, instead of writing a hive libregf and hivex cannot read.
src = path("surrogate.reg")
with open(src, "wb") as f:
    f.write(b"\xff\xfe" + ("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\r\n\"Odd"
                           ).encode("utf-16-le") + b"\x22\xdc" + '"=dword:00000001\r\n'.encode("utf-16-le"))
rc, _, err, _, _ = run("build", src, "-o", path("surrogate.hiv"), "--prefix", "HKEY_LOCAL_MACHINE\\SYSTEM")
expect(rc == 3 and "Select\\Odd\ufffd" in err and "unpaired surrogate" in err and not os.path.exists(path("surrogate.hiv")),
       f"build refuses a name with an unpaired surrogate, naming it: exit {rc} {err}")

# A key name starting with U+FEFF (found by fuzz_builder_roundtrip): libregf drops it as a byte-order mark and
# reads the key under another name; build refuses the hive at its read-back, naming both spellings.
rc, _, err, _, _ = run("build", os.path.join(SRC, "tests", "fuzz", "regressions", "builder_roundtrip",
                                             "bom-at-start-of-key-name.reg"),
                       "-o", path("bom.hiv"), "--prefix", "HKEY_LOCAL_MACHINE")
expect(rc == 4 and "libregf reads the new hive differently" in err and "\\SYSTEM\\Select: unexpected key" in err
       and not os.path.exists(path("bom.hiv")), f"build refuses a name libregf reads without its U+FEFF: exit {rc} {err}")

# D21: schema_version overflow and duplicate keys.
r = rule_file("ver.json", '{"schema_version":4294967297,"id":"A","title":"t","check":{"key_exists":"x"}}')
rc, _, err, _, _ = run("rules", "list", "--rules", r)
expect(rc == 3 and "/schema_version" in err, f"D21: schema_version 4294967297: exit {rc} {err}")
r = rule_file("dup.json", '{"schema_version":1,"id":"A","id":"B","title":"t","check":{"key_exists":"x"}}')
rc, _, err, _, _ = run("rules", "list", "--rules", r)
expect(rc == 3 and '"id" appears twice' in err, f"D21: duplicate \"id\": exit {rc} {err}")

# Address space exhausted (a ulimit, a 32-bit-like budget): a file that cannot be mapped is refused by its size
# before it is read, and worker threads the system refuses to create do not abort the batch (review attacks 48,
# 49, 57, found again under `prlimit --as`). Not under ASan, which needs terabytes of address space itself.
if not SANITIZED:
    def run_limited(args, limit, timeout=60):
        def preexec():
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            p = subprocess.run([HIVELINT, *args], capture_output=True, timeout=timeout, preexec_fn=preexec)
            return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            return 124, b"", "timeout"
    sparse = path("sparse4g.hiv")
    with open(os.path.join(SAMPLES, "exchange2000-healthy.hiv"), "rb") as f:
        head = f.read(4096)
    with open(sparse, "wb") as f:
        f.write(head)
        f.truncate(4 << 30)
    for cmd in (["verify", sparse], ["check", sparse], ["info", sparse]):
        rc, _, err = run_limited(cmd, 2 << 30)
        expect(rc == 3 and "larger than any hive file" in err,
               f"4 GiB sparse hive under a 2 GiB address-space limit: {cmd[0]} exit {rc} {err[-300:]}")
    os.makedirs(path("many"))
    for i in range(250):
        shutil.copy(os.path.join(SAMPLES, "exchange2000-healthy.hiv"), path(f"many/h{i:03}.hiv"))
    rc, out, err = run_limited(["check", path("many"), "--jobs", "250", "--format", "jsonl"], 1536 << 20)
    records = [json.loads(line) for line in out.splitlines() if line.strip()]
    expect(rc == 0 and len(records) == 251 and records[-1]["type"] == "summary",
           f"250 hives, --jobs 250, 1.5 GiB address space: exit {rc}, {len(records)} records {err[-300:]}")

    # From 8 MiB, check carves free cells and evaluates Last Known Good on threads of their own; where none can
    # be had, each runs in line. A failing 11 MB hive (both of those run) under address-space limits from ample
    # down to too little: the results of an unlimited run, or a clean error, never a signal (the carve's
    # fallback once ran a function std::async had already taken: a segfault near 40 MB).
    import hivex
    big = path("big-failing.hiv")
    shutil.copyfile(os.path.join(SAMPLES, "controlset002-broken.hiv"), big)
    h = hivex.Hivex(big, write=True)
    filler = h.node_add_child(h.root(), "Filler")
    h.node_set_values(filler, [{"key": "v%d" % i, "t": 3, "value": bytes([i % 256]) * 15000} for i in range(700)])
    h.commit(None)
    def results(out):
        return json.dumps(json.loads(out)["results"], sort_keys=True)
    rc, out, err = run_limited(["check", big, "--format", "json"], 3 << 30)
    expect(rc == 1, f"11 MB failing hive, unlimited: exit {rc} {err[-300:]}")
    reference = results(out) if rc == 1 else None
    for mib in range(160, 16, -8):
        rc, out, err = run_limited(["check", big, "--format", "json"], mib << 20)
        if rc == 1:
            expect(results(out) == reference, f"11 MB failing hive under {mib} MiB: other results")
        else:
            expect(rc in (3, 5) and "hivelint: " in err,
                   f"11 MB failing hive under {mib} MiB: exit {rc} (a signal is negative) {err[-300:]}")

print(f"hostile_bounds: {checks} checks, {len(failures)} failures")
sys.exit(1 if failures else 0)
