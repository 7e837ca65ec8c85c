#include "regf/reader.hpp"

#include <algorithm>

#include "regf/subkey_list.hpp"
#include "regf/value_list.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::regf {
namespace {

FormatLocation nk_at(CellOffset offset, const char* field = "") {
  return FormatLocation{kNkStructure, to_file_offset(offset).value, field, "", ""};
}

Diagnostic key_damage(Severity severity, CellOffset key, std::string message) {
  return Diagnostic{severity, kNkStructure, to_file_offset(key).value, std::move(message)};
}

bool ascii_prefix(std::u16string_view name) {
  return std::all_of(
      name.begin(),
      name.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(4, name.size())),
      [](char16_t u) { return u < 0x80; });
}

}  // namespace

Reader::Reader(std::span<const std::uint8_t> hive)
    : bytes_(hive),
      base_(parse_base_block(hive, diagnostics_)),
      cells_(scan_hbins(hive, base_, diagnostics_)) {}

Reader::Reader(std::span<const std::uint8_t> hive, bool lazy_cells, const CleanPages* clean)
    : bytes_(hive),
      base_(parse_base_block(hive, diagnostics_)),
      cells_(lazy_cells ? scan_hbin_headers(hive, base_, diagnostics_, clean)
                        : scan_hbins(hive, base_, diagnostics_)) {}

Reader::Reader(const Reader& other, SameBins)
    : bytes_(other.bytes_),
      diagnostics_(other.diagnostics_),
      base_(other.base_),
      cells_(other.bytes_, std::vector<HbinInfo>(other.cells_.bins())) {}

void Reader::refresh(std::span<const std::uint8_t> hive, std::uint64_t new_bins,
                     std::span<const CellOffset> freed) {
  bytes_ = hive;
  std::vector<Diagnostic> fresh;
  base_ = parse_base_block(hive, fresh);
  // Diagnostics about the base block and about bins from `new_bins` on are replaced by the fresh
  // ones.
  std::erase_if(diagnostics_, [&](const Diagnostic& d) {
    return d.file_offset < kBaseBlockSize || d.file_offset >= new_bins;
  });
  cells_.rescan_from(hive, base_, new_bins, freed, fresh);
  diagnostics_.insert(diagnostics_.end(), fresh.begin(), fresh.end());
}

KeyNode Reader::node(CellOffset offset) const {
  return parse_key_node(cells_.get(offset, kNkStructure), offset);
}

KeyInfo Reader::root() const { return node(base_.root_cell); }

std::optional<std::u16string> Reader::class_name(const KeyNode& key) const {
  if (key.class_name.is_none() || key.class_name_length == 0) return std::nullopt;
  // Class names are always UTF-16LE (the nk's "compressed name" flag covers the key name only).
  return util::utf16le_units(cells_.get(key.class_name, kClassNameStructure)
                                 .take(0, key.class_name_length, kClassNameStructure));
}

SecurityKey Reader::security(const KeyNode& key) const {
  return parse_security_key(cells_.get(key.security, kSkStructure), key.security);
}

std::vector<KeyInfo> Reader::subkeys(const KeyNode& key) const {
  std::vector<KeyNode> out;
  if (key.subkey_count == 0) return out;
  const std::vector<CellOffset> offsets = read_subkey_list(cells_, key.subkeys_list);
  if (offsets.size() != key.subkey_count)
    throw FormatError(nk_at(key.offset, kNkNumberOfSubkeys.name),
                      std::string(kNkNumberOfSubkeys.name) + " is " +
                          std::to_string(key.subkey_count) + " but its subkeys list holds " +
                          std::to_string(offsets.size()));
  out.reserve(offsets.size());
  for (CellOffset o : offsets) out.push_back(node(o));
  return out;
}

std::vector<ValueKey> Reader::value_keys(const KeyNode& key) const {
  std::vector<ValueKey> out;
  for (CellOffset o : read_value_list(cells_, key.values_list, key.value_count))
    out.push_back(parse_value_key(cells_.get(o, kVkStructure), o));
  return out;
}

ValueData Reader::data_of(const ValueKey& vk) const {
  return read_value_data(vk, cells_, base_.minor_version);
}

ValueInfo Reader::with_data(ValueKey vk) const {
  ValueData d = data_of(vk);
  return ValueInfo{std::move(vk), std::move(d.bytes), d.big_data};
}

std::vector<ValueInfo> Reader::values(const KeyNode& key) const {
  std::vector<ValueInfo> out;
  for (auto& vk : value_keys(key)) out.push_back(with_data(std::move(vk)));
  return out;
}

std::optional<ValueInfo> Reader::value(const KeyNode& key, std::u16string_view name) const {
  for (auto& vk : value_keys(key))
    if (util::names_equal(vk.name, name)) return with_data(std::move(vk));
  return std::nullopt;
}

std::vector<ListedSubkey> Reader::listed_subkeys(const KeyNode& key) const {
  if (key.subkey_count == 0) return {};
  std::vector<ListedSubkey> listed = read_subkey_elements(cells_, key.subkeys_list);
  if (listed.size() != key.subkey_count)
    throw FormatError(nk_at(key.offset, kNkNumberOfSubkeys.name),
                      std::string(kNkNumberOfSubkeys.name) + " is " +
                          std::to_string(key.subkey_count) + " but its subkeys list holds " +
                          std::to_string(listed.size()));
  return listed;
}

std::optional<KeyInfo> Reader::child(const KeyNode& key, std::u16string_view name) const {
  if (key.subkey_count == 0) return std::nullopt;
  return child_in(listed_subkeys(key), name);
}

std::optional<KeyInfo> Reader::child_in(const std::vector<ListedSubkey>& listed,
                                        std::u16string_view name) const {
  NameScan scan;
  return child_in(listed, name, scan);
}

std::optional<KeyInfo> Reader::child_in(const std::vector<ListedSubkey>& listed,
                                        std::u16string_view name, NameScan& scan) const {
  // Hash leaves: the candidates first, by hash (a key with 5,300 subkeys costs one or two key-node
  // reads).
  const std::uint32_t hash = lh_hash(name);
  for (const auto& e : listed)
    if (e.leaf_kind == ListKind::kHashLeaf && e.check == hash)
      if (KeyNode k = node(e.offset); util::names_equal(k.name, name)) return k;
  // Not found by hash (or not an lh list): the first key so named in list order, so that a subkey
  // stored with a wrong hash is not missed (Windows itself would miss it; `verify` reports the
  // hash). The names read by earlier lookups answer first; a node that fails to read is read again
  // by the next lookup that gets that far, and fails the same way.
  if (const auto it = scan.first_by_name.find(util::upcase(name)); it != scan.first_by_name.end())
    return node(it->second);
  while (scan.read < listed.size()) {
    const ListedSubkey& e = listed[scan.read];
    KeyNode k = node(e.offset);
    ++scan.read;
    // Only the first of several keys with one name (a damaged list) can be the answer.
    if (scan.first_by_name.try_emplace(util::upcase(k.name), e.offset).second &&
        util::names_equal(k.name, name))
      return k;
  }
  return std::nullopt;
}

std::optional<KeyInfo> Reader::open(std::u16string_view path) const {
  KeyNode current = root();
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(u'\\', start);
    if (end == std::u16string_view::npos) end = path.size();
    const std::u16string_view part = path.substr(start, end - start);
    if (!part.empty()) {
      std::optional<KeyNode> next = child(current, part);
      if (!next) return std::nullopt;
      current = std::move(*next);
    }
    start = end + 1;
  }
  return current;
}

void Reader::read_tree_into(const KeyNode& key, TreeKey& out,
                            std::unordered_set<std::uint32_t>& seen, std::size_t depth) const {
  if (depth > kMaxDepth)
    throw FormatError(nk_at(key.offset), "deeper than " + std::to_string(kMaxDepth) + " levels");
  if (!seen.insert(key.offset.value).second)
    throw FormatError(nk_at(key.offset),
                      "listed as a subkey twice (a cycle or a shared subtree in the subkey lists)");
  out.name = key.name;
  out.class_name = class_name(key);
  for (auto& v : values(key))
    out.values.push_back(TreeValue{v.key.name, v.key.type, std::move(v.data)});
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

// Salvaging turns each FormatError below the root into a Diagnostic and goes on with the next
// sibling: this is the "corrupt, but work can go on" outcome of CONTRIBUTING.md §4, so catching
// FormatError here is deliberate.
void Reader::salvage_into(const KeyNode& key, TreeKey& out, std::unordered_set<std::uint32_t>& seen,
                          std::size_t depth, std::vector<Diagnostic>& damage) const {
  out.name = key.name;
  try {
    out.class_name = class_name(key);
  } catch (const FormatError& e) {
    damage.push_back(diagnostic_from(e));
  }

  std::vector<CellOffset> value_offsets;
  try {
    value_offsets = read_value_list(cells_, key.values_list, key.value_count);
  } catch (const FormatError& e) {
    damage.push_back(diagnostic_from(e));
  }
  for (CellOffset o : value_offsets) {
    try {
      ValueKey vk = parse_value_key(cells_.get(o, kVkStructure), o);
      ValueData d = read_value_data(vk, cells_, base_.minor_version);
      out.values.push_back(TreeValue{std::move(vk.name), vk.type, std::move(d.bytes)});
    } catch (const FormatError& e) {
      damage.push_back(diagnostic_from(e));
    }
  }

  if (key.subkey_count == 0) return;
  std::vector<ListedSubkey> listed;
  try {
    listed = read_subkey_elements(cells_, key.subkeys_list);
  } catch (const FormatError& e) {
    damage.push_back(diagnostic_from(e));
    return;
  }
  if (listed.size() != key.subkey_count)
    damage.push_back(key_damage(
        Severity::kWarning, key.offset,
        std::string(kNkNumberOfSubkeys.name) + " is " + std::to_string(key.subkey_count) +
            " but its subkeys list holds " + std::to_string(listed.size())));
  for (const ListedSubkey& e : listed) {
    if (!seen.insert(e.offset.value).second) {
      damage.push_back(key_damage(
          Severity::kError, e.offset,
          "listed as a subkey twice (a cycle or a shared subtree); listed again under the key at " +
              util::hex_offset(to_file_offset(key.offset).value) + ", skipped there"));
      continue;
    }
    KeyNode child;
    try {
      child = node(e.offset);
    } catch (const FormatError& err) {
      damage.push_back(diagnostic_from(err));
      continue;
    }
    const std::string list_at = util::hex_offset(to_file_offset(e.leaf).value);
    const std::string name = "\"" + util::utf16_to_utf8(child.name).text + "\"";
    if (e.leaf_kind == ListKind::kHashLeaf && e.check != lh_hash(child.name))
      damage.push_back(Diagnostic{
          Severity::kWarning, "hash leaf (lh)", to_file_offset(e.leaf).value,
          "name hash of " + name + " is " + util::hex_offset(e.check) + ", computed " +
              util::hex_offset(lh_hash(child.name)) + " (Windows' lookups by name would miss it)"});
    // lf hints are checked only for ASCII prefixes: how Windows stores the hint of other characters
    // is not verified.
    if (e.leaf_kind == ListKind::kFastLeaf && ascii_prefix(child.name) &&
        e.check != util::le_u32(lf_hint(child.name)))
      damage.push_back(
          Diagnostic{Severity::kWarning, "fast leaf (lf)", to_file_offset(e.leaf).value,
                     "name hint of " + name + " is " + util::hex_offset(e.check) + ", expected " +
                         util::hex_offset(util::le_u32(lf_hint(child.name)))});
    if (depth + 1 > kMaxDepth) {
      damage.push_back(key_damage(Severity::kError, e.offset,
                                  "deeper than " + std::to_string(kMaxDepth) + " levels, skipped"));
      continue;
    }
    TreeKey sub;
    salvage_into(child, sub, seen, depth + 1, damage);
    out.subkeys.push_back(std::move(sub));
  }
}

TreeKey Reader::salvage_tree(std::vector<Diagnostic>& damage) const {
  TreeKey out;
  std::unordered_set<std::uint32_t> seen;
  const KeyNode r = root();
  seen.insert(r.offset.value);
  salvage_into(r, out, seen, 0, damage);
  return out;
}

}  // namespace hivelint::regf
