#!/usr/bin/env bash
# A libFuzzer campaign over every fuzz target (tests/fuzz/), with clang, ASan and UBSan.
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET [TARGET...]]    # default 60 s each, all nine targets
#
# Builds into build-fuzz/ (scripts/setup.sh --fuzz installs clang and libFuzzer), copies the committed
# corpus (tests/fuzz/corpus/TARGET) to build-fuzz/campaign/TARGET so the repository stays small, and runs
# each target with one job. Crashes land in build-fuzz/crashes/TARGET/; minimize one with
#   build-fuzz/tests/fuzz/fuzz_TARGET -minimize_crash=1 -runs=10000 CRASH
# and commit it under tests/fuzz/regressions/TARGET/ with a unit test (CONTRIBUTING.md §8).
# Prints per target: seconds, executions, coverage, corpus size and crashes.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
seconds="${1:-60}"
shift || true
targets=("$@")
((${#targets[@]})) || targets=(regf_reader libregf_rules reg_parser builder_roundtrip editor recovery rule_loader carver event_logs json_text)

bash scripts/setup.sh --fuzz
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DHIVELINT_FUZZ=ON -DHIVELINT_TESTS=OFF
cmake --build build-fuzz -j"$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}")

for t in "${targets[@]}"; do
  case "$t" in
    regf_reader | libregf_rules | carver) max_len=131072 ;;  # seed hives are up to 68 KiB
    rule_loader) max_len=400000 ;;                   # deep-nesting regressions are up to 320 KiB
    event_logs) max_len=135168 ;;                    # EVTX: file header + two 64 KiB chunks (a cut chunk is dropped)
    *) max_len=8192 ;;
  esac
  mkdir -p "build-fuzz/campaign/$t" "build-fuzz/crashes/$t"
  cp -n tests/fuzz/corpus/"$t"/* "build-fuzz/campaign/$t/" 2>/dev/null || true
  log="build-fuzz/campaign/$t.log"
  set +e
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "build-fuzz/tests/fuzz/fuzz_$t" "build-fuzz/campaign/$t" -max_total_time="$seconds" -max_len="$max_len" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="build-fuzz/crashes/$t/" >"$log" 2>&1
  rc=$?
  set -e
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')"
  cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')"
  crashes="$(find "build-fuzz/crashes/$t" -type f | wc -l)"
  echo "fuzz: $t: ${seconds} s, $execs executions, coverage $cov, corpus $(ls "build-fuzz/campaign/$t" | wc -l) files, $crashes crash files, exit $rc (log: $log)"
done
