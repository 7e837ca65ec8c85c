#!/usr/bin/env bash
# `hivelint deleted` and check's details.previous_values (issue 13 §2) on hives edited by other writers:
# - hivex (python3-hivex) sets DispatchEntries twice on a broken sample: hivex frees the old vk and its data
#   cell without erasing them, so `deleted` lists the old DispatchEntries with its data (state free_cell), and
#   `check` on the result names it in details.previous_values and in a "Before:" line;
# - the unedited sample has no DispatchEntries in free space (a test that would pass without carving fails here).
# Usage: deleted.sh HIVELINT SRC WORK.
set -euo pipefail
bin="$1"
src="$2"
work="$3"
rm -rf "$work"
mkdir -p "$work"
py=/usr/bin/python3
if ! "$py" -c 'import hivex' 2>/dev/null; then
  echo "deleted: SKIPPED: python3-hivex is not installed (scripts/setup.sh installs it)"
  exit 77
fi
fail() { echo "deleted: FAIL: $*" >&2; exit 1; }
sample="$src/samples/hives/dispatch-missing-names.hiv"
cp "$sample" "$work/edited.hiv"
# Two sets: the first one's vk and data are freed by the second.
"$py" - "$work/edited.hiv" <<'PY'
import sys, hivex
h = hivex.Hivex(sys.argv[1], write=True)
node = h.root()
for part in ["ControlSet001", "Services", "MSExchangeSA", "Parameters"]:
    node = h.node_get_child(node, part)
    assert node, part
def multi(names):
    return ("\0".join(names) + "\0\0").encode("utf-16-le")
first = ["LDAPSVC", "SMTPSVC", "NNTPSVC", "IMAP4SVC", "POP3SVC", "RESVC"]
h.node_set_value(node, {"key": "DispatchEntries", "t": 7, "value": multi(first)})
h.commit(None)
h = hivex.Hivex(sys.argv[1], write=True)
node = h.root()
for part in ["ControlSet001", "Services", "MSExchangeSA", "Parameters"]:
    node = h.node_get_child(node, part)
h.node_set_value(node, {"key": "DispatchEntries", "t": 7, "value": multi(["LDAPSVC"])})
h.commit(None)
PY

"$bin" deleted --format json "$sample" >"$work/before.json" || fail "deleted on the sample exited $?"
"$py" - "$work/before.json" <<'PY' || fail "the unedited sample already shows a freed DispatchEntries"
import json, sys
d = json.load(open(sys.argv[1]))
assert not [v for v in d["values"] if v["name"].lower() == "dispatchentries"], d["values"]
PY

"$bin" deleted --format json "$work/edited.hiv" >"$work/deleted.json" || fail "deleted exited $?"
"$py" - "$work/deleted.json" <<'PY' || fail "deleted does not show the old DispatchEntries (see $work/deleted.json)"
import json, sys
d = json.load(open(sys.argv[1]))
old = [v for v in d["values"] if v["name"] == "DispatchEntries" and v["data_state"] == "free_cell"]
lists = [v.get("strings") for v in old]
assert ["LDAPSVC", "SMTPSVC", "NNTPSVC", "IMAP4SVC", "POP3SVC", "RESVC"] in lists, lists
assert all(isinstance(v["cell_offset"], int) and v["type"] == "REG_MULTI_SZ" for v in old)
PY
"$bin" deleted "$work/edited.hiv" >"$work/deleted.txt" || fail "deleted (text) exited $?"
grep -q 'DispatchEntries REG_MULTI_SZ in a free cell at file offset 0x[0-9a-f]* held 6 names: "LDAPSVC" | "SMTPSVC"' "$work/deleted.txt" ||
  fail "text output lacks the old DispatchEntries: $(cat "$work/deleted.txt")"

set +e
"$bin" check --rule KB277770 --format json "$work/edited.hiv" >"$work/check.json"
rc=$?
set -e
[[ $rc == 1 ]] || fail "check on the edited hive exited $rc, expected 1 (DispatchEntries is still broken)"
"$py" - "$work/check.json" <<'PY' || fail "check's details.previous_values lacks the old list (see $work/check.json)"
import json, sys
d = json.load(open(sys.argv[1]))
prev = d["results"][0]["details"]["previous_values"]
assert any(p["strings"] == ["LDAPSVC", "SMTPSVC", "NNTPSVC", "IMAP4SVC", "POP3SVC", "RESVC"] for p in prev if "strings" in p), prev
PY
set +e
"$bin" check --rule KB277770 "$work/edited.hiv" >"$work/check.txt"
set -e
grep -q 'Before:   DispatchEntries REG_MULTI_SZ in a free cell at file offset 0x[0-9a-f]* held 6 names' "$work/check.txt" ||
  fail "check's text lacks the Before: line: $(cat "$work/check.txt")"

# Not a hive: exit 3 with a message, in both formats.
head -c 100 /dev/urandom >"$work/garbage"
set +e
"$bin" deleted "$work/garbage" >/dev/null 2>"$work/err"
rc=$?
set -e
[[ $rc == 3 ]] || fail "deleted on garbage exited $rc, expected 3"
grep -q "hivelint: " "$work/err" || fail "no message for garbage"
echo "deleted: ok"
