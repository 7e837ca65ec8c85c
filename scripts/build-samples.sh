#!/usr/bin/env bash
# Compile every sample source samples/hives/NAME.reg into a hive NAME.hiv with `hivelint build`.
#
#   scripts/build-samples.sh [HIVELINT_BIN [OUT_DIR]]
#
# HIVELINT_BIN defaults to build/hivelint (then `hivelint` on PATH); OUT_DIR defaults to samples/hives.
# The options below are the only place the samples' build options live: tests/scripts/samples_uptodate.sh
# runs this script into a scratch directory and compares the result with the committed .hiv files, so
# after changing a source (scripts/gen-sample-sources.py) or the builder, run this and commit the hives.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-}"
if [[ -z "$bin" ]]; then
  if [[ -x "$repo/build/hivelint" ]]; then bin="$repo/build/hivelint"; else bin="hivelint"; fi
fi
out="${2:-$repo/samples/hives}"
src="$repo/samples/hives"

# Fixed timestamp: the same source and builder give byte-identical hives.
timestamp="2004-06-01T00:00:00Z"
prefix='HKEY_LOCAL_MACHINE\SYSTEM'

# Root key name per sample (what the imitated Windows version calls the root of a SYSTEM hive);
# keep in step with ROOT_NAME in scripts/gen-sample-sources.py, whose NAME.md files quote it.
root_name() {
  # shellcheck disable=SC2016  # a literal name, nothing to expand
  case "$1" in
    *) printf '%s' '$$$PROTO.HIV' ;;  # Windows 2000 / Server 2003 SYSTEM hives
  esac
}

mkdir -p "$out"
shopt -s nullglob
sources=("$src"/*.reg)
if ((${#sources[@]} == 0)); then
  echo "build-samples: no sources in $src" >&2
  exit 1
fi
for reg in "${sources[@]}"; do
  name="$(basename "$reg" .reg)"
  "$bin" build "$reg" -o "$out/$name.hiv" --prefix "$prefix" --root-name "$(root_name "$name")" \
    --timestamp "$timestamp" --force
  echo "built $out/$name.hiv"
done
