#!/usr/bin/env bash
# Proof of `hivelint fix` on every sample that fails, with independent tools (issue 3):
#  * the input is unchanged (sha256) and `hivelint check` passes on the output, with both backends;
#  * hivexregedit, Python hivex, regfexport and reglookup read the output exactly as the sample's source plus
#    the fix (tests/readers/compare.py), and hivexregedit's dumps of input and output differ only in the
#    planned keys and values; hivexget reads the new DispatchEntries;
#  * the byte-level diff is confined to the base block, the touched cells and the new hive bins
#    (tests/fix/prove.py walks the hive bins itself);
#  * `hivexregedit --merge` of the offline .reg into a copy of the input gives the same full dump as fix -o;
#  * Wine's regedit imports the live and offline .reg files, `reg query` shows the new REG_MULTI_SZ, and its
#    `regedit /E` export of the key has our value lines, line for line;
#  * dry runs and clean hives write nothing.
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
for pair in hivexregedit:libwin-hivex-perl hivexget:libhivex-bin regfexport:libregf-utils reglookup:reglookup wine:wine; do
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

# Wine, headless, in a private prefix (about 10 s once).
export WINEPREFIX="$work/wine/prefix" WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml='
mkdir -p "$work/wine"
wine wineboot -i >"$work/wine/boot.log" 2>&1 || { bad "wineboot failed"; cat "$work/wine/boot.log" >&2; }
winepath() { echo "Z:${1//\//\\}"; }

fixed_samples=0
for hive in "$src"/samples/hives/*.hiv; do
  name="$(basename "$hive" .hiv)"
  w="$work/$name"
  mkdir -p "$w"
  before="$(sha256sum <"$hive")"
  "$bin" check "$hive" --control-set all --quiet
  verdict=$?
  if ((verdict == 0)); then
    # Nothing to fix: nothing may be written, and the exit code says all is well.
    "$bin" fix "$hive" -o "$w/out.hiv" --reg "$w/live.reg" --control-set all >"$w/clean.txt" 2>&1
    rc=$?
    if ((rc == 0)) && [[ ! -e $w/out.hiv && ! -e $w/live.reg ]] && grep -q "nothing to fix" "$w/clean.txt"; then ok; else bad "$name: clean hive: exit $rc or a file was written"; fi
    continue
  fi
  ((verdict == 1)) || { bad "$name: check exit $verdict"; continue; }
  fixed_samples=$((fixed_samples + 1))

  # A dry run writes nothing and exits 1 (a fix is needed).
  "$bin" fix "$hive" -o "$w/out.hiv" --reg "$w/live.reg" --control-set all --dry-run >"$w/dry.txt" 2>&1
  rc=$?
  if ((rc == 1)) && [[ ! -e $w/out.hiv && ! -e $w/live.reg ]]; then ok; else bad "$name: dry run exit $rc or wrote a file"; fi

  expect "$name: fix -o --reg offline:SYSTEM" "$bin" fix "$hive" -o "$w/out.hiv" --reg "$w/offline.reg" --reg-root offline:SYSTEM \
    --control-set all --timestamp "$ts" --format json
  cp "$work/last.out" "$w/fix.json"
  expect "$name: fix --reg live" "$bin" fix "$hive" --reg "$w/live.reg" --control-set all --timestamp "$ts"
  expect "$name: fix --reg offline:HIVELINT" "$bin" fix "$hive" --reg "$w/mount.reg" --reg-root offline:HIVELINT --control-set all --timestamp "$ts"
  [[ "$(sha256sum <"$hive")" == "$before" ]] && ok || bad "$name: the input hive changed"
  [[ -s $w/out.hiv ]] || { bad "$name: no output hive"; continue; }

  for backend in libregf hivelint; do
    expect "$name: check passes on the output ($backend)" "$bin" check "$w/out.hiv" --control-set all --backend "$backend" --quiet
  done
  expect "$name: source + fix" "${prove[@]}" expected-source "${hive%.hiv}.reg" "$w/offline.reg" "$w/expected.reg"
  expect "$name: four readers agree with source + fix" "$py" "$src/tests/readers/compare.py" "$w/expected.reg" 'HKEY_LOCAL_MACHINE\SYSTEM' "$w/out.hiv"
  expect "$name: only planned values differ (hivexregedit dumps)" "${prove[@]}" changed "$hive" "$w/out.hiv" "$w/fix.json"
  expect "$name: byte diff confined to the change" "${prove[@]}" bytes "$hive" "$w/out.hiv" "$w/fix.json"

  # hivexget and the same change made by hivex: identical full dumps.
  sets="$("$py" -c 'import json,sys; print("\n".join(sorted({c["key"] for c in json.load(open(sys.argv[1]))["changes"] if c["action"]=="set_value"})))' "$w/fix.json")"
  while IFS= read -r key; do
    [[ -n $key ]] || continue
    got="$(hivexget "$w/out.hiv" "$key" DispatchEntries 2>&1 | tr '\n' ' ')"
    [[ $got == "Ldapsvc Smtpsvc Nntpsvc "*"Resvc "* || $got == *"Ldapsvc"*"Smtpsvc"*"Nntpsvc"*"Imap4svc"*"Pop3svc"*"Resvc"* ]] && ok || bad "$name: hivexget $key: $got"
  done <<<"$sets"
  cp "$hive" "$w/hivex.hiv"
  iconv -f UTF-16LE -t UTF-8 "$w/offline.reg" | sed '1s/^\xEF\xBB\xBF//; s/\r$//' >"$w/offline.utf8.reg"
  if hivexregedit --merge --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' "$w/hivex.hiv" "$w/offline.utf8.reg" 2>"$w/merge.err"; then
    hivexregedit --export "$w/hivex.hiv" '\' >"$w/hivex.dump" 2>/dev/null
    hivexregedit --export "$w/out.hiv" '\' >"$w/ours.dump" 2>/dev/null
    cmp -s "$w/hivex.dump" "$w/ours.dump" && ok || { bad "$name: hivexregedit --merge and fix -o differ"; diff "$w/hivex.dump" "$w/ours.dump" | head -5 >&2; }
  else
    bad "$name: hivexregedit --merge failed: $(cat "$w/merge.err")"
  fi

  # Wine's regedit: import, query, export (live paths, then the offline mount's paths).
  for flavour in live mount; do
    reg="$w/$flavour.reg"
    mapfile -t keys < <("$py" -c 'import sys; t=open(sys.argv[1],"rb").read().decode("utf-16"); [print(l[1:-1]) for l in t.split("\r\n") if l.startswith("[")]' "$reg")
    exports=()
    for key in "${keys[@]}"; do wine reg delete "$key" /f >/dev/null 2>&1; done
    wine regedit /S "$(winepath "$reg")" >/dev/null 2>&1
    for key in "${keys[@]}"; do
      wine reg query "$key" /v DispatchEntries >"$w/query.txt" 2>&1
      expect "$name: wine reg query $key after import" "${prove[@]}" wine-query "$reg" "$key" "$w/query.txt"
      exported="$w/wine-$flavour-${#exports[@]}.reg"
      wine regedit /E "$(winepath "$exported")" "$key" >/dev/null 2>&1
      [[ -s $exported ]] && exports+=("$exported") || bad "$name: wine regedit /E $key wrote nothing"
    done
    expect "$name: $flavour .reg lines equal Wine's export" "${prove[@]}" wine-lines "$reg" "${exports[@]}"
  done
done
((fixed_samples >= 6)) && ok || bad "only $fixed_samples samples needed a fix (expected at least 6)"

echo "fix_proof: $passed passed, $failed failed"
((failed == 0))
