#!/usr/bin/env bash
# On a hive of 8 MiB or more, `check` searches the free cells for previous values on a thread of its own and
# evaluates Last Known Good on another, with a hivelint reader of its own; from 64 MiB (--backend both) libregf
# also opens the hive and reads ahead on a thread of its own (src/hive/open.cpp, src/cli/evaluate.cpp). Below,
# all of it runs one step after the other. The results must not depend on which: every sample hive, grown past
# 8 MiB by python3-hivex (a Filler key appended at the end, so no cell of the sample moves), and two of them past
# 64 MiB, give the results, diagnostics and stderr of the sample itself, under every reader.
# Usage: concurrent_readers.sh HIVELINT SRC WORK
set -euo pipefail
HL=$(realpath "$1")
SRC=$(realpath "$2")
WORK=$3
rm -rf "$WORK"
mkdir -p "$WORK"
if ! /usr/bin/python3 -c 'import hivex' 2>/dev/null; then
  echo "concurrent_readers: python3-hivex is missing (scripts/setup.sh --test installs it)" >&2
  exit 1
fi
exec /usr/bin/python3 - "$HL" "$SRC" "$WORK" <<'EOF'
import json, os, shutil, subprocess, sys
import hivex

hl, src, work = sys.argv[1:4]
SIDE_WORK, OPEN_AT_ONCE = 8 << 20, 64 << 20
PAST_64 = ("controlset002-broken.hiv", "service-start-faults.hiv")
failures = []


def grow(sample, out, size):
    shutil.copyfile(sample, out)
    h = hivex.Hivex(out, write=True)
    filler = h.node_add_child(h.root(), "Filler")
    values = size // 15000 + 1
    h.node_set_values(filler, [{"key": "v%d" % i, "t": 3, "value": bytes([i % 256]) * 15000} for i in range(values)])
    h.commit(None)
    assert os.path.getsize(out) >= size, out


def check(hive, backend, sets):
    p = subprocess.run([hl, "check", hive, "--format", "json", "--backend", backend, "--no-events"] + sets,
                       capture_output=True, text=True)
    doc = json.loads(p.stdout)
    for r in doc["results"]:
        r.pop("hive", None)
    h = doc["hives"][0]
    return p.returncode, doc["results"], h["diagnostics"], h["error"], h["backend"], p.stderr.replace(hive, "HIVE")


samples = os.path.join(src, "samples", "hives")
names = sorted(n for n in os.listdir(samples) if n.endswith(".hiv"))
for name in names:
    small = os.path.join(samples, name)
    big = os.path.join(work, name)
    grow(small, big, OPEN_AT_ONCE if name in PAST_64 else SIDE_WORK)
    # The current set alone (Last Known Good evaluated for "passes_in"), then every set.
    for sets in ([], ["--control-set", "all"]):
        for backend in ("both", "hivelint", "libregf"):
            a, b = check(small, backend, sets), check(big, backend, sets)
            for what, x, y in zip(("exit code", "results", "diagnostics", "error", "reader", "stderr"), a, b):
                if x != y:
                    failures.append(f"{name} {' '.join(sets)} --backend {backend}: {what} differs past {os.path.getsize(big) >> 20} MiB:"
                                    f"\n  {x}\n  {y}"[:2000])
    print(f"concurrent_readers: {name}: the same results below and past {os.path.getsize(big) >> 20} MiB with every reader")

if failures:
    print("\n".join(failures), file=sys.stderr)
    sys.exit(1)
print(f"concurrent_readers: {len(names)} sample hives ({len(PAST_64)} past 64 MiB), 3 readers each: ok")
EOF
