#!/usr/bin/env bash
# Every C++ file of the repository is laid out as .clang-format says (issue 16, point 6): clang-format 14, the
# version Debian 12 ships, changes nothing. Fails naming each file and its first differences; fix with
#   clang-format-14 -i FILE...
# Usage: format_check.sh HIVELINT SRC WORK (HIVELINT is unused: the layout does not depend on the build).
set -uo pipefail
src="$2"
cd "$src" || exit 1
tool=$(command -v clang-format-14 || command -v clang-format || true)
if [[ -z "$tool" ]]; then
  echo "format_check: clang-format is missing (Debian package clang-format; scripts/setup.sh --test installs it)" >&2
  exit 1
fi
version=$("$tool" --version)
if [[ "$version" != *"version 14."* ]]; then
  echo "format_check: $tool is not clang-format 14 ($version): another version lays out differently" >&2
  exit 1
fi
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git -C "$src" ls-files '*.cpp' '*.hpp')
else  # an unpacked source tarball
  mapfile -t files < <(find src tests bench -name '*.cpp' -o -name '*.hpp' | sort)
fi
if ((${#files[@]} < 100)); then
  echo "format_check: only ${#files[@]} C++ files found under $src" >&2
  exit 1
fi
bad=0
for f in "${files[@]}"; do
  if ! diff -u "$f" <("$tool" --style=file "$f") >/tmp/format_check.$$ 2>&1; then
    echo "FAIL: $f is not laid out as .clang-format says:"
    head -20 /tmp/format_check.$$
    bad=$((bad + 1))
  fi
done
rm -f /tmp/format_check.$$
echo "format_check: ${#files[@]} C++ files, $bad not formatted"
((bad == 0))
