#!/usr/bin/env bash
# Configure and build hivelint and its tests (run scripts/setup.sh first on a fresh machine).
#
#   scripts/build.sh [BUILD_DIR [EXTRA_CMAKE_ARGS...]]     # BUILD_DIR defaults to build
#
# e.g. scripts/build.sh build-asan -DHIVELINT_SANITIZE=ON
# HIVELINT_TARGET=hivelint builds only the binary (scripts/demo.sh: the first verdict without the tests).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
build_dir="${1:-build}"
shift || true

cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
cmake --build "$build_dir" -j"$(nproc)" ${HIVELINT_TARGET:+--target "$HIVELINT_TARGET"}
