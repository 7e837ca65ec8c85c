#!/usr/bin/env bash
# Fault injection on `hivelint build`'s output write (util::write_file_atomically): an unwritable directory, a
# missing directory, a full disk (RLIMIT_FSIZE: a short write, then EFBIG), a process killed by the kernel
# mid-write (SIGXFSZ) and SIGKILL at random moments. Each time: the input is unchanged (SHA-256), no partial
# OUT exists (either no OUT or a complete, clean one), and a failure says clearly what went wrong.
# (`fix -o` gets the same treatment with issue 3.) Usage: write_faults.sh HIVELINT SRC WORK
set -uo pipefail
bin="$1"
src="$2"
work="$3"
rm -rf "$work"
mkdir -p "$work"
input="$src/samples/hives/no-select.reg"
args=(--prefix 'HKEY_LOCAL_MACHINE\SYSTEM' --timestamp 2004-06-01T00:00:00Z -q)
before="$(sha256sum <"$input")"
failed=0
passed=0
fail() {
  echo "write_faults: FAIL: $*" >&2
  failed=$((failed + 1))
}
ok() { passed=$((passed + 1)); }

# A reference output, written without faults (as OUT.hiv: the base block records the file name).
mkdir -p "$work/reference"
"$bin" build "$input" -o "$work/reference/OUT.hiv" "${args[@]}" || fail "reference build failed"
ref_size="$(stat -c %s "$work/reference/OUT.hiv")"

# Asserts: input unchanged, OUT absent, no temporary file left behind, exit code and stderr as expected.
expect_refused() {  # NAME OUT RC STDERR_PATTERN
  local name="$1" out="$2" want_rc="$3" pattern="$4"
  [[ "$(sha256sum <"$input")" == "$before" ]] || fail "$name: the input changed"
  [[ ! -e "$out" ]] || fail "$name: $out exists"
  if compgen -G "$(dirname "$out")/.*.hivelint-*.tmp" >/dev/null; then fail "$name: a temporary file was left behind"; fi
  [[ "$rc" == "$want_rc" ]] || fail "$name: exit $rc, expected $want_rc (stderr: $(head -c 300 "$work/err"))"
  grep -Eq "$pattern" "$work/err" || fail "$name: stderr does not say /$pattern/: $(head -c 300 "$work/err")"
  ok
}

# 1. Unwritable directory. Root ignores permission bits, so as root the build runs as nobody.
mkdir -p "$work/ro"
chmod 555 "$work/ro"
if ((EUID == 0)); then
  chmod 755 "$work"
  setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" build "$input" -o "$work/ro/OUT.hiv" "${args[@]}" 2>"$work/err"
else
  "$bin" build "$input" -o "$work/ro/OUT.hiv" "${args[@]}" 2>"$work/err"
fi
rc=$?
expect_refused "unwritable directory" "$work/ro/OUT.hiv" 3 "cannot create the temporary output file: Permission denied"

# 2. Missing directory.
"$bin" build "$input" -o "$work/missing/OUT.hiv" "${args[@]}" 2>"$work/err"
rc=$?
expect_refused "missing directory" "$work/missing/OUT.hiv" 3 "cannot create the temporary output file: No such file or directory"

# 3. Disk full: files may not grow past 64 KiB; with SIGXFSZ ignored the write comes back short, then EFBIG.
(
  trap '' XFSZ
  exec prlimit --fsize=65536 "$bin" build "$input" -o "$work/OUT-full.hiv" "${args[@]}"
) 2>"$work/err"
rc=$?
expect_refused "disk full" "$work/OUT-full.hiv" 3 "cannot write \(65536 of $ref_size bytes written\): File too large"

# 4. Killed by the kernel mid-write (SIGXFSZ, default action): no OUT; the hidden temporary file of the dead
#    process may remain (nothing can remove it), but never under the output's name.
(prlimit --fsize=65536 "$bin" build "$input" -o "$work/OUT-killed.hiv" "${args[@]}") 2>/dev/null
rc=$?
[[ "$rc" -gt 128 ]] || fail "killed mid-write: exit $rc, expected death by signal"
[[ ! -e "$work/OUT-killed.hiv" ]] || fail "killed mid-write: OUT exists"
[[ "$(sha256sum <"$input")" == "$before" ]] || fail "killed mid-write: the input changed"
rm -f "$work"/.OUT-killed.hiv.hivelint-*.tmp
ok

# 5. SIGKILL at 12 moments spread over a build: OUT is either absent or complete and equal to the reference.
start=$(date +%s%N)
"$bin" build "$input" -o "$work/timing.hiv" "${args[@]}" || fail "timing build failed"
duration_ms=$((($(date +%s%N) - start) / 1000000))
for i in $(seq 1 12); do
  mkdir -p "$work/kill-$i"
  out="$work/kill-$i/OUT.hiv"
  "$bin" build "$input" -o "$out" "${args[@]}" 2>/dev/null &
  pid=$!
  sleep "$(awk -v d="$duration_ms" -v i="$i" 'BEGIN { printf "%.3f", d * i / 12 / 1000 }')"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  [[ "$(sha256sum <"$input")" == "$before" ]] || fail "SIGKILL $i: the input changed"
  if [[ -e "$out" ]]; then
    cmp -s "$out" "$work/reference/OUT.hiv" || fail "SIGKILL $i: $out exists but differs from the reference (partial?)"
    "$bin" verify -q "$out" || fail "SIGKILL $i: $out does not verify clean"
  fi
  rm -f "$work/kill-$i"/.OUT.hiv.hivelint-*.tmp
  ok
done

echo "write_faults: $passed passed, $failed failed"
((failed == 0))
