// A registry key path relative to a hive's root: UTF-8 components, compared case-insensitively by
// readers.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace hivelint::hive {

class KeyPath {
 public:
  KeyPath() = default;
  /// Splits "A\\B\\C" on backslashes; empty components (doubled or edge separators) are dropped.
  static KeyPath parse(std::string_view text);
  explicit KeyPath(std::vector<std::string> components) : components_(std::move(components)) {}

  const std::vector<std::string>& components() const noexcept { return components_; }
  bool is_root() const noexcept { return components_.empty(); }
  /// "A\\B\\C" ("" for the root).
  std::string str() const;
  /// This path with more components appended.
  KeyPath operator/(const KeyPath& rest) const;
  /// Makes this path `base / parse(relative)`, reusing the storage of its components (a rule's
  /// walk rebuilds the same few paths for every service it visits).
  void assign(const KeyPath& base, std::string_view relative);
  KeyPath operator/(std::string_view component) const;
  bool operator==(const KeyPath&) const = default;

 private:
  std::vector<std::string> components_;
};

}  // namespace hivelint::hive
