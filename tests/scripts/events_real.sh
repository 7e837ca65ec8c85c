#!/usr/bin/env bash
# `hivelint events` on the real System logs (../shared/events-real): for each log, the records read (current
# plus recovered) equal what libyal's own evtexport/evtxexport print; the Service Control Manager summaries
# give the counts PROVENANCE.md lists; a log that is not a log is exit 3 naming it and the offset; the input
# files are never modified. Usage: events_real.sh HIVELINT SRC WORK. Skips visibly when ../shared is absent.
set -uo pipefail
bin="$1"
shared="${HIVELINT_SHARED_DIR:-$2/../shared}"
work="$3"
rm -rf "$work" && mkdir -p "$work"
logs="$shared/events-real"
if [[ ! -d "$logs" ]]; then
  echo "events_real: SKIPPED: $logs is absent (the real logs live beside the repository in ../shared)"
  exit 77  # ctest SKIP_RETURN_CODE: reported as Skipped, never Passed
fi
for tool in evtexport evtxexport; do
  command -v "$tool" >/dev/null || { echo "events_real: FAIL: $tool missing (scripts/setup.sh --test installs libevt-utils, libevtx-utils)" >&2; exit 1; }
done
failed=0
passed=0
ok() { passed=$((passed + 1)); }
fail() { echo "events_real: FAIL: $*" >&2; failed=$((failed + 1)); }
json() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

before=$(find "$logs" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)

# 1. Record counts equal evtexport's / evtxexport's (-m all: current and recovered records).
for f in "$logs"/*.Evt "$logs"/*.evtx; do
  name=$(basename "$f")
  case "$f" in *.Evt) tool=evtexport ;; *) tool=evtxexport ;; esac
  theirs=$("$tool" -m all "$f" 2>/dev/null | grep -c '^Event number')
  "$bin" events --format json "$f" >"$work/$name.json" 2>"$work/$name.err"
  rc=$?
  [[ $rc == 0 ]] || fail "$name: exit $rc, expected 0: $(cat "$work/$name.err")"
  ours=$(json "$work/$name.json" "d['logs'][0]['records'] + d['logs'][0]['recovered_records']")
  if [[ "$ours" == "$theirs" ]]; then ok; else fail "$name: hivelint read $ours records, $tool prints $theirs"; fi
done

# 2. The SCM summaries of the XP log (PROVENANCE.md): 7000 x109 = 106 with error 2 + 3 with error 1053.
j="$work/plaso-SysEvent.Evt.json"
got=$(json "$j" "sorted((e['event_id'], e['error'], e['count']) for e in d['logs'][0]['events'] if e['event_id'] == 7000)")
[[ "$got" == "[(7000, 2, 106), (7000, 1053, 3)]" ]] && ok || fail "plaso-SysEvent.Evt 7000 summaries: $got"
got=$(json "$j" "sum(e['count'] for e in d['logs'][0]['events'] if e['event_id'] == 7009)")
[[ "$got" == "7" ]] && ok || fail "plaso-SysEvent.Evt: 7009 x$got, expected 7"
got=$(json "$j" "(d['logs'][0]['format'], d['logs'][0]['dirty'])")
[[ "$got" == "('EVT', True)" ]] && ok || fail "plaso-SysEvent.Evt format/dirty: $got"

# 3. EVTX Binary gives the key name; %%50 the error; ISO 8601 UTC times.
j="$work/omerbenamram-system.evtx.json"
got=$(json "$j" "[(e['service'], e['error'], e['count'], e['first']) for e in d['logs'][0]['events'] if e['event_id'] == 7000]")
[[ "$got" == "[('CldFlt', 50, 3, '2017-07-12T17:16:28.2141616Z')]" ]] && ok || fail "omerbenamram 7000: $got"
j="$work/hayabusa-mitre-7000-7009-7045.evtx.json"
got=$(json "$j" "sum(e['count'] for e in d['logs'][0]['events'] if e['event_id'] == 7000 and e['error'] == 1053)")
# 244 current records (PROVENANCE.md) + 13 recovered ones: evtxexport -m all prints 257 Event 7000 too.
want=$(evtxexport -m all "$logs/hayabusa-mitre-7000-7009-7045.evtx" 2>/dev/null | grep -c 'Event identifier.*(7000)$')
[[ "$got" == "$want" && "$want" == "257" ]] && ok || fail "hayabusa: 7000/1053 x$got, evtxexport prints $want (expected 257)"

# 4. Text output: one line per summary with the error's text.
"$bin" events "$logs/plaso-SysEvent.Evt" >"$work/xp.txt" 2>&1
grep -q '^  "McAfee SiteAdvisor Service": Event 7000, error 2 (The system cannot find the file specified), 106 times, 2011-09-08T21:52:05.0000000Z … 2011-09-16T07:06:30.0000000Z$' "$work/xp.txt" && ok ||
  fail "text line for McAfee SiteAdvisor Service: $(grep SiteAdvisor "$work/xp.txt")"

# 5. Not a log: exit 3, naming the file and the offset; the other logs are still listed.
printf 'regf\0\0\0\0not a log' >"$work/not-a-log.evtx"
"$bin" events --format json "$work/not-a-log.evtx" "$logs/plaso-System.evtx" >"$work/bad.json" 2>"$work/bad.err"
rc=$?
[[ $rc == 3 ]] && ok || fail "not a log: exit $rc, expected 3"
grep -q "not-a-log.evtx.*0x00000000\|0x00000000.*not-a-log.evtx" "$work/bad.err" && ok || fail "not a log: stderr does not name file and offset: $(cat "$work/bad.err")"
got=$(json "$work/bad.json" "[l['readable'] for l in d['logs']]")
[[ "$got" == "[False, True]" ]] && ok || fail "not a log: readable flags $got"

after=$(find "$logs" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
[[ "$before" == "$after" ]] && ok || fail "the real logs were modified"

echo "events_real: $passed passed, $failed failed"
((failed == 0))
