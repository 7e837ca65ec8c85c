#!/usr/bin/env bash
# Test of the CI skip gate (scripts/ctest_skips.py): it fails on a ctest JUnit file with one Skipped test (a
# `[real]` case whose ../shared/hives-real was absent, as ctest 3.25 writes it), passes on one where every test
# ran, and refuses a missing or empty file. Usage: skip_gate.sh HIVELINT SRC WORK
set -uo pipefail
src="$2"
work="$3"
mkdir -p "$work"
gate=(python3 "$src/scripts/ctest_skips.py")
failed=0
expect() {  # expect RC LABEL CMD...: CMD must exit RC
  local want="$1" label="$2" rc=0
  shift 2
  "$@" >"$work/out" 2>&1 || rc=$?
  if ((rc == want)); then
    echo "ok: $label (exit $rc)"
  else
    echo "FAIL: $label: exit $rc, expected $want" >&2
    sed 's/^/  /' "$work/out" >&2
    failed=$((failed + 1))
  fi
}
expect 1 "a JUnit file with a skipped test fails the gate" "${gate[@]}" "$src/tests/skip_gate/junit-skipped.xml"
grep -q "lh hashes and lf hints match those Windows stored in real hives (SKIP_REGULAR_EXPRESSION_MATCHED: SKIPPED: ../shared/hives-real absent" "$work/out" ||
  { echo "FAIL: the gate does not name the skipped test and its marker" >&2; failed=$((failed + 1)); }
expect 0 "a JUnit file where every test ran passes" "${gate[@]}" "$src/tests/skip_gate/junit-all-ran.xml"
expect 2 "a missing JUnit file fails" "${gate[@]}" "$work/no-such.xml"
printf '<?xml version="1.0"?>\n<testsuite tests="0"></testsuite>\n' >"$work/empty.xml"
expect 2 "a JUnit file without tests fails" "${gate[@]}" "$work/empty.xml"
echo "skip_gate: $failed failed"
((failed == 0))
