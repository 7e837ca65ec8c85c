#!/usr/bin/env bash
# `hivelint check` over many hives: DIR arguments, --jobs, --format jsonl, the summary line, the progress bar
# (only on a terminal, tested through a pseudo-terminal) and a broken hive that must not stop the batch.
# Usage: check_batch.sh HIVELINT SRC WORK
set -euo pipefail
exec /usr/bin/python3 "$2/tests/cli/batch_cli.py" "$@"
