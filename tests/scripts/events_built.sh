#!/usr/bin/env bash
# Event logs as evidence, on the built sample (samples/events/kb277770-w2k: the failing SYSTEM hive of
# dispatch-missing-names and the SysEvent.Evt of scripts/gen-sample-events.py):
# 1. scripts/build-sample-events.sh rebuilds the committed sample byte for byte;
# 2. evtexport (libevt's own tool) reads the built log: the same 26 records hivelint reads;
# 3. `check` finds SysEvent.Evt beside the hive and attaches exact summaries to KB277770 (and nothing
#    unrelated); text and JSON equal tests/golden/events/*; `events --hive` resolves display names;
# 3b. --events-detail lists the records behind each summary, each offset at its own record in the log.
# 4. --no-events, --events FILE (EVT content under an .evtx name; an unreadable log is a warning naming the
#    log and offset, the exit code stays the hive's), ../winevt/Logs/System.evtx found in any case.
# Usage: events_built.sh HIVELINT SRC WORK. HIVELINT_UPDATE_GOLDEN=1 rewrites the goldens.
set -uo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"  # absolute: some runs cd into the sample
src="$(cd "$2" && pwd)"
work="$3"
rm -rf "$work" && mkdir -p "$work"
sample="$src/samples/events/kb277770-w2k"
golden="$src/tests/golden/events"
failed=0
passed=0
ok() { passed=$((passed + 1)); }
fail() { echo "events_built: FAIL: $*" >&2; failed=$((failed + 1)); }
json() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
# shellcheck source=tests/support/mask_provenance.sh
source "$src/tests/support/mask_provenance.sh"
compare() {  # compare GOLDEN_NAME FILE (its provenance masked first)
  mask_provenance "$bin" "$2"
  if [[ "${HIVELINT_UPDATE_GOLDEN:-}" == 1 ]]; then mkdir -p "$golden" && cp "$2" "$golden/$1"; fi
  if cmp -s "$golden/$1" "$2"; then ok; else fail "$1 differs from the golden:"; diff "$golden/$1" "$2" | head -20 >&2; fi
}

# 1. Rebuilt byte for byte.
bash "$src/scripts/build-sample-events.sh" "$bin" "$work/rebuilt" >/dev/null 2>&1 || fail "build-sample-events.sh failed"
for f in system32/config/SYSTEM system32/config/SysEvent.Evt; do
  cmp -s "$sample/$f" "$work/rebuilt/kb277770-w2k/$f" && ok || fail "$f: the committed sample differs from what scripts/build-sample-events.sh builds"
done

# 2. libevt's own tool reads what hivelint reads.
evt="$sample/system32/config/SysEvent.Evt"
theirs=$(evtexport -m all "$evt" 2>/dev/null | grep -c '^Event number')
"$bin" events --format json "$evt" >"$work/events.json"
ours=$(json "$work/events.json" "d['logs'][0]['records'] + d['logs'][0]['recovered_records']")
[[ "$theirs" == 26 && "$ours" == 26 ]] && ok || fail "records: evtexport $theirs, hivelint $ours, expected 26"

# 3. check beside the hive (relative paths, so the golden holds no machine path).
(cd "$sample/system32/config" && "$bin" check SYSTEM >"$work/check.txt" 2>"$work/check.err"; echo $? >"$work/check.rc")
[[ $(cat "$work/check.rc") == 1 ]] && ok || fail "check SYSTEM: exit $(cat "$work/check.rc"), expected 1 (KB277770 fails)"
compare kb277770-w2k.check.txt "$work/check.txt"
(cd "$sample/system32/config" && "$bin" check SYSTEM --format json >"$work/check.json" 2>/dev/null)
compare kb277770-w2k.check.json "$work/check.json"
got=$(json "$work/check.json" "sorted((e['service'], e['event_id'], e['error'], e['count'], e['first'], e['last']) for r in d['results'] if r['rule'] == 'KB277770' for e in r['events'])")
want="[('IMAP4Svc', 7000, 1083, 3, '2004-06-01T10:03:04.0000000Z', '2004-06-03T08:16:04.0000000Z'), ('NntpSvc', 7000, 1083, 3, '2004-06-01T10:03:03.0000000Z', '2004-06-03T08:16:03.0000000Z'), ('POP3Svc', 7000, 1053, 1, '2004-06-02T07:45:31.0000000Z', '2004-06-02T07:45:31.0000000Z'), ('POP3Svc', 7000, 1083, 3, '2004-06-01T10:03:05.0000000Z', '2004-06-03T08:16:05.0000000Z'), ('POP3Svc', 7009, None, 1, '2004-06-02T07:45:30.0000000Z', '2004-06-02T07:45:30.0000000Z'), ('RESvc', 7000, 1083, 3, '2004-06-01T10:03:06.0000000Z', '2004-06-03T08:16:06.0000000Z')]"
[[ "$got" == "$want" ]] && ok || fail "KB277770 events: $got"
got=$(json "$work/check.json" "all(e['first_after_key_written'] and e['key'] == 'ControlSet001\\\\Services\\\\InetInfo\\\\Parameters' and e['log'] == 'SysEvent.Evt' for r in d['results'] for e in r['events'])")
[[ "$got" == True ]] && ok || fail "events not compared with InetInfo\\Parameters' last write: $got"
got=$(json "$work/check.json" "[(l['log'], l['format'], l['records']) for l in d['hives'][0]['event_logs']]")
[[ "$got" == "[('SysEvent.Evt', 'EVT', 26)]" ]] && ok || fail "event_logs: $got"
grep -q 'Spooler\|Contoso' "$work/check.txt" && fail "an unrelated failure is attached to a result" || ok
(cd "$sample/system32/config" && "$bin" events SysEvent.Evt --hive SYSTEM >"$work/events.txt" 2>&1)
compare kb277770-w2k.events.txt "$work/events.txt"
grep -q '^  Spooler: Event 7031, once, 2004-06-02T14:00:00.0000000Z$' "$work/events.txt" && ok || fail "events --hive: Print Spooler not resolved to Spooler"
grep -q '^  "Contoso Backup Agent" (no service key has this display name): Event 7000, error 2 ' "$work/events.txt" && ok ||
  fail "events --hive: a display name the hive lacks is not said so"

# 4. --no-events, --events, an unreadable log, the Vista layout.
"$bin" check "$sample/system32/config/SYSTEM" --no-events --format json >"$work/none.json" 2>/dev/null
got=$(json "$work/none.json" "(sum(len(r['events']) for r in d['results']), d['hives'][0]['event_logs'])")
[[ "$got" == "(0, [])" ]] && ok || fail "--no-events: $got"
cp "$evt" "$work/renamed.evtx"
printf 'ElfFile\0garbage' >"$work/bad.evtx"
"$bin" check "$sample/system32/config/SYSTEM" --events "$work/renamed.evtx" --events "$work/bad.evtx" --format json \
  >"$work/given.json" 2>"$work/given.err"
rc=$?
[[ $rc == 1 ]] && ok || fail "--events with an unreadable log: exit $rc, expected 1 (the hive's verdict)"
got=$(json "$work/given.json" "[(l['readable'], l.get('format')) for l in d['hives'][0]['event_logs']]")
[[ "$got" == "[(True, 'EVT'), (False, None)]" ]] && ok || fail "--events logs: $got"
grep -q "warning: event log not read: EVTX file header at 0x00000000 of $work/bad.evtx" "$work/given.err" && ok ||
  fail "the unreadable log's warning does not name it and the offset: $(cat "$work/given.err")"
mkdir -p "$work/Windows/System32/config" "$work/Windows/System32/WINEVT/logs"
cp "$sample/system32/config/SYSTEM" "$work/Windows/System32/config/SYSTEM"
cp "$evt" "$work/Windows/System32/WINEVT/logs/SYSTEM.EVTX"
"$bin" check "$work/Windows/System32/config/SYSTEM" --format json >"$work/vista.json" 2>/dev/null
got=$(json "$work/vista.json" "(d['hives'][0]['event_logs'][0]['log'].endswith('Windows/System32/WINEVT/logs/SYSTEM.EVTX'), sum(len(r['events']) for r in d['results']))")
[[ "$got" == "(True, 6)" ]] && ok || fail "../winevt/Logs/System.evtx in another case: $got"

# 3b. --events-detail: the records behind each summary, each offset pointing at its own record in the log.
(cd "$sample/system32/config" && "$bin" check SYSTEM --events-detail --format json >"$work/detail.json" 2>/dev/null)
got=$(json "$work/detail.json" "[(x['record_number'], x['recovered']) for r in d['results'] if r['rule'] == 'KB277770' for e in r['events'] if e['service'] == 'POP3Svc' and e['error'] == 1083 for x in e['records']]")
[[ "$got" == "[(5, False), (12, False), (24, False)]" ]] && ok || fail "--events-detail records of POP3Svc 7000/1083: $got"
got=$(/usr/bin/python3 - "$work/detail.json" "$evt" <<'PY'
import json, struct, sys
d = json.load(open(sys.argv[1])); log = open(sys.argv[2], "rb").read()
bad = [x for r in d["results"] for e in r["events"] for x in e["records"]
       if log[x["file_offset"] + 4:x["file_offset"] + 8] != b"LfLe"
       or struct.unpack_from("<I", log, x["file_offset"] + 8)[0] != x["record_number"]]
total = sum(len(e["records"]) == e["count"] for r in d["results"] for e in r["events"])
print(len(bad), total == sum(len(r["events"]) for r in d["results"]))
PY
)
[[ "$got" == "0 True" ]] && ok || fail "--events-detail offsets not at their records, or counts differ: $got"
(cd "$sample/system32/config" && "$bin" check SYSTEM --events-detail >"$work/detail.txt" 2>/dev/null)
grep -q '^                record 5 at log offset 0x000002f8, 2004-06-01T10:03:05.0000000Z$' "$work/detail.txt" && ok ||
  fail "--events-detail text line"
"$bin" events "$evt" --detail >"$work/events-detail.txt"
grep -q '^    record 19 at log offset 0x00000c90, 2004-06-02T14:01:00.0000000Z$' "$work/events-detail.txt" && ok || fail "events --detail"
"$bin" check "$sample/system32/config/SYSTEM" --no-events --events-detail >/dev/null 2>&1
[[ $? == 2 ]] && ok || fail "--no-events with --events-detail is not a usage error"
"$bin" check "$sample/system32/config/SYSTEM" --format json >"$work/plain.json" 2>/dev/null
got=$(json "$work/plain.json" "sum('records' in e for r in d['results'] for e in r['events'])")
[[ "$got" == 0 ]] && ok || fail "records listed without --events-detail: $got"

# 5. Item rules: each item's service gets its failures (EVT display name -> key; 7026's driver list holds keys).
python3 - "$src/tests/support" "$work/items.Evt" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import evt_writer as evt
t = 1086084000  # 2004-06-01T10:00:00.0000000Z
recs = [evt.record(1, t, evt.SEVERITY_ERROR | 7001, "Service Control Manager", ["Acme Backup", "AcmeCore", "%%1075"]),
        evt.record(2, t + 1, evt.SEVERITY_ERROR | 7026, "Service Control Manager", ["\nacmefilt\n"]),
        evt.record(3, t + 2, evt.SEVERITY_ERROR | 7000, "Service Control Manager", ["Acme Backup", "%%1068"])]
open(sys.argv[2], "wb").write(evt.log_file(recs))
PY
"$bin" check "$src/samples/hives/service-start-faults.hiv" --events "$work/items.Evt" --format json >"$work/items.json" 2>/dev/null
got=$(json "$work/items.json" "sorted((r['rule'], e['service'], e['event_id'], e['error'], e['key']) for r in d['results'] for e in r['events'])")
want="[('SCM-DEPENDENCY-DISABLED', 'acmefilt', 7026, None, 'ControlSet001\\\\Services\\\\acmefilt'), ('SCM-DEPENDENCY-MISSING', 'AcmeBackup', 7000, 1068, 'ControlSet001\\\\Services\\\\AcmeBackup'), ('SCM-DEPENDENCY-MISSING', 'AcmeBackup', 7001, 1075, 'ControlSet001\\\\Services\\\\AcmeBackup')]"
[[ "$got" == "$want" ]] && ok || fail "item rules' events: $got"

echo "events_built: $passed passed, $failed failed"
((failed == 0))
