#!/usr/bin/env bash
# bash completion (completion/hivelint.bash), driven as bash drives it: a bash subprocess sources the script,
# `complete -p hivelint` names the function, and COMP_WORDS/COMP_CWORD give the expected COMPREPLY for
# subcommands, options, option values (--format, --backend, --control-set, --reg-root, rule ids from
# `hivelint rules list`) and file arguments.
#
#   bash tests/scripts/completion.sh HIVELINT_BIN SOURCE_DIR WORK_DIR
set -uo pipefail
(($# == 3)) || { echo "usage: $0 HIVELINT_BIN SOURCE_DIR WORK_DIR" >&2; exit 2; }
bin="$(realpath "$1")"; src="$2"; work="$3"
rm -rf "$work" && mkdir -p "$work/files"
touch "$work/files/SYSTEM" "$work/files/SYSTEM.LOG1" "$work/files/other.reg"
failures=0
checks=0

# complete WORDS... -> the sorted COMPREPLY, one per line, for the last word (may be empty).
complete_words() {
  (cd "$work/files" && bash --norc --noprofile -c '
     source "$1"; shift
     complete -p hivelint >/dev/null || exit 9
     COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
     _hivelint
     printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$src/completion/hivelint.bash" "$bin" "${@:2}")
}
expect() { # DESCRIPTION EXPECTED(space separated, sorted) -- WORDS...
  local what="$1" want="$2"; shift 3
  local got
  got="$(complete_words "$@" | tr '\n' ' ' | sed 's/ $//')"
  checks=$((checks + 1))
  if [[ "$got" != "$want" ]]; then
    echo "FAIL: $what: 'hivelint ${*:2}' completed to '$got', expected '$want'"
    failures=$((failures + 1))
  fi
}

subs="$("$bin" --help | awk '/^Subcommands:/ {on = 1; next} on && !NF {exit} on {print $1}' | sort | tr '\n' ' ' | sed 's/ $//')"
rules="$("$bin" rules list | awk 'NF {print $1}' | sort | tr '\n' ' ' | sed 's/ $//')"
[[ -n "$rules" ]] || { echo "FAIL: hivelint rules list printed no rule"; exit 1; }
expect "subcommands" "$subs" -- hivelint ''
expect "subcommand prefix" "check" -- hivelint ch
expect "option prefix" "--format" -- hivelint check --form
expect "--format values" "brief json jsonl junit sarif text" -- hivelint check --format ''
expect "--format of fix" "json text" -- hivelint fix --format ''
expect "--backend values" "both hivelint libregf" -- hivelint check --backend ''
expect "--encoding values" "utf16le utf8" -- hivelint export SYSTEM --encoding ''
expect "export --control-set values" "lastknowngood" -- hivelint export SYSTEM --control-set l
expect "-o on check" "--output" -- hivelint check SYSTEM --outp
expect "--control-set values" "lastknowngood" -- hivelint check --control-set l
expect "--reg-root values" "live offline:" -- hivelint fix --reg-root ''
expect "--rule ids" "$rules" -- hivelint check --rule ''
expect "rules actions" "list show" -- hivelint rules ''
expect "rules show ids" "$rules" -- hivelint rules show ''
expect "hive files" "SYSTEM SYSTEM.LOG1" -- hivelint check SYS
expect "--log files" "SYSTEM.LOG1" -- hivelint check --log SYSTEM.L
expect "-o files" "other.reg" -- hivelint export SYSTEM -o oth
expect "no value list for --jobs" "" -- hivelint check --jobs ''
# Every option fix's --help lists is offered.
fix_opts="$("$bin" fix --help | awk '/^Options:/ {on = 1; next} on && /^  -/ {n = split($1, a, ","); for (i = 1; i <= n; i++) if (a[i] ~ /^-/) print a[i]}' | sort | tr '\n' ' ' | sed 's/ $//')"
expect "every fix option" "$fix_opts" -- hivelint fix -
echo "completion: $checks checks, $failures failures"
((failures == 0))
