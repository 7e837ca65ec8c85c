#!/usr/bin/env bash
# Everything from a fresh Debian 12 machine to a tested build: install (with the test tools),
# build, run every test.
#
#   scripts/test.sh [BUILD_DIR]        # BUILD_DIR defaults to build
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
build_dir="${1:-build}"

bash scripts/setup.sh --test
bash scripts/build.sh "$build_dir"
ctest --test-dir "$build_dir" --output-on-failure -j2
