#!/usr/bin/env bash
# Build the event-log samples, each the failing SYSTEM hive of samples/hives/dispatch-missing-names (KB277770:
# DispatchEntries lost four names) with the System log that followed, where Windows keeps it:
# - kb277770-w2k: Windows 2000's system32\config folder, SysEvent.Evt (EVT) beside SYSTEM
#   (scripts/gen-sample-events.py);
# - kb277770-evtx: Vista and later's layout, system32\winevt\Logs\System.evtx (EVTX) and system32\config\SYSTEM
#   (scripts/gen-sample-events-evtx.py).
#
#   scripts/build-sample-events.sh [HIVELINT_BIN [OUT_DIR]]
#
# OUT_DIR defaults to samples/events. Deterministic: tests/scripts/events_built.sh and events_evtx_built.sh
# rebuild it into a scratch directory and fail when the committed files differ. `hivelint check
# OUT_DIR/NAME/system32/config/SYSTEM` finds each log relative to the hive by itself.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-}"
if [[ -z "$bin" ]]; then
  if [[ -x "$repo/build/hivelint" ]]; then bin="$repo/build/hivelint"; else bin="hivelint"; fi
fi
out="${2:-$repo/samples/events}"
build_hive() {  # build_hive CONFIG_DIR
  mkdir -p "$1"
  # The same options as scripts/build-samples.sh gives samples/hives/dispatch-missing-names.hiv.
  # shellcheck disable=SC2016  # a literal root key name
  "$bin" build "$repo/samples/hives/dispatch-missing-names.reg" -o "$1/SYSTEM" --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' \
    --root-name '$$$PROTO.HIV' --timestamp 2004-06-01T00:00:00Z --force
}
build_hive "$out/kb277770-w2k/system32/config"
python3 "$repo/scripts/gen-sample-events.py" "$out/kb277770-w2k/system32/config/SysEvent.Evt"
build_hive "$out/kb277770-evtx/system32/config"
python3 "$repo/scripts/gen-sample-events-evtx.py" "$out/kb277770-evtx/system32/winevt/Logs/System.evtx"
