#!/usr/bin/env bash
# libevt and libevtx are loaded when the first event log is read, not when hivelint starts
# (src/events/shared_library.hpp; binding their symbols at every start cost 1.5 ms a run):
# 1. the binary does not name them as needed libraries (linking them back in fails here);
# 2. a run that reads no log never maps them; `events` on a sample log maps the one it reads.
# Usage: lazy_event_libraries.sh HIVELINT SRC WORK
set -euo pipefail
hl="$1" src="$2"
fail() { echo "lazy_event_libraries: $*" >&2; exit 1; }

needed="$(readelf -d "$hl" | grep NEEDED)" || fail "readelf -d lists no NEEDED entries"
grep -q 'libregf' <<<"$needed" || fail "readelf found no libregf among NEEDED: this check reads nothing"
if grep -qE 'libevtx?\.so' <<<"$needed"; then
  fail "hivelint links an event-log library: $(grep -E 'libevtx?\.so' <<<"$needed")"
fi

# LD_DEBUG=files names every object the dynamic loader opens, at start or by dlopen.
loaded() { LD_DEBUG=files "$@" 2>&1 >/dev/null | grep -oE 'file=[^ ]*libevtx?\.so[^ ]*' | sort -u || true; }
at_start="$(loaded "$hl" check -q --rule KB277770 "$src/samples/hives/controlset002-broken.hiv")"
[[ -z "$at_start" ]] || fail "a check that reads no log loaded $at_start"
evt="$(loaded "$hl" events "$src/samples/events/kb277770-w2k/system32/config/SysEvent.Evt")"
grep -q 'libevt\.so' <<<"$evt" || fail "events on an EVT log did not load libevt (LD_DEBUG: '$evt')"
grep -q 'libevtx\.so' <<<"$evt" && fail "events on an EVT log loaded libevtx as well"
evtx="$(loaded "$hl" events "$src/samples/events/kb277770-evtx/system32/winevt/Logs/System.evtx")"
grep -q 'libevtx\.so' <<<"$evtx" || fail "events on an EVTX log did not load libevtx (LD_DEBUG: '$evtx')"
echo "PASS: libevt and libevtx are loaded only by the runs that read their logs"
