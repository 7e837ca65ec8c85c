#!/usr/bin/env bash
# "passes in LastKnownGood" (issue 17 §2) is said only of a set that `--control-set all` would
# report as a pass: Last Known Good's verdict is evaluated without its evidence first (the cheap way,
# src/rules/evaluator.hpp ResultDetail::kVerdict), and a pass there is evaluated again whole, so
# that damage in a value its evidence reads still makes that set an error, not a pass.
# Usage: last_known_good_damaged_evidence.sh HIVELINT SRC WORK
set -euo pipefail
hl="$1" work="$3"
fail() { echo "last_known_good_damaged_evidence: $*" >&2; exit 1; }
mkdir -p "$work"
cd "$work"
reg() {  # one ControlSet of an Exchange server; DispatchEntries as given
  cat <<REG
[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet00$1\\Services\\MSExchangeSA]
"Start"=dword:00000002

[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet00$1\\Services\\SMTPSVC]
"Start"=dword:00000002
"ImagePath"="C:\\\\WINDOWS\\\\System32\\\\inetsrv\\\\inetinfo.exe"

[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet00$1\\Services\\IISADMIN]
"Start"=dword:00000002
"ImagePath"="C:\\\\WINDOWS\\\\System32\\\\inetsrv\\\\inetinfo-$1.exe"

[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet00$1\\Services\\InetInfo\\Parameters]
"DispatchEntries"=hex(7):$2

REG
}
lkg_entries=4c,00,64,00,61,00,70,00,73,00,76,00,63,00,00,00,53,00,6d,00,74,00,70,00,73,00,76,00,63,00,00,00,4e,00,6e,00,74,00,70,00,73,00,76,00,63,00,00,00,49,00,6d,00,61,00,70,00,34,00,73,00,76,00,63,00,00,00,50,00,6f,00,70,00,33,00,73,00,76,00,63,00,00,00,52,00,65,00,73,00,76,00,63,00,00,00,00,00
{
  printf 'REGEDIT4\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\n"Current"=dword:00000001\n"Default"=dword:00000001\n"LastKnownGood"=dword:00000002\n"Failed"=dword:00000000\n\n'
  reg 1 4c,00,64,00,61,00,70,00,73,00,76,00,63,00,00,00,00,00  # Ldapsvc only: fails
  reg 2 "$lkg_entries"                                            # all six: passes
} > lkg.reg
rm -f lkg.hiv damaged.hiv
"$hl" build lkg.reg -o lkg.hiv --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' >/dev/null

# Intact: the current set fails and Last Known Good passes, so the result says so.
"$hl" check lkg.hiv --rule KB277770 --format json >intact.json && fail "the current set passed"
python3 - intact.json <<'PY' || fail "intact hive: Last Known Good is not named as passing"
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
assert r["status"] == "fail" and any(p["control_set"] == "ControlSet002" for p in r["passes_in"]), r["passes_in"]
PY

# Damaged: ControlSet002\Services\IISADMIN\ImagePath (evidence only, not what the check reads) gets a
# data offset past the end of the hive.
"$hl" check lkg.hiv --rule KB277770 --control-set 2 --format json >lkg2.json || true
python3 - lkg.hiv lkg2.json damaged.hiv <<'PY'
import json, struct, sys
hive = bytearray(open(sys.argv[1], "rb").read())
r = json.load(open(sys.argv[2]))["results"][0]
cell = next(v["cell_offset"] for e in r["evidence"] if e["key"].endswith("IISADMIN")
            for v in e["values"] if v["name"] == "ImagePath")
assert hive[cell + 4:cell + 6] == b"vk", "not a value key at the evidence's cell offset"
struct.pack_into("<I", hive, cell + 4 + 8, 0x00FFFFF8)  # the data offset field
open(sys.argv[3], "wb").write(hive)
PY
set +e
"$hl" check damaged.hiv --rule KB277770 --control-set all --format json >all.json
"$hl" check damaged.hiv --rule KB277770 --format json >current.json
set -e
python3 - all.json current.json <<'PY' || fail "a Last Known Good set in error is named as passing"
import json, sys
sets = {r["control_set"]: r["status"] for r in json.load(open(sys.argv[1]))["results"]}
assert sets.get("ControlSet002") == "error", "--control-set all: ControlSet002 is %r" % sets.get("ControlSet002")
r = json.load(open(sys.argv[2]))["results"][0]
assert r["status"] == "fail", r["status"]
assert not any(p["control_set"] == "ControlSet002" for p in r["passes_in"]), r["passes_in"]
PY
echo "PASS: Last Known Good is named as passing only when its whole evaluation passes"
