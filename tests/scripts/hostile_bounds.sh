#!/usr/bin/env bash
# Resource bounds with hostile input (docs/hostile-input.md "Hostile input: resource bounds"; issue 12's defects
# D6-D9, D11-D14, D20, D21):
# each hostile file must give its documented exit code within seconds and bounded memory, with either backend.
# Usage: hostile_bounds.sh HIVELINT SRC WORK
set -euo pipefail
if [[ ! -x /usr/bin/python3 ]]; then
  echo "hostile_bounds: /usr/bin/python3 is missing (Debian package python3; scripts/setup.sh --test installs it)" >&2
  exit 1
fi
exec /usr/bin/python3 "$2/tests/cli/hostile_bounds.py" "$@"
