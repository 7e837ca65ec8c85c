#!/usr/bin/env bash
# Evidence a court can rely on (issue 17 §2): `verify` reads a dirty hive as the other commands do (logs replayed,
# --log, --no-logs) and says what it verified; evidence carries the data cell, the stored bytes and the raw
# FILETIME (text: --evidence-bytes), and after log replay its offsets say they are in the recovered image and
# which log entry wrote their page. The sample part always runs; the dirty-hive part needs ../shared.
# Usage: dirty_evidence.sh HIVELINT SRC WORK
set -euo pipefail
if [[ ! -x /usr/bin/python3 ]]; then
  echo "dirty_evidence: /usr/bin/python3 is missing (Debian package python3; scripts/setup.sh --test installs it)" >&2
  exit 1
fi
exec /usr/bin/python3 "$2/tests/cli/dirty_evidence_cli.py" "$@"
