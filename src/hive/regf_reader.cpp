#include "hive/regf_reader.hpp"

#include "regf/format.hpp"
#include "util/bytes.hpp"
#include "util/error.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::hive {
namespace {

Value to_value(const regf::ValueInfo& v) {
  Value out;
  auto name = util::utf16_to_utf8(v.key.name);
  out.name = std::move(name.text);
  out.name_lossy = name.lossy;
  out.type = v.key.type;
  out.data = v.data;
  out.cell_file_offset = regf::to_file_offset(v.key.offset).value;
  if (v.key.data_size == 0) {  // the resident bit may be set on empty data too (hivelint's builder sets it): no bytes are stored
    out.data_storage = DataStorage::kNone;
  } else if (v.key.resident) {
    out.data_storage = DataStorage::kResident;
  } else {
    out.data_storage = v.big_data ? DataStorage::kBigData : DataStorage::kCell;
    out.data_cell_file_offset = regf::to_file_offset(regf::CellOffset{v.key.data_offset_field}).value;
  }
  return out;
}

}  // namespace

std::optional<regf::KeyNode> RegfReader::open(const KeyPath& path, std::vector<std::string>* stored) const {
  // Rules ask for the same keys (and their parents) many times: each path is resolved once.
  std::u16string folded;
  Opened* parent = nullptr;
  std::vector<std::u16string> prefixes;
  for (const auto& component : path.components()) prefixes.push_back(folded += u'\\' + util::upcase(util::utf8_to_utf16(component)));
  auto root = opened_.find(u"");
  if (root == opened_.end()) root = opened_.emplace(u"", Opened{reader_.root(), {}, std::nullopt}).first;
  parent = &root->second;
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    auto it = opened_.find(prefixes[i]);
    if (it == opened_.end()) {
      Opened next;
      if (parent->node) {
        if (!parent->listed) parent->listed = reader_.listed_subkeys(*parent->node);
        next.node = reader_.child_in(*parent->listed, util::utf8_to_utf16(path.components()[i]));
        if (next.node) {
          next.stored = parent->stored;
          next.stored.push_back(util::utf16_to_utf8(next.node->name).text);
        }
      }
      it = opened_.emplace(prefixes[i], std::move(next)).first;
    }
    parent = &it->second;
  }
  if (!parent->node) return std::nullopt;
  if (stored) *stored = parent->stored;
  return parent->node;
}

std::optional<KeyInfo> RegfReader::key(const KeyPath& path) const {
  std::vector<std::string> stored;
  const auto k = open(path, &stored);
  if (!k) return std::nullopt;
  KeyInfo info;
  info.path = KeyPath(std::move(stored));
  info.name = util::utf16_to_utf8(k->name).text;
  info.last_written = k->last_written;
  info.cell_file_offset = regf::to_file_offset(k->offset).value;
  info.subkey_count = k->subkey_count;
  info.value_count = k->value_count;
  return info;
}

std::vector<std::string> RegfReader::subkey_names(const KeyPath& path) const {
  std::vector<std::string> out;
  if (const auto k = open(path, nullptr))
    for (const auto& s : reader_.subkeys(*k)) out.push_back(util::utf16_to_utf8(s.name).text);
  return out;
}

std::optional<Value> RegfReader::value(const KeyPath& path, std::string_view name) const {
  const auto k = open(path, nullptr);
  if (!k) return std::nullopt;
  const auto v = reader_.value(*k, util::utf8_to_utf16(name));
  if (!v) return std::nullopt;
  return to_value(*v);
}

std::vector<Value> RegfReader::values(const KeyPath& path) const {
  std::vector<Value> out;
  if (const auto k = open(path, nullptr))
    for (const auto& v : reader_.values(*k)) out.push_back(to_value(v));
  return out;
}

void RegfReader::visit_node(const regf::KeyNode& node, std::vector<std::u16string>& below, TreeVisitor& visitor,
                            std::unordered_set<std::uint32_t>& seen) const {
  const std::string at = "key node (nk) at " + util::hex_offset(regf::to_file_offset(node.offset).value);
  if (below.size() > regf::kMaxDepth) throw FormatError(at + ": deeper than " + std::to_string(regf::kMaxDepth) + " levels");
  if (!seen.insert(node.offset.value).second)
    throw FormatError(at + ": listed as a subkey twice (a cycle or a shared subtree in the subkey lists)");
  visitor.key(below, node.name, node.last_written);
  for (const auto& v : reader_.values(node)) visitor.value(v.key.name, v.key.type, v.data);
  for (const auto& sub : reader_.subkeys(node)) {
    below.push_back(sub.name);
    visit_node(sub, below, visitor, seen);
    below.pop_back();
  }
}

bool RegfReader::visit(const KeyPath& start, TreeVisitor& visitor) const {
  const auto node = open(start, nullptr);
  if (!node) return false;
  std::vector<std::u16string> below;
  std::unordered_set<std::uint32_t> seen;
  visit_node(*node, below, visitor, seen);
  return true;
}

}  // namespace hivelint::hive
