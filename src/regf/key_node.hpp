// Key node "nk" (spec "Key node"): offsets relative to the cell data.
// | 0 | 2 | "nk" | 2 | 2 | flags | 4 | 8 | last written | 12 | 4 | access bits | 16 | 4 | parent
// | 20 | 4 | number of subkeys | 24 | 4 | number of volatile subkeys | 28 | 4 | subkeys list offset
// | 32 | 4 | volatile subkeys list offset | 36 | 4 | number of key values | 40 | 4 | key values
// list offset | 44 | 4 | key security offset | 48 | 4 | class name offset | 52 | 4 | largest subkey
// name length | 56 | 4 | largest subkey class name length | 60 | 4 | largest value name length | 64
// | 4 | largest value data size | 68 | 4 | WorkVar | 72 | 2 | key name length | 74 | 2 | class name
// length | 76 | … | key name
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "regf/cell_allocator.hpp"
#include "regf/format.hpp"
#include "util/bytes.hpp"

namespace hivelint::regf {

struct KeyNode {
  CellOffset offset;
  std::u16string name;
  bool name_compressed = false;
  std::uint16_t flags = 0;
  std::uint64_t last_written = 0;
  CellOffset parent;
  std::uint32_t subkey_count = 0;
  CellOffset subkeys_list;
  std::uint32_t value_count = 0;
  CellOffset values_list;
  CellOffset security;
  CellOffset class_name;
  std::uint16_t class_name_length = 0;
  std::uint32_t largest_subkey_name = 0;
  std::uint32_t largest_subkey_class = 0;
  std::uint32_t largest_value_name = 0;
  std::uint32_t largest_value_data = 0;
};

/// Parses the nk record in `cell` (the cell's data). Throws FormatError naming the field and file
/// offset.
KeyNode parse_key_node(const util::ByteReader& cell, CellOffset offset);

/// A name stored as Latin-1 ("compressed") or UTF-16LE, as UTF-16 units.
std::u16string decode_name(std::span<const std::uint8_t> bytes, bool compressed);

/// How a key or value name is stored, decode_name's inverse; the builder and the editor both write
/// names with it. Compressed (one Latin-1 byte per unit) when every unit is at most 0xFF and none
/// is 0x80-0x9F, else UTF-16LE. Windows compresses 0x80-0x9F too and reads them back as Latin-1,
/// but libregf 20201007 decodes compressed names as Windows-1252 ("\u0085" would read back as
/// "\u2026"); UTF-16 is read alike by Windows, libregf, hivex and reglookup (found by
/// fuzz_builder_roundtrip; tests/unit/regf/editor_test.cpp and tests/scripts/readers.sh).
struct StoredName {
  std::vector<std::uint8_t> bytes;
  bool compressed = false;
};
StoredName encode_name(std::u16string_view name);

/// A cell for the nk record of a key named `name`, allocated as "key node (nk)"; written by
/// write_key_node. Apart so that a builder can hand the offset to the subkeys before it writes.
CellOffset allocate_key_node(CellAllocator& cells, std::u16string_view name);

/// parse_key_node's inverse: writes `node` into its cell (`node.offset`, from allocate_key_node
/// for the same name). The name is stored as encode_name says, and the flags' compressed-name bit
/// follows it; the access bits, the volatile subkey count, WorkVar are 0 and the volatile subkey
/// list is none, as in every key stored on disk.
void write_key_node(CellAllocator& cells, const KeyNode& node);

}  // namespace hivelint::regf
