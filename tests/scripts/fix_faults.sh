#!/usr/bin/env bash
# `hivelint fix` when writing goes wrong or is not allowed: the input hive stays unchanged (sha256), no partial
# output ever appears under the output's name, no temporary file is left behind (except by a process killed
# outright, which cannot clean up: then the output name is absent or complete), and the message says what
# happened. Cases: output exists (no --force; --force), output is the input, output and .reg the same file,
# output directory not writable (run as nobody), file size limit (EFBIG), a full file system (a 64 KiB tmpfs
# when this machine lets us mount one), an unreadable hive, a missing directory, SIGKILL at random moments,
# SIGTERM and SIGHUP while the temporary hive is on disk (it must go with the process).
# Usage: fix_faults.sh HIVELINT SRC WORK
set -uo pipefail
bin="$1"
src="$2"
work="$3"
rm -rf "$work"
mkdir -p "$work"
hive="$src/samples/hives/controlset002-broken.hiv"
before="$(sha256sum <"$hive")"
ts=2024-01-01T00:00:00Z
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "fix_faults: FAIL: $*" >&2; failed=$((failed + 1)); }
no_temp() {  # dir: no hivelint temporary file left
  local left
  left="$(find "$1" -maxdepth 1 -name '.*.hivelint-*.tmp' | head -3)"
  [[ -z $left ]] && ok || bad "temporary files left in $1: $left"
}
run() {  # expected-exit message-substring command...
  local want="$1" text="$2"
  shift 2
  "$@" >"$work/out.txt" 2>"$work/err.txt"
  local rc=$?
  if ((rc == want)) && grep -qF -- "$text" "$work/err.txt" "$work/out.txt"; then ok; else
    bad "exit $rc (expected $want), looking for \"$text\" in: $(cat "$work/err.txt" "$work/out.txt" | head -5)"
  fi
}

# Reference output (fixed timestamp: byte-identical every run).
"$bin" fix "$hive" -o "$work/reference.hiv" --timestamp "$ts" --quiet || bad "reference fix failed"

# Output exists: refused without --force (exit 4, file untouched); replaced with --force.
echo "precious" >"$work/exists.hiv"
run 4 "already exists (use --force" "$bin" fix "$hive" -o "$work/exists.hiv" --timestamp "$ts"
[[ "$(cat "$work/exists.hiv")" == precious ]] && ok || bad "existing output was modified"
run 0 "fixed:" "$bin" fix "$hive" -o "$work/exists.hiv" --timestamp "$ts" --force
cmp -s "$work/exists.hiv" "$work/reference.hiv" && ok || bad "--force output differs from the reference"
echo "precious" >"$work/exists.reg"
run 4 "already exists" "$bin" fix "$hive" -o "$work/new.hiv" --reg "$work/exists.reg"
[[ ! -e $work/new.hiv ]] && ok || bad "the hive was written although the .reg output was refused"

# Output is the input (by another name, too), or the .reg is the hive output.
cp "$hive" "$work/input.hiv"
ln -s "$work/input.hiv" "$work/link.hiv"
run 4 "refusing to write over an input file" "$bin" fix "$work/input.hiv" -o "$work/input.hiv" --force
run 4 "refusing to write over an input file" "$bin" fix "$work/input.hiv" -o "$work/link.hiv" --force
run 4 "refusing to write over an input file" "$bin" fix "$hive" -o "$work/same.out" --reg "$work/same.out"
cmp -s "$work/input.hiv" "$hive" && ok || bad "the input copy changed"

# Output directory not writable (root ignores permissions, so run as nobody).
mkdir -p "$work/ro" && chmod 0555 "$work/ro"
if command -v setpriv >/dev/null; then
  chmod o+rx "$work" && chmod o+r "$work/input.hiv"
  run 3 "cannot create the temporary output file" setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$bin" fix "$work/input.hiv" -o "$work/ro/out.hiv"
  [[ ! -e $work/ro/out.hiv ]] && ok || bad "output appeared in a read-only directory"
else
  bad "setpriv (util-linux) is missing"
fi
run 3 "cannot create the temporary output file" "$bin" fix "$hive" -o "$work/no/such/dir/out.hiv"

# File size limit: the write fails with EFBIG (SIGXFSZ ignored, as a shell does when it is told to).
mkdir -p "$work/limit"
(
  trap '' XFSZ
  ulimit -f 100  # 100 KiB, less than the hive
  "$bin" fix "$hive" -o "$work/limit/out.hiv" >"$work/out.txt" 2>"$work/err.txt"
  echo $? >"$work/rc.txt"
)
[[ "$(cat "$work/rc.txt")" == 3 ]] && grep -q "cannot write" "$work/err.txt" && ok || bad "size limit: exit $(cat "$work/rc.txt"): $(cat "$work/err.txt")"
[[ ! -e $work/limit/out.hiv ]] && ok || bad "size limit: partial output left"
no_temp "$work/limit"

# A full file system, when this machine lets us mount a small tmpfs (containers often do not).
mkdir -p "$work/full"
if mount -t tmpfs -o size=64k tmpfs "$work/full" 2>/dev/null; then
  run 3 "No space left on device" "$bin" fix "$hive" -o "$work/full/out.hiv"
  [[ ! -e $work/full/out.hiv ]] && ok || bad "disk full: partial output left"
  no_temp "$work/full"
  umount "$work/full"
else
  echo "fix_faults: note: cannot mount a tmpfs here; the file size limit above covers the failing write"
fi

# Unreadable hive: truncated, and not a hive at all.
head -c 6000 "$hive" >"$work/truncated.hiv"
run 3 "" "$bin" fix "$work/truncated.hiv" -o "$work/t.out"
[[ ! -e $work/t.out ]] && ok || bad "output written for a truncated hive"
head -c 8192 /dev/urandom >"$work/garbage.hiv"
run 3 "signature" "$bin" fix "$work/garbage.hiv" -o "$work/g.out"
[[ ! -e $work/g.out ]] && ok || bad "output written for garbage"

# Killed at random moments: the output name is absent or the complete, verified file; the input never changes.
for delay in 0.005 0.01 0.02 0.03 0.05 0.08 0.12 0.2; do
  rm -f "$work/killed.hiv"
  # --foreground: timeout kills hivelint only, not its own process group (and so itself).
  timeout --foreground -s KILL "$delay" "$bin" fix "$hive" -o "$work/killed.hiv" --timestamp "$ts" >/dev/null 2>&1
  if [[ -e $work/killed.hiv ]]; then cmp -s "$work/killed.hiv" "$work/reference.hiv" && ok || bad "killed after ${delay}s: a partial output"; else ok; fi
done
find "$work" -maxdepth 1 -name '.*.hivelint-*.tmp' -delete  # a killed process cannot remove its temporary file

# SIGTERM and SIGHUP while fix's temporary hive is on disk (written, then verified, then renamed): fix dies of
# the signal and takes its temporary file with it; the output name never appears. The hive carries an 8 MiB
# value under an unrelated key so that the file stays there for tens of milliseconds. The shell polls for the
# temporary file, stops fix at once (SIGSTOP), checks the file is still there, then signals and continues it;
# if fix had already finished, the round is tried again. (SIGINT is not tried: bash starts background jobs
# with SIGINT ignored, and hivelint leaves an ignored signal ignored.)
iconv -f UTF-16 -t UTF-8 "$src/samples/hives/controlset002-broken.reg" | tr -d '\r' >"$work/ballast.reg"
{
  printf '\n[HKEY_LOCAL_MACHINE\\SYSTEM\\Ballast]\n"Data"=hex:5a'
  head -c $((8 * 1024 * 1024 - 1)) /dev/zero | tr '\0' 'x' | sed 's/x/,5a/g'
  printf '\n'
} >>"$work/ballast.reg"
"$bin" build "$work/ballast.reg" -o "$work/ballast.hiv" --quiet || bad "cannot build the ballast hive"
# SIGKILL while fix writes and verifies the ballast hive: where the file system has O_TMPFILE the temporary hive
# has no name, so nothing can be left behind even by a signal no handler sees (issue 12).
if /usr/bin/python3 -c 'import os, sys; os.close(os.open(sys.argv[1], os.O_TMPFILE | os.O_RDWR))' "$work" 2>/dev/null; then
  for delay in 0.05 0.1 0.2 0.3 0.5; do
    rm -f "$work/sigkill.hiv"
    timeout --foreground -s KILL "$delay" "$bin" fix "$work/ballast.hiv" -o "$work/sigkill.hiv" --timestamp "$ts" >/dev/null 2>&1
  done
  [[ -z "$(find "$work" -maxdepth 1 -name '.sigkill.hiv.hivelint-*')" ]] && ok || bad "SIGKILL left a temporary hive behind"
else
  echo "fix_faults: note: no O_TMPFILE on $work; a SIGKILL there can leave a named temporary behind (docs/hostile-input.md)"
fi
# The temporary hive is either unnamed (O_TMPFILE: fix holds a descriptor to "$work/#INODE (deleted)") or, on
# file systems without O_TMPFILE, a named .NAME.hivelint-*.tmp.
has_temporary() {
  compgen -G "$work/.$1.hivelint-*.tmp" >/dev/null && return 0
  ls -l "/proc/$pid/fd" 2>/dev/null | grep -qF -- "-> $work/#"
}
# Starts fix on the ballast hive, output $work/NAME, and stops it (SIGSTOP) while its temporary hive is on disk
# and the output not yet there; sets `pid`. Fails when fix had finished every one of 30 tries.
stop_with_temporary() {
  local name="$1"
  for _ in $(seq 1 30); do
    rm -f "$work/$name"
    "$bin" fix "$work/ballast.hiv" -o "$work/$name" --timestamp "$ts" --quiet >/dev/null 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null && ! has_temporary "$name"; do :; done
    kill -STOP "$pid" 2>/dev/null
    # Stopped before the commit: an O_TMPFILE descriptor still reads "#INODE (deleted)" in /proc after linkat
    # gave the file its name, so the output's absence is what says fix has not committed yet.
    has_temporary "$name" && [[ ! -e $work/$name ]] && kill -0 "$pid" 2>/dev/null && return 0
    kill -CONT "$pid" 2>/dev/null
    wait "$pid"
  done
  bad "never caught fix with its temporary hive on disk in 30 tries ($name)"
  return 1
}
for sig in TERM HUP; do
  want=$((128 + $(kill -l "$sig")))
  stop_with_temporary sig.hiv || continue
  kill "-$sig" "$pid"
  kill -CONT "$pid"
  wait "$pid"
  rc=$?
  ((rc == want)) && ok || bad "SIG$sig during verification: exit $rc, expected $want (death by the signal)"
  compgen -G "$work/.sig.hiv.hivelint-*.tmp" >/dev/null && bad "SIG$sig during verification: the temporary hive is left" || ok
  [[ ! -e $work/sig.hiv ]] && ok || bad "SIG$sig during verification: an output appeared"
done
# An output that appears while fix verifies (another process wrote it) is left as it is without --force: exit 4.
if stop_with_temporary race.hiv; then
  echo "someone else's file" >"$work/race.hiv"
  kill -CONT "$pid"
  wait "$pid"
  rc=$?
  ((rc == 4)) && ok || bad "output appearing during verification: exit $rc, expected 4"
  [[ "$(cat "$work/race.hiv")" == "someone else's file" ]] && ok || bad "an output that appeared during verification was replaced"
fi
rm -f "$work/sig.hiv" "$work/race.hiv" "$work/ballast.reg"

[[ "$(sha256sum <"$hive")" == "$before" ]] && ok || bad "the input hive changed"
no_temp "$work"
echo "fix_faults: $passed passed, $failed failed"
((failed == 0))
