#!/usr/bin/env bash
# Test of the test: golden.sh must fail on a tampered binary or a tampered golden, one sample at a time
# (dispatch-missing-names, which has every kind of golden, .fix.reg included). Usage: golden_selftest.sh HIVELINT SRC WORK
set -euo pipefail
bin="$1"
src="$2"
work="$3"
sample=dispatch-missing-names
rm -rf "$work"
mkdir -p "$work"
failed=0
# golden_run EXPECT LABEL BINARY: runs golden.sh on a fresh copy of the sample's goldens (already tampered by
# the caller through $work/goldens) and checks it passes (EXPECT=pass) or fails (EXPECT=fail).
golden_run() {
  local expect="$1" label="$2" binary="$3" rc=0
  HIVELINT_GOLDEN_DIR="$work/goldens" HIVELINT_GOLDEN_ONLY="$sample" \
    bash "$src/tests/scripts/golden.sh" "$binary" "$src" "$work/out" >"$work/log" 2>&1 || rc=$?
  # A failure counts only when golden.sh names a golden it rejects (not, say, a bash error).
  if [[ ($expect == pass && $rc == 0) ||
        ($expect == fail && $rc != 0 && $(grep -cE '^golden: .*(differs|missing|exists but|no known kind|has no sample)' "$work/log") -gt 0) ]]; then
    echo "ok: $label: golden.sh $( ((rc == 0)) && echo passed || echo failed), as it must"
  else
    echo "FAIL: $label: golden.sh exited $rc, expected it to $expect:" >&2
    sed 's/^/  /' "$work/log" >&2
    failed=$((failed + 1))
  fi
}
fresh() { rm -rf "$work/goldens" && mkdir "$work/goldens" && cp "$src/tests/golden/$sample".* "$work/goldens/"; }
# wrapper NAME BODY: a tampered binary, a bash script that runs BODY around the real one.
wrapper() {
  printf '#!/usr/bin/env bash\nreal=%q\n%s\n' "$bin" "$2" >"$work/$1"
  chmod +x "$work/$1"
}
wrapper noreg 'for a in "$@"; do [[ $a == --quiet ]] && exit 0; done; exec "$real" "$@"'
wrapper exit0 '"$real" "$@"; exit 0'
wrapper stderr '"$real" "$@"; rc=$?; [[ $1 == info ]] && echo "warning: something new" >&2; exit $rc'

fresh; golden_run pass "untampered" "$bin"
fresh; golden_run fail "a binary whose fix --reg --quiet writes no .reg" "$work/noreg"
fresh; golden_run fail "a binary that always exits 0" "$work/exit0"
fresh; golden_run fail "a binary with one more stderr line" "$work/stderr"
fresh; sed -i 's/Pop3svc/Pop4svc/' "$work/goldens/$sample.fix.json"; golden_run fail "a golden with one changed character" "$bin"
fresh; rm "$work/goldens/$sample.check.txt"; golden_run fail "a golden deleted" "$bin"
fresh; cp "$work/goldens/$sample.info.json" "$work/goldens/$sample.info2.json"; golden_run fail "a golden of no known kind" "$bin"
fresh; touch "$work/goldens/no-such-sample.check.json"; golden_run fail "a golden of no sample" "$bin"
echo "golden_selftest: $failed failed"
((failed == 0))
