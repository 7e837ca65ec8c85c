#!/usr/bin/env bash
# `hivelint fix -o` (including its verification) against `hivexregedit --merge` making the same change, on
# the same hives, alternately, N runs each; prints medians (wall and CPU seconds, peak RSS) and the ratio.
#
#   bench/fix_vs_merge.sh [-n RUNS] [HIVELINT] [HIVE...]
#
# Default hives: the largest clean SYSTEM hives in ../shared/hives-real (when present) and the largest sample.
# The change is KB277770's fix applied through tests/rules/dispatch-any-system.json, which makes the rule apply
# to any SYSTEM hive, so that it also creates Services\InetInfo\Parameters where it is absent. hivexregedit
# merges the offline .reg that `hivelint fix --reg --reg-root offline:SYSTEM` writes for the same change.
# RULES=FILE picks another rule file (bench/rules/kb277770-plus-one.json for bench.py's big hive, which passes KB277770).
# Needs: hivexregedit (libwin-hivex-perl), /usr/bin/time (time), iconv. Not part of the test suite.
set -euo pipefail
runs=5
if [[ "${1:-}" == -n ]]; then runs="$2"; shift 2; fi
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-$repo/build/hivelint}"
shift || true
hives=("$@")
if ((${#hives[@]} == 0)); then
  shared="$repo/../shared/hives-real"
  for h in regipy/SYSTEM dissect.regf/SYSTEM bitcurator/SYSTEM; do [[ -f $shared/$h ]] && hives+=("$shared/$h"); done
  hives+=("$repo/samples/hives/controlset002-broken.hiv")
fi
rules="${RULES:-$repo/tests/rules/dispatch-any-system.json}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for tool in hivexregedit iconv; do command -v "$tool" >/dev/null || { echo "fix_vs_merge: $tool is missing" >&2; exit 1; }; done
[[ -x /usr/bin/time ]] || { echo "fix_vs_merge: /usr/bin/time is missing (Debian package time)" >&2; exit 1; }

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
measure() {  # file command... -> appends "wall cpu maxrss_kb" to file
  /usr/bin/time -f "%e %U %S %M" -o "$work/t" "${@:2}" >/dev/null 2>&1 || { echo "fix_vs_merge: failed: ${*:2}" >&2; exit 1; }
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$work/t" >>"$1"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB; $runs runs each, medians"
printf '%-44s %9s | %22s | %22s | %6s\n' "hive" "size" "hivelint fix -o (s/MB)" "hivexregedit --merge" "ratio"
for hive in "${hives[@]}"; do
  "$bin" fix "$hive" --reg "$work/change.reg" --reg-root offline:SYSTEM --rules "$rules" --force --quiet
  iconv -f UTF-16LE -t UTF-8 "$work/change.reg" | sed '1s/^\xEF\xBB\xBF//; s/\r$//' >"$work/change.utf8.reg"
  : >"$work/ours" && : >"$work/hivex"
  for ((i = 0; i < runs; i++)); do
    rm -f "$work/out.hiv"
    sync  # neither side pays for the other's writeback: hivexregedit does not flush what it wrote
    measure "$work/ours" "$bin" fix "$hive" -o "$work/out.hiv" --rules "$rules" --quiet
    cp "$hive" "$work/merged.hiv" && chmod u+w "$work/merged.hiv"
    sync
    measure "$work/hivex" hivexregedit --merge --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' "$work/merged.hiv" "$work/change.utf8.reg"
  done
  ow="$(cut -d' ' -f1 "$work/ours" | median)"; oc="$(cut -d' ' -f2 "$work/ours" | median)"; om="$(cut -d' ' -f3 "$work/ours" | median)"
  hw="$(cut -d' ' -f1 "$work/hivex" | median)"; hc="$(cut -d' ' -f2 "$work/hivex" | median)"; hm="$(cut -d' ' -f3 "$work/hivex" | median)"
  printf '%-44s %8.1fM | %6.2f wall %5.2f cpu %4dM | %6.2f wall %5.2f cpu %4dM | %5.2fx\n' \
    "$(basename "$(dirname "$hive")")/$(basename "$hive")" "$(awk -v b="$(stat -c %s "$hive")" 'BEGIN {print b / 1048576}')" \
    "$ow" "$oc" "$((${om%.*} / 1024))" "$hw" "$hc" "$((${hm%.*} / 1024))" "$(awk -v a="$ow" -v b="$hw" 'BEGIN {print a / b}')"
done
