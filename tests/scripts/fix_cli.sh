#!/usr/bin/env bash
# CLI contract of `hivelint fix` for an administrator: the Next: block, the path slips answered before anything
# is read (a folder as the hive or as -o, HIVE and -o swapped), --copy-if-clean, one verification line by
# default. Usage: fix_cli.sh HIVELINT SRC WORK
set -euo pipefail
if [[ ! -x /usr/bin/python3 ]]; then
  echo "fix_cli: /usr/bin/python3 is missing (Debian package python3; scripts/setup.sh --test installs it)" >&2
  exit 1
fi
exec /usr/bin/python3 "$2/tests/cli/fix_cli.py" "$@"
