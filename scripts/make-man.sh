#!/usr/bin/env bash
# Generate hivelint's manual pages from the binary's own --help with help2man, so that they cannot drift from
# the options: hivelint(1) and one hivelint-SUBCOMMAND(1) per subcommand that `hivelint --help` lists.
# The parts --help does not carry come from docs/man/: common.h2m (EXIT STATUS, FILES), hivelint.h2m and
# SUBCOMMAND.h2m (EXAMPLES). A subcommand without its .h2m file is an error, so a new one cannot ship without
# examples. Each page is written as OUTDIR/NAME.1 and, compressed as Debian installs it, OUTDIR/NAME.1.gz.
#
#   scripts/make-man.sh HIVELINT OUTDIR
set -euo pipefail

if (($# != 2)); then
  sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
fi
hivelint="$(realpath "$1")"
out="$2"
man_src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../docs/man" && pwd)"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Subcommands and their one-line descriptions, from the "Subcommands:" block of the top-level --help.
mapfile -t subs < <("$hivelint" --help | awk '/^Subcommands:/ {on = 1; next} on && !NF {exit} on {print $1}')
((${#subs[@]} > 0)) || { echo "make-man.sh: no subcommands in '$hivelint --help'" >&2; exit 1; }

{
  echo '[SEE ALSO]'
  for s in "${subs[@]}"; do echo ".BR hivelint\\-$s (1),"; done
  echo '.BR hivexregedit (1),'
  echo '.BR hivexget (1),'
  echo '.BR reglookup (1),'
  echo '.BR regfexport (1)'
} >"$work/see-also.h2m"

# help2man runs `PROGRAM --help` and `PROGRAM --version`: one wrapper per subcommand gives it both.
man_page() {
  local name="$1" program="$2" description="$3" examples="$4"
  [[ -f "$examples" ]] || { echo "make-man.sh: $examples is missing (EXAMPLES for $name)" >&2; exit 1; }
  help2man --no-info --section 1 --source "hivelint" --manual "User Commands" \
    --name "$description" --include "$examples" --include "$man_src/common.h2m" \
    --include "$work/see-also.h2m" --output "$out/$name.1" "$program"
  gzip -9n -c "$out/$name.1" >"$out/$name.1.gz"  # as Debian installs manual pages
}

version="$("$hivelint" --version | awk '{print $2}')"
man_page hivelint "$hivelint" "offline analysis and repair of Windows registry hives" "$man_src/hivelint.h2m"
for s in "${subs[@]}"; do
  wrapper="$work/hivelint-$s"
  # --help's footer (exit codes, two examples) is left out: common.h2m and SUBCOMMAND.h2m say it in full.
  printf '#!/bin/sh\nif [ "$1" = --version ]; then echo "hivelint-%s %s"; exit 0; fi\nif [ "$1" = --help ]; then "%s" %s --help | sed "/^Exit codes:/,\\$d"; exit 0; fi\nexec "%s" %s "$@"\n' \
    "$s" "$version" "$hivelint" "$s" "$hivelint" "$s" >"$wrapper"
  chmod +x "$wrapper"
  description="$("$hivelint" --help | awk -v s="$s" '/^Subcommands:/ {on = 1; next} on && $1 == s {$1 = ""; sub(/^ +/, ""); print; exit}')"
  man_page "hivelint-$s" "$wrapper" "$description" "$man_src/$s.h2m"
done
echo "make-man.sh: $((${#subs[@]} + 1)) pages in $out"
