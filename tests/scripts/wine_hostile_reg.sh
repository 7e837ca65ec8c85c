#!/usr/bin/env bash
# Wine's regedit as the Windows side of hivelint's .reg output (issue 12, D4/D5 of the adversarial review): .reg
# files written by `export` and `fix --reg` for hives and file names holding hostile names are imported headless
# (`regedit /S`), and nothing outside the intended key is written or deleted: an export of all of HKLM before and
# after the import differs only inside the target key, which holds exactly the names and data exported.
# Usage: wine_hostile_reg.sh HIVELINT SRC WORK
set -uo pipefail
bin="$1"
src="$2"
work="$3"
rm -rf "$work"
mkdir -p "$work"
command -v wine >/dev/null || { echo "wine_hostile_reg: wine is missing (scripts/setup.sh --test installs it)" >&2; exit 1; }
/usr/bin/python3 -c 'import hivex' 2>/dev/null || { echo "wine_hostile_reg: /usr/bin/python3 with hivex is missing" >&2; exit 1; }
failed=0
passed=0
bad() { echo "wine_hostile_reg: FAIL: $*" >&2; failed=$((failed + 1)); }
expect() {  # NAME CONDITION...
  local name="$1"
  shift
  if "$@"; then passed=$((passed + 1)); else bad "$name"; fi
}
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml='
wine wineboot -i >"$work/boot.log" 2>&1 || { bad "wineboot failed"; cat "$work/boot.log" >&2; }
source "$src/tests/support/wine.sh"  # winepath, wine_export, wine_reg_query
# All of HKLM as Wine's regedit exports it, as UTF-8 lines, without the target key's blocks (and without
# Control\ServiceCurrent, a counter Wine bumps whenever it starts a service, and the volatile "Linked" values
# of DeviceClasses\...\#\Control, there only while a device is up; NetworkCards, which Wine fills in when its
# network service first starts).
hklm_outside() {  # OUT
  wine_export "$work/hklm.reg" HKEY_LOCAL_MACHINE "$work/hklm.log" || bad "wine regedit /E HKEY_LOCAL_MACHINE wrote nothing"
  iconv -f UTF-16 -t UTF-8 "$work/hklm.reg" | tr -d '\r' | awk '
    /^\[/ { k = toupper($0); skip = index(k, "[HKEY_LOCAL_MACHINE\\SOFTWARE\\HIVELINTTEST") == 1 ||
                                       k == "[HKEY_LOCAL_MACHINE\\SYSTEM\\CURRENTCONTROLSET\\CONTROL\\SERVICECURRENT]" ||
                                       index(k, "\\CURRENTVERSION\\NETWORKCARDS") > 0 }
    !skip && !/^"Linked"=/' >"$1"
}

# A hive whose key and value names hold everything a .reg file can carry that once looked dangerous: quotes,
# backslashes and brackets in value names, '[', ';', '-', '=', '%', '&' in key names, an '@' value next to the
# default value, and REG_SZ data with quotes, backslashes and a CR/LF (written as hex(1):).
cp "$src/samples/hives/exchange2000-healthy.hiv" "$work/names.hiv"
/usr/bin/python3 - "$work/names.hiv" <<'PY'
import hivex, sys
h = hivex.Hivex(sys.argv[1], write=True)
top = h.node_add_child(h.root(), 'Hostile')
sz = lambda s: s.encode('utf-16-le') + b'\0\0'
for name in ['-[HKEY_LOCAL_MACHINE', ';comment', 'a=b "c"', '%PATH% & calc', '[x', 'hex(7):00']:
    k = h.node_add_child(top, name)
    h.node_set_values(k, [
        {'key': '', 't': 1, 'value': sz('default')},
        {'key': '@', 't': 1, 'value': sz('at')},
        {'key': 'q"]\\[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Evil]', 't': 1, 'value': sz('a"b\\c')},
        {'key': '"=hex:41', 't': 1, 'value': sz('line1\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Evil]\r\n"x"="y"')},
        {'key': 'multi', 't': 7, 'value': sz('a') + sz('"b"')[:-2] + b'\0\0'},
        {'key': 'dword', 't': 4, 'value': b'\x2a\0\0\0'},
    ])
h.commit(None)
PY
"$bin" export "$work/names.hiv" Hostile --root 'HKEY_LOCAL_MACHINE\SOFTWARE\HivelintTest' -o "$work/names.reg" 2>"$work/err"
expect "export of the hostile-name hive exits 0 ($(head -c 300 "$work/err"))" test $? = 0
"$bin" export "$work/names.hiv" Hostile --format json -o "$work/names.json" 2>"$work/err"
expect "JSON export of the hostile-name hive exits 0" test $? = 0

# A first import of an empty .reg lets Wine start what it starts lazily before the snapshot.
printf '\xff\xfeW\0i\0n\0d\0o\0w\0s\0 \0R\0e\0g\0i\0s\0t\0r\0y\0 \0E\0d\0i\0t\0o\0r\0 \0V\0e\0r\0s\0i\0o\0n\0 \0005\0.\0000\0\r\0\n\0' >"$work/empty.reg"
wine regedit /S "$(winepath "$work/empty.reg")" >/dev/null 2>&1
hklm_outside "$work/before.txt"
expect "Wine's HKLM export is not empty" test -s "$work/before.txt"
wine regedit /S "$(winepath "$work/names.reg")" >/dev/null 2>&1
hklm_outside "$work/after.txt"
expect "importing export's .reg changed nothing outside HKLM\\SOFTWARE\\HivelintTest: $(diff "$work/before.txt" "$work/after.txt" | head -5 | tr '\n' ' ')" \
  cmp -s "$work/before.txt" "$work/after.txt"
# Absent, not a reg.exe that failed to start (wine_reg_query tries that once more; its output then says so).
wine_reg_query "$work/evil.txt" 'HKLM\SOFTWARE\Evil'
evil_rc=$?
expect "no HKLM\\SOFTWARE\\Evil" test "$evil_rc" != 0
expect "reg.exe ran to say HKLM\\SOFTWARE\\Evil is absent" bash -c "! grep -q 'ShellExecuteEx failed\\|could not be started' '$work/evil.txt'"
# The target key holds exactly what was exported: Wine's own export of it, read back by hivelint's parser,
# gives the same names and data as hivelint's JSON export.
wine_export "$work/wine-target.reg" 'HKEY_LOCAL_MACHINE\SOFTWARE\HivelintTest' "$work/wine-target.log"
"$bin" build "$work/wine-target.reg" -o "$work/wine-target.hiv" -q --prefix 'HKEY_LOCAL_MACHINE\SOFTWARE\HivelintTest' 2>"$work/err"
expect "hivelint build reads Wine's export of the target key ($(head -c 300 "$work/err"))" test $? = 0
"$bin" export "$work/wine-target.hiv" --format json -o "$work/wine-target.json" 2>/dev/null
expect "Wine imported exactly the names and data exported" /usr/bin/python3 - "$work/names.json" "$work/wine-target.json" <<'PY'
import json, sys
def tree(p):
    d = json.load(open(p))
    return {k["path"].lower(): sorted((v["name"].lower(), v["type"], json.dumps(v.get("data", v.get("hex"))))
                                      for v in k["values"]) for k in d["keys"] if k["path"]}
a, b = tree(sys.argv[1]), tree(sys.argv[2])
for path in sorted(set(a) | set(b)):
    if a.get(path) != b.get(path):
        print("differs at %r: ours %r, Wine %r" % (path, a.get(path), b.get(path))); sys.exit(1)
print("%d keys equal" % len(a))
PY

# fix --reg for a hive whose file name holds a key-deletion line (D5): Services\Tcpip survives the import.
name=$'x\r\n[-HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip]\r\n;'
cp "$src/samples/hives/controlset002-broken.hiv" "$work/$name"
"$bin" fix "$work/$name" --reg "$work/fix.reg" --reg-comments -q
expect "fix --reg exits 0" test $? = 0
wine_reg_query "$work/q0.txt" 'HKLM\SYSTEM\CurrentControlSet\Services\Tcpip'
expect "Wine's registry has Services\\Tcpip before the import" test $? = 0
wine regedit /S "$(winepath "$work/fix.reg")" >/dev/null 2>&1
wine_reg_query "$work/q1.txt" 'HKLM\SYSTEM\CurrentControlSet\Services\Tcpip'
expect "Services\\Tcpip survives importing fix.reg" test $? = 0
wine_reg_query "$work/q.txt" 'HKLM\SYSTEM\CurrentControlSet\Services\InetInfo\Parameters' /v DispatchEntries
expect "fix.reg set DispatchEntries" grep -q 'Resvc' "$work/q.txt"

echo "wine_hostile_reg: $passed passed, $failed failed"
((failed == 0))
