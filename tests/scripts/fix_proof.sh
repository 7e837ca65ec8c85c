#!/usr/bin/env bash
# Proof of `hivelint fix` on every sample that fails, with independent tools (issue 3):
#  * the input is unchanged (sha256) and `hivelint check` passes on the output, with both backends;
#  * the expected tree is the sample's .reg source plus what the rule file's fix must write there, computed by
#    tests/fix/prove.py from rules/KB277770.json alone (never from hivelint's output): the readers of
#    tests/readers/compare.py read the output as that tree (each as far as CONTRIBUTING.md "Independent readers" says it is trusted), and
#    hivexget reads each new DispatchEntries as exactly the expected names in order; hivexregedit's dumps of
#    input and output differ only in the planned keys and values;
#  * the byte-level diff is confined to the base block, the new hive bins and the cells of the keys and values
#    on the planned paths, found by cell offset while walking the input's tree (tests/fix/prove.py walks the
#    hive bins and lists itself); a stray timestamp change in another key of the same name is refused;
#  * `hivexregedit --merge` of the offline .reg into a copy of the input gives the same full dump as fix -o;
#  * chntpw's `reged -I` imports the same .reg as written (UTF-16LE) into another copy, with the same full dump as
#    fix -o, and rejects the file written with --reg-comments (why the default file has no ';' line);
#    `hivelint verify` of reged's output finds nothing but reged's stale largest-value-data-size fields;
#  * Wine's regedit imports the live and offline .reg files, `reg query` shows the new REG_MULTI_SZ, and its
#    `regedit /E` export of the key has our value lines, line for line;
#  * dry runs and clean hives write nothing.
# Only rule KB277770 is proven (--rules rules/KB277770.json --rule KB277770), so that rules added to the
# defaults do not change what this proves.
# Usage: fix_proof.sh HIVELINT SRC WORK. A missing tool is a failure naming its Debian package.
set -uo pipefail
bin="$1"
src="$2"
work="$3"
rm -rf "$work"
mkdir -p "$work"
py=/usr/bin/python3
prove=("$py" "$src/tests/fix/prove.py")
missing=0
for pair in hivexregedit:libwin-hivex-perl hivexget:libhivex-bin regfexport:libregf-utils reglookup:reglookup wine:wine reged:chntpw; do
  tool="${pair%%:*}"
  command -v "$tool" >/dev/null || { echo "fix_proof: $tool is missing (Debian package ${pair#*:}; scripts/setup.sh --test installs it)" >&2; missing=1; }
done
[[ -x $py ]] && $py -c 'import hivex' 2>/dev/null || { echo "fix_proof: /usr/bin/python3 with module hivex is missing" >&2; missing=1; }
((missing == 0)) || exit 1

passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "fix_proof: FAIL: $*" >&2; failed=$((failed + 1)); }
expect() {  # description command...
  local what="$1"
  shift
  if "$@" >"$work/last.out" 2>&1; then ok; else bad "$what"; sed 's/^/    /' "$work/last.out" >&2; fi
}
ts=2024-01-01T00:00:00Z
rule_file="$src/rules/KB277770.json"
only=(--rules "$rule_file" --rule KB277770)

# Wine, headless, in a private prefix (about 10 s once).
export WINEPREFIX="$work/wine/prefix" WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml='
mkdir -p "$work/wine"
wine wineboot -i >"$work/wine/boot.log" 2>&1 || { bad "wineboot failed"; cat "$work/wine/boot.log" >&2; }
source "$src/tests/support/wine.sh"  # winepath, wine_export, wine_reg_query

fixed_samples=0
for hive in "$src"/samples/hives/*.hiv; do
  name="$(basename "$hive" .hiv)"
  w="$work/$name"
  mkdir -p "$w"
  before="$(sha256sum <"$hive")"
  "$bin" check "$hive" "${only[@]}" --control-set all --quiet
  verdict=$?
  if ((verdict == 0)); then
    # Nothing to fix: nothing may be written, and the exit code says all is well.
    "$bin" fix "$hive" "${only[@]}" -o "$w/out.hiv" --reg "$w/live.reg" --control-set all >"$w/clean.txt" 2>&1
    rc=$?
    if ((rc == 0)) && [[ ! -e $w/out.hiv && ! -e $w/live.reg ]] && grep -q "nothing to fix" "$w/clean.txt"; then ok; else bad "$name: clean hive: exit $rc or a file was written"; fi
    continue
  fi
  ((verdict == 1)) || { bad "$name: check exit $verdict"; continue; }
  fixed_samples=$((fixed_samples + 1))

  # A dry run writes nothing and exits 1 (a fix is needed).
  "$bin" fix "$hive" "${only[@]}" -o "$w/out.hiv" --reg "$w/live.reg" --control-set all --dry-run >"$w/dry.txt" 2>&1
  rc=$?
  if ((rc == 1)) && [[ ! -e $w/out.hiv && ! -e $w/live.reg ]]; then ok; else bad "$name: dry run exit $rc or wrote a file"; fi

  expect "$name: fix -o --reg offline:SYSTEM" "$bin" fix "$hive" "${only[@]}" -o "$w/out.hiv" --reg "$w/offline.reg" --reg-root offline:SYSTEM \
    --control-set all --timestamp "$ts" --format json
  cp "$work/last.out" "$w/fix.json"
  expect "$name: fix --reg live" "$bin" fix "$hive" "${only[@]}" --reg "$w/live.reg" --control-set all --timestamp "$ts"
  expect "$name: fix --reg offline:HIVELINT" "$bin" fix "$hive" "${only[@]}" --reg "$w/mount.reg" --reg-root offline:HIVELINT --control-set all --timestamp "$ts"
  [[ "$(sha256sum <"$hive")" == "$before" ]] && ok || bad "$name: the input hive changed"
  [[ -s $w/out.hiv ]] || { bad "$name: no output hive"; continue; }

  for backend in libregf hivelint; do
    expect "$name: check passes on the output ($backend)" "$bin" check "$w/out.hiv" "${only[@]}" --control-set all --backend "$backend" --quiet
  done
  expect "$name: source + the rule's fix" "${prove[@]}" expected-fix "${hive%.hiv}.reg" "$rule_file" "$w/expected.reg" "$w/lists.tsv"
  expect "$name: four readers agree with source + the rule's fix" "$py" "$src/tests/readers/compare.py" "$w/expected.reg" 'HKEY_LOCAL_MACHINE\SYSTEM' "$w/out.hiv"
  expect "$name: hivexget reads each expected list exactly" "${prove[@]}" list-check "$w/lists.tsv" "$w/out.hiv"
  # Tests of the test: the input (names missing) fails the list check; a stray byte in a same-named key fails
  # the byte check (e.g. in LanmanServer\Parameters: the samples have many keys named Parameters).
  "${prove[@]}" list-check "$w/lists.tsv" "$hive" >"$w/tamper.out" 2>&1 && bad "$name: list-check accepts the unfixed input" || ok
  target="$(head -n 1 "$w/lists.tsv" | cut -f1)"
  if "${prove[@]}" tamper-nk "$w/out.hiv" "$target" "$w/tampered.hiv" >"$w/tamper.out" 2>&1; then
    "${prove[@]}" bytes "$hive" "$w/tampered.hiv" "$w/fix.json" >"$w/tamper.out" 2>&1
    grep -q "in an unrelated cell" "$w/tamper.out" && ok || { bad "$name: bytes accepts a stray change in a key named like $target"; cat "$w/tamper.out" >&2; }
  else
    bad "$name: tamper-nk: $(cat "$w/tamper.out")"
  fi
  expect "$name: only planned values differ (hivexregedit dumps)" "${prove[@]}" changed "$hive" "$w/out.hiv" "$w/fix.json"
  expect "$name: byte diff confined to the change" "${prove[@]}" bytes "$hive" "$w/out.hiv" "$w/fix.json"

  # The same change made by hivex: identical full dumps.
  cp "$hive" "$w/hivex.hiv"
  iconv -f UTF-16LE -t UTF-8 "$w/offline.reg" | sed '1s/^\xEF\xBB\xBF//; s/\r$//' >"$w/offline.utf8.reg"
  if hivexregedit --merge --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' "$w/hivex.hiv" "$w/offline.utf8.reg" 2>"$w/merge.err"; then
    hivexregedit --export "$w/hivex.hiv" '\' >"$w/hivex.dump" 2>"$w/export.err" || bad "$name: hivexregedit --export of the merged copy failed: $(cat "$w/export.err")"
    hivexregedit --export "$w/out.hiv" '\' >"$w/ours.dump" 2>"$w/export.err" || bad "$name: hivexregedit --export of the output failed: $(cat "$w/export.err")"
    cmp -s "$w/hivex.dump" "$w/ours.dump" && ok || { bad "$name: hivexregedit --merge and fix -o differ"; diff "$w/hivex.dump" "$w/ours.dump" | head -5 >&2; }
  else
    bad "$name: hivexregedit --merge failed: $(cat "$w/merge.err")"
  fi

  # chntpw's reged -I, the other Linux importer of .reg files into offline hives: the file as written (UTF-16LE),
  # the same full dump as fix -o. It exits 0 whatever happened: its log says whether the import succeeded.
  reged_import() {  # HIVE REG -> 0 when reged reports success and changed the hive
    local copy="$1" reg="$2"
    cp "$hive" "$copy"
    (timeout 60 reged -I -C "$copy" 'HKEY_LOCAL_MACHINE\SYSTEM' "$reg" </dev/null; exit 0) >"$copy.log" 2>&1  # a crash is logged too
    grep -q "operation SUCCEEDED" "$copy.log" && ! cmp -s "$hive" "$copy"
  }
  retypes="$("$py" -c 'import json, sys
print(sum(1 for c in json.load(open(sys.argv[1]))["changes"]
          if c["action"] == "set_value" and c["old"] and c["old"]["type"] != c["new"]["type"]))' "$w/fix.json")"
  if ((retypes > 0)); then
    # reged -I cannot change a value's type ("unable to change value ..., new type is 7 while old is 1") and has no
    # "name"=- to delete it first: it refuses the file and leaves the hive as it was (docs/fix-reg.md).
    if reged_import "$w/reged.hiv" "$w/offline.reg"; then
      bad "$name: reged -I applied a type change it cannot make"
    else
      grep -q "unable to change value" "$w/reged.hiv.log" && cmp -s "$hive" "$w/reged.hiv" && ok ||
        bad "$name: reged -I of a type change: $(tail -n 8 "$w/reged.hiv.log")"
    fi
  elif reged_import "$w/reged.hiv" "$w/offline.reg"; then
    hivexregedit --export "$w/reged.hiv" '\' >"$w/reged.dump" 2>"$w/export.err" || bad "$name: hivexregedit --export of reged's output failed: $(cat "$w/export.err")"
    cmp -s "$w/reged.dump" "$w/ours.dump" && ok || { bad "$name: reged -I and fix -o differ"; diff "$w/reged.dump" "$w/ours.dump" | head -5 >&2; }
    expect "$name: check passes on reged's output" "$bin" check "$w/reged.hiv" "${only[@]}" --control-set all --quiet
    # A cross-check of reged itself: hivelint verify finds only the header fields reged leaves stale (largest
    # value data size, largest value name length 0 in the keys it creates) and the security cell's reference
    # count it does not raise for them; anything else is a new finding to look at.
    "$bin" verify "$w/reged.hiv" --format json >"$w/reged.verify.json" 2>&1
    expect "$name: verify of reged's output: only reged's known stale fields" "$py" -c '
import json, re, sys
v = json.load(open(sys.argv[1]))
known = r"largest value data size is \d+, expected at least|largest value name length is 0, expected at least|reference count is \d+, expected at least \d+ \(the keys using it\)"
other = [f["message"] for f in v["findings"] if not re.match(known, f["message"])]
assert v["error"] is None and not other, other
for f in v["findings"]:
    print("reged left:", f["structure"], "at", hex(f["file_offset"]), f["message"])' "$w/reged.verify.json"
  else
    bad "$name: reged -I of offline.reg failed: $(tail -n 8 "$w/reged.hiv.log")"
  fi
  # Test of the test: reged refuses the file with comments, so a return of ';' lines fails the step above.
  "$bin" fix "$hive" "${only[@]}" --reg "$w/commented.reg" --reg-root offline:SYSTEM --reg-comments --control-set all --timestamp "$ts" -q
  reged_import "$w/reged-commented.hiv" "$w/commented.reg" && bad "$name: reged -I accepted a .reg with comment lines" || ok

  # Wine's regedit: import, query, export (live paths, then the offline mount's paths).
  for flavour in live mount; do
    reg="$w/$flavour.reg"
    mapfile -t keys < <("$py" -c 'import sys; t=open(sys.argv[1],"rb").read().decode("utf-16"); [print(l[1:-1]) for l in t.split("\r\n") if l.startswith("[")]' "$reg")
    exports=()
    for key in "${keys[@]}"; do wine reg delete "$key" /f >/dev/null 2>&1; done
    wine regedit /S "$(winepath "$reg")" >/dev/null 2>&1
    for key in "${keys[@]}"; do
      wine_reg_query "$w/query.txt" "$key" /v DispatchEntries
      expect "$name: wine reg query $key after import" "${prove[@]}" wine-query "$reg" "$key" "$w/query.txt"
      exported="$w/wine-$flavour-${#exports[@]}.reg"
      wine_export "$exported" "$key" "$w/export.log" && exports+=("$exported") ||
        bad "$name: wine regedit /E $key wrote nothing: $(tr '\n' ' ' <"$w/export.log" | cut -c1-300)"
    done
    expect "$name: $flavour .reg lines equal Wine's export" "${prove[@]}" wine-lines "$reg" "${exports[@]}"
  done
done
((fixed_samples >= 6)) && ok || bad "only $fixed_samples samples needed a fix (expected at least 6)"

echo "fix_proof: $passed passed, $failed failed"
((failed == 0))
