#include "rules/search_each.hpp"

#include "hive/value.hpp"

namespace hivelint::rules {

std::string Bindings::expand(std::string_view text) const {
  std::string out;
  expand_into(text, out);
  return out;
}

void Bindings::expand_into(std::string_view text, std::string& out) const {
  out.clear();
  if (vars_.empty() || text.find('{') == std::string_view::npos) {
    out.append(text);
    return;
  }
  std::size_t i = 0;
  while (i < text.size()) {
    const auto open = text.find('{', i);
    if (open == std::string_view::npos) break;
    const auto close = text.find('}', open + 1);
    if (close == std::string_view::npos) break;
    out.append(text.substr(i, open - i));
    const std::string_view name = text.substr(open + 1, close - open - 1);
    if (const std::string* bound = find(name))
      out += *bound;
    else
      out.append(text.substr(open, close - open + 1));
    i = close + 1;
  }
  out.append(text.substr(i));
}

const std::string* Bindings::find(std::string_view name) const {
  for (auto it = vars_.rbegin(); it != vars_.rend(); ++it)
    if (it->first == name) return &it->second;
  return nullptr;
}

void placeholders(std::string_view text, std::vector<std::string>& out) {
  std::size_t i = 0;
  while (true) {
    const auto open = text.find('{', i);
    if (open == std::string_view::npos) return;
    const auto close = text.find('}', open + 1);
    if (close == std::string_view::npos) return;
    out.emplace_back(text.substr(open + 1, close - open - 1));
    i = close + 1;
  }
}

std::vector<std::string> for_each_subkey_names(const hive::HiveReader& reader,
                                               const hive::KeyPath& key) {
  return reader.subkey_names(key);
}

std::vector<std::string> for_each_entries(const hive::HiveReader& reader, const hive::KeyPath& key,
                                          std::string_view value) {
  const auto v = reader.value(key, value);
  if (!v) return {};
  if (v->type == static_cast<std::uint32_t>(hive::ValueType::kMultiSz))
    return hive::decode_multi_string(v->data).entries;
  if (v->type == static_cast<std::uint32_t>(hive::ValueType::kSz) ||
      v->type == static_cast<std::uint32_t>(hive::ValueType::kExpandSz)) {
    std::string text = hive::decode_string(v->data).text;
    if (text.empty()) return {};
    return {std::move(text)};
  }
  return {};
}

}  // namespace hivelint::rules
