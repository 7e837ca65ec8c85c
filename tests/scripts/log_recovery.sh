#!/usr/bin/env bash
# Transaction-log replay through the CLI on real hives (../shared/hives-real): `recover` of yarp's dirty
# hives gives what Windows' own recoveries hold, read by a third reader (hivex: hivexregedit --export);
# exit codes of recover (written 0, nothing to recover 4, existing output 4, --force); --log, --no-logs
# and the JSON recovery object of info/check; the input files are never modified.
# Usage: log_recovery.sh HIVELINT SRC WORK. Skips visibly when ../shared is absent.
set -uo pipefail
bin="$1"
shared="${HIVELINT_SHARED_DIR:-$2/../shared}"
work="$3"
rm -rf "$work" && mkdir -p "$work"
if [[ ! -d "$shared/hives-real" ]]; then
  echo "log_recovery: SKIPPED: $shared/hives-real is absent (the real hives live beside the repository in ../shared)"
  exit 77  # ctest SKIP_RETURN_CODE: reported as Skipped, never Passed
fi
y="$shared/hives-real/yarp"
failed=0
passed=0
with_logs=0
ok() { passed=$((passed + 1)); }
fail() { echo "log_recovery: FAIL: $*" >&2; failed=$((failed + 1)); }
expect_rc() {  # expect_rc WANT DESCRIPTION CMD...
  local want="$1" what="$2"
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  if [[ "$rc" == "$want" ]]; then ok; else fail "$what: exit $rc, expected $want; stderr: $(head -c 400 "$work/err")"; fi
}
json() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

before=$(find "$shared/hives-real" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)

# 1. Our recovery equals Windows' (hivex reads both; the export has no timestamps).
for pair in "NewDirtyHive1/NewDirtyHive NewDirtyHive1/RecoveredHive_Windows10" "OldDirtyHive/OldDirtyHive OldDirtyHive/RecoveredHive_Windows7"; do
  set -- $pair
  out="$work/$(basename "$(dirname "$1")").recovered"
  expect_rc 0 "recover $1" "$bin" recover "$y/$1" -o "$out"
  grep -q "do not place the old transaction logs of .* next to it" "$work/err" && ok || fail "recover $1: no warning about the old logs"
  hivexregedit --export "$out" '\' >"$work/ours.reg" 2>&1 || fail "hivex cannot export our recovery of $1"
  hivexregedit --export "$y/$2" '\' >"$work/windows.reg" 2>&1 || fail "hivex cannot export $2"
  if diff -q "$work/ours.reg" "$work/windows.reg" >/dev/null; then ok; else fail "$1: hivex reads our recovery differently from $2: $(diff "$work/ours.reg" "$work/windows.reg" | head -5)"; fi
  hivexregedit --export "$y/$1" '\' >"$work/base.reg" 2>&1
  if diff -q "$work/base.reg" "$work/windows.reg" >/dev/null; then fail "$1: the base file alone already equals $2 (the comparison proves nothing)"; else ok; fi
  # Clean: equal sequence numbers, valid checksum.
  if [[ "$(json <("$bin" info --format json "$out" 2>/dev/null) 'd["hives"][0]["dirty"], d["hives"][0]["checksum"]["valid"]')" == "False True" ]]; then ok; else fail "$out is not clean"; fi
done

# 2. recover refuses what it cannot or need not do, and never overwrites without --force.
expect_rc 4 "recover over an existing output" "$bin" recover "$y/NewDirtyHive1/NewDirtyHive" -o "$work/NewDirtyHive1.recovered"
grep -q "already exists" "$work/err" && ok || fail "existing output: no reason given"
expect_rc 0 "recover --force" "$bin" recover "$y/NewDirtyHive1/NewDirtyHive" -o "$work/NewDirtyHive1.recovered" --force
expect_rc 4 "recover BadLogHive1 (unusable log)" "$bin" recover "$y/BadLogHive1/BadLogHive" -o "$work/bad1"
grep -q "checksum is 0x4c564e49" "$work/err" && ok || fail "BadLogHive1: the reason is not on stderr"
[[ ! -e "$work/bad1" ]] && ok || fail "BadLogHive1: an output was written"
expect_rc 4 "recover a clean hive with stale logs" "$bin" recover "$shared/hives-real/dfwinreg/NTUSER.DAT" -o "$work/clean"
grep -q "nothing to recover" "$work/err" && ok || fail "clean hive: no reason given"
expect_rc 4 "recover onto a log" "$bin" recover "$y/NewDirtyHive1/NewDirtyHive" -o "$y/NewDirtyHive1/NewDirtyHive.LOG1" --force
expect_rc 3 "recover a log file" "$bin" recover "$y/NewDirtyHive1/NewDirtyHive.LOG1" -o "$work/log"
expect_rc 3 "recover with a missing --log" "$bin" recover "$y/NewDirtyHive1/NewDirtyHive" -o "$work/missing" --log "$work/nope.LOG1"
expect_rc 2 "recover without -o" "$bin" recover "$y/NewDirtyHive1/NewDirtyHive"

# 3. --log replaces the sibling logs; --no-logs analyses the base file; both are usage errors together.
cp "$y/NewDirtyHive1/NewDirtyHive" "$work/lonely"
expect_rc 0 "info --log" "$bin" info --format json "$work/lonely" --log "$y/NewDirtyHive1/NewDirtyHive.LOG1" --log "$y/NewDirtyHive1/NewDirtyHive.LOG2"
[[ "$(json "$work/out" 'd["hives"][0]["recovery"]["entries_applied"]')" == 4 ]] && ok || fail "info --log: not 4 entries applied"
expect_rc 0 "info on a dirty hive without logs" "$bin" info --format json "$work/lonely"
[[ "$(json "$work/out" 'd["hives"][0]["recovery"]["recovered"], d["hives"][0]["dirty"]')" == "False True" ]] && ok || fail "lonely dirty hive: wrong recovery object"
[[ "$(json "$work/out" '" ".join(d["hives"][0]["warnings"])')" == *"no transaction log found"* ]] && ok || fail "lonely dirty hive: no warning"
expect_rc 0 "info --no-logs" "$bin" info --format json "$y/NewDirtyHive1/NewDirtyHive" --no-logs
[[ "$(json "$work/out" 'd["hives"][0]["recovery"]["recovered"], len(d["hives"][0]["recovery"]["logs"])')" == "False 0" ]] && ok || fail "--no-logs replayed logs"
[[ "$(json "$work/out" '" ".join(d["hives"][0]["warnings"])')" == *"--no-logs was given"* ]] && ok || fail "--no-logs: no warning that the hive is dirty"
expect_rc 2 "--log with --no-logs" "$bin" info "$y/NewDirtyHive1/NewDirtyHive" --no-logs --log "$y/NewDirtyHive1/NewDirtyHive.LOG1"
expect_rc 2 "--log with two hives" "$bin" check "$y/NewDirtyHive1/NewDirtyHive" "$y/NewDirtyHive2/NewDirtyHive" --log "$y/NewDirtyHive1/NewDirtyHive.LOG1"

# 4. check reads the recovered hive and reports the recovery; a damaged log is named with its reason.
"$bin" check --format json "$y/BadLogHive3/BadLogHive" >"$work/out" 2>"$work/err"
[[ "$(json "$work/out" 'd["hives"][0]["recovery"]["skipped"][0]')" == *"checksum is 0x4c564e49"* ]] && ok || fail "check BadLogHive3: reason missing from JSON"
"$bin" check "$shared/hives-real/regipy/SYSTEM_B" >"$work/out" 2>"$work/err"
grep -q "^Recovery: .*SYSTEM_B: dirty (sequence 1622/1621); replayed 24 log entries" "$work/out" && ok || fail "check SYSTEM_B: no Recovery line: $(head -c 300 "$work/out")"

# 5. Every real hive with logs beside it: recover writes a hive hivex reads (exit 0), or refuses with a
#    reason (exit 4: clean, or no applicable log), or says where the hive itself is not a hive (exit 3, e.g.
#    yarp's empty Discovery files); never a crash, a hang or an internal error.
while IFS= read -r -d '' log; do
  hive="${log%.*}"
  for candidate in "$(dirname "$log")"/*; do  # the hive whose name the log extends, in any case
    if [[ "${candidate,,}" == "${hive,,}" ]]; then hive="$candidate"; fi
  done
  [[ -f "$hive" && ! -e "$work/done.$(echo "$hive" | tr / _)" ]] || continue
  touch "$work/done.$(echo "$hive" | tr / _)"
  with_logs=$((with_logs + 1))
  out="$work/all.$(echo "$hive" | tr / _)"
  timeout 60 "$bin" recover "$hive" -o "$out" >"$work/out" 2>"$work/err"
  rc=$?
  case "$rc" in
    0) if hivexregedit --export "$out" '\' >/dev/null 2>&1; then ok; else fail "recover $hive: hivex cannot read the output"; fi ;;
    4) [[ -s "$work/err" ]] && ok || fail "recover $hive: exit 4 without a reason" ;;
    3) grep -q " at 0x" "$work/err" && ok || fail "recover $hive: exit 3 without a structure and offset: $(head -c 300 "$work/err")" ;;
    *) fail "recover $hive: exit $rc: $(head -c 300 "$work/err")" ;;
  esac
done < <(find "$shared/hives-real" -type f \( -iname '*.log' -o -iname '*.log1' -o -iname '*.log2' \) -print0 | sort -z)
# 24 hives had logs beside them when this floor was set.
((with_logs >= 20)) && ok || fail "only $with_logs real hives with logs went through recover (expected at least 20)"

after=$(find "$shared/hives-real" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
[[ "$before" == "$after" ]] && ok || fail "an input file under $shared/hives-real changed"

echo "log_recovery: $passed passed, $failed failed"
((failed == 0))
