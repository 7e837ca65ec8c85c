#!/usr/bin/env bash
# `hivelint check` over folders as they are collected (issue 17 §1, REVIEW.md D10): transaction logs beside a hive,
# notes, non-SYSTEM hives, unreadable files and directories, empty folders; the JSONL, brief and progress formats.
# Usage: check_evidence_folders.sh HIVELINT SRC WORK
set -euo pipefail
exec /usr/bin/python3 "$2/tests/cli/evidence_folder_cli.py" "$@"
