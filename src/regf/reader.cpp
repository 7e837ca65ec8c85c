#include "regf/reader.hpp"

#include <algorithm>

#include "regf/subkey_list.hpp"
#include "util/upcase.hpp"

namespace hivelint::regf {

Reader::Reader(std::span<const std::uint8_t> hive)
    : bytes_(hive), base_(parse_base_block(hive, diagnostics_)), cells_(scan_hbins(hive, base_, diagnostics_)) {}

KeyNode Reader::node(CellOffset offset) const { return parse_key_node(cells_.get(offset, "key node (nk)"), offset); }

KeyNode Reader::root() const { return node(base_.root_cell); }

SecurityKey Reader::security(const KeyNode& key) const {
  return parse_security_key(cells_.get(key.security, "key security (sk)"), key.security);
}

std::vector<KeyNode> Reader::subkeys(const KeyNode& key) const {
  std::vector<KeyNode> out;
  if (key.subkey_count == 0) return out;
  const std::vector<CellOffset> offsets = read_subkey_list(cells_, key.subkeys_list);
  if (offsets.size() != key.subkey_count)
    throw FormatError("key node (nk) at " + util::hex_offset(to_file_offset(key.offset).value) + ": " +
                      kNkNumberOfSubkeys.name + " is " + std::to_string(key.subkey_count) + " but its subkeys list holds " +
                      std::to_string(offsets.size()));
  out.reserve(offsets.size());
  for (CellOffset o : offsets) out.push_back(node(o));
  return out;
}

std::vector<ValueKey> Reader::value_keys(const KeyNode& key) const {
  std::vector<ValueKey> out;
  if (key.value_count == 0) return out;
  const util::ByteReader list = cells_.get(key.values_list, "key values list");
  list.take(0, std::size_t{4} * key.value_count, "key value offsets");
  for (std::uint32_t i = 0; i < key.value_count; ++i) {
    const CellOffset o{list.u32_at(4 * std::size_t{i}, "key value offset")};
    out.push_back(parse_value_key(cells_.get(o, "key value (vk)"), o));
  }
  return out;
}

std::vector<ValueInfo> Reader::values(const KeyNode& key) const {
  std::vector<ValueInfo> out;
  for (auto& vk : value_keys(key)) {
    ValueData d = read_value_data(vk, cells_, base_.minor_version);
    out.push_back(ValueInfo{std::move(vk), std::move(d.bytes), d.big_data});
  }
  return out;
}

std::optional<ValueInfo> Reader::value(const KeyNode& key, std::u16string_view name) const {
  for (auto& vk : value_keys(key)) {
    if (!util::names_equal(vk.name, name)) continue;
    ValueData d = read_value_data(vk, cells_, base_.minor_version);
    return ValueInfo{std::move(vk), std::move(d.bytes), d.big_data};
  }
  return std::nullopt;
}

std::optional<KeyNode> Reader::open(std::u16string_view path) const {
  KeyNode current = root();
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(u'\\', start);
    if (end == std::u16string_view::npos) end = path.size();
    const std::u16string_view part = path.substr(start, end - start);
    if (!part.empty()) {
      std::optional<KeyNode> next;
      for (auto& k : subkeys(current))
        if (util::names_equal(k.name, part)) {
          next = std::move(k);
          break;
        }
      if (!next) return std::nullopt;
      current = std::move(*next);
    }
    start = end + 1;
  }
  return current;
}

void Reader::read_tree_into(const KeyNode& key, TreeKey& out, std::unordered_set<std::uint32_t>& seen, std::size_t depth) const {
  if (depth > kMaxDepth)
    throw FormatError("key node (nk) at " + util::hex_offset(to_file_offset(key.offset).value) + ": deeper than " +
                      std::to_string(kMaxDepth) + " levels");
  if (!seen.insert(key.offset.value).second)
    throw FormatError("key node (nk) at " + util::hex_offset(to_file_offset(key.offset).value) +
                      ": listed as a subkey twice (a cycle or a shared subtree in the subkey lists)");
  out.name = key.name;
  if (key.class_name_length > 0 && !key.class_name.is_none()) {
    const auto bytes = cells_.get(key.class_name, "class name").take(0, key.class_name_length, "class name");
    std::u16string units;
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) units += static_cast<char16_t>(bytes[i] | bytes[i + 1] << 8);
    out.class_name = std::move(units);
  }
  for (auto& v : values(key)) out.values.push_back(TreeValue{v.key.name, v.key.type, std::move(v.data)});
  for (const auto& sub : subkeys(key)) {
    TreeKey child;
    read_tree_into(sub, child, seen, depth + 1);
    out.subkeys.push_back(std::move(child));
  }
}

TreeKey Reader::read_tree() const {
  TreeKey out;
  std::unordered_set<std::uint32_t> seen;
  read_tree_into(root(), out, seen, 0);
  return out;
}

}  // namespace hivelint::regf
