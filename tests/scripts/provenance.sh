#!/usr/bin/env bash
# Provenance in every report (issue 17 §2): tool version, run time, argv, reader, rule source and the size,
# mtime and SHA-256 of the hive and of each transaction log, in every JSON document and the text header of
# check and fix. Usage: provenance.sh HIVELINT SRC WORK
set -euo pipefail
if [[ ! -x /usr/bin/python3 ]]; then
  echo "provenance: /usr/bin/python3 is missing (Debian package python3; scripts/setup.sh --test installs it)" >&2
  exit 1
fi
exec /usr/bin/python3 "$2/tests/cli/provenance_cli.py" "$@"
