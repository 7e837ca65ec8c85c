#!/usr/bin/env bash
# The benchmark script in --smoke mode (a tiny hive, one run of every row) so that it cannot rot; timings of a
# smoke run mean nothing and are not checked. Usage: bench_smoke.sh HIVELINT SRC WORK
set -euo pipefail
out="$(/usr/bin/python3 "$2/bench/bench.py" --smoke --hivelint "$1" --work "$3")"
echo "$out"
for row in "check (one lookup)" "check, all rules" "export --format json" "export --format reg" "fix -o" "batch 21 hives" "events EVT"; do
  grep -qF "| $row" <<<"$out" || { echo "bench_smoke: row '$row' missing" >&2; exit 1; }
done
grep -q '^machine: ' <<<"$out"
