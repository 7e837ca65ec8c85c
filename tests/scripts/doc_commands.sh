#!/usr/bin/env bash
# The documentation's command lines run (tests/docs/doc_commands.py): every ```sh and ```console block of
# README.md, CONTRIBUTING.md and docs/**/*.md not marked norun runs against the samples in a fresh directory,
# with the documented exit code ("(exit N)", else 0) and, for ```console transcripts, the documented output.
# Relative links must lead to an existing file and heading. First a test of the test: a document with a wrong
# exit code, a wrong output, a broken command and a broken link must give exactly those four failures, and one
# with only correct commands none.
#
#   bash tests/scripts/doc_commands.sh HIVELINT_BIN SOURCE_DIR WORK_DIR
set -uo pipefail
(($# == 3)) || { echo "usage: $0 HIVELINT_BIN SOURCE_DIR WORK_DIR" >&2; exit 2; }
bin="$1"; src="$2"; work="$3"
rm -rf "$work" && mkdir -p "$work/self"
checker="$src/tests/docs/doc_commands.py"

cat >"$work/self/good.md" <<'MD'
```console
$ hivelint verify samples/hives/exchange2000-healthy.hiv
samples/hives/exchange2000-healthy.hiv: clean (0 inconsistencies, 0 notes)
[...]
$ hivelint check SYSTEM --rule KB277770 --format brief   # (exit 1)
FAIL   KB277770  SYSTEM  ControlSet002  missing [...]
Summary: 1 fail, 0 pass, 0 not applicable, 0 errors (exit 1)
[...]
```
```sh
hivelint check samples/hives/no-select.hiv   # (exit 3)
hivelint info SYSTEM \
  --format json
```
MD
cat >"$work/self/bad.md" <<'MD'
See [a document that does not exist](no-such-document.md).

```sh
hivelint check samples/hives/controlset002-broken.hiv --rule KB277770   # documented as passing: wrong
hivelint no-such-subcommand SYSTEM
```
```console
$ hivelint check samples/hives/exchange2000-healthy.hiv --rule KB277770 --format brief
PASS   KB277770  samples/hives/exchange2000-healthy.hiv  ControlSet002
```
```sh norun
hivelint this block is not run
```
MD
failed=0
if ! python3 "$checker" "$bin" "$src" "$work/self/good-run" "$work/self/good.md" >"$work/self/good.log" 2>&1; then
  echo "FAIL: doc_commands.py rejects correct commands:"; cat "$work/self/good.log"; failed=1
fi
python3 "$checker" "$bin" "$src" "$work/self/bad-run" "$work/self/bad.md" >"$work/self/bad.log" 2>&1
rc=$?
if ((rc != 1)) || [[ $(grep -c '^FAIL: ' "$work/self/bad.log") != 4 ]] || ! grep -q 'no such file' "$work/self/bad.log" ||
   ! grep -q 'exit code 1, documented 0' "$work/self/bad.log" || ! grep -q 'output differs' "$work/self/bad.log" ||
   ! grep -q '1 norun blocks' "$work/self/bad.log"; then
  echo "FAIL: doc_commands.py does not report the three broken commands and the broken link (exit $rc):"; cat "$work/self/bad.log"; failed=1
fi
((failed == 0)) && echo "doc_commands: self-test passed (3 broken commands and a broken link found, correct ones accepted)"

python3 "$checker" "$bin" "$src" "$work/docs" || failed=1
exit "$failed"
