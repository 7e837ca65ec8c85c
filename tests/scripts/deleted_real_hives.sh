#!/usr/bin/env bash
# `hivelint deleted --format json` over every file in ../shared/hives-real: each run ends within 10 s (60 s in
# the sanitizer build) with exit 0 (carved) or 3 (not a hive, with a message), valid JSON, never a crash or
# "internal error". yarp's deleted-data hives give known recoveries (msuhanov/yarp's own tests for them):
# DeletedDataHive: key "456" and values "v2" = "456", "v" = "123456"; DeletedTreeHive: keys 3, 4, 5 and
# "New Key #1"; ReallocValueDataHive: a default value whose data cell is allocated again (overwritten).
# Usage: deleted_real_hives.sh HIVELINT SRC WORK. Skips visibly when ../shared is absent.
set -uo pipefail
bin="$1"
shared="${HIVELINT_SHARED_DIR:-$2/../shared}"
work="$3"
mkdir -p "$work"
if [[ ! -d "$shared/hives-real" ]]; then
  echo "deleted_real_hives: SKIPPED: $shared/hives-real is absent (the real hives live beside the repository in ../shared)"
  exit 77
fi
cap=10
[[ "${HIVELINT_SANITIZED:-0}" == 1 ]] && cap=60
files=0 carved=0 refused=0 failed=0 keys=0 values=0
while IFS= read -r -d '' hive; do
  files=$((files + 1))
  timeout "$cap" "$bin" deleted --format json "$hive" >"$work/out" 2>"$work/err"
  rc=$?
  problem=""
  case "$rc" in
    0) carved=$((carved + 1)) ;;
    3) refused=$((refused + 1)); [[ -s "$work/err" ]] || problem="exit 3 without a message" ;;
    124) problem="no result within ${cap}s" ;;
    *) problem="exit $rc" ;;
  esac
  grep -q "internal error\|runtime error\|AddressSanitizer" "$work/err" && problem="$problem; $(head -c 300 "$work/err")"
  if [[ -z "$problem" ]]; then
    counts=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d.get("keys",[])), len(d.get("values",[])))' "$work/out" 2>&1) ||
      problem="invalid JSON: $counts"
    if [[ -z "$problem" ]]; then keys=$((keys + ${counts% *})); values=$((values + ${counts#* })); fi
  fi
  if [[ -n "$problem" ]]; then
    failed=$((failed + 1))
    echo "deleted_real_hives: FAIL: $hive: $problem"
  fi
done < <(find "$shared/hives-real" -type f ! -name '*.md' -print0 | sort -z)

expect() {  # expect HIVE PYTHON-ASSERTION
  "$bin" deleted --format json "$shared/hives-real/$1" >"$work/one.json" 2>/dev/null
  if ! /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); k={x['name'] for x in d['keys']}; v={x['name']: x for x in d['values']}; assert $2" "$work/one.json"; then
    failed=$((failed + 1))
    echo "deleted_real_hives: FAIL: $1: expected $2"
  fi
}
expect yarp/DeletedDataHive "'456' in k and v['v2']['data'] == '340035003600' + '0000' and v['v']['data_state'] == 'free_cell'"
expect yarp/DeletedTreeHive "{'3', '4', '5', 'New Key #1'} <= k"
expect yarp/ReallocValueDataHive "v['']['data_state'] == 'overwritten' and v['']['data'] is None"

echo "deleted_real_hives: $files files: $carved carved ($keys keys, $values values), $refused refused, $failed failed"
[[ $failed == 0 ]]
