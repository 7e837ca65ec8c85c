#!/usr/bin/env bash
# `hivelint export`: every sample and real hive exported as JSON and .reg, compared value by value with
# python3-hivex, and the .reg flavour rebuilt by `hivelint build` into the same tree. Usage: export.sh HIVELINT SRC WORK
set -euo pipefail
if ! /usr/bin/python3 -c 'import hivex' 2>/dev/null; then
  echo "export: /usr/bin/python3 with python3-hivex is missing (scripts/setup.sh --test installs it)" >&2
  exit 1
fi
exec /usr/bin/python3 "$2/tests/export/export_test.py" "$@"
