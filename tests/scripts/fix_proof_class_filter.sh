#!/usr/bin/env bash
# Proof of `hivelint fix --rule CLASS-FILTER-MISSING` (remove_multi_string_entries; issue 11) with independent
# tools, as tests/scripts/fix_proof.sh proves KB277770's fix:
#  * the input is unchanged (sha256); `hivelint check` passes on the output with both backends;
#  * the expected tree is the sample's .reg source plus what the rule file's fix must do there, computed by
#    tests/fix/prove.py (expected-class-filter-fix) from the source and rules/CLASS-FILTER-MISSING.json alone:
#    each dangling name (no key under Services, any case) removed, the others kept in order, an emptied value
#    deleted; the four readers of tests/readers/compare.py read the output as that tree, hivexget reads each
#    kept list exactly and finds no deleted value (and the unfixed input fails that check);
#  * hivexregedit's dumps of input and output differ only in the planned values; the byte-level diff is confined
#    to the base block, the new hive bins and the cells of the planned keys and values (a stray timestamp change
#    in another key named like one on the path is refused);
#  * `hivexregedit --merge` of the offline .reg (with its "name"=- lines) into a copy of the input gives the same
#    full dump as fix -o;
#  * Wine's regedit, after the sample's own values of each key are imported (so that the deletions delete
#    something), imports the live and offline .reg files: `reg query` and `regedit /E` show each value set as
#    written, no deleted value, and every other value of the key still there;
#  * a dry run writes nothing; a hive without a dangling class filter gets nothing written.
# Usage: fix_proof_class_filter.sh HIVELINT SRC WORK. A missing tool is a failure naming its Debian package.
set -uo pipefail
bin="$1"
src="$2"
work="$3"
rm -rf "$work"
mkdir -p "$work"
py=/usr/bin/python3
prove=("$py" "$src/tests/fix/prove.py")
missing=0
for pair in hivexregedit:libwin-hivex-perl hivexget:libhivex-bin regfexport:libregf-utils reglookup:reglookup wine:wine; do
  tool="${pair%%:*}"
  command -v "$tool" >/dev/null || { echo "fix_proof_class_filter: $tool is missing (Debian package ${pair#*:}; scripts/setup.sh --test installs it)" >&2; missing=1; }
done
[[ -x $py ]] && $py -c 'import hivex' 2>/dev/null || { echo "fix_proof_class_filter: /usr/bin/python3 with module hivex is missing" >&2; missing=1; }
((missing == 0)) || exit 1

passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "fix_proof_class_filter: FAIL: $*" >&2; failed=$((failed + 1)); }
expect() {  # description command...
  local what="$1"
  shift
  if "$@" >"$work/last.out" 2>&1; then ok; else bad "$what"; sed 's/^/    /' "$work/last.out" >&2; fi
}
ts=2024-01-01T00:00:00Z
rule_file="$src/rules/CLASS-FILTER-MISSING.json"
only=(--rules "$rule_file" --rule CLASS-FILTER-MISSING)
name=class-filter-dangling
hive="$src/samples/hives/$name.hiv"
w="$work/$name"
mkdir -p "$w"

# Nothing to fix on a sample without class filters: nothing written, exit 0.
"$bin" fix "$src/samples/hives/exchange2000-healthy.hiv" "${only[@]}" -o "$w/clean.hiv" --reg "$w/clean.reg" --control-set all >"$w/clean.txt" 2>&1
rc=$?
if ((rc == 0)) && [[ ! -e $w/clean.hiv && ! -e $w/clean.reg ]] && grep -q "nothing to fix" "$w/clean.txt"; then ok; else bad "clean hive: exit $rc or a file was written"; fi

before="$(sha256sum <"$hive")"
"$bin" check "$hive" "${only[@]}" --control-set all --quiet
rc=$?
((rc == 1)) && ok || bad "$name: check exit $rc, expected 1 (dangling class filters)"

"$bin" fix "$hive" "${only[@]}" -o "$w/out.hiv" --reg "$w/live.reg" --control-set all --dry-run >"$w/dry.txt" 2>&1
rc=$?
if ((rc == 1)) && [[ ! -e $w/out.hiv && ! -e $w/live.reg ]]; then ok; else bad "$name: dry run exit $rc or wrote a file"; fi

expect "$name: fix -o --reg offline:SYSTEM" "$bin" fix "$hive" "${only[@]}" -o "$w/out.hiv" --reg "$w/offline.reg" --reg-root offline:SYSTEM \
  --control-set all --timestamp "$ts" --format json
cp "$work/last.out" "$w/fix.json"
expect "$name: fix --reg live" "$bin" fix "$hive" "${only[@]}" --reg "$w/live.reg" --control-set all --timestamp "$ts"
expect "$name: fix --reg offline:HIVELINT" "$bin" fix "$hive" "${only[@]}" --reg "$w/mount.reg" --reg-root offline:HIVELINT --control-set all --timestamp "$ts"
[[ "$(sha256sum <"$hive")" == "$before" ]] && ok || bad "$name: the input hive changed"
if [[ ! -s $w/out.hiv ]]; then
  bad "$name: no output hive"
  echo "fix_proof_class_filter: $passed passed, $failed failed"
  exit 1
fi
grep -q '"action": "delete_value"' "$w/fix.json" && ok || bad "$name: the fix JSON has no delete_value change"
grep -q '"LowerFilters"=-' <(iconv -f UTF-16LE -t UTF-8 "$w/offline.reg") && ok || bad "$name: the .reg has no deletion line"

for backend in libregf hivelint; do
  expect "$name: check passes on the output ($backend)" "$bin" check "$w/out.hiv" "${only[@]}" --control-set all --backend "$backend" --quiet
done
expect "$name: source + the rule's fix" "${prove[@]}" expected-class-filter-fix "${hive%.hiv}.reg" "$rule_file" "$w/expected.reg" "$w/lists.tsv"
expect "$name: four readers agree with source + the rule's fix" "$py" "$src/tests/readers/compare.py" "$w/expected.reg" 'HKEY_LOCAL_MACHINE\SYSTEM' "$w/out.hiv"
"$py" "$src/tests/readers/compare.py" "$w/expected.reg" 'HKEY_LOCAL_MACHINE\SYSTEM' "$hive" >"$w/tamper.out" 2>&1 && bad "$name: the readers check accepts the unfixed input" || ok
expect "$name: hivexget reads each kept list exactly, no deleted value" "${prove[@]}" list-check "$w/lists.tsv" "$w/out.hiv"
"${prove[@]}" list-check "$w/lists.tsv" "$hive" >"$w/tamper.out" 2>&1 && bad "$name: list-check accepts the unfixed input" || ok
# A stray byte in another key named like one under a changed class (each class's device key 0000).
target='ControlSet001\Control\Class\{4D36E965-E325-11CE-BFC1-08002BE10318}\0000'
if "${prove[@]}" tamper-nk "$w/out.hiv" "$target" "$w/tampered.hiv" >"$w/tamper.out" 2>&1; then
  "${prove[@]}" bytes "$hive" "$w/tampered.hiv" "$w/fix.json" >"$w/tamper.out" 2>&1
  grep -q "in an unrelated cell" "$w/tamper.out" && ok || { bad "$name: bytes accepts a stray change in a key named like $target"; cat "$w/tamper.out" >&2; }
else
  bad "$name: tamper-nk: $(cat "$w/tamper.out")"
fi
expect "$name: only planned values differ (hivexregedit dumps)" "${prove[@]}" changed "$hive" "$w/out.hiv" "$w/fix.json"
expect "$name: byte diff confined to the change" "${prove[@]}" bytes "$hive" "$w/out.hiv" "$w/fix.json"

# The same change made by hivex, deletion lines included: identical full dumps.
cp "$hive" "$w/hivex.hiv"
iconv -f UTF-16LE -t UTF-8 "$w/offline.reg" | sed '1s/^\xEF\xBB\xBF//; s/\r$//' >"$w/offline.utf8.reg"
if hivexregedit --merge --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' "$w/hivex.hiv" "$w/offline.utf8.reg" 2>"$w/merge.err"; then
  hivexregedit --export "$w/hivex.hiv" '\' >"$w/hivex.dump" 2>"$w/export.err" || bad "$name: hivexregedit --export of the merged copy failed: $(cat "$w/export.err")"
  hivexregedit --export "$w/out.hiv" '\' >"$w/ours.dump" 2>"$w/export.err" || bad "$name: hivexregedit --export of the output failed: $(cat "$w/export.err")"
  hivexregedit --export "$hive" '\' >"$w/input.dump" 2>/dev/null
  cmp -s "$w/hivex.dump" "$w/ours.dump" && ok || { bad "$name: hivexregedit --merge and fix -o differ"; diff "$w/hivex.dump" "$w/ours.dump" | head -5 >&2; }
  cmp -s "$w/input.dump" "$w/ours.dump" && bad "$name: the merged dump equals the input's (the merge proves nothing)" || ok
else
  bad "$name: hivexregedit --merge failed: $(cat "$w/merge.err")"
fi

# Wine's regedit: seed each key with the sample's own values, import ours, query and export.
export WINEPREFIX="$work/wine/prefix" WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml='
mkdir -p "$work/wine"
wine wineboot -i >"$work/wine/boot.log" 2>&1 || { bad "wineboot failed"; cat "$work/wine/boot.log" >&2; }
source "$src/tests/support/wine.sh"  # winepath, wine_export, wine_reg_query
for flavour in live mount; do
  reg="$w/$flavour.reg"
  if [[ $flavour == live ]]; then root='HKEY_LOCAL_MACHINE\SYSTEM'; else root='HKEY_LOCAL_MACHINE\HIVELINT'; fi
  expect "$name: $flavour: seed .reg from the sample" "${prove[@]}" wine-seed "${hive%.hiv}.reg" "$reg" "$root" ControlSet001 "$w/seed-$flavour.reg"
  mapfile -t keys < <("$py" -c 'import sys; t=open(sys.argv[1],"rb").read().decode("utf-16"); [print(l[1:-1]) for l in t.split("\r\n") if l.startswith("[")]' "$reg")
  for key in "${keys[@]}"; do wine reg delete "$key" /f >/dev/null 2>&1; done
  wine regedit /S "$(winepath "$w/seed-$flavour.reg")" >/dev/null 2>&1
  wine regedit /S "$(winepath "$reg")" >/dev/null 2>&1
  i=0
  for key in "${keys[@]}"; do
    wine_reg_query "$w/query.txt" "$key"
    exported="$w/wine-$flavour-$i.reg"
    wine_export "$exported" "$key" "$w/export.log"
    expect "$name: Wine after importing the $flavour .reg: $key" "${prove[@]}" wine-key "$reg" "$w/seed-$flavour.reg" "$key" "$w/query.txt" "$exported"
    i=$((i + 1))
  done
done

echo "fix_proof_class_filter: $passed passed, $failed failed"
((failed == 0))
