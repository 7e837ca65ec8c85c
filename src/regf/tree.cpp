#include "regf/tree.hpp"

#include <algorithm>

#include "util/upcase.hpp"

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

}  // namespace hivelint::regf
