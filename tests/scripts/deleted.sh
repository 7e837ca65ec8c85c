#!/usr/bin/env bash
# `hivelint deleted` and check's details.previous_values (issue 13 §2) on hives edited by other writers:
# - hivex (python3-hivex) sets DispatchEntries twice on a broken sample: hivex frees the old vk and its data
#   cell without erasing them, so `deleted` lists the old DispatchEntries with its data (state free_cell), and
#   `check` on the result names it in details.previous_values and in a "Before:" line;
# - the unedited sample has no DispatchEntries in free space (a test that would pass without carving fails here);
# - hivelint's own `fix` of that hivex-edited hive: its editor writes new cells in new hive bins only, so the old
#   vk hivex freed is still listed by `deleted` on the output, at the same offset with the same six names; the
#   value it fixes keeps its vk (set in place, as Windows does) and the old data cell is freed with its bytes
#   intact, so no vk names it: `deleted` lists nothing at that vk and the fixed copy passes without
#   previous_values (they are searched for failures only).
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

# hivelint's own fix of the hivex-edited hive.
"$bin" check --rule KB277770 --format json "$work/edited.hiv" >"$work/edited-check.json" || [[ $? == 1 ]] ||
  fail "check on the edited hive failed"
"$bin" fix --rule KB277770 -o "$work/fixed.hiv" "$work/edited.hiv" >"$work/fix.txt" 2>&1 ||
  fail "fix of the edited hive exited $?: $(tail -3 "$work/fix.txt")"
"$bin" deleted --format json "$work/fixed.hiv" >"$work/fixed-deleted.json" || fail "deleted on the fixed hive exited $?"
set +e
"$bin" check --rule KB277770 --format json "$work/fixed.hiv" >"$work/fixed-check.json"
rc=$?
set -e
[[ $rc == 0 ]] || fail "check on hivelint's fixed copy exited $rc, expected 0"
"$py" - "$work/edited-check.json" "$work/deleted.json" "$work/fixed-deleted.json" "$work/fixed-check.json" \
  "$work/fixed.hiv" <<'PY' || fail "free cells after hivelint's fix are not as documented (see $work)"
import json, struct, sys
checked, before, after, fixed_check = (json.load(open(p)) for p in sys.argv[1:5])
image = open(sys.argv[5], "rb").read()
key = lambda v: (v["cell_offset"], v["name"], v["data_state"], tuple(v.get("strings") or ()), v["data"])
# Every record carved before the fix is carved after it, unchanged: the fix wrote no free cell.
missing = [v for v in before["values"] if key(v) not in {key(w) for w in after["values"]}]
assert not missing, ("records lost by the fix", missing)
assert {k["cell_offset"] for k in before["keys"]} <= {k["cell_offset"] for k in after["keys"]}
six = ["LDAPSVC", "SMTPSVC", "NNTPSVC", "IMAP4SVC", "POP3SVC", "RESVC"]
assert any(v["name"] == "DispatchEntries" and v.get("strings") == six for v in after["values"]), after["values"]
# The value the fix set: its vk is live (not carved), its old data cell is free and still holds the old list.
ev = [v for e in checked["results"][0]["evidence"] if e["label"] == "checked value" for v in e["values"]
      if v["name"] == "DispatchEntries"][0]
assert ev["data_storage"] == "cell", ev
assert ev["cell_offset"] not in {v["cell_offset"] for v in after["values"]}, "the live vk was carved as free"
at = ev["data_cell_offset"]
size = struct.unpack_from("<i", image, at)[0]
assert size > 0, ("the old data cell is not free", at, size)
old = bytes.fromhex(ev["data_hex"])
assert image[at + 4:at + 4 + len(old)] == old, "the old data was erased or overwritten"
result = fixed_check["results"][0]
assert result["status"] == "pass" and result["details"].get("previous_values") is None, result["details"]
PY

# Not a hive: exit 3 with a message, in both formats.
head -c 100 /dev/urandom >"$work/garbage"
set +e
"$bin" deleted "$work/garbage" >/dev/null 2>"$work/err"
rc=$?
set -e
[[ $rc == 3 ]] || fail "deleted on garbage exited $rc, expected 3"
grep -q "hivelint: " "$work/err" || fail "no message for garbage"
echo "deleted: ok"
