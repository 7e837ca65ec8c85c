#!/usr/bin/env bash
# Golden files: for every sample, `hivelint check --control-set all` in JSON and text, `hivelint info` in JSON,
# `hivelint fix --control-set all --dry-run` (patch planned and verified in memory) in text and JSON, and the
# .reg file `hivelint fix --reg` writes, compared byte for byte with tests/golden/NAME.{check.json,check.txt,
# info.json,fix.txt,fix.json,fix.reg} (fix.reg only for samples that need a fix). The exit code and stderr of
# every one of those six runs are a golden too: tests/golden/NAME.status.txt. The run time, file modification
# times and tool version in the provenance are masked (tests/support/mask_provenance.sh).
# Every golden is compared every time: a golden whose output the binary did not write fails, and so does an
# output with no golden, or a golden with no sample.
#
#   golden.sh HIVELINT SRC WORK
#   HIVELINT_UPDATE_GOLDEN=1 golden.sh ...   rewrites the goldens (refused when CI is set); scripts/update-goldens.sh
#   HIVELINT_GOLDEN_DIR=DIR                  compares with DIR instead of SRC/tests/golden (golden_selftest.sh)
#   HIVELINT_GOLDEN_ONLY=NAME                only that sample (and only its goldens) (golden_selftest.sh)
set -euo pipefail
bin="$1"
src="$2"
work="$3"
cd "$src"  # outputs name hives by the relative path given, so run from the source tree
mkdir -p "$work"
work="$(cd "$work" && pwd)"
goldens="${HIVELINT_GOLDEN_DIR:-tests/golden}"
update="${HIVELINT_UPDATE_GOLDEN:-0}"
if [[ "$update" == 1 && -n "${CI:-}" ]]; then
  echo "golden: HIVELINT_UPDATE_GOLDEN is not allowed in CI" >&2
  exit 1
fi
shopt -s nullglob
if [[ -n "${HIVELINT_GOLDEN_ONLY:-}" ]]; then
  samples=("samples/hives/$HIVELINT_GOLDEN_ONLY.hiv")
else
  samples=(samples/hives/*.hiv)
fi
if ((${#samples[@]} == 0)); then
  echo "golden: no samples in samples/hives" >&2
  exit 1
fi
kinds_all=(check.json check.txt info.json fix.txt fix.json fix.reg status.txt)
failed=0
compared=0
# shellcheck source=tests/support/mask_provenance.sh
source "$2/tests/support/mask_provenance.sh"
# run LABEL OUT ARGS...: runs the binary, stdout to OUT, and appends its exit code and stderr to the status file
# (the work directory's path is replaced by WORK so that the golden holds no machine path).
run() {
  local label="$1" out="$2" rc=0
  shift 2
  "$bin" "$@" >"$out" 2>"$work/stderr" || rc=$?
  [[ -f "$out" ]] && mask_provenance "$bin" "$out"
  {
    echo "$label: exit $rc"
    sed -e "s|$work/|WORK/|g" -e 's/^/  /' "$work/stderr"
  } >>"$status"
}
for hive in "${samples[@]}"; do
  [[ -f "$hive" ]] || { echo "golden: no sample $hive" >&2; exit 1; }
  name="$(basename "$hive" .hiv)"
  status="$work/$name.status.txt"
  rm -f "$work/$name".*
  : >"$status"
  run "check json" "$work/$name.check.json" check "$hive" --control-set all --format json
  run "check text" "$work/$name.check.txt" check "$hive" --control-set all --format text
  run "info json" "$work/$name.info.json" info "$hive" --format json
  fix=(fix "$hive" -o "$name.fixed.hiv" --reg "$name.fix.reg" --control-set all --timestamp 2024-01-01T00:00:00Z --dry-run)
  run "fix text --dry-run" "$work/$name.fix.txt" "${fix[@]}" --format text
  run "fix json --dry-run" "$work/$name.fix.json" "${fix[@]}" --format json
  run "fix --reg --quiet" /dev/null fix "$hive" --reg "$work/$name.fix.reg" --control-set all \
    --timestamp 2024-01-01T00:00:00Z --quiet
  for kind in "${kinds_all[@]}"; do
    golden="$goldens/$name.$kind"
    output="$work/$name.$kind"
    if [[ "$update" == 1 ]]; then
      if [[ -f "$output" ]]; then cp "$output" "$golden"; else rm -f "$golden"; fi
      continue
    fi
    [[ -f "$golden" || -f "$output" ]] || continue  # e.g. fix.reg for a sample that needs no fix
    compared=$((compared + 1))
    if [[ ! -f "$golden" ]]; then
      echo "golden: $golden is missing but the binary wrote $name.$kind (scripts/update-goldens.sh, then review)" >&2
      failed=$((failed + 1))
    elif [[ ! -f "$output" ]]; then
      echo "golden: $golden exists but the binary wrote no $name.$kind" >&2
      failed=$((failed + 1))
    elif ! cmp -s "$golden" "$output" && ! diff -u "$golden" "$output"; then
      echo "golden: $golden differs (diff above)" >&2
      failed=$((failed + 1))
    fi
  done
done
# Goldens nothing produced or compared: a golden of no sample, or of an unknown kind.
for golden in "$goldens"/*; do
  # tests/golden/events/: the event-log samples' goldens, compared by tests/scripts/events_built.sh and events_evtx_built.sh.
  [[ "$golden" == "$goldens/events" && -d "$golden" ]] && continue
  base="$(basename "$golden")"
  name="${base%%.*}"
  kind="${base#*.}"
  [[ -f "samples/hives/$name.hiv" ]] || { echo "golden: $golden has no sample" >&2; failed=$((failed + 1)); continue; }
  [[ -n "${HIVELINT_GOLDEN_ONLY:-}" && "$name" != "$HIVELINT_GOLDEN_ONLY" ]] && continue
  [[ " ${kinds_all[*]} " == *" $kind "* ]] || { echo "golden: $golden is of no known kind" >&2; failed=$((failed + 1)); }
done
if [[ "$update" == 1 ]]; then
  echo "golden: rewrote $goldens from ${#samples[@]} samples; review with git diff"
  exit 0
fi
echo "golden: $((compared - failed)) passed, $failed failed"
((compared > 0 && failed == 0))
