#!/usr/bin/env bash
# A batch holds no file open per hive until its report is written: 48 links to one 9 MiB hive (mapped, and
# hashed on a thread of its own from 8 MiB), checked with every report format under `ulimit -n 32`, must all
# be read (with a descriptor kept per hive, the 29th could not be opened). Dirty copies with a log to replay
# (a private mapping of the file) and the default reader (libregf beside hivelint's) are checked the same way.
# Usage: batch_descriptors.sh HIVELINT SRC WORK
set -euo pipefail
HL=$(realpath "$1")
SRC=$(realpath "$2")
WORK=$3
rm -rf "$WORK"
mkdir -p "$WORK/clean" "$WORK/dirty"
if ! /usr/bin/python3 -c 'import hivex' 2>/dev/null; then
  echo "batch_descriptors: python3-hivex is missing (scripts/setup.sh --test installs it)" >&2
  exit 1
fi
fail() { echo "FAIL: $*" >&2; exit 1; }
# Runs the rest under `ulimit -n LIMIT` with no descriptor but 0-2 open (ctest's own would count against it).
limited() {
  local limit=$1 fd
  shift
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      ((fd > 2)) && eval "exec $fd>&-"
    done
    ulimit -n "$limit" && exec "$@"
  )
}

# One hive past 8 MiB: a sample with a Filler key appended by python3-hivex (no cell of the sample moves).
/usr/bin/python3 - "$SRC/samples/hives/controlset002-broken.hiv" "$WORK/big.hiv" <<'EOF'
import shutil, sys
import hivex
shutil.copyfile(sys.argv[1], sys.argv[2])
h = hivex.Hivex(sys.argv[2], write=True)
filler = h.node_add_child(h.root(), "Filler")
h.node_set_values(filler, [{"key": "v%d" % i, "t": 3, "value": bytes([i % 256]) * 15000} for i in range(620)])
h.commit(None)
EOF
size=$(stat -c %s "$WORK/big.hiv")
((size > 8 * 1024 * 1024)) || fail "the grown hive has only $size bytes"
/usr/bin/python3 "$SRC/bench/make_dirty_hive.py" "$WORK/big.hiv" "$WORK/dirty-source.hiv" --pages 16 >/dev/null
count=48
for i in $(seq -w 1 $count); do
  ln "$WORK/big.hiv" "$WORK/clean/h$i.hiv"
  ln "$WORK/dirty-source.hiv" "$WORK/dirty/h$i.hiv"
  ln "$WORK/dirty-source.hiv.LOG1" "$WORK/dirty/h$i.hiv.LOG1"
done

for dir in clean dirty; do
  for format in text json jsonl sarif junit; do
    for backend in hivelint both; do
      set +e
      out=$(limited 32 "$HL" check "$WORK/$dir" --format "$format" --backend "$backend" --jobs 1 --no-events \
              2>&1 >/dev/null)
      rc=$?
      set -e
      grep -q "Too many open files" <<<"$out" && fail "$dir, --format $format, --backend $backend: $(grep -m1 'Too many' <<<"$out")"
      ((rc == 0 || rc == 1)) || fail "$dir, --format $format, --backend $backend: exit $rc: $(tail -n 3 <<<"$out")"
      grep -q "checked $count hives" <<<"$out" || fail "$dir, --format $format, --backend $backend: $(tail -n 1 <<<"$out")"
      if [[ $dir == dirty ]]; then
        replayed=$(grep -c "replayed 1 log entry" <<<"$out" || true)
        ((replayed == count)) || fail "dirty, --format $format, --backend $backend: $replayed of $count replayed"
      fi
    done
  done
done
# One dirty hive with no descriptor to spare for listing its folder: its logs are either replayed or said to
# be unseen, never silently "no transaction log found".
cp "$WORK/dirty-source.hiv" "$WORK/one.hiv"
cp "$WORK/dirty-source.hiv.LOG1" "$WORK/one.hiv.LOG1"
# Not under ASan + UBSan: their own checks probe memory through a pipe, which needs descriptors this leaves
# none of (UBSan then reports a false "invalid vptr" at start-up); the plain build runs it.
limits=(4 5 6 8)
if [[ "${HIVELINT_SANITIZED:-0}" == 1 ]]; then
  limits=()
  echo "batch_descriptors: the ulimit -n 4..8 runs are left to the plain build (sanitizers need descriptors)"
fi
for limit in "${limits[@]}"; do
  set +e
  out=$(limited "$limit" "$HL" check "$WORK/one.hiv" --backend hivelint --no-events 2>&1 >/dev/null)
  set -e
  grep -q "no transaction log found" <<<"$out" && fail "ulimit -n $limit: the logs went unseen silently: $out"
  grep -qE "replayed 1 log entry|could not be listed|cannot open" <<<"$out" ||
    fail "ulimit -n $limit: neither replayed nor said why: $out"
done
echo "PASS: $count hives of 9 MiB (clean, and dirty with a log) in every report format under ulimit -n 32"
