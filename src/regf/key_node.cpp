#include "regf/key_node.hpp"

#include <algorithm>

#include "util/utf16.hpp"

namespace hivelint::regf {

std::u16string decode_name(std::span<const std::uint8_t> bytes, bool compressed) {
  if (!compressed) return util::utf16le_units(bytes);
  std::u16string out;
  out.reserve(bytes.size());
  for (auto b : bytes) out += static_cast<char16_t>(b);
  return out;
}

StoredName encode_name(std::u16string_view name) {
  StoredName out;
  out.compressed = std::all_of(name.begin(), name.end(),
                               [](char16_t c) { return c <= 0xFF && (c < 0x80 || c > 0x9F); });
  out.bytes.reserve(name.size() * (out.compressed ? 1 : 2));
  for (const char16_t c : name) {
    out.bytes.push_back(static_cast<std::uint8_t>(c & 0xFF));
    if (!out.compressed) out.bytes.push_back(static_cast<std::uint8_t>(c >> 8));
  }
  return out;
}

CellOffset allocate_key_node(CellAllocator& cells, std::u16string_view name) {
  return cells.allocate(kNkFixedSize + encode_name(name).bytes.size(), kNkStructure);
}

void write_key_node(CellAllocator& cells, const KeyNode& node) {
  const StoredName name = encode_name(node.name);
  util::ByteWriter w(cells.bytes());
  const std::size_t d = cell_data_at(node.offset);
  w.put_bytes(d, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>("nk"), 2));
  w.put_u16(kNkFlags, d,
            static_cast<std::uint16_t>((node.flags & ~kKeyCompName) |
                                       (name.compressed ? kKeyCompName : 0)));
  w.put_u64(kNkLastWritten, d, node.last_written);
  w.put_u32(kNkParent, d, node.parent.value);
  w.put_u32(kNkNumberOfSubkeys, d, node.subkey_count);
  w.put_u32(kNkSubkeysList, d, node.subkeys_list.value);
  w.put_u32(kNkVolatileSubkeysList, d, kNoCell.value);
  w.put_u32(kNkNumberOfValues, d, node.value_count);
  w.put_u32(kNkValuesList, d, node.values_list.value);
  w.put_u32(kNkKeySecurity, d, node.security.value);
  w.put_u32(kNkClassName, d, node.class_name.value);
  w.put_u32(kNkLargestSubkeyNameLength, d, node.largest_subkey_name);
  w.put_u32(kNkLargestSubkeyClassLength, d, node.largest_subkey_class);
  w.put_u32(kNkLargestValueNameLength, d, node.largest_value_name);
  w.put_u32(kNkLargestValueDataSize, d, node.largest_value_data);
  w.put_u16(kNkKeyNameLength, d, static_cast<std::uint16_t>(name.bytes.size()));
  w.put_u16(kNkClassNameLength, d, node.class_name_length);
  w.put_bytes(d + kNkFixedSize, name.bytes);
}

KeyNode parse_key_node(const util::ByteReader& cell, CellOffset offset) {
  cell.require_signature("nk");
  KeyNode k;
  k.offset = offset;
  k.flags = cell.u16(kNkFlags);
  k.last_written = cell.u64(kNkLastWritten);
  k.parent = CellOffset{cell.u32(kNkParent)};
  k.subkey_count = cell.u32(kNkNumberOfSubkeys);
  k.subkeys_list = CellOffset{cell.u32(kNkSubkeysList)};
  k.value_count = cell.u32(kNkNumberOfValues);
  k.values_list = CellOffset{cell.u32(kNkValuesList)};
  k.security = CellOffset{cell.u32(kNkKeySecurity)};
  k.class_name = CellOffset{cell.u32(kNkClassName)};
  k.largest_subkey_name = cell.u32(kNkLargestSubkeyNameLength);
  k.largest_subkey_class = cell.u32(kNkLargestSubkeyClassLength);
  k.largest_value_name = cell.u32(kNkLargestValueNameLength);
  k.largest_value_data = cell.u32(kNkLargestValueDataSize);
  k.class_name_length = cell.u16(kNkClassNameLength);
  k.name_compressed = (k.flags & kKeyCompName) != 0;
  k.name = decode_name(cell.bytes(kNkKeyName, cell.u16(kNkKeyNameLength)), k.name_compressed);
  if (k.subkey_count > kMaxSubkeys)
    cell.fail(std::string(kNkNumberOfSubkeys.name) + " is " + std::to_string(k.subkey_count) +
              ", more than the cap of " + std::to_string(kMaxSubkeys));
  if (k.value_count > kMaxValues)
    cell.fail(std::string(kNkNumberOfValues.name) + " is " + std::to_string(k.value_count) +
              ", more than the cap of " + std::to_string(kMaxValues));
  return k;
}

}  // namespace hivelint::regf
