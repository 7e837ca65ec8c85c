#!/usr/bin/env bash
# One vocabulary across subcommands (issue 17 §4): case-insensitive rule ids and option words with "did you
# mean", -q, -o FILE for reports, --rules ID, usage errors naming the subcommand, --help footers, export KEYPATH
# spellings and .reg encodings. Usage: vocab.sh HIVELINT SRC WORK
set -euo pipefail
if [[ ! -x /usr/bin/python3 ]]; then
  echo "vocab: /usr/bin/python3 is missing (Debian package python3; scripts/setup.sh --test installs it)" >&2
  exit 1
fi
exec /usr/bin/python3 "$2/tests/cli/vocab_cli.py" "$@"
