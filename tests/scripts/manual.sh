#!/usr/bin/env bash
# The manual pages: scripts/make-man.sh builds hivelint(1) and one hivelint-SUBCOMMAND(1) per subcommand that
# `hivelint --help` lists; each renders with man, has NAME, SYNOPSIS, OPTIONS, EXIT STATUS, FILES, EXAMPLES
# and SEE ALSO, and names every option its subcommand's --help lists (so the page and --help agree).
#
#   bash tests/scripts/manual.sh HIVELINT_BIN SOURCE_DIR WORK_DIR
set -uo pipefail
(($# == 3)) || { echo "usage: $0 HIVELINT_BIN SOURCE_DIR WORK_DIR" >&2; exit 2; }
bin="$1"; src="$2"; work="$3"
rm -rf "$work" && mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

bash "$src/scripts/make-man.sh" "$bin" "$work/man" || { echo "FAIL: make-man.sh"; exit 1; }
mapfile -t subs < <("$bin" --help | awk '/^Subcommands:/ {on = 1; next} on && !NF {exit} on {print $1}')
((${#subs[@]} >= 8)) || fail "only ${#subs[@]} subcommands in --help"
pages=0
for name in hivelint "${subs[@]/#/hivelint-}"; do
  page="$work/man/$name.1"
  [[ -f "$page" && -f "$page.gz" ]] || { fail "$name.1 or $name.1.gz missing"; continue; }
  text="$(MANWIDTH=100 man -l "$page" 2>"$work/$name.warnings")" || fail "man -l $name.1 failed"
  [[ -s "$work/$name.warnings" ]] && fail "$name.1: man warns: $(head -3 "$work/$name.warnings")"
  for section in NAME SYNOPSIS OPTIONS "EXIT STATUS" FILES EXAMPLES "SEE ALSO"; do
    grep -q "^$section\$" <<<"$text" || fail "$name.1 has no $section section"
  done
  sub="${name#hivelint}"; sub="${sub#-}"
  # Every option of the subcommand's --help appears in its page.
  while read -r opt; do
    grep -qF -- "$opt" <<<"$text" || fail "$name.1 does not mention $opt from its --help"
  done < <("$bin" $sub --help | awk '/^Options:/ {on = 1; next} on && /^  -/ {n = split($1, a, ","); for (i = 1; i <= n; i++) if (a[i] ~ /^-/) print a[i]}')
  pages=$((pages + 1))
done
# A subcommand without docs/man/SUBCOMMAND.h2m is an error, not a page without examples.
mkdir -p "$work/nodocs/scripts" "$work/nodocs/docs/man"
cp "$src/scripts/make-man.sh" "$work/nodocs/scripts/"
cp "$src"/docs/man/*.h2m "$work/nodocs/docs/man/" && rm "$work/nodocs/docs/man/check.h2m"
if bash "$work/nodocs/scripts/make-man.sh" "$bin" "$work/nodocs/out" 2>"$work/nodocs.err"; then
  fail "make-man.sh succeeded without docs/man/check.h2m"
else
  grep -q 'check.h2m is missing' "$work/nodocs.err" || fail "make-man.sh without check.h2m: $(cat "$work/nodocs.err")"
fi
echo "manual: $pages pages checked, $failures failures"
((failures == 0))
