#!/usr/bin/env bash
# The CI definitions in docs/ci/ run as written: their check steps (GitLab's script lines, the GitHub step with
# id "check") run locally over copies of the sample hives with this build's hivelint first on PATH, and must write
# the reports their artifact and upload steps name, with the exit code of hivelint. Usage: ci_examples.sh HIVELINT SRC WORK
set -euo pipefail
exec /usr/bin/python3 "$2/tests/cli/ci_examples.py" "$@"
