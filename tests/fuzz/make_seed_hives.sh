#!/usr/bin/env bash
# Regenerates the hive seeds of corpus/regf_reader (all) and corpus/libregf_rules (the SYSTEM-like ones) from the small .reg seeds of
# corpus/builder_roundtrip (plus two generated ones: big data, and an index root), with `hivelint build`.
# shared-big-data-segments.hiv and shared-subtree-chain.hiv are not made here: they are the review's D7 and D12
# hives, written raw by tests/support/regfgen.py exactly as tests/cli/hostile_bounds.py writes bomb.hiv and dag.hiv.
#   tests/fuzz/make_seed_hives.sh BUILD_DIR/hivelint
set -euo pipefail
bin="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
ts=2004-06-01T00:00:00Z
build() { "$bin" build -q --timestamp "$ts" --force --prefix "HKEY_LOCAL_MACHINE\\SYSTEM" "$@"; }
for v in 3 5; do
  build "$here/corpus/builder_roundtrip/exchange-utf16.reg" -o "$tmp/exchange-1.$v.hiv" --minor-version "$v"
done
build "$here/corpus/builder_roundtrip/types.reg" -o "$tmp/types.hiv"
build "$here/corpus/builder_roundtrip/minimal.reg" -o "$tmp/minimal.hiv"
# 20000 bytes of REG_BINARY: big data (db) in 1.5.
{
  printf 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\Big]\r\n"blob"=hex:'
  for ((i = 0; i < 20000; i++)); do printf '%02x' $((i % 251)); ((i < 19999)) && printf ','; done
  printf '\r\n'
} >"$tmp/big.reg"
build "$tmp/big.reg" -o "$tmp/bigdata.hiv"
# 600 subkeys: more than one leaf, so an index root (ri).
{
  printf 'Windows Registry Editor Version 5.00\r\n\r\n'
  for ((i = 0; i < 600; i++)); do printf '[HKEY_LOCAL_MACHINE\\SYSTEM\\Many\\k%03d]\r\n' "$i"; done
} >"$tmp/many.reg"
build "$tmp/many.reg" -o "$tmp/indexroot.hiv"
cp "$tmp"/*.hiv "$here/corpus/regf_reader/"
cp "$tmp"/exchange-*.hiv "$tmp/minimal.hiv" "$here/corpus/libregf_rules/"  # the rule needs a SYSTEM-like tree
du -sh "$here/corpus"
