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
