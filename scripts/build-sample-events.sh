#!/usr/bin/env bash
# Build the event-log sample: a Windows 2000 system32\config folder with the failing SYSTEM hive of
# samples/hives/dispatch-missing-names (KB277770: DispatchEntries lost four names) and its System log,
# SysEvent.Evt, holding the Event 7000 / error 1083 failures that followed (scripts/gen-sample-events.py).
#
#   scripts/build-sample-events.sh [HIVELINT_BIN [OUT_DIR]]
#
# OUT_DIR defaults to samples/events/kb277770-w2k. Deterministic: tests/scripts/events_built.sh rebuilds it into a
# scratch directory and fails when the committed files differ. `hivelint check OUT_DIR/system32/config/SYSTEM`
# finds SysEvent.Evt beside the hive by itself.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-}"
if [[ -z "$bin" ]]; then
  if [[ -x "$repo/build/hivelint" ]]; then bin="$repo/build/hivelint"; else bin="hivelint"; fi
fi
out="${2:-$repo/samples/events/kb277770-w2k}"
config="$out/system32/config"
mkdir -p "$config"
# The same options as scripts/build-samples.sh gives samples/hives/dispatch-missing-names.hiv.
# shellcheck disable=SC2016  # a literal root key name
"$bin" build "$repo/samples/hives/dispatch-missing-names.reg" -o "$config/SYSTEM" --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' \
  --root-name '$$$PROTO.HIV' --timestamp 2004-06-01T00:00:00Z --force
python3 "$repo/scripts/gen-sample-events.py" "$config/SysEvent.Evt"
