#include "hive/key_path.hpp"

namespace hivelint::hive {

namespace {

// Calls `f` with each non-empty component of "A\\B\\C" (doubled or edge separators dropped).
template <typename F>
void for_each_component(std::string_view text, F f) {
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\\', start);
    const std::string_view part =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!part.empty()) f(part);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
}

}  // namespace

KeyPath KeyPath::parse(std::string_view text) {
  std::vector<std::string> parts;
  for_each_component(text, [&](std::string_view part) { parts.emplace_back(part); });
  return KeyPath(std::move(parts));
}

std::string KeyPath::str() const {
  std::string out;
  for (const auto& c : components_) {
    if (!out.empty()) out += '\\';
    out += c;
  }
  return out;
}

KeyPath KeyPath::operator/(const KeyPath& rest) const {
  KeyPath out = *this;
  out.components_.insert(out.components_.end(), rest.components_.begin(), rest.components_.end());
  return out;
}

void KeyPath::assign(const KeyPath& base, std::string_view relative) {
  std::size_t n = 0;
  const auto put = [&](std::string_view part) {
    if (n < components_.size())
      components_[n].assign(part);
    else
      components_.emplace_back(part);
    ++n;
  };
  for (const auto& component : base.components_) put(component);
  for_each_component(relative, put);
  components_.resize(n);
}

KeyPath KeyPath::operator/(std::string_view component) const {
  return *this / KeyPath::parse(component);
}

}  // namespace hivelint::hive
