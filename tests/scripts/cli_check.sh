#!/usr/bin/env bash
# CLI contract of `hivelint check`, `info`, `rules` and `verify`: verdicts for every sample and every ControlSet
# selection, exit codes, JSON fields, text output and error handling. Usage: cli_check.sh HIVELINT SRC WORK
set -euo pipefail
if [[ ! -x /usr/bin/python3 ]]; then
  echo "cli_check: /usr/bin/python3 is missing (Debian package python3; scripts/setup.sh --test installs it)" >&2
  exit 1
fi
exec /usr/bin/python3 "$2/tests/cli/check_cli.py" "$@"
