#!/usr/bin/env bash
# Golden files: for every sample, `hivelint check --control-set all` in JSON and text, `hivelint info` in JSON,
# `hivelint fix --control-set all --dry-run` (patch planned and verified in memory) in text and JSON, and the
# .reg file `hivelint fix --reg` writes, compared byte for byte with tests/golden/NAME.{check.json,check.txt,
# info.json,fix.txt,fix.json,fix.reg} (fix.reg only for samples that need a fix).
# HIVELINT_UPDATE_GOLDEN=1 rewrites them (refused when CI is set). Usage: golden.sh HIVELINT SRC WORK
set -euo pipefail
bin="$1"
src="$2"
work="$3"
cd "$src"  # outputs name hives by the relative path given, so run from the source tree
mkdir -p "$work"
update="${HIVELINT_UPDATE_GOLDEN:-0}"
if [[ "$update" == 1 && -n "${CI:-}" ]]; then
  echo "golden: HIVELINT_UPDATE_GOLDEN is not allowed in CI" >&2
  exit 1
fi
shopt -s nullglob
samples=(samples/hives/*.hiv)
if ((${#samples[@]} == 0)); then
  echo "golden: no samples in samples/hives" >&2
  exit 1
fi
failed=0
compared=0
for hive in "${samples[@]}"; do
  name="$(basename "$hive" .hiv)"
  "$bin" check "$hive" --control-set all --format json >"$work/$name.check.json" 2>/dev/null || true
  "$bin" check "$hive" --control-set all --format text >"$work/$name.check.txt" 2>/dev/null || true
  "$bin" info "$hive" --format json >"$work/$name.info.json" 2>/dev/null || true
  fix=("$bin" fix "$hive" -o "$name.fixed.hiv" --reg "$name.fix.reg" --control-set all --timestamp 2024-01-01T00:00:00Z --dry-run)
  "${fix[@]}" --format text >"$work/$name.fix.txt" 2>/dev/null || true
  "${fix[@]}" --format json >"$work/$name.fix.json" 2>/dev/null || true
  kinds=(check.json check.txt info.json fix.txt fix.json)
  rm -f "$work/$name.fix.reg"
  "$bin" fix "$hive" --reg "$work/$name.fix.reg" --control-set all --timestamp 2024-01-01T00:00:00Z --quiet 2>/dev/null || true
  [[ -f "$work/$name.fix.reg" ]] && kinds+=(fix.reg)
  for kind in "${kinds[@]}"; do
    golden="tests/golden/$name.$kind"
    if [[ "$update" == 1 ]]; then
      cp "$work/$name.$kind" "$golden"
      continue
    fi
    compared=$((compared + 1))
    if [[ ! -f "$golden" ]]; then
      echo "golden: $golden is missing (run with HIVELINT_UPDATE_GOLDEN=1 and review it)" >&2
      failed=$((failed + 1))
    elif ! cmp -s "$golden" "$work/$name.$kind" && ! diff -u "$golden" "$work/$name.$kind"; then
      echo "golden: $golden differs (diff above)" >&2
      failed=$((failed + 1))
    fi
  done
done
for golden in tests/golden/*.json tests/golden/*.txt tests/golden/*.reg; do
  base="$(basename "$golden")"
  name="${base%%.*}"
  [[ -f "samples/hives/$name.hiv" ]] || { echo "golden: $golden has no sample" >&2; failed=$((failed + 1)); }
done
if [[ "$update" == 1 ]]; then
  echo "golden: rewrote tests/golden from ${#samples[@]} samples; review with git diff"
  exit 0
fi
echo "golden: $((compared - failed)) passed, $failed failed"
((failed == 0))
