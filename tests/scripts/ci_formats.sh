#!/usr/bin/env bash
# `hivelint check --format sarif` and `--format junit` over every sample: SARIF valid against the official 2.1.0
# schema (tests/schemas/sarif), JUnit well-formed with the counts the JSON report gives. Usage: ci_formats.sh HIVELINT SRC WORK
set -euo pipefail
exec /usr/bin/python3 "$2/tests/cli/ci_formats.py" "$@"
