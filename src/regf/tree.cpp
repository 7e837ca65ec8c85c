#include "regf/tree.hpp"

#include <algorithm>

#include "util/upcase.hpp"
#include "util/utf16.hpp"

namespace hivelint::regf {

TreeKey* TreeKey::find_subkey(std::u16string_view n) {
  auto it = std::find_if(subkeys.begin(), subkeys.end(),
                         [&](const TreeKey& k) { return util::names_equal(k.name, n); });
  return it == subkeys.end() ? nullptr : &*it;
}

const TreeKey* TreeKey::find_subkey(std::u16string_view n) const {
  return const_cast<TreeKey*>(this)->find_subkey(n);
}

TreeKey& TreeKey::ensure_subkey(std::u16string_view n) {
  if (TreeKey* k = find_subkey(n)) return *k;
  subkeys.push_back(TreeKey{std::u16string(n), std::nullopt, {}, {}});
  return subkeys.back();
}

TreeValue* TreeKey::find_value(std::u16string_view n) {
  auto it = std::find_if(values.begin(), values.end(),
                         [&](const TreeValue& v) { return util::names_equal(v.name, n); });
  return it == values.end() ? nullptr : &*it;
}

const TreeValue* TreeKey::find_value(std::u16string_view n) const {
  return const_cast<TreeKey*>(this)->find_value(n);
}

void TreeKey::set_value(TreeValue v) {
  if (TreeValue* existing = find_value(v.name)) {
    *existing = std::move(v);
    return;
  }
  values.push_back(std::move(v));
}

bool TreeKey::remove_value(std::u16string_view n) {
  auto it = std::find_if(values.begin(), values.end(),
                         [&](const TreeValue& v) { return util::names_equal(v.name, n); });
  if (it == values.end()) return false;
  values.erase(it);
  return true;
}

bool TreeKey::remove_subkey(std::u16string_view n) {
  auto it = std::find_if(subkeys.begin(), subkeys.end(),
                         [&](const TreeKey& k) { return util::names_equal(k.name, n); });
  if (it == subkeys.end()) return false;
  subkeys.erase(it);
  return true;
}

namespace {

std::optional<std::string> invalid_name_below(const TreeKey& key, const std::string& path) {
  for (const auto& v : key.values) {
    const auto name = util::utf16_to_utf8(v.name);
    if (name.lossy) return path + (path.empty() ? "" : "\\") + name.text;
  }
  for (const auto& sub : key.subkeys) {
    const auto name = util::utf16_to_utf8(sub.name);
    const std::string at = path + (path.empty() ? "" : "\\") + name.text;
    if (name.lossy) return at;
    if (auto found = invalid_name_below(sub, at)) return found;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> first_invalid_utf16_name(const TreeKey& root) {
  return invalid_name_below(root, "");
}

}  // namespace hivelint::regf
