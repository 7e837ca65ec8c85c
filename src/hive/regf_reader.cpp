#include "hive/regf_reader.hpp"

#include "regf/format.hpp"
#include "util/bytes.hpp"
#include "util/error.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::hive {
namespace {

// One value key and its data, read for it: the data is moved in, the key (kept in the reader's
// cache) is not copied. A value looked up used to cost two copies of its data and one of its key.
Value to_value(const regf::ValueKey& key, regf::ValueData&& data) {
  Value out;
  auto name = util::utf16_to_utf8(key.name);
  out.name = std::move(name.text);
  out.name_lossy = name.lossy;
  out.type = key.type;
  out.data = std::move(data.bytes);
  out.cell_file_offset = regf::to_file_offset(key.offset).value;
  if (key.data_size == 0) {  // the resident bit may be set on empty data too (hivelint's builder
                             // sets it): no bytes are stored
    out.data_storage = DataStorage::kNone;
  } else if (key.resident) {
    out.data_storage = DataStorage::kResident;
  } else {
    out.data_storage = data.big_data ? DataStorage::kBigData : DataStorage::kCell;
    out.data_cell_file_offset = regf::to_file_offset(regf::CellOffset{key.data_offset_field}).value;
  }
  return out;
}

}  // namespace

RegfReader::Opened& RegfReader::open(const KeyPath& path) const {
  // Rules ask for the same keys (and their parents) many times: each path is resolved once, a path
  // asked before in the same spelling costs one hash of that spelling, the path asked last a
  // comparison.
  spelling_.clear();
  for (const auto& component : path.components()) {
    const auto size = static_cast<std::uint32_t>(component.size());
    spelling_.append(reinterpret_cast<const char*>(&size), sizeof size);
    spelling_ += component;
  }
  if (last_ && spelling_ == last_spelling_) return *last_;
  Opened* found = nullptr;
  if (const auto it = by_spelling_.find(spelling_); it != by_spelling_.end()) {
    found = it->second;
  } else {
    found = &resolve(path);
    by_spelling_.emplace(spelling_, found);
  }
  spelling_.swap(last_spelling_);  // both buffers kept: no allocation on the next lookup
  last_ = found;
  return *found;
}

RegfReader::Opened& RegfReader::resolve(const KeyPath& path) const {
  // The key of each prefix is a prefix of the whole path's key: each component is upcased once.
  std::u16string whole;
  std::vector<std::size_t> ends{0};
  for (const auto& component : path.components()) {
    util::append_counted_upcased(whole, component);
    ends.push_back(whole.size());
  }
  if (const auto it = opened_.find(whole); it != opened_.end()) return it->second;
  // The longest prefix resolved before (the parent, when a walk reaches a sibling), then the rest
  // from it.
  std::size_t known = ends.size() - 1;
  Opened* parent = nullptr;
  while (known > 0 && !parent) {
    --known;
    if (const auto it = opened_.find(std::u16string_view(whole).substr(0, ends[known]));
        it != opened_.end())
      parent = &it->second;
  }
  if (!parent) {  // not even the root yet
    Opened root;
    root.node = reader_.root();
    parent = &opened_.emplace(u"", std::move(root)).first->second;
  }
  const auto& components = path.components();
  for (std::size_t i = known; i < components.size(); ++i) {
    Opened next;
    if (parent->node) {
      if (!parent->listed) parent->listed = reader_.listed_subkeys(*parent->node);
      next.node =
          reader_.child_in(*parent->listed, util::utf8_to_utf16(components[i]), parent->names);
      if (next.node) {
        next.stored = parent->stored;
        next.stored.push_back(util::utf16_to_utf8(next.node->name).text);
      }
    }
    parent = &opened_.emplace(whole.substr(0, ends[i + 1]), std::move(next)).first->second;
  }
  return *parent;
}

std::optional<KeyInfo> RegfReader::key(const KeyPath& path) const {
  const Opened& opened = open(path);
  if (!opened.node) return std::nullopt;
  const regf::KeyNode* k = &*opened.node;
  KeyInfo info;
  info.path = KeyPath(opened.stored);
  info.name = util::utf16_to_utf8(k->name).text;
  info.last_written = k->last_written;
  info.cell_file_offset = regf::to_file_offset(k->offset).value;
  info.subkey_count = k->subkey_count;
  info.value_count = k->value_count;
  return info;
}

std::vector<std::string> RegfReader::subkey_names(const KeyPath& path) const {
  Opened& k = open(path);
  if (!k.node) return {};
  if (!k.subkey_names) {
    std::vector<std::string> names;
    for (const auto& s : reader_.subkeys(*k.node))
      names.push_back(util::utf16_to_utf8(s.name).text);
    k.subkey_names = std::move(names);
  }
  return *k.subkey_names;
}

std::optional<Value> RegfReader::value(const KeyPath& path, std::string_view name) const {
  Opened& k = open(path);
  if (!k.node) return std::nullopt;
  // The key's value keys are parsed once (all of them, so a damaged one is an error whichever name
  // is asked); each lookup then compares names and reads one value's data.
  if (!k.value_keys) k.value_keys = reader_.value_keys(*k.node);
  util::utf8_to_utf16_into(name, wanted_);
  for (const auto& vk : *k.value_keys)
    if (util::names_equal(vk.name, wanted_)) return to_value(vk, reader_.data_of(vk));
  return std::nullopt;
}

std::vector<Value> RegfReader::values(const KeyPath& path) const {
  std::vector<Value> out;
  Opened& k = open(path);
  if (!k.node) return out;
  if (!k.value_keys) k.value_keys = reader_.value_keys(*k.node);
  for (const auto& vk : *k.value_keys) out.push_back(to_value(vk, reader_.data_of(vk)));
  return out;
}

void RegfReader::visit_node(const regf::KeyNode& node, std::vector<std::u16string>& below,
                            TreeVisitor& visitor, std::unordered_set<std::uint32_t>& seen) const {
  const FormatLocation at{regf::kNkStructure, regf::to_file_offset(node.offset).value, "", "", ""};
  if (below.size() > regf::kMaxDepth)
    throw FormatError(at, "deeper than " + std::to_string(regf::kMaxDepth) + " levels");
  if (!seen.insert(node.offset.value).second)
    throw FormatError(at,
                      "listed as a subkey twice (a cycle or a shared subtree in the subkey lists)");
  visitor.key(below, node.name, node.last_written);
  for (const auto& v : reader_.values(node)) visitor.value(v.key.name, v.key.type, v.data);
  for (const auto& sub : reader_.subkeys(node)) {
    below.push_back(sub.name);
    visit_node(sub, below, visitor, seen);
    below.pop_back();
  }
}

bool RegfReader::visit(const KeyPath& start, TreeVisitor& visitor) const {
  const Opened& opened = open(start);
  if (!opened.node) return false;
  const regf::KeyNode* node = &*opened.node;
  std::vector<std::u16string> below;
  std::unordered_set<std::uint32_t> seen;
  visit_node(*node, below, visitor, seen);
  return true;
}

}  // namespace hivelint::hive
