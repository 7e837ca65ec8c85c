#!/usr/bin/env bash
# Independent readers agree with the source: every sample hive and a feature-coverage hive (every value
# type, short/resident/big data, non-ASCII names (C1 units 0x80-0x9F too), 1200 subkeys under an ri, 40 levels deep; built here
# with regf 1.5, and without big data with 1.4 and 1.3) must be read as the .reg source says
# (tests/readers/compare.py) by hivexregedit --export and Python's hivex (every value's bytes), regfexport
# (libregf: bytes of every hex-dumped type, REG_MULTI_SZ included; DWORD numbers; string text) and reglookup
# (DWORD, BINARY, ASCII strings, REG_MULTI_SZ's non-empty ASCII strings; other values by presence and type).
# Also checks that the comparison itself notices a wrong hive and, for each reader, one changed character of
# DispatchEntries (tests/readers/tamper_reg.py), and hivexget's view of DispatchEntries.
# Usage: readers.sh HIVELINT SRC WORK. A missing tool is a failure naming its Debian package.
set -uo pipefail
bin="$1"
src="$2"
work="$3"
mkdir -p "$work"
missing=0
for pair in hivexregedit:libwin-hivex-perl hivexget:libhivex-bin regfexport:libregf-utils reglookup:reglookup; do
  tool="${pair%%:*}"
  command -v "$tool" >/dev/null || { echo "readers: $tool is missing (Debian package ${pair#*:}; scripts/setup.sh --test installs it)" >&2; missing=1; }
done
[[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import hivex' 2>/dev/null ||
  { echo "readers: /usr/bin/python3 with module hivex is missing (Debian packages python3 python3-hivex)" >&2; missing=1; }
((missing == 0)) || exit 1

passed=0
failed=0
run_compare() {  # source prefix hive
  if /usr/bin/python3 "$src/tests/readers/compare.py" "$1" "$2" "$3"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

for reg in "$src"/samples/hives/*.reg; do
  run_compare "$reg" 'HKEY_LOCAL_MACHINE\SYSTEM' "${reg%.reg}.hiv"
done

/usr/bin/python3 "$src/tests/readers/gen_features.py" "$work/features.reg"
/usr/bin/python3 "$src/tests/readers/gen_features.py" "$work/features-nobig.reg" --no-big
for variant in 5:features 4:features-nobig 3:features-nobig; do
  minor="${variant%%:*}"
  source="$work/${variant#*:}.reg"
  "$bin" build "$source" -o "$work/features-1.$minor.hiv" --prefix 'HKEY_LOCAL_MACHINE\TEST' \
    --timestamp 2004-06-01T00:00:00Z --minor-version "$minor" --force --quiet || { echo "readers: build 1.$minor failed" >&2; failed=$((failed + 1)); }
  run_compare "$source" 'HKEY_LOCAL_MACHINE\TEST' "$work/features-1.$minor.hiv"
done
# Big data cannot be stored in regf 1.3: build must refuse, not approximate.
if "$bin" build "$work/features.reg" -o "$work/refused.hiv" --prefix 'HKEY_LOCAL_MACHINE\TEST' --minor-version 3 --force 2>"$work/refused.err"; then
  echo "readers: FAIL: build 1.3 accepted data over 16344 bytes" >&2; failed=$((failed + 1))
elif grep -q "big-data" "$work/refused.err" && [[ ! -e "$work/refused.hiv" ]]; then
  passed=$((passed + 1))
else
  echo "readers: FAIL: build 1.3 refusal: $(cat "$work/refused.err")" >&2; failed=$((failed + 1))
fi

# The comparison must notice a hive that does not match its source.
if /usr/bin/python3 "$src/tests/readers/compare.py" "$src/samples/hives/dispatch-missing-names.reg" 'HKEY_LOCAL_MACHINE\SYSTEM' \
  "$src/samples/hives/exchange2000-healthy.hiv" >/dev/null; then
  echo "readers: FAIL: compare.py did not notice a hive built from another source" >&2; failed=$((failed + 1))
else
  passed=$((passed + 1))
fi

# ... and each of the four readers must notice one changed character of a REG_MULTI_SZ (tests/readers/tamper_reg.py).
if /usr/bin/python3 "$src/tests/readers/tamper_reg.py" "$src/samples/hives/controlset002-broken.reg" \
  "$src/samples/hives/controlset002-broken.hiv" "$work"; then
  passed=$((passed + 1))
else
  echo "readers: FAIL: a reader of compare.py passes a changed DispatchEntries" >&2; failed=$((failed + 1))
fi

# hivexget, the quickest path lookup, sees the DispatchEntries each sample's source sets.
check_get() {  # hive path expected-lines
  local got
  got="$(hivexget "$src/samples/hives/$1.hiv" "$2" DispatchEntries 2>&1)"
  if [[ "$got" == "$3" ]]; then passed=$((passed + 1)); else
    echo "readers: FAIL: hivexget $1 $2: got '$got', expected '$3'" >&2; failed=$((failed + 1)); fi
}
check_get controlset002-broken 'ControlSet002\Services\InetInfo\Parameters' $'Ldapsvc\nSmtpsvc\nNntpsvc'
check_get controlset002-broken 'ControlSet001\Services\InetInfo\Parameters' $'Ldapsvc\nSmtpsvc\nNntpsvc\nImap4svc\nPop3svc\nResvc'
check_get dispatch-missing-names 'ControlSet001\Services\InetInfo\Parameters' $'Ldapsvc\nSmtpsvc'

echo "readers: $passed passed, $failed failed"
((failed == 0))
