#include "hive/tree_walk.hpp"

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

std::string utf8(std::u16string_view s) { return util::utf16_to_utf8(s).text; }

void diff(const regf::TreeKey& e, const regf::TreeKey& a, const std::string& path, std::vector<std::string>& out,
          std::size_t limit) {
  const auto add = [&](std::string line) {
    if (out.size() < limit) out.push_back(std::move(line));
  };
  for (const auto& ev : e.values) {
    const regf::TreeValue* av = a.find_value(ev.name);
    const std::string where = path + "\\" + (ev.name.empty() ? std::string("(Default)") : utf8(ev.name));
    if (!av) add(where + ": value missing");
    else if (av->type != ev.type) add(where + ": type " + std::to_string(av->type) + ", expected " + std::to_string(ev.type));
    else if (av->data != ev.data) add(where + ": data differs (" + std::to_string(av->data.size()) + " bytes, expected " +
                                        std::to_string(ev.data.size()) + ")");
  }
  for (const auto& av : a.values)
    if (!e.find_value(av.name)) add(path + "\\" + utf8(av.name) + ": unexpected value");
  for (const auto& ek : e.subkeys) {
    const regf::TreeKey* ak = a.find_subkey(ek.name);
    if (!ak) add(path + "\\" + utf8(ek.name) + ": key missing");
    else diff(ek, *ak, path + "\\" + utf8(ek.name), out, limit);
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

std::vector<std::string> diff_trees(const regf::TreeKey& expected, const regf::TreeKey& actual, std::size_t limit) {
  std::vector<std::string> out;
  if (expected.name != actual.name) out.push_back("root name \"" + utf8(actual.name) + "\", expected \"" + utf8(expected.name) + "\"");
  diff(expected, actual, "", out, limit);
  return out;
}

}  // namespace hivelint::hive
