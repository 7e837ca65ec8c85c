#include "hive/tree_walk.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "regf/format.hpp"
#include "util/bytes.hpp"
#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::hive {
namespace {

// Key cells already entered by a walk by path: a key listed twice (a shared subtree) would
// otherwise be walked once per path to it, exponentially many for a chain of such keys (review
// D12).
void enter_once(const KeyPath& path, const std::optional<KeyInfo>& info,
                std::unordered_set<std::uint64_t>& seen) {
  if (info && info->cell_file_offset && !seen.insert(*info->cell_file_offset).second)
    throw FormatError({regf::kNkStructure, *info->cell_file_offset, "", "", ""},
                      "listed as a subkey twice, again as \"" + path.str() +
                          "\" (a cycle or a shared subtree in the subkey lists)");
}

void walk(const HiveReader& reader, const KeyPath& path, regf::TreeKey& out, std::size_t depth,
          std::unordered_set<std::uint64_t>& seen) {
  if (depth > regf::kMaxDepth)
    throw UsageError(path.str() + ": deeper than " + std::to_string(regf::kMaxDepth) + " levels");
  enter_once(path, reader.key(path), seen);
  for (const auto& v : reader.values(path))
    out.values.push_back(regf::TreeValue{util::utf8_to_utf16(v.name), v.type, v.data});
  for (const auto& name : reader.subkey_names(path)) {
    regf::TreeKey child;
    child.name = util::utf8_to_utf16(name);
    walk(reader, path / KeyPath(std::vector<std::string>{name}), child, depth + 1, seen);
    out.subkeys.push_back(std::move(child));
  }
}

void visit_by_path(const HiveReader& reader, const KeyPath& path, const KeyInfo& info,
                   std::vector<std::u16string>& below, TreeVisitor& visitor,
                   std::unordered_set<std::uint64_t>& seen) {
  if (below.size() > regf::kMaxDepth)
    throw UsageError(path.str() + ": deeper than " + std::to_string(regf::kMaxDepth) + " levels");
  enter_once(path, info, seen);
  visitor.key(below, util::utf8_to_utf16(info.name), info.last_written);
  for (const auto& v : reader.values(path))
    visitor.value(util::utf8_to_utf16(v.name), v.type, v.data);
  for (const auto& name : reader.subkey_names(path)) {
    const KeyPath child = path / name;
    const auto child_info = reader.key(child);
    if (!child_info)
      continue;  // listed but not openable by name: the backend's own lookup disagrees
    below.push_back(util::utf8_to_utf16(name));
    visit_by_path(reader, child, *child_info, below, visitor, seen);
    below.pop_back();
  }
}

std::string utf8(std::u16string_view s) { return util::utf16_to_utf8(s).text; }

// For each element of `a`, the first element of `b` with the same name (case-insensitively), or
// nullptr. Hashing the upcased names keeps a diff of keys with thousands of subkeys linear.
template <class T>
std::vector<const T*> match_by_name(const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<const T*> out(a.size(), nullptr);
  if (b.size() < 8) {
    for (std::size_t i = 0; i < a.size(); ++i)
      for (const auto& x : b)
        if (util::names_equal(a[i].name, x.name)) {
          out[i] = &x;
          break;
        }
    return out;
  }
  std::unordered_map<std::u16string, const T*> index;
  index.reserve(b.size());
  for (const auto& x : b) index.emplace(util::upcase(x.name), &x);
  for (std::size_t i = 0; i < a.size(); ++i)
    if (auto it = index.find(util::upcase(a[i].name)); it != index.end()) out[i] = it->second;
  return out;
}

void diff(const regf::TreeKey& e, const regf::TreeKey& a, const std::string& path,
          std::vector<std::string>& out, const DiffOptions& options) {
  const auto add = [&](std::string line) {
    if (out.size() < options.limit) out.push_back(std::move(line));
  };
  if (options.exact && e.class_name != a.class_name)
    add((path.empty() ? std::string("(root)") : path) + ": class name " +
        (a.class_name ? "\"" + utf8(*a.class_name) + "\"" : std::string("none")) + ", expected " +
        (e.class_name ? "\"" + utf8(*e.class_name) + "\"" : std::string("none")));
  const auto e_values = match_by_name(e.values, a.values);
  for (std::size_t i = 0; i < e.values.size(); ++i) {
    const regf::TreeValue& ev = e.values[i];
    const regf::TreeValue* av = e_values[i];
    const auto where = [&] {
      return path + "\\" + (ev.name.empty() ? std::string("(Default)") : utf8(ev.name));
    };
    if (!av)
      add(where() + ": value missing");
    else if (options.exact && av->name != ev.name)
      add(where() + ": value name spelled \"" + utf8(av->name) + "\"");
    else if (av->type != ev.type)
      add(where() + ": type " + std::to_string(av->type) + ", expected " + std::to_string(ev.type));
    else if (av->data != ev.data &&
             !(options.libregf_quirks && libregf_reads_as(ev.type, ev.data, av->data)))
      add(where() + ": data differs (" + std::to_string(av->data.size()) + " bytes, expected " +
          std::to_string(ev.data.size()) + ")");
  }
  const auto a_values = match_by_name(a.values, e.values);
  for (std::size_t i = 0; i < a.values.size(); ++i)
    if (!a_values[i]) add(path + "\\" + utf8(a.values[i].name) + ": unexpected value");
  const auto e_keys = match_by_name(e.subkeys, a.subkeys);
  for (std::size_t i = 0; i < e.subkeys.size(); ++i) {
    const std::string child = path + "\\" + utf8(e.subkeys[i].name);
    if (!e_keys[i])
      add(child + ": key missing");
    else if (options.exact && e_keys[i]->name != e.subkeys[i].name)
      add(child + ": key name spelled \"" + utf8(e_keys[i]->name) + "\"");
    else
      diff(e.subkeys[i], *e_keys[i], child, out, options);
  }
  const auto a_keys = match_by_name(a.subkeys, e.subkeys);
  for (std::size_t i = 0; i < a.subkeys.size(); ++i)
    if (!a_keys[i]) add(path + "\\" + utf8(a.subkeys[i].name) + ": unexpected key");
}

}  // namespace

regf::TreeKey read_whole_tree(const HiveReader& reader) { return reader.read_tree(); }

regf::TreeKey HiveReader::read_tree() const {
  regf::TreeKey root;
  if (auto k = key(KeyPath{})) root.name = util::utf8_to_utf16(k->name);
  std::unordered_set<std::uint64_t> seen;
  walk(*this, KeyPath{}, root, 0, seen);
  return root;
}

bool HiveReader::visit(const KeyPath& start, TreeVisitor& visitor) const {
  const auto info = key(start);
  if (!info) return false;
  std::vector<std::u16string> below;
  std::unordered_set<std::uint64_t> seen;
  visit_by_path(*this, start, *info, below, visitor, seen);
  return true;
}

std::vector<std::string> diff_trees(const regf::TreeKey& expected, const regf::TreeKey& actual,
                                    const DiffOptions& options) {
  std::vector<std::string> out;
  if (expected.name != actual.name)
    out.push_back("root name \"" + utf8(actual.name) + "\", expected \"" + utf8(expected.name) +
                  "\"");
  diff(expected, actual, "", out, options);
  return out;
}

bool libregf_reads_as(std::uint32_t type, const std::vector<std::uint8_t>& stored,
                      const std::vector<std::uint8_t>& libregf_data) {
  if (stored.size() <= 3 && libregf_data.size() == stored.size())
    return true;  // resident data of 1-3 bytes
  if (type != 1 && type != 2) return false;
  // Strings: the text up to the first UTF-16 NUL must be the same; what follows is libregf's.
  std::vector<std::uint8_t> text;
  for (std::size_t i = 0; i + 1 < stored.size(); i += 2) {
    if (stored[i] == 0 && stored[i + 1] == 0) break;
    text.push_back(stored[i]);
    text.push_back(stored[i + 1]);
  }
  return libregf_data.size() >= text.size() &&
         std::equal(text.begin(), text.end(), libregf_data.begin());
}

}  // namespace hivelint::hive
