#!/usr/bin/env bash
# From a fresh Debian 12 machine to hivelint's verdict on a bundled sample hive: install what is missing,
# build, then run `hivelint info` and `hivelint check` on samples/hives/controlset002-broken.hiv (an
# Exchange 2003 SYSTEM hive whose current ControlSet lacks three KB277770 dispatch names).
#
#   bash scripts/demo.sh [BUILD_DIR]        # BUILD_DIR defaults to build
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
build_dir="${1:-build}"

bash scripts/setup.sh
HIVELINT_TARGET=hivelint bash scripts/build.sh "$build_dir"  # the binary only: the tests are test.sh's

sample=samples/hives/controlset002-broken.hiv
echo
echo "\$ $build_dir/hivelint info $sample"
"$build_dir/hivelint" info "$sample"
echo
echo "\$ $build_dir/hivelint check $sample"
rc=0
"$build_dir/hivelint" check "$sample" || rc=$?
echo
if [[ $rc -eq 1 ]]; then
  echo "demo: exit code 1 = a rule failed, as expected for this sample (see samples/hives/controlset002-broken.md)."
  echo "demo: try --control-set all, --control-set lastknowngood or --format json."
  exit 0
fi
echo "demo: unexpected exit code $rc (expected 1: this sample fails KB277770)" >&2
exit 1
