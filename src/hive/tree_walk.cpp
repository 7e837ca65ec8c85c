#include "hive/tree_walk.hpp"

#include <algorithm>

#include "regf/format.hpp"
#include "util/utf16.hpp"

namespace hivelint::hive {
namespace {

void walk(const HiveReader& reader, const KeyPath& path, regf::TreeKey& out, std::size_t depth) {
  if (depth > regf::kMaxDepth) throw UsageError(path.str() + ": deeper than " + std::to_string(regf::kMaxDepth) + " levels");
  for (const auto& v : reader.values(path)) out.values.push_back(regf::TreeValue{util::utf8_to_utf16(v.name), v.type, v.data});
  for (const auto& name : reader.subkey_names(path)) {
    regf::TreeKey child;
    child.name = util::utf8_to_utf16(name);
    walk(reader, path / KeyPath(std::vector<std::string>{name}), child, depth + 1);
    out.subkeys.push_back(std::move(child));
  }
}

void visit_by_path(const HiveReader& reader, const KeyPath& path, const KeyInfo& info, std::vector<std::u16string>& below,
                   TreeVisitor& visitor) {
  if (below.size() > regf::kMaxDepth)
    throw UsageError(path.str() + ": deeper than " + std::to_string(regf::kMaxDepth) + " levels");
  visitor.key(below, util::utf8_to_utf16(info.name), info.last_written);
  for (const auto& v : reader.values(path)) visitor.value(util::utf8_to_utf16(v.name), v.type, v.data);
  for (const auto& name : reader.subkey_names(path)) {
    const KeyPath child = path / name;
    const auto child_info = reader.key(child);
    if (!child_info) continue;  // listed but not openable by name: the backend's own lookup disagrees
    below.push_back(util::utf8_to_utf16(name));
    visit_by_path(reader, child, *child_info, below, visitor);
    below.pop_back();
  }
}

std::string utf8(std::u16string_view s) { return util::utf16_to_utf8(s).text; }

void diff(const regf::TreeKey& e, const regf::TreeKey& a, const std::string& path, std::vector<std::string>& out,
          const DiffOptions& options) {
  const auto add = [&](std::string line) {
    if (out.size() < options.limit) out.push_back(std::move(line));
  };
  for (const auto& ev : e.values) {
    const regf::TreeValue* av = a.find_value(ev.name);
    const std::string where = path + "\\" + (ev.name.empty() ? std::string("(Default)") : utf8(ev.name));
    if (!av) add(where + ": value missing");
    else if (av->type != ev.type) add(where + ": type " + std::to_string(av->type) + ", expected " + std::to_string(ev.type));
    else if (av->data != ev.data && !(options.libregf_quirks && libregf_reads_as(ev.type, ev.data, av->data))) add(where + ": data differs (" + std::to_string(av->data.size()) + " bytes, expected " +
                                        std::to_string(ev.data.size()) + ")");
  }
  for (const auto& av : a.values)
    if (!e.find_value(av.name)) add(path + "\\" + utf8(av.name) + ": unexpected value");
  for (const auto& ek : e.subkeys) {
    const regf::TreeKey* ak = a.find_subkey(ek.name);
    if (!ak) add(path + "\\" + utf8(ek.name) + ": key missing");
    else diff(ek, *ak, path + "\\" + utf8(ek.name), out, options);
  }
  for (const auto& ak : a.subkeys)
    if (!e.find_subkey(ak.name)) add(path + "\\" + utf8(ak.name) + ": unexpected key");
}

}  // namespace

regf::TreeKey read_whole_tree(const HiveReader& reader) { return reader.read_tree(); }

regf::TreeKey HiveReader::read_tree() const {
  regf::TreeKey root;
  if (auto k = key(KeyPath{})) root.name = util::utf8_to_utf16(k->name);
  walk(*this, KeyPath{}, root, 0);
  return root;
}

bool HiveReader::visit(const KeyPath& start, TreeVisitor& visitor) const {
  const auto info = key(start);
  if (!info) return false;
  std::vector<std::u16string> below;
  visit_by_path(*this, start, *info, below, visitor);
  return true;
}

std::vector<std::string> diff_trees(const regf::TreeKey& expected, const regf::TreeKey& actual, const DiffOptions& options) {
  std::vector<std::string> out;
  if (expected.name != actual.name) out.push_back("root name \"" + utf8(actual.name) + "\", expected \"" + utf8(expected.name) + "\"");
  diff(expected, actual, "", out, options);
  return out;
}

bool libregf_reads_as(std::uint32_t type, const std::vector<std::uint8_t>& stored, const std::vector<std::uint8_t>& libregf_data) {
  if (stored.size() <= 3 && libregf_data.size() == stored.size()) return true;  // resident data of 1-3 bytes
  if (type != 1 && type != 2) return false;
  // Strings: the text up to the first UTF-16 NUL must be the same; what follows is libregf's.
  std::vector<std::uint8_t> text;
  for (std::size_t i = 0; i + 1 < stored.size(); i += 2) {
    if (stored[i] == 0 && stored[i + 1] == 0) break;
    text.push_back(stored[i]);
    text.push_back(stored[i + 1]);
  }
  return libregf_data.size() >= text.size() && std::equal(text.begin(), text.end(), libregf_data.begin());
}

}  // namespace hivelint::hive
