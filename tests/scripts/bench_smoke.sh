#!/usr/bin/env bash
# The benchmark script in --smoke mode (a tiny hive, one run of every row) so that it cannot rot; timings of a
# smoke run mean nothing and are not checked. Usage: bench_smoke.sh HIVELINT SRC WORK
set -euo pipefail
out="$(/usr/bin/python3 "$2/bench/bench.py" --smoke --page-cache reread --hivelint "$1" --work "$3")"
echo "$out"
for row in "check (one lookup)" "one lookup vs libregf alone" "libregf alone (floor) vs hivexget" "check, all rules" "export --format json" "export --format reg" "fix -o" "batch 21 hives" "events EVT"; do
  grep -qF "| $row" <<<"$out" || { echo "bench_smoke: row '$row' missing" >&2; exit 1; }
done
grep -q '^machine: ' <<<"$out"
# Every hive table says the state of its file in the page cache (here after --page-cache reread).
[ "$(grep -c '^page cache (reread): one byte of each of its [0-9]* pages read in' <<<"$out")" = "$(grep -c '^shape ' <<<"$out")" ] || {
  echo "bench_smoke: a hive table without its page cache line" >&2
  exit 1
}
# bench/libregf_floor.c is built and runs (a row without a time says why it did not).
if grep -F "| libregf alone (floor)" <<<"$out" | grep -q "not built"; then
  echo "bench_smoke: bench/libregf_floor.c was not built" >&2
  exit 1
fi
