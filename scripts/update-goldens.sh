#!/usr/bin/env bash
# Regenerate tests/golden/* (outputs, exit codes and stderr of every sample) with the hivelint of a build,
# then show what changed. Review the diff and commit it on its own ("goldens: why").
#
#   scripts/update-goldens.sh [BUILD_DIR]      # BUILD_DIR defaults to build
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
build_dir="$(cd "${1:-build}" && pwd)"
bin="$build_dir/hivelint"
[[ -x "$bin" ]] || { echo "update-goldens: no hivelint in $build_dir (run scripts/build.sh first)" >&2; exit 2; }
if [[ -n "${CI:-}" ]]; then
  echo "update-goldens: not in CI: goldens are reviewed, never rewritten by the pipeline" >&2
  exit 1
fi
HIVELINT_UPDATE_GOLDEN=1 bash tests/scripts/golden.sh "$bin" "$repo" "$build_dir/tests/update_goldens"
bash tests/scripts/golden.sh "$bin" "$repo" "$build_dir/tests/update_goldens"
# tests/golden/events/: written by the event-log samples' own tests (exit 77: rewritten, but a check was skipped).
for t in events_built events_evtx_built; do
  HIVELINT_UPDATE_GOLDEN=1 bash "tests/scripts/$t.sh" "$bin" "$repo" "$build_dir/tests/update_goldens_$t" || [[ $? == 77 ]]
done
git status --short -- tests/golden
