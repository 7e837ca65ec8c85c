# Wine helpers for the script tests that import hivelint's .reg files into a real regedit (sourced; needs
# WINEPREFIX set and `wine wineboot -i` run).

# A Linux path as Wine sees it through its Z: drive.
winepath() { echo "Z:${1//\//\\}"; }

# wine regedit /E FILE KEY, its output kept in LOG; fails when no file was written. On a loaded CI machine Wine's
# regedit once wrote no file for a key that `wine reg query` had just read (2026-12-06; not reproduced in eight runs
# alone): the export is the test's instrument, not hivelint's output, so it is tried once more after wineserver has
# stopped, and that is said on stderr.
wine_export() {  # FILE KEY LOG
  rm -f "$1"
  wine regedit /E "$(winepath "$1")" "$2" >"$3" 2>&1
  [[ -s $1 ]] && return 0
  echo "$(basename "$0"): note: wine regedit /E $2 wrote nothing ($(tr '\n' ' ' <"$3" | cut -c1-300)); trying once more" >&2
  wineserver -w
  wine regedit /E "$(winepath "$1")" "$2" >>"$3" 2>&1
  [[ -s $1 ]]
}

# wine reg query ARGS..., stdout and stderr to OUT. On a loaded CI machine Wine once could not start reg.exe at all
# ("Application could not be started, or no application associated with the specified file. ShellExecuteEx failed:
# Internal error", 2026-12-06, the sanitized pass of a fresh-clone CI run; the plain pass of the same run and every
# run alone passed): as with wine_export, the query is the test's instrument, so it is tried once more after
# wineserver has stopped, and that is said on stderr. Any other output, "not found" included, stands.
wine_reg_query() {  # OUT ARGS...
  local out=$1
  shift
  wine reg query "$@" >"$out" 2>&1
  local rc=$?
  if grep -q 'ShellExecuteEx failed\|could not be started' "$out"; then
    echo "$(basename "$0"): note: wine reg query $1 could not start reg.exe ($(tr '\n' ' ' <"$out" | cut -c1-200)); trying once more" >&2
    wineserver -w
    wine reg query "$@" >"$out" 2>&1
    rc=$?
  fi
  return $rc
}
